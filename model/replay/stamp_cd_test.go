package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// TestStampCD checks cdCmdD's folded :version against the plain way (assoc
// :version, then the command) over a generated era D log: the same replica,
// printed alike (so in the same order), after every entry.
func TestStampCD(t *testing.T) {
	raw := map[value.Keyword]func(*value.Map, value.Entry, cdflags) (*value.Map, error){
		value.Kw("prepare-join-cluster"): applyPrepareJoinGroup,
		value.Kw("accept-join-cluster"):  applyAcceptJoinGroup,
		value.Kw("add-virtual-peer"):     applyAddVirtualPeer,
		value.Kw("leave-cluster"):        applyLeaveVirtualPeer,
		value.Kw("group-leave-cluster"):  applyGroupLeaveCluster,
		value.Kw("submit-job"):           applySubmitJobCD,
		value.Kw("complete-job"):         applyCompleteJobD,
		value.Kw("kill-job"):             applyKillJobCD,
		value.Kw("gc"):                   applyGCCD,
	}
	v := MustVersion("0.14.6")
	start, log, _ := benchLogCD(t, v, 7, 3_000)
	r := start
	checked := 0
	for _, e := range log {
		next, err := Apply(v, r, e)
		if fn := raw[e.Fn]; fn != nil {
			want, werr := fn(r.Map().Assoc(kwCDVersion, e.Seq), e, flagsCD(v))
			if (err == nil) != (werr == nil) {
				t.Fatalf("entry %d %s: error %v, the plain way %v", e.Seq, e.Fn, err, werr)
			}
			if err == nil {
				if got, w := value.PrStr(next.Map()), value.PrStr(want); got != w {
					t.Fatalf("entry %d %s: replica\n%s\nthe plain way\n%s", e.Seq, e.Fn, got, w)
				}
				checked++
			}
		}
		if err == nil {
			r = next
		}
	}
	if checked < len(log)/2 {
		t.Fatalf("checked %d of %d entries", checked, len(log))
	}
}
