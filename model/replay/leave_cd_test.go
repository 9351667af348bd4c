package replay

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// A leave-cluster whose removal the fast placement takes over (leave_cd.go)
// must give, replica by replica, what removing the peer first gives, on the
// random logs of the property tests and the benchmark's churn, with every
// job scheduler variant; and the deferral must be what most leaves take.
func TestLeaveDeferredCD(t *testing.T) {
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		for _, vr := range cdVariants {
			for seed := uint64(30); seed < 32; seed++ {
				t.Run(fmt.Sprintf("onyx %s %s seed %d", vs, vr.name, seed), func(t *testing.T) {
					v := MustVersion(vs)
					start, log := variantLogCD(t, v, vr, seed)
					compareLeavesCD(t, v, start, log)
				})
			}
		}
		t.Run(fmt.Sprintf("onyx %s churn", vs), func(t *testing.T) {
			v := MustVersion(vs)
			start, log, _ := benchLogCD(t, v, 5, 3_000)
			if n := compareLeavesCD(t, v, start, log); n < 500 {
				t.Errorf("%d leaves deferred their removal, want 500 or more", n)
			}
		})
	}
}

// compareLeavesCD replays log with the deferred removal and without it and
// fails at the first replica that differs; it returns how many leaves
// deferred their removal.
func compareLeavesCD(t *testing.T, v Version, start Replica, log []value.Entry) int {
	t.Helper()
	deferred := 0
	r := start
	f := flagsCD(v)
	for _, e := range log {
		if e.Fn == value.Kw("leave-cluster") && f.groups {
			if p, ok := e.Args.Get(kwID); ok {
				x := newRepCD(r.Map())
				leavePeerRepCD(x, f, p)
				if x.gone.set {
					deferred++
				}
				x.release()
			}
		}
		if next, err := Apply(v, r, e); err == nil {
			r = next
		}
	}
	got := replayPrints(v, start, log)
	deferLeaveCD.Store(false)
	defer deferLeaveCD.Store(true)
	want := replayPrints(v, start, log)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after entry %d %s: the deferred removal differs at %s", log[i].Seq, log[i].Fn, textDiff(got[i], want[i]))
		}
	}
	return deferred
}
