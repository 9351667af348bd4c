package zk

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

// gappedLog writes tenancy "t": 30 entries, seq 5 corrupt and seqs 11, 12
// and 20 deleted by hand (not by GC).
func gappedLog(t *testing.T) *sandbox {
	t.Helper()
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[1], 1) // seqs 0..2
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	kinds := [][]byte{fixture(t, "b-signal-ready.nippy"), fixture(t, "b-prepare-join.nippy")}
	datas := make([][]byte, 27)
	for i := range datas {
		datas[i] = kinds[i%len(kinds)]
	}
	datas[2] = []byte("NPY\x00\x5a\x01garbage") // seq 5
	s.appendLog("t", datas...)
	for _, seq := range []int64{11, 12, 20} {
		if err := s.admin.Delete(s.onyx("t/log/"+zklog.EntryName(seq)), -1); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestIntegration_ReadChunksDeliversWhatReadDoes(t *testing.T) {
	s := gappedLog(t)
	ctx := context.Background()
	c := dial(t, s.addr(), Options{})
	want, err := c.Read(ctx, "t", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 29 || want[4].Err == nil || !errors.Is(want[10].Err, zklog.ErrMissingEntry) || want[19].Err == nil {
		t.Fatalf("read %d entries; want 29 with seq 5 flagged and 11, 12, 20 missing", len(want))
	}
	many := dial(t, s.addr(), Options{ReadSessions: 3, Window: 2})
	cases := []struct {
		name  string
		c     *Conn
		chunk int
	}{
		{"in chunks of 4, the last one shorter", c, 4},
		{"in chunks of 11, a gap across a chunk's end", c, 11},
		{"in chunks of 1", c, 1},
		{"in one chunk larger than the log", c, 1000},
		{"in chunks of 4 over three sessions", many, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var chunks [][]zklog.Entry
			var last int
			err := tc.c.ReadChunks(ctx, "t", 1, tc.chunk, func(done, total int) { last = done }, func(es []zklog.Entry) error {
				chunks = append(chunks, es)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if last != 26 { // the znodes read, not the gaps
				t.Errorf("progress ended at %d, want 26", last)
			}
			k := 0
			for i, es := range chunks {
				if n := min(tc.chunk, len(want)-k); len(es) != n {
					t.Fatalf("chunk %d has %d entries, want %d", i, len(es), n)
				}
				for _, g := range es {
					w := want[k]
					if g.Seq != w.Seq || g.Fn != w.Fn || !value.Equal(g.Value(), w.Value()) || fmt.Sprint(g.Err) != fmt.Sprint(w.Err) {
						t.Fatalf("entry %d: got seq %d %v err %v, want seq %d %v err %v", k, g.Seq, g.Fn, g.Err, w.Seq, w.Fn, w.Err)
					}
					k++
				}
			}
			if k != len(want) {
				t.Errorf("the chunks hold %d entries, want %d", k, len(want))
			}
		})
	}
}

func TestIntegration_ReadChunksStopsAtTheErrorOfFnAndOnTruncation(t *testing.T) {
	s := gappedLog(t)
	ctx := context.Background()
	c := dial(t, s.addr(), Options{Window: 2})
	stop := errors.New("timeline full")
	calls := 0
	err := c.ReadChunks(ctx, "t", 0, 5, nil, func([]zklog.Entry) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 2 {
		t.Errorf("error %v after %d chunks, want %v after 2", err, calls, stop)
	}

	s.gc("t", 8, origin(t, 7))
	calls = 0
	err = c.ReadChunks(ctx, "t", 3, 5, nil, func([]zklog.Entry) error { calls++; return nil })
	if !errors.Is(err, zklog.ErrTruncated) || calls != 0 {
		t.Errorf("read from 3 after GC to 8: %v after %d chunks, want ErrTruncated before any", err, calls)
	}
	if err := c.ReadChunks(ctx, "nope", 0, 5, nil, nil); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("read a missing tenancy: %v, want ErrNoTenancy", err)
	}
}
