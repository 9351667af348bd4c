package timeline

import (
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

func TestTheGeneratorDrivesTheRealReplay(t *testing.T) {
	es := genRealLog(5, 5000, 30, 5)
	tl := New(simVersion, -1, realOrigin(), Options{Every: 64})
	tl.Append(es...)
	flagged := tl.Flagged()
	if len(flagged) > 0 {
		t.Errorf("%d entries flagged by the real replay, first at pos %d: %v", len(flagged), flagged[0], tl.Flag(flagged[0]))
	}
	counts := map[Kind]int{}
	for _, ev := range tl.EventsIn(0, tl.Len()-1) {
		counts[ev.Kind]++
	}
	for _, k := range []Kind{KindPeerJoined, KindJobSubmitted, KindJobStarted, KindJobCompleted, KindTaskPeers, KindBackpressureOn, KindGC} {
		if counts[k] == 0 {
			t.Errorf("no %s event in 5000 real entries (%v)", k, counts)
		}
	}
	r := realOrigin()
	for pos, e := range es {
		r, _ = replay.Apply(simVersion, r, e)
		if pos%7 == 0 || pos == len(es)-1 {
			if !value.Equal(tl.Replica(pos).Map(), r.Map()) {
				t.Fatalf("pos %d: replica from checkpoints differs from the naive real replay", pos)
			}
		}
	}
}

func TestCheckpointDeltasRebuildTheReplicaAsPrinted(t *testing.T) {
	defer func(o int) { deltaMaxOps = o }(deltaMaxOps)
	es := genRealLog(6, 3000, 30, 5)
	want := make([]string, len(es))
	r := realOrigin()
	for pos, e := range es {
		r, _ = replay.Apply(simVersion, r, e)
		want[pos] = value.PrStr(r.Map())
	}
	for _, ops := range []int{64, DefaultDeltaMaxOps, 1 << 30} {
		deltaMaxOps = ops
		tl := New(simVersion, -1, realOrigin(), Options{Every: 16})
		tl.Append(es...)
		var fulls, subs int
		for _, ck := range tl.checkpoints.list {
			if ck.isFull {
				fulls++
			}
			for _, ch := range ck.delta {
				subs += len(ch.sub)
			}
		}
		if fulls == len(tl.checkpoints.list) || subs == 0 {
			t.Errorf("ops %d: %d full checkpoints of %d, %d keys changed in hash maps: the deltas are not exercised",
				ops, fulls, len(tl.checkpoints.list), subs)
		}
		for _, pos := range tl.checkpoints.pos {
			for _, p := range []int{int(pos), min(int(pos)+5, len(es)-1)} { // at a checkpoint, after one
				tl.cache.clear()
				if got := value.PrStr(tl.Replica(p).Map()); got != want[p] {
					t.Fatalf("ops %d, pos %d: the replica rebuilt from deltas prints differently from the naive replay's", ops, p)
				}
			}
		}
	}
}

func TestCheckpointsBoundTheCostOfASeek(t *testing.T) {
	es := genRealLog(7, 4000, 30, 5)
	const every = 64
	tl := New(simVersion, -1, realOrigin(), Options{Every: every})
	tl.Append(es...)
	cost := make([]int, len(es))
	r := realOrigin()
	for pos, e := range es {
		after, _ := replay.Apply(simVersion, r, e)
		cost[pos] = entryCost(r.Map(), after.Map())
		r = after
	}
	last, short := -1, 0
	for _, p := range append(tl.checkpoints.pos, int32(len(es))) {
		pos := int(p)
		sum := 0
		for _, c := range cost[last+1 : pos] { // what a seek to pos-1 applies
			sum += c
		}
		if pos-last > every || sum >= costPerEntry*every {
			t.Errorf("checkpoints after %d and %d: %d entries of cost %d between them, want at most %d entries and cost under %d",
				last, pos, pos-last-1, sum, every-1, costPerEntry*every)
		}
		if pos < len(es) && pos-last < every {
			short++
		}
		last = pos
	}
	if short == 0 {
		t.Errorf("every interval has %d entries: the cost never shortened one", every)
	}
}
