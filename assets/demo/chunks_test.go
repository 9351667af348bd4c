package demo

import (
	"context"
	"errors"
	"testing"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

func TestReadChunksDeliversWhatReadDoesForEveryTenancy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d := Source(ctx)
	defer func() { cancel(); d.Wait() }()
	const chunk = 100
	for _, id := range d.ids {
		t.Run(id, func(t *testing.T) {
			want, err := d.Read(ctx, id, -1, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []zklog.Entry
			var short int
			err = d.ReadChunks(ctx, id, -1, chunk, nil, func(es []zklog.Entry) error {
				if short > 0 || len(es) > chunk {
					t.Errorf("a chunk of %d entries after one of %d", len(es), short)
				}
				if len(es) < chunk {
					short = len(es)
				}
				got = append(got, es...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The live tenancy may have grown between the two reads.
			if len(got) < len(want) || (id != LiveTenancy && len(got) != len(want)) {
				t.Fatalf("%d entries in chunks, %d read", len(got), len(want))
			}
			for i, w := range want {
				if g := got[i]; g.Seq != w.Seq || !value.Equal(g.Value(), w.Value()) || (g.Err == nil) != (w.Err == nil) {
					t.Fatalf("entry %d: got seq %d %s, want seq %d %s", i, g.Seq, value.PrStr(g.Value()), w.Seq, value.PrStr(w.Value()))
				}
			}
		})
	}
	stop := errors.New("stop")
	calls := 0
	err := d.ReadChunks(ctx, d.ids[0], -1, 10, nil, func([]zklog.Entry) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("an error of fn: %v after %d chunks, want it after 1", err, calls)
	}
	if err := d.ReadChunks(ctx, "nope", -1, 10, nil, nil); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("read a missing tenancy: %v, want ErrNoTenancy", err)
	}
}
