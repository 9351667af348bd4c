package zklog

import (
	"context"
	"errors"
	"testing"

	"onyx-dashboard/model/codec/fressian"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

func TestLoadReadsAReplayableLog(t *testing.T) {
	p1 := value.MustUUID("6fc9d2e0-43c5-4f2a-9a47-0bb2d2c36a10")
	enc := func(fn string, args ...value.Value) []byte {
		b, err := fressian.Encode(value.NewMap(value.KeyFn, value.Kw(fn), value.KeyArgs, value.NewMap(args...)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	m := NewMemory()
	h := Header{
		Tenancy: Tenancy{ID: "t1"},
		Version: Detection{Version: "0.5.2–0.5.3", Era: "A"},
		Params:  Params{JobScheduler: value.NewMap(value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/greedy"))},
	}
	m.Put(h,
		DecodeEntry("/onyx/t1/log/entry-0000000000", RawEntry{Seq: 0, Created: 1000, Data: enc("prepare-join-cluster", value.Kw("joiner"), p1)}),
		DecodeEntry("/onyx/t1/log/entry-0000000001", RawEntry{Seq: 1, Created: 1001, Data: []byte{0xC7}}), // not Fressian: flagged, kept in place
	)

	l, err := Load(context.Background(), m, "t1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Start.Version.String() != "0.5.3" || len(l.Log.Entries) != 2 || len(l.Undecodable) != 1 || l.Undecodable[0].Seq != 1 {
		t.Fatalf("version %s, %d entries, undecodable %v", l.Start.Version, len(l.Log.Entries), l.Undecodable)
	}
	r, err := replay.Apply(l.Log.Version, l.Log.Origin, l.Log.Entries[0])
	if err != nil || !value.Equal(r.Get(value.Kw("peers")), value.Vector{p1}) {
		t.Fatalf("first entry replays to %v (%v)", r.Get(value.Kw("peers")), err)
	}
	if _, err := replay.Apply(l.Log.Version, r, l.Log.Entries[1]); !errors.Is(err, replay.ErrUnknownCommand) {
		t.Fatalf("an undecodable entry is flagged by replay, got %v", err)
	}
	if _, err := Load(context.Background(), m, "nope", "", nil); !errors.Is(err, ErrNoTenancy) {
		t.Fatalf("a missing tenancy: %v", err)
	}
}
