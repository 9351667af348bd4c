package ui

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// jobsByLists is jobsOf by its definition, with nothing kept between
// calls: every id of :jobs, :completed-jobs and :killed-jobs in that order,
// first place kept, the last list's status taken.
func jobsByLists(r replay.Replica) []jobRef {
	var out []jobRef
	add := func(j value.Value, s jobStatus) {
		if i := indexOfID(out, j); i >= 0 {
			out[i].status = s
			return
		}
		out = append(out, jobRef{j, s})
	}
	completions, tasks := mapOf(r.Get(kwCompletions)), mapOf(r.Get(kwTasks))
	for _, j := range r.Jobs() {
		s := jobUnallocated
		if peerCount(r.AllocationsMap().Val(j)) > 0 {
			s = jobRunning
		}
		if c := value.Items(completions.Val(j)); len(c) > 0 && len(c) >= len(value.Items(tasks.Val(j))) {
			s = jobCompleted
		}
		add(j, s)
	}
	for _, j := range r.CompletedJobs() {
		add(j, jobCompleted)
	}
	for _, j := range r.KilledJobs() {
		add(j, jobKilled)
	}
	return out
}

// indexOfID is the position of id among refs, -1 when absent.
func indexOfID(refs []jobRef, id value.Value) int {
	for i, ref := range refs {
		if value.Equal(ref.id, id) {
			return i
		}
	}
	return -1
}

func sameRefs(a, b []jobRef) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !value.Equal(a[i].id, b[i].id) || a[i].status != b[i].status {
			return false
		}
	}
	return true
}

// TestJobsOfAgreesWithItsDefinition compares jobsOf, which keeps the
// finished jobs between calls, with jobsByLists at every position of the
// view fixtures and of simulated 0.5.3, 0.8.3 and 0.14.6 logs (the last
// never gc'ed), walking forward, back and across logs so the kept lists
// are taken and dropped, and on replicas that list jobs twice or with ids
// Go cannot compare.
func TestJobsOfAgreesWithItsDefinition(t *testing.T) {
	var tls []*timeline.Timeline
	for _, name := range []string{"0.5.3-port-one-job-test", "0.6.0-port-two-job-test", "0.6.0-doc-example-7-2"} {
		tls = append(tls, fixture(t, name))
	}
	for _, v := range []string{"0.5.3", "0.8.3", "0.14.6"} {
		tls = append(tls, simTimeline(t, v, 12, 4, 3000))
	}
	finished := 0
	for i, tl := range tls {
		check := func(pos int) {
			r := tl.Replica(pos)
			if got, want := jobsOf(r), jobsByLists(r); !sameRefs(got, want) {
				t.Fatalf("log %d pos %d: jobsOf = %v, want %v", i, pos, got, want)
			}
			finished += len(r.CompletedJobs()) + len(r.KilledJobs())
		}
		for pos := -1; pos < tl.Len(); pos++ {
			check(pos)
		}
		for pos := tl.Len() - 1; pos >= 0; pos -= 7 {
			check(pos)
			check(tls[0].Len() - 1 - pos%tls[0].Len()) // another log's lists in between
		}
	}
	if finished == 0 {
		t.Fatal("no replica listed a finished job: the kept half was never used")
	}
	a, b, c := value.Kw("a"), value.Kw("b"), value.Vector{value.Kw("odd"), int64(1)}
	alloc := value.NewMap(a, value.NewMap(value.Kw("t"), value.Vector{value.Kw("p")}))
	for _, m := range []*value.Map{
		value.NewMap(value.Kw("jobs"), value.Vector{a, b, a}, value.Kw("completed-jobs"), value.Vector{b, c}, value.Kw("killed-jobs"), value.Vector{c, a}, kwAllocations, alloc),
		value.NewMap(value.Kw("jobs"), value.Vector{c, c}, value.Kw("completed-jobs"), value.Vector{c, c}),
		value.NewMap(value.Kw("completed-jobs"), value.Vector{a, a, b}, value.Kw("killed-jobs"), value.Vector{b}),
	} {
		r := replay.FromMap(m)
		if got, want := jobsOf(r), jobsByLists(r); !sameRefs(got, want) {
			t.Errorf("%s: jobsOf = %v, want %v", value.PrStr(m), got, want)
		}
	}
	var many value.Vector // many live jobs, one listed twice and one also killed
	for i := range 40 {
		many = append(many, value.Kw(fmt.Sprintf("j%d", i)))
	}
	many = append(many, many[3])
	r := replay.FromMap(value.NewMap(value.Kw("jobs"), many, value.Kw("killed-jobs"), value.Vector{many[5]}))
	if got, want := jobsOf(r), jobsByLists(r); !sameRefs(got, want) || len(got) != 40 {
		t.Errorf("40 live jobs: jobsOf = %v, want %v", got, want)
	}
}
