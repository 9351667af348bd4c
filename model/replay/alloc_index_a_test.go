package replay

import (
	"maps"
	"slices"
	"sync"
	"testing"

	"onyx-dashboard/model/value"
)

// TestAllocIndexAgreesWithScan replays generated era A logs and checks, before
// every volunteer, that what the indexed :allocations say (counts, where the
// volunteer is, the round-robin job choice) is what a scan finds, and that
// the index is what answers nearly every time.
func TestAllocIndexAgreesWithScan(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scheduler value.Keyword
	}{
		{"round-robin jobs", jobSchedulerRoundRobin},
		{"greedy jobs", jobSchedulerGreedy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := MustVersion("0.5.3")
			start, log := eraALog(t, v, tc.scheduler, 20, 4, 4000)
			r := start
			volunteers, indexed := 0, 0
			for _, e := range log {
				if e.Fn == value.Kw("volunteer-for-task") {
					volunteers++
					m, peer := r.Map(), e.Args.Val(kwID)
					fast := allocationsOfA(mapAt(m, kwAllocations), peer)
					slow := scanAllocationsA(mapAt(m, kwAllocations), peer)
					if fast.idx != nil {
						indexed++
					}
					checkAllocationsAgree(t, e.Seq, &fast, &slow)
					if tc.scheduler == jobSchedulerRoundRobin {
						j1, ok1, err1 := roundRobinJobA(m, &fast)
						j2, ok2, err2 := roundRobinJobA(m, &slow)
						if !value.Equal(j1, j2) || ok1 != ok2 || (err1 == nil) != (err2 == nil) {
							t.Fatalf("seq %d: round-robin job: indexed %v %v %v, scanned %v %v %v", e.Seq, j1, ok1, err1, j2, ok2, err2)
						}
					}
				}
				var err error
				if r, err = Apply(v, r, e); err != nil {
					t.Fatalf("seq %d: %v", e.Seq, err)
				}
				checkCachedIndex(t, e, r)
			}
			if indexed < volunteers*9/10 {
				t.Errorf("the index answered %d of %d volunteers, want at least 90%%", indexed, volunteers)
			}
		})
	}
}

// checkCachedIndex compares the index an entry left in the cache for the
// new :allocations, if any, with one built afresh.
func checkCachedIndex(t *testing.T, e value.Entry, r Replica) {
	t.Helper()
	allocs := mapAt(r.Map(), kwAllocations)
	x := cachedAllocIndexA(allocs)
	if x == nil || !x.lock(allocs) {
		return
	}
	defer x.mu.Unlock()
	fresh := buildAllocIndexA(allocs)
	if fresh == nil {
		t.Fatalf("seq %d %s: an unclean map has an index", e.Seq, e.Fn)
	}
	if !slices.Equal(x.counts, fresh.counts) || !value.Equal(value.Vector(x.layout.jobs), value.Vector(fresh.layout.jobs)) {
		t.Fatalf("seq %d %s: index counts %v, fresh %v", e.Seq, e.Fn, x.counts, fresh.counts)
	}
	peers := slices.Collect(maps.Keys(fresh.locs))
	for _, p := range r.Peers() {
		if comparableID(p) {
			peers = append(peers, p)
		}
	}
	if len(x.locs) != len(fresh.locs) {
		t.Fatalf("seq %d %s: the index places %d peers, fresh %d", e.Seq, e.Fn, len(x.locs), len(fresh.locs))
	}
	for _, p := range peers {
		got, ok := x.locs[p]
		want, wantOK := fresh.locs[p]
		if ok != wantOK || got.pos != want.pos || !value.Equal(got.task, want.task) {
			t.Fatalf("seq %d %s: peer %v at %v %v, fresh %v %v", e.Seq, e.Fn, p, got, ok, want, wantOK)
		}
	}
}

func checkAllocationsAgree(t *testing.T, seq int64, fast, slow *allocationsA) {
	t.Helper()
	if fast.placed != slow.placed || !value.Equal(fast.job, slow.job) || !value.Equal(fast.task, slow.task) {
		t.Fatalf("seq %d: volunteer at: indexed %v %v %v, scanned %v %v %v", seq, fast.placed, fast.job, fast.task, slow.placed, slow.job, slow.task)
	}
	if len(fast.jobs) != len(slow.jobs) {
		t.Fatalf("seq %d: %d jobs indexed, %d scanned", seq, len(fast.jobs), len(slow.jobs))
	}
	for i, j := range slow.jobs {
		if !value.Equal(fast.jobs[i], j) || fast.count(j) != int(slow.counts[i]) {
			t.Fatalf("seq %d: job %d: indexed %v with %d peers, scanned %v with %d", seq, i, fast.jobs[i], fast.count(j), j, slow.counts[i])
		}
	}
}

// TestAllocIndexFallsBackOnUncleanMaps: a peer listed twice or a non-vector
// task value is scanned, and the scan's rule (the last place in map order)
// holds.
func TestAllocIndexFallsBackOnUncleanMaps(t *testing.T) {
	twice := ednMap(t, `{:j1 {:t1 [:p1 :p2]} :j2 {:t2 [:p1]}}`)
	if x := buildAllocIndexA(twice); x != nil {
		t.Fatal("a map listing a peer twice was indexed")
	}
	at := allocationsOfA(twice, value.Kw("p1"))
	if at.idx != nil || !value.Equal(at.job, value.Kw("j2")) || !value.Equal(at.task, value.Kw("t2")) {
		t.Errorf("peer listed twice: got %v %v (indexed %v), want :j2 :t2 by a scan", at.job, at.task, at.idx != nil)
	}
	if x := buildAllocIndexA(ednMap(t, `{:j1 {:t1 #{:p1}}}`)); x != nil {
		t.Error("a map with a set of peers was indexed")
	}
	odd := ednMap(t, `{:j1 {:t1 [:p1 [1 2]]}}`) // a vector id: not hashable in Go
	if x := buildAllocIndexA(odd); x != nil {
		t.Error("a map with a vector peer id was indexed")
	}
	if at := allocationsOfA(odd, value.Vector{int64(1), int64(2)}); at.idx != nil || !value.Equal(at.task, value.Kw("t1")) {
		t.Errorf("vector peer id: got %v %v (indexed %v), want :t1 by a scan", at.job, at.task, at.idx != nil)
	}
	clean := ednMap(t, `{:j1 {:t1 [:p1] :t2 nil} :j2 nil}`)
	var c allocationsA
	if x := buildAllocIndexA(clean); x == nil {
		t.Error("a clean map with nil values was not indexed")
	} else if !x.read(&c, clean, value.Kw("p1")) || !c.placed || c.count(value.Kw("j1")) != 1 || c.count(value.Kw("j2")) != 0 {
		t.Errorf("clean map: got %+v", c)
	}
}

// TestAllocIndexFollowsOneBranch replays one replica two ways: the index
// follows the first branch, and the second, which asks about maps the index
// has moved on from, is answered by an index built afresh, never by the
// moved one; both branches agree with a scan at every entry.
func TestAllocIndexFollowsOneBranch(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 3000)
	r := start
	for _, e := range log[:2000] {
		r, _ = Apply(v, r, e)
	}
	fork := r
	var peers []value.Value
	for _, e := range log[2000:] {
		if e.Fn == value.Kw("volunteer-for-task") {
			peers = append(peers, e.Args.Val(kwID))
		}
	}
	if len(peers) < 20 {
		t.Fatalf("only %d volunteers after the fork", len(peers))
	}
	backward := slices.Clone(peers)
	slices.Reverse(backward)
	for branch, order := range [][]value.Value{peers, backward} {
		r := fork
		moves := 0
		for i, p := range order {
			m := r.Map()
			fast := allocationsOfA(mapAt(m, kwAllocations), p)
			slow := scanAllocationsA(mapAt(m, kwAllocations), p)
			checkAllocationsAgree(t, int64(i), &fast, &slow)
			e := value.Entry{Seq: int64(10_000*branch + i), Fn: value.Kw("volunteer-for-task"), Args: value.NewMap(kwID, p)}
			next, err := Apply(v, r, e)
			if err != nil {
				t.Fatalf("branch %d, volunteer %d: %v", branch, i, err)
			}
			if next.Map() != m {
				moves++
			}
			checkCachedIndex(t, e, next)
			r = next
		}
		if moves == 0 {
			t.Errorf("branch %d: no volunteer moved", branch)
		}
	}
	x := allocIndexOfA(mapAt(fork.Map(), kwAllocations))
	if x == nil || !x.lock(mapAt(fork.Map(), kwAllocations)) {
		t.Fatal("the fork's :allocations has no index describing it")
	}
	x.mu.Unlock()
}

// TestVolunteerInPlaceReturnsTheReplica: a volunteer that would be taken out
// and put back last on its own task leaves the very same replica.
func TestVolunteerInPlaceReturnsTheReplica(t *testing.T) {
	m := ednMap(t, `{:job-scheduler :onyx.job-scheduler/greedy :jobs [:j] :tasks {:j [:t]}
		:task-schedulers {:j :onyx.task-scheduler/greedy} :peers [:p :q]
		:allocations {:j {:t [:q :p]}} :peer-state {:p :active :q :active}}`)
	e := value.Entry{Seq: 9, Fn: value.Kw("volunteer-for-task"), Args: value.NewMap(kwID, value.Kw("p"))}
	got, err := Apply(MustVersion("0.5.3"), FromMap(m), e)
	if err != nil {
		t.Fatal(err)
	}
	if got.Map() != m {
		t.Errorf("got a new replica %s, want the same one", value.PrStr(got.Map()))
	}
	e.Args = value.NewMap(kwID, value.Kw("q")) // q is first: it moves behind p
	got, err = Apply(MustVersion("0.5.3"), FromMap(m), e)
	if err != nil {
		t.Fatal(err)
	}
	want := value.Vector{value.Kw("p"), value.Kw("q")}
	if !value.Equal(value.GetIn(got.Map(), kwAllocations, value.Kw("j"), value.Kw("t")), want) {
		t.Errorf("q volunteering: got %s, want [:p :q]", value.PrStr(got.Map()))
	}
}

// TestConcurrentEraAReplaysAgree replays two logs from several goroutines at
// once (they share the memo caches) and checks every replica against a
// replay done alone.
func TestConcurrentEraAReplaysAgree(t *testing.T) {
	v := MustVersion("0.5.3")
	type run struct {
		start Replica
		log   []value.Entry
		want  []Replica
	}
	var runs []*run
	for _, sched := range []value.Keyword{jobSchedulerRoundRobin, jobSchedulerGreedy} {
		start, log := eraALog(t, v, sched, 16, 3, 1500)
		runs = append(runs, &run{start: start, log: log})
	}
	for _, rn := range runs {
		r := rn.start
		for _, e := range rn.log {
			r, _ = Apply(v, r, e)
			rn.want = append(rn.want, r)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 6 {
		rn := runs[g%len(runs)]
		wg.Go(func() {
			r := rn.start
			for i, e := range rn.log {
				r, _ = Apply(v, r, e)
				if !value.Equal(r.Map(), rn.want[i].Map()) {
					errs <- firstDiff(r.Map(), rn.want[i].Map())
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

// TestAllocIndexOnEraAFixtures replays the era A reference cases (percentage
// schedulers and Onyx's own edge cases included) and checks the index
// against a scan before every volunteer and after every entry.
func TestAllocIndexOnEraAFixtures(t *testing.T) {
	files := fixtureFiles(t)["0.5.3"]
	if len(files) == 0 {
		t.Fatal("no 0.5.3 fixtures")
	}
	for _, path := range files {
		c, err := loadFixture(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(c.name, func(t *testing.T) {
			r := FromMap(c.initial)
			for _, e := range c.entries {
				m := r.Map()
				if e.Fn == value.Kw("volunteer-for-task") {
					peer := e.Args.Val(kwID)
					fast := allocationsOfA(mapAt(m, kwAllocations), peer)
					slow := scanAllocationsA(mapAt(m, kwAllocations), peer)
					checkAllocationsAgree(t, e.Seq, &fast, &slow)
				}
				r, _ = Apply(c.version, r, e)
				checkCachedIndex(t, e, r)
			}
		})
	}
}

// TestRemovedAgreesWithRemoveValue checks removedA, which shares the rest of
// a vector that held x first or last, against removeValue, and that a conj
// onto a shared rest leaves the vector it came from as it was.
func TestRemovedAgreesWithRemoveValue(t *testing.T) {
	a, b, c := value.Kw("a"), value.Kw("b"), value.Kw("c")
	for _, tc := range []struct {
		name string
		xs   value.Vector
		x    value.Value
	}{
		{"empty", value.Vector{}, a},
		{"only", value.Vector{a}, a},
		{"absent", value.Vector{b, c}, a},
		{"first", value.Vector{a, b, c}, a},
		{"last", value.Vector{b, c, a}, a},
		{"middle", value.Vector{b, a, c}, a},
		{"first and last", value.Vector{a, b, a}, a},
		{"first twice", value.Vector{a, a, b}, a},
		{"an equal id of another type", value.Vector{int64(1), b}, 1.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := slices.Clone(tc.xs)
			got := removedA(tc.xs, tc.x)
			want := removeValue(tc.xs, tc.x)
			if !value.Equal(got, want) {
				t.Fatalf("removedA %s, removeValue %s", value.PrStr(got), value.PrStr(want))
			}
			v, ok := got.(value.Vector)
			if !ok {
				t.Fatalf("removedA gave a %T, want a vector", got)
			}
			_ = append(v, c) // a conj must not write into tc.xs
			_ = conjVec(v, c)
			if !value.Equal(tc.xs, orig) {
				t.Errorf("the vector changed to %s", value.PrStr(tc.xs))
			}
		})
	}
}

// TestCarryIndexAcrossJobChanges: submit-job, kill-job and gc carry the
// index over to the :allocations they make (checked against a fresh build),
// and a change the carry does not cover leaves the new map to a scan.
func TestCarryIndexAcrossJobChanges(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 4000)
	r := start
	carried := map[string]int{}
	for _, e := range log {
		before := mapAt(r.Map(), kwAllocations)
		allocationsOfA(before, value.Kw("nobody")) // the index describes before
		var err error
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
		after := mapAt(r.Map(), kwAllocations)
		switch fn := e.Fn.Name(); fn {
		case "submit-job", "kill-job", "gc":
			if after != before && cachedAllocIndexA(after) != nil {
				carried[fn]++
			}
		}
		checkCachedIndex(t, e, r)
	}
	for _, fn := range []string{"submit-job", "kill-job"} {
		if carried[fn] == 0 {
			t.Errorf("no %s carried the index", fn)
		}
	}

	m := ednMap(t, `{:j1 {:t1 [:a :b]} :j2 {:t2 [:c] :t3 []} :j3 nil}`)
	cases := []struct {
		name  string
		after *value.Map
		carry bool
	}{
		{"a job dropped", m.Dissoc(value.Kw("j1")), true},
		{"a job without peers added", m.Assoc(value.Kw("j4"), value.NewMap()), true},
		{"a job with empty tasks added", m.Assoc(value.Kw("j4"), ednMap(t, `{:t4 [] :t5 nil}`)), true},
		{"a job with a peer added", m.Assoc(value.Kw("j4"), ednMap(t, `{:t4 [:d]}`)), false},
		{"a job with a set of no peers added", m.Assoc(value.Kw("j4"), ednMap(t, `{:t4 #{}}`)), false},
		{"a job's tasks changed", m.Assoc(value.Kw("j2"), ednMap(t, `{:t2 [:c]}`)), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := buildAllocIndexA(m)
			rememberAllocIndexA(x)
			carryIndexA(m, tc.after)
			if got := cachedAllocIndexA(tc.after) != nil; got != tc.carry {
				t.Fatalf("carried %v, want %v", got, tc.carry)
			}
			if tc.carry {
				checkCachedIndex(t, value.Entry{Fn: value.Kw("carry")}, FromMap(value.NewMap(kwAllocations, tc.after)))
			} else if !x.lock(m) {
				t.Fatal("an index not carried no longer describes its map")
			} else {
				x.mu.Unlock()
			}
		})
	}
}
