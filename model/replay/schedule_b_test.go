package replay

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMapOrderMatchesAssoc checks bMapOrder against the naive answer: the
// keys of a map built by assoc'ing them in order.
func TestMapOrderMatchesAssoc(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []value.Value{nil, value.Kw("a"), int64(7), "x"}
	for range 40 {
		pool = append(pool, value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()})
	}
	for n := range 30 {
		keys := make([]value.Value, n)
		for i := range keys {
			keys[i] = pool[rng.IntN(len(pool))]
		}
		m := value.NewMap()
		for _, k := range keys {
			m = m.Assoc(k, nil)
		}
		want := m.Keys()
		got := bMapOrder(keys)
		if n <= 8 {
			continue // small maps keep the keys as given, repeats included
		}
		if len(got) != len(want) {
			t.Fatalf("%d keys: got %d keys, want %d", n, len(got), len(want))
		}
		for i := range got {
			if !value.Equal(got[i], want[i]) {
				t.Fatalf("%d keys: position %d: got %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}

// TestSetOrderMatchesNewSet checks bSetOrder against the naive answer: the
// items of a set built from the ids, repeats and a nil included.
func TestSetOrderMatchesNewSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	pool := []value.Value{nil, value.Kw("a"), int64(7), "x", value.Vector{value.Kw("v")}}
	for range 60 {
		pool = append(pool, value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()})
	}
	for n := range 40 {
		ids := make([]value.Value, n)
		for i := range ids {
			ids[i] = pool[rng.IntN(len(pool))]
			if n > 20 && i%2 == 0 {
				ids[i] = pool[5+rng.IntN(len(pool)-5)] // only comparable ids
			}
		}
		want := value.NewSet(ids...).Items()
		got := bSetOrder(ids)
		if !value.Equal(value.Vector(got), value.Vector(want)) {
			t.Fatalf("%d ids: got %s, want %s", n, value.PrStr(value.Vector(got)), value.PrStr(value.Vector(want)))
		}
	}
	uuids := make([]value.Value, 30) // only UUIDs, repeats included: the map dedupe
	for i := range uuids {
		uuids[i] = pool[5+rng.IntN(20)]
	}
	if got, want := bSetOrder(uuids), value.NewSet(uuids...).Items(); !value.Equal(value.Vector(got), value.Vector(want)) {
		t.Fatalf("uuids: got %s, want %s", value.PrStr(value.Vector(got)), value.PrStr(value.Vector(want)))
	}
}

// TestPercentageDropPeersPairsTargetsByPosition: a job on 9 peers (6 + 3)
// keeps 5. The split of 5 by 9% / 91% is (0, 5), clamped by the second
// task's saturation to (2, 3). 0.6.0 drops down to (2, 3); 0.7 and 0.8 pair
// that split, highest percentage first, with the tasks by position, so the
// target becomes (3, 2), as the 0.7.14 and 0.8.3 sim-22 fixtures show.
func TestPercentageDropPeersPairsTargetsByPosition(t *testing.T) {
	kw := value.Kw
	j, t1, t2 := kw("j"), kw("t1"), kw("t2")
	r := value.NewMap(
		kwJobs, value.Vector{j},
		kwTasks, value.NewMap(j, value.Vector{t1, t2}),
		kwTaskSchedulers, value.NewMap(j, kwBTaskSchedPct),
		kwTaskPercentages, value.NewMap(j, value.NewMap(t1, int64(9), t2, int64(91))),
		kwTaskSaturation, value.NewMap(j, value.NewMap(t1, math.Inf(1), t2, int64(3))),
		kwMinRequiredPeers, value.NewMap(j, value.NewMap(t1, int64(1), t2, int64(1))),
		kwFluxPolicies, value.NewMap(j, value.NewMap()),
		kwAllocations, value.NewMap(j, value.NewMap(
			t1, value.Vector{kw("p1"), kw("p2"), kw("p3"), kw("p4"), kw("p5"), kw("p6")},
			t2, value.Vector{kw("p7"), kw("p8"), kw("p9")})),
	)
	for _, c := range []struct {
		version string
		want    value.Vector
	}{
		{"0.6.0", value.Vector{kw("p6"), kw("p5"), kw("p4"), kw("p3")}},
		{"0.7.14", value.Vector{kw("p6"), kw("p5"), kw("p9"), kw("p4")}},
		{"0.8.3", value.Vector{kw("p6"), kw("p5"), kw("p9"), kw("p4")}},
	} {
		s := &bsched{f: flagsB(MustVersion(c.version)), r: r, jobs: value.Vector{j}}
		got, err := s.pctDropPeers(j, 4)
		if err != nil {
			t.Fatalf("%s: %v", c.version, err)
		}
		if !value.Equal(value.Vector(got), c.want) {
			t.Errorf("%s: dropped %s, want %s", c.version, value.PrStr(value.Vector(got)), value.PrStr(c.want))
		}
	}
}

// TestJobAckersUUIDMatchesSort checks the selection of ackers among UUID
// peers against the sort choose-ackers does: the first ⌈pct% × peers⌉.
func TestJobAckersUUIDMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	job := value.Kw("j")
	for n := range 30 {
		tasks := value.NewMap()
		var peers []value.Value
		for ti := range 1 + n%4 {
			var ps value.Vector
			for range rng.IntN(8) {
				p := value.UUID{Hi: rng.Uint64() % 4, Lo: rng.Uint64()} // shared high halves
				ps = append(ps, p)
				peers = append(peers, p)
			}
			tasks = tasks.Assoc(int64(ti), ps)
		}
		r := value.NewMap(kwAllocations, value.NewMap(job, tasks))
		for _, pct := range []value.Value{nil, int64(10), int64(35), 100.0} {
			got, ok := jobAckersUUID(r, job, pct)
			if !ok {
				t.Fatalf("%d peers: not all UUIDs", len(peers))
			}
			want := slices.Clone(peers)
			slices.SortStableFunc(want, value.Compare)
			p := 10.0
			if f, isNum := bNum(pct); isNum {
				p = f
			}
			want = want[:min(len(want), int(math.Ceil(0.01*p*float64(len(want)))))]
			if !value.Equal(got, value.Vector(want)) {
				t.Fatalf("%d peers at %v%%: got %s, want %s", len(peers), pct, value.PrStr(got), value.PrStr(value.Vector(want)))
			}
		}
	}
	if _, ok := jobAckersUUID(value.NewMap(kwAllocations, value.NewMap(job, value.NewMap(int64(0), value.Vector{value.Kw("p")}))), job, nil); ok {
		t.Error("a keyword peer took the UUID path")
	}
}

// bOrderedRef is how offers ordered its counts before bScratch.mapOrder: a
// Go map of the counts by key and bMapOrder's keys.
func bOrderedRef(keys []value.Value, n map[value.Value]float64) []jobCount {
	out := make([]jobCount, 0, len(keys))
	for _, k := range bMapOrder(keys) {
		out = append(out, jobCount{k, n[k]})
	}
	return out
}

// TestScratchMapOrderAgreesWithMapOrder checks the in-place ordering of the
// offers against bMapOrder with the counts in a Go map (the last count of a
// repeated key wins), on few and many keys with repeats, reusing one
// scratch room as reconfigures do.
func TestScratchMapOrderAgreesWithMapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	pool := []value.Value{nil, value.Kw("a"), int64(7), "x"}
	for range 40 {
		pool = append(pool, value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()})
	}
	x := &bScratch{}
	for trial := range 300 {
		n := rng.IntN(30)
		keys := make([]value.Value, n)
		counts := make([]jobCount, n)
		m := map[value.Value]float64{}
		for i := range keys {
			keys[i] = pool[rng.IntN(len(pool))]
			c := float64(rng.IntN(5))
			counts[i] = jobCount{keys[i], c}
			m[keys[i]] = c
		}
		want := bOrderedRef(keys, m)
		var infos []*bJobInfo
		if trial%2 == 1 { // the keys of some jobs known, as offers has them
			infos = make([]*bJobInfo, n)
			for i, k := range keys {
				if comparableID(k) && rng.IntN(3) > 0 {
					infos[i] = &bJobInfo{job: k, hashKey: value.HashOrderKey(k)}
				}
			}
		}
		got := x.mapOrder(append(x.offers[:0], counts...), infos)
		x.offers = got
		if len(got) != len(want) {
			t.Fatalf("trial %d, %d keys: %d counts, want %d", trial, n, len(got), len(want))
		}
		for i := range want {
			if got[i].job != want[i].job || got[i].n != want[i].n {
				t.Fatalf("trial %d, %d keys: count %d is %s %v, want %s %v", trial, n, i,
					value.PrStr(got[i].job), got[i].n, value.PrStr(want[i].job), want[i].n)
			}
		}
	}
}
