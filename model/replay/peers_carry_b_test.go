package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// freshIndexB indexes allocs as peerPlaces does without a carried index.
func freshIndexB(allocs *value.Map) map[value.Value]bTaskKey {
	out := map[value.Value]bTaskKey{}
	allocs.Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, ps value.Value) bool {
			for _, p := range items(ps) {
				out[p] = bTaskKey{j, t}
			}
			return true
		})
		return true
	})
	return out
}

// TestCarriedPeerIndexAgreesWithBuild replays generated logs and, after
// every entry, checks the carried peer index against indexing afresh the
// allocations it says it indexes: the same peers, each at the same place.
func TestCarriedPeerIndexAgreesWithBuild(t *testing.T) {
	for _, ver := range []string{"0.7.14", "0.8.3"} {
		v := MustVersion(ver)
		start, log := eraBLog(t, v, 24, 5, 2000)
		lastPeerIndexB.Store(nil)
		checked := 0
		replayEach(t, v, start, log, func(_ int, e value.Entry, _ Replica) {
			c := lastPeerIndexB.Load()
			if c == nil {
				return
			}
			want := freshIndexB(c.allocs)
			got := map[value.Value]bTaskKey{}
			for u, k := range c.x.uuids {
				got[u] = k
			}
			for p, k := range c.x.other {
				got[p] = k
			}
			if len(got) != len(want) {
				t.Fatalf("%s entry %d %s: the carried index has %d peers, its allocations %d", ver, e.Seq, e.Fn, len(got), len(want))
			}
			for p, k := range want {
				if got[p] != k {
					t.Fatalf("%s entry %d %s: peer %s carried at %v, allocated at %v", ver, e.Seq, e.Fn, value.PrStr(p), got[p], k)
				}
			}
			for j, jm := range c.jobs {
				if mapOf(c.allocs.Val(j)) != jm {
					t.Fatalf("%s entry %d %s: job %s's task map is not the one indexed", ver, e.Seq, e.Fn, value.PrStr(j))
				}
			}
			if len(c.jobs) != c.allocs.Len() {
				t.Fatalf("%s entry %d %s: %d jobs indexed, %d allocated", ver, e.Seq, e.Fn, len(c.jobs), c.allocs.Len())
			}
			checked++
		})
		if checked < len(log)/2 {
			t.Fatalf("%s: the index was carried after only %d of %d entries", ver, checked, len(log))
		}
	}
}

// TestCarriedPeerIndexMatchesFreshReplay replays generated logs with the
// peer index carried and indexed afresh, and checks that every replica
// prints the same.
func TestCarriedPeerIndexMatchesFreshReplay(t *testing.T) {
	requireSameReplayB(t, []string{"0.7.14", "0.8.3"}, 16, 4, 1500, &bNoCarriedIndex, func() {
		lastUnchangedB.Store(nil)
		lastPeerIndexB.Store(nil)
	}, "carried and fresh peer index", "carried", "fresh")
}

// TestFindPeerAgreesWithScan asks bFindPeer and findPeerAllocation where
// every peer (and an unknown id) is, on the replicas of a generated log,
// with the index carried as the replay leaves it.
func TestFindPeerAgreesWithScan(t *testing.T) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(t, v, 20, 4, 1500)
	lastPeerIndexB.Store(nil)
	asked := 0
	replayEach(t, v, start, log, func(_ int, e value.Entry, r Replica) {
		allocs := mapOf(r.Map().Val(kwAllocations))
		for _, p := range append(r.Peers(), value.UUID{Hi: 1, Lo: 2}) {
			j, tk, ok := bFindPeer(allocs, p)
			wj, wt, wok := findPeerAllocation(allocs, p)
			if ok != wok || !value.Equal(j, wj) || !value.Equal(tk, wt) {
				t.Fatalf("entry %d %s: peer %s at %s %s (%v), want %s %s (%v)", e.Seq, e.Fn, value.PrStr(p),
					value.PrStr(j), value.PrStr(tk), ok, value.PrStr(wj), value.PrStr(wt), wok)
			}
			asked++
		}
	})
	if lastPeerIndexB.Load() == nil {
		t.Fatal("no index was carried")
	}
	t.Logf("%d peers asked", asked)
}
