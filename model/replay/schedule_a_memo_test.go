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

// TestTaskJobReuseAgreesWithFresh: a job's task inputs from the memo before
// are reused as they are when nothing of the job changed, narrowed when a
// task is being sealed, and dropped when the job's saturation map changed;
// each time they are what newTaskJobA computes.
func TestTaskJobReuseAgreesWithFresh(t *testing.T) {
	r1 := ednMap(t, `{:tasks {:j [:t1 :t2 :t3]} :task-saturation {:j {:t1 1 :t2 2 :t3 3}}
		:task-schedulers {:j :onyx.task-scheduler/round-robin}}`)
	j := value.Kw("j")
	tj := newTaskJobA(r1, j)
	same := func(a, b *taskJobA) bool {
		return value.Equal(value.Vector(a.cands), value.Vector(b.cands)) && slices.Equal(a.limits, b.limits) && a.sched == b.sched && (a.limitErr == nil) == (b.limitErr == nil)
	}
	added := value.AssocIn(r1, []value.Value{kwTaskSaturation, value.Kw("k")}, value.NewMap())
	if got := tj.reusedIn(added, false); got != tj {
		t.Errorf("another job's saturation added: got %v, want the same inputs", got)
	}
	sealing := r1.Assoc(kwSealingTask, value.NewMap(value.Kw("t2"), value.Kw("p")))
	got, want := tj.reusedIn(sealing, true), newTaskJobA(sealing, j)
	if got == nil || got == tj || !same(got, want) {
		t.Errorf("t2 sealing: got %+v, want %+v", got, want)
	}
	changed := value.AssocIn(r1, []value.Value{kwTaskSaturation, j}, value.NewMap(value.Kw("t1"), int64(5)))
	if got := tj.reusedIn(changed, false); got != nil {
		t.Errorf("the job's saturation changed: got %+v, want nil", got)
	}
	unsealed := sealing.Assoc(kwSealingTask, value.NewMap())
	if got := got.reusedIn(unsealed, true); got != nil {
		t.Errorf("a task a candidate again: got %+v, want nil (worked out anew)", got)
	}
}
