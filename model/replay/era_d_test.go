package replay

import (
	"os"
	"testing"

	"onyx-dashboard/model/value"
)

// The ids of onyx-log-format.md §7.1.
var (
	tP1 = mustUUID("3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01")
	tP2 = mustUUID("a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02")
	tP3 = mustUUID("5d8f2b14-9e6a-4c37-b1d2-7f3e4a5b6c03")
	tP4 = mustUUID("c41e7d28-2a9b-4e50-9f86-1a2b3c4d5e04")
	tJ1 = mustUUID("7b1e0c3a-1111-4a2b-9c3d-0e1f2a3b4c51")
	tJ2 = mustUUID("7b1e0c3a-2222-4a2b-9c3d-0e1f2a3b4c52")
	tG1 = mustUUID("0b7a9c2e-6f51-4d08-b3a4-95c1d7e2f3a6")
)

func mustUUID(s string) value.UUID {
	u, err := value.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// replayCDFile replays a testdata/cd log and returns the replica after each
// entry; an entry that errors fails the test.
func replayCDFile(t *testing.T, path string) (*Log, []Replica) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ReadLog(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := l.Origin
	out := make([]Replica, 0, len(l.Entries))
	for _, e := range l.Entries {
		next, err := Apply(l.Version, r, e)
		if err != nil {
			t.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
		}
		checkInvariantsCD(t, l.Version, next, e.Seq)
		out = append(out, next)
		r = next
	}
	return l, out
}

// taskCounts is job → task → number of peers.
func taskCounts(r Replica, job value.Value) map[value.Value]int {
	out := map[value.Value]int{}
	for t, ps := range r.Allocations()[job] {
		out[t] = len(ps)
	}
	return out
}

func TestWorkedExample74(t *testing.T) {
	l, rs := replayCDFile(t, "testdata/cd/example-7-4.edn")
	if !l.Version.PlacementEstimated() || l.Version.Era() != EraD {
		t.Fatalf("version %s: want era D with estimated placement", l.Version)
	}
	in, inc, out := value.Kw("in"), value.Kw("inc"), value.Kw("out")
	one := map[value.Value]int{in: 1, inc: 1, out: 1}
	sameCounts := func(t *testing.T, got, want map[value.Value]int) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("task counts %v, want %v", got, want)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("task counts %v, want %v", got, want)
			}
		}
	}
	allocVersion := func(t *testing.T, r Replica, job value.Value, want int64, present bool) {
		t.Helper()
		got, ok := r.AllocationVersion(job)
		if ok != present || got != want {
			t.Fatalf("allocation-version of %s: got %d (%v), want %d (%v)", job, got, ok, want, present)
		}
	}
	t.Run("after 0 the group has joined and version is 0", func(t *testing.T) {
		if g := rs[0].Groups(); len(g) != 1 || g[0] != value.Value(tG1) {
			t.Fatalf(":groups %v, want [G1]", g)
		}
		if v, _ := rs[0].LogVersion(); v != 0 {
			t.Fatalf(":version %d, want 0", v)
		}
	})
	t.Run("after 3 three vpeers are peers of G1", func(t *testing.T) {
		r := rs[3]
		if !value.Equal(value.Vector(r.Peers()), value.Vector{tP1, tP2, tP3}) {
			t.Fatalf(":peers %v", r.Peers())
		}
		if n := len(r.GroupPeers(tG1)); n != 3 {
			t.Fatalf(":groups-index G1 has %d peers, want 3", n)
		}
		for _, p := range []value.Value{tP1, tP2, tP3} {
			if r.PeerGroup(p) != value.Value(tG1) || !r.PeerSites().Has(p) || !mapOf(r.Get(kwCDPeerTags)).Has(p) {
				t.Fatalf("peer %s is not registered", p)
			}
		}
	})
	t.Run("after 4 J1 has one peer per task, coordinator P2, version 4", func(t *testing.T) {
		r := rs[3+1]
		sameCounts(t, taskCounts(r, tJ1), one)
		if c := r.Coordinator(tJ1); c != value.Value(tP2) {
			t.Fatalf(":coordinators J1 = %v, want P2 (smallest UUID)", c)
		}
		allocVersion(t, r, tJ1, 4, true)
		slots := mapOf(mapOf(r.Get(kwTaskSlotIDs)).Val(tJ1))
		for _, task := range []value.Value{in, inc, out} {
			sm := mapOf(slots.Val(task))
			if sm.Len() != 1 || sm.Vals()[0] != value.Value(int64(0)) {
				t.Fatalf(":task-slot-ids J1 %s = %s, want one peer at 0", task, value.PrStr(sm))
			}
		}
	})
	t.Run("after 5 J1 starves and version is 5", func(t *testing.T) {
		r := rs[5]
		if r.AllocationsMap().Len() != 0 || r.Coordinators().Len() != 0 || mapOf(r.Get(kwTaskSlotIDs)).Len() != 0 {
			t.Fatalf("allocations %s coordinators %s slots %s, want all {}", value.PrStr(r.AllocationsMap()),
				value.PrStr(r.Coordinators()), value.PrStr(r.Get(kwTaskSlotIDs)))
		}
		allocVersion(t, r, tJ1, 5, true)
	})
	t.Run("after 6 J1 runs on P1 P3 P4 with coordinator P4", func(t *testing.T) {
		r := rs[6]
		sameCounts(t, taskCounts(r, tJ1), one)
		for _, p := range []value.Value{tP1, tP3, tP4} {
			if j, _, ok := r.PeerAllocation(p); !ok || j != value.Value(tJ1) {
				t.Fatalf("peer %s not on J1", p)
			}
		}
		if c := r.Coordinator(tJ1); c != value.Value(tP4) {
			t.Fatalf(":coordinators J1 = %v, want P4", c)
		}
		allocVersion(t, r, tJ1, 6, true)
	})
	t.Run("after 7 J1 is complete and its allocation version gone", func(t *testing.T) {
		r := rs[7]
		if len(r.Jobs()) != 0 || !value.Equal(value.Vector(r.CompletedJobs()), value.Vector{tJ1}) {
			t.Fatalf(":jobs %v :completed-jobs %v", r.Jobs(), r.CompletedJobs())
		}
		if m := mapOf(r.Get(kwAllocationVersion)); m.Len() != 0 {
			t.Fatalf(":allocation-version %s, want {}", value.PrStr(m))
		}
	})
	t.Run("after 8 J2 is allocated at version 8", func(t *testing.T) {
		sameCounts(t, taskCounts(rs[8], tJ2), one)
		allocVersion(t, rs[8], tJ2, 8, true)
	})
	t.Run("after 9 J2 is killed and keeps its allocation version", func(t *testing.T) {
		r := rs[9]
		if !value.Equal(value.Vector(r.KilledJobs()), value.Vector{tJ2}) || r.AllocationsMap().Len() != 0 || r.Coordinators().Len() != 0 {
			t.Fatalf(":killed-jobs %v allocations %s coordinators %s", r.KilledJobs(), value.PrStr(r.AllocationsMap()), value.PrStr(r.Coordinators()))
		}
		allocVersion(t, r, tJ2, 8, true)
	})
	t.Run("after 10 gc empties the lists and their per-job keys", func(t *testing.T) {
		r := rs[10]
		if len(r.KilledJobs()) != 0 || len(r.CompletedJobs()) != 0 {
			t.Fatalf(":killed-jobs %v :completed-jobs %v", r.KilledJobs(), r.CompletedJobs())
		}
		for _, k := range gcKeysD {
			m := mapAt(r.Map(), k)
			if m.Has(tJ1) || m.Has(tJ2) {
				t.Fatalf("%s still holds a gone job: %s", k, value.PrStr(m))
			}
		}
		if v, _ := r.LogVersion(); v != 10 {
			t.Fatalf(":version %d, want 10", v)
		}
	})
}
