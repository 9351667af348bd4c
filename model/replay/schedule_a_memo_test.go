package replay

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMemoAgreesWithFreshComputation replays a generated era A log and checks,
// before every entry, that the memoized shares, executable jobs and each
// job's task choice inputs, and the volunteer records carried from replica to
// replica, are the ones computed afresh from the replica.
func TestMemoAgreesWithFreshComputation(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 3000)
	r := start
	carried, volunteers := 0, 0
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
		if checkVolunteerRecords(t, e.Seq, m) {
			carried++
		}
		if e.Fn == value.Kw("volunteer-for-task") {
			volunteers++
		}
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
	}
	if carried < volunteers*3/4 {
		t.Errorf("records carried to %d replicas for %d volunteers, want at least 75%%", carried, volunteers)
	}
}

// checkVolunteerRecords checks the records a volunteer would read for m (carried
// from the replica before, most of the time) against a fresh computation.
func checkVolunteerRecords(t *testing.T, seq int64, m *value.Map) (carried bool) {
	t.Helper()
	if last := lastVolunteerA.Load(); last != nil && last.root.Load() == m {
		carried = true
	}
	vol := volunteerOfA(m)
	if !value.Equal(vol.js, m.Val(kwJobScheduler)) {
		t.Fatalf("seq %d: job scheduler %v, want %v", seq, vol.js, m.Val(kwJobScheduler))
	}
	jobs, shares, err := balanceJobsA(m)
	if (err == nil) != (vol.sh.err == nil) || !slices.Equal(shares, vol.sh.shares) || !value.Equal(value.Vector(jobs), value.Vector(vol.sh.jobs)) || vol.sh.nPeers != countOf(m.Val(kwPeers)) {
		t.Fatalf("seq %d: carried shares %v, fresh %v", seq, vol.sh.shares, shares)
	}
	if want := executableJobsA(m); !value.Equal(value.Vector(vol.exec.jobs), value.Vector(want)) {
		t.Fatalf("seq %d: carried executable jobs %v, fresh %v", seq, vol.exec.jobs, want)
	}
	for _, j := range items(m.Val(kwJobs)) {
		tj, fresh := vol.tasks.job(m, j), newTaskJobA(m, j)
		if !value.Equal(value.Vector(tj.cands), value.Vector(fresh.cands)) || !slices.Equal(tj.limits, fresh.limits) || tj.sched != fresh.sched {
			t.Fatalf("seq %d: job %v: carried tasks %v %v %v, fresh %v %v %v", seq, j, tj.cands, tj.limits, tj.sched, fresh.cands, fresh.limits, fresh.sched)
		}
	}
	return carried
}
