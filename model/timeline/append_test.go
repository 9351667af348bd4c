package timeline

import (
	"fmt"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestAppendingInChunksOrOneByOneGivesOneTimeline appends one log (the real
// 0.8.3 replay, with a flagged entry in it) whole, which replays on a second
// goroutine a chunk ahead of the bookkeeping, and one entry at a time, which
// replays inline, and requires the same timeline of both: replicas, flags,
// events, series and filters.
func TestAppendingInChunksOrOneByOneGivesOneTimeline(t *testing.T) {
	es := genRealLog(3, 3000, 20, 4)
	es = slices.Insert(slices.Clone(es), 1234, value.Entry{Seq: es[1234].Seq, Fn: kw("no-such-command"), Args: value.NewMap()})
	for i := 1235; i < len(es); i++ {
		es[i].Seq++
	}
	whole := New(simVersion, -1, realOrigin(), Options{})
	whole.Append(es...)
	single := New(simVersion, -1, realOrigin(), Options{})
	for _, e := range es {
		single.Append(e)
	}
	if whole.Len() != len(es) || single.Len() != len(es) {
		t.Fatalf("Len = %d and %d, want %d", whole.Len(), single.Len(), len(es))
	}
	if whole.Flag(1234) == nil {
		t.Fatal("the unknown command was not flagged")
	}
	for pos := range es {
		if !value.Equal(whole.Replica(pos).Map(), single.Replica(pos).Map()) {
			t.Fatalf("pos %d: replicas differ", pos)
		}
		if a, b := fmt.Sprint(whole.Flag(pos)), fmt.Sprint(single.Flag(pos)); a != b {
			t.Fatalf("pos %d: flag %q, one by one %q", pos, a, b)
		}
		if a, b := fmt.Sprint(whole.Events(pos)), fmt.Sprint(single.Events(pos)); a != b {
			t.Fatalf("pos %d: events\n%s\none by one\n%s", pos, a, b)
		}
	}
	for m := range MetricJobPeers {
		if a, b := fmt.Sprint(whole.Series(m, nil)), fmt.Sprint(single.Series(m, nil)); a != b {
			t.Errorf("series %d differs", m)
		}
	}
	for _, f := range []Filter{{Kinds: []Kind{KindFlagged}}, {Text: "peer"}} {
		if a, b := whole.Filter(f), single.Filter(f); !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("filter %+v: %d and %d positions", f, len(a), len(b))
		}
	}
}
