package replay

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMemoAgreesWithFreshComputation replays a generated era A log and checks,
// before every entry, that the memoized shares and executable jobs are the
// ones computed afresh from the replica.
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
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
	}
}
