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
