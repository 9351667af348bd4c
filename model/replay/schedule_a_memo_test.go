package replay

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMemoAgreesWithFreshComputation replays a generated era A log and checks,
// before every entry, that the memoized shares, executable jobs and each
// job's task choice inputs are the ones computed afresh from the replica.
func TestMemoAgreesWithFreshComputation(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 3000)
	r := start
	for _, e := range log {
		m := r.Map()
		jobs, shares, err := balanceJobsA(m)
		sh := sharesOf(m)
		if err != nil || sh.err != nil {
			t.Fatalf("seq %d: balance-jobs failed: fresh %v, memo %v", e.Seq, err, sh.err)
		}
		if !slices.Equal(shares, sh.shares) || len(jobs) != len(sh.jobs) {
			t.Fatalf("seq %d: shares: got %v, want %v", e.Seq, sh.shares, shares)
		}
		if got, want := executableOf(m), executableJobsA(m); !value.Equal(value.Vector(got), value.Vector(want)) {
			t.Fatalf("seq %d: executable jobs: got %v, want %v", e.Seq, got, want)
		}
		for _, j := range items(m.Val(kwJobs)) {
			tj, fresh := taskJobOfA(m, j), newTaskJobA(m, j)
			if !value.Equal(value.Vector(tj.cands), value.Vector(fresh.cands)) || !slices.Equal(tj.limits, fresh.limits) || tj.sched != fresh.sched {
				t.Fatalf("seq %d: job %v: memo tasks %v %v %v, fresh %v %v %v", e.Seq, j, tj.cands, tj.limits, tj.sched, fresh.cands, fresh.limits, fresh.sched)
			}
		}
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
	}
}
