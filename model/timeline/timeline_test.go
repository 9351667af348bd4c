package timeline

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// naive replays from the origin and keeps every replica: the deliberately
// simple version the timeline is checked against.
func naive(es []value.Entry) []replay.Replica {
	out := make([]replay.Replica, len(es))
	r := replay.FromMap(value.NewMap())
	for i, e := range es {
		r, _ = simApply(simVersion, r, e)
		out[i] = r
	}
	return out
}

func TestReplicaFromCheckpointsEqualsANaiveReplayAtEveryPosition(t *testing.T) {
	es := genLog(11, 2500, 16, 4)
	want := naive(es)
	for _, every := range []int{1, 7, 64, 512, 5000} {
		tl := newSim(Options{Every: every, Cache: 4})
		tl.Append(es[:1000]...)
		tl.Append(es[1000:]...)
		for pos := range es {
			if got := tl.Replica(pos); !value.Equal(got.Map(), want[pos].Map()) {
				t.Fatalf("every %d: pos %d (seq %d): replica differs from the naive replay", every, pos, es[pos].Seq)
			}
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 500 { // scrubbing at random goes through the cache
			pos := rng.IntN(len(es))
			if got := tl.Replica(pos); !value.Equal(got.Map(), want[pos].Map()) {
				t.Fatalf("every %d: random seek to pos %d: replica differs from the naive replay", every, pos)
			}
		}
		if got := tl.Replica(-1); got.Map().Len() != 0 {
			t.Errorf("every %d: Replica(-1) = %d keys, want the empty origin", every, got.Map().Len())
		}
	}
}

func TestReplicaClampsPositionsOutOfRange(t *testing.T) {
	es := genLog(2, 50, 4, 1)
	tl := newSim(Options{Every: 8})
	tl.Append(es...)
	want := naive(es)
	if !value.Equal(tl.Replica(1000).Map(), want[len(es)-1].Map()) {
		t.Error("Replica(1000) is not the last replica")
	}
	if tl.Replica(-5).Map().Len() != 0 {
		t.Error("Replica(-5) is not the origin")
	}
	if e := tl.Entry(1000); e.Args != nil {
		t.Errorf("Entry(1000) = %v, want the zero entry", e)
	}
	if evs := tl.Events(-3); evs != nil {
		t.Errorf("Events(-3) = %v, want none", evs)
	}
}

func TestAFlaggedEntryKeepsTheReplicaAndIsReported(t *testing.T) {
	tl := newSim(Options{})
	tl.Append(mkEntry(0, "prepare-join-cluster", kw("joiner"), kw("p1")), mkEntry(1, "no-such-command"))
	if !value.Equal(tl.Replica(1).Map(), tl.Replica(0).Map()) {
		t.Error("the flagged entry changed the replica")
	}
	var ae *replay.ApplyError
	if err := tl.Flag(1); !errors.As(err, &ae) || ae.Seq != 1 {
		t.Fatalf("Flag(1) = %v, want an ApplyError for seq 1", err)
	}
	if tl.Flag(0) != nil {
		t.Errorf("Flag(0) = %v, want nil", tl.Flag(0))
	}
	evs := tl.Events(1)
	if len(evs) != 1 || evs[0].Kind != KindFlagged || !evs[0].Kind.Anomaly() {
		t.Fatalf("Events(1) = %v, want one flagged anomaly", evs)
	}
	if got := tl.Flagged(); len(got) != 1 || got[0] != 1 {
		t.Errorf("Flagged() = %v, want [1]", got)
	}
}

func TestPosAndSeqConvertBothWays(t *testing.T) {
	tl := New(simVersion, 99, replay.FromMap(value.NewMap()), Options{Apply: simApply})
	for _, seq := range []int64{100, 101, 105} {
		tl.Append(mkEntry(seq, "gc", kw("id"), kw("g")))
	}
	cases := []struct {
		seq     int64
		pos     int
		present bool
	}{{100, 0, true}, {101, 1, true}, {105, 2, true}, {103, 1, false}, {50, -1, false}, {200, 2, false}}
	for _, c := range cases {
		if pos, ok := tl.Pos(c.seq); pos != c.pos || ok != c.present {
			t.Errorf("Pos(%d) = %d, %v; want %d, %v", c.seq, pos, ok, c.pos, c.present)
		}
	}
	if tl.Seq(2) != 105 || tl.Seq(-1) != 99 {
		t.Errorf("Seq(2), Seq(-1) = %d, %d; want 105, 99", tl.Seq(2), tl.Seq(-1))
	}
}

func TestResetStartsAgainFromTheNewOrigin(t *testing.T) {
	es := genLog(4, 300, 8, 2)
	tl := newSim(Options{Every: 16})
	tl.Append(es...)
	g := tl.Generation()
	origin := naive(es)[199]
	tl.Reset(199, origin)
	if tl.Len() != 0 || tl.Generation() == g {
		t.Fatalf("after Reset: Len %d, generation %d (was %d); want 0 and a new generation", tl.Len(), tl.Generation(), g)
	}
	tl.Append(es[200:]...)
	want := naive(es)
	for pos := range es[200:] {
		if !value.Equal(tl.Replica(pos).Map(), want[200+pos].Map()) {
			t.Fatalf("after Reset: pos %d differs from the naive replay at %d", pos, 200+pos)
		}
	}
	if seq, _ := tl.Origin(); seq != 199 {
		t.Errorf("Origin seq = %d, want 199", seq)
	}
}

func TestReadersRunConcurrentlyWithTheWriter(t *testing.T) {
	es := genLog(5, 4000, 16, 4)
	want := naive(es)
	tl := newSim(Options{Every: 32, Cache: 8})
	var wg sync.WaitGroup
	wg.Go(func() { // small appends replay inline, big ones on a goroutine of their own
		for i, n := 0, 100; i < len(es); i, n = i+n, 1100-n {
			tl.Append(es[i:min(i+n, len(es))]...)
		}
	})
	for r := range 3 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 9))
			for range 300 {
				n := tl.Len()
				if n == 0 {
					continue
				}
				pos := rng.IntN(n)
				if !value.Equal(tl.Replica(pos).Map(), want[pos].Map()) {
					t.Errorf("reader %d: pos %d differs from the naive replay", r, pos)
					return
				}
				tl.Events(pos)
				tl.Filter(Filter{Text: "backpressure"})
				tl.Series(MetricPeers, nil)
			}
		})
	}
	wg.Wait()
	if tl.Len() != len(es) {
		t.Errorf("Len = %d, want %d", tl.Len(), len(es))
	}
}

func TestEntriesReadBackAsAppended(t *testing.T) {
	args := value.NewMap(kw("id"), kw("p"))
	es := []value.Entry{
		mkEntry(0, "signal-ready", kw("id"), kw("p")),
		{Seq: 1, Created: 7, Fn: kw("signal-ready"), Args: args}, // no map
		{Seq: 2, Created: 8, Fn: kw("signal-ready"), Args: args, // args not the map's
			Map: value.NewMap(value.KeyFn, kw("signal-ready"), value.KeyArgs, value.NewMap(kw("id"), kw("p")))},
		{Seq: 3, Fn: kw("gc"), Args: value.NewMap(), Map: value.NewMap(value.KeyFn, kw("gc"))}, // no :args
		mkEntry(4, "gc", kw("id"), kw("g")),
		mkEntry(5, "gc", kw("id"), kw("g")),
		mkEntry(1<<33, "gc", kw("id"), kw("g")), // Seq far from its block's
		mkEntry(1<<33+1, "gc", kw("id"), kw("g")),
	}
	es[5].Created = es[0].Created - 1     // ctime before its block's
	es[7].Created = es[0].Created + 1<<40 // too far after it
	tl := New(simVersion, -1, replay.FromMap(value.NewMap()), Options{Apply: simApply})
	tl.Append(es...)
	for pos, want := range es {
		got := tl.Entry(pos)
		if got.Seq != want.Seq || got.Created != want.Created || got.Fn != want.Fn ||
			!value.Equal(got.Args, want.Args) || (got.Map == nil) != (want.Map == nil) || !value.Equal(got.Map, want.Map) {
			t.Errorf("Entry(%d) = %+v, want %+v", pos, got, want)
		}
	}
	if len(tl.entries.odd) != 5 {
		t.Errorf("%d entries kept whole, want the 3 whose map does not give back Fn and Args and 2 out of 32-bit range", len(tl.entries.odd))
	}
	for pos, e := range es {
		if p, ok := tl.Pos(e.Seq); p != pos || !ok || tl.Seq(pos) != e.Seq {
			t.Errorf("Pos(%d) = %d, %v; Seq(%d) = %d", e.Seq, p, ok, pos, tl.Seq(pos))
		}
	}
	// Blocks of 4,096 entries each keep their own base.
	many := New(simVersion, -1, replay.FromMap(value.NewMap()), Options{Apply: simApply})
	for i := range 10_000 {
		many.Append(mkEntry(int64(i)*1_000, "gc", kw("id"), kw("g")))
	}
	if e := many.Entry(9_999); e.Seq != 9_999_000 || e.Created != 1_700_000_000_000+9_999_000*37 || len(many.entries.odd) != 0 {
		t.Errorf("Entry(9999) = seq %d, created %d; %d entries kept whole", e.Seq, e.Created, len(many.entries.odd))
	}
}
