package replay

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// TestChooseAckersRepCD checks the index's choose-ackers (memo by job,
// scratch space, the replica's vector kept when equal) against
// chooseAckersCD on every replica of random era C logs, one index kept
// across them as in a replay, with the replica's ackers now and then
// dropped, turned into lists or into other ackers.
func TestChooseAckersRepCD(t *testing.T) {
	for seed := uint64(40); seed < 44; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			v := MustVersion("0.9.15")
			start, log, _ := benchLogCD(t, v, seed, 1_500)
			r := start
			ix := &cdIndex{}
			checked := 0
			for i, e := range log {
				next, err := Apply(v, r, e)
				if err != nil {
					t.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
				}
				r = next
				m := r.Map()
				jobs := items(m.Val(kwJobs))
				if len(jobs) == 0 {
					continue
				}
				switch ack := mapAt(m, kwAckers); i % 7 {
				case 3: // one job's ackers gone
					m = m.Assoc(kwAckers, ack.Dissoc(jobs[0]))
				case 5: // a list where a vector was
					m = m.Assoc(kwAckers, ack.Assoc(jobs[0], value.List(items(ack.Val(jobs[0])))))
				case 6: // other ackers
					m = m.Assoc(kwAckers, ack.Assoc(jobs[0], value.Vector{jobs[0]}))
				}
				want := value.PrStr(chooseAckersCD(m, jobs))
				x := newRepCD(m)
				ix.chooseAckersRep(x, jobs)
				got := value.PrStr(x.done())
				x.release()
				if got != want {
					t.Fatalf("after entry %d %s: choose-ackers differs at %s", e.Seq, e.Fn, textDiff(got, want))
				}
				checked++
			}
			if checked < len(log)/2 {
				t.Fatalf("checked %d of %d replicas", checked, len(log))
			}
		})
	}
}
