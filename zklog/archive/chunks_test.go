package archive_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
)

// chunksOf reads tenancy id of a from Seq from in chunks of chunk entries
// and returns the chunks as delivered.
func chunksOf(t *testing.T, a *archive.Archive, id string, from int64, chunk int) [][]zklog.Entry {
	t.Helper()
	var chunks [][]zklog.Entry
	err := a.ReadChunks(context.Background(), id, from, chunk, nil, func(es []zklog.Entry) error {
		chunks = append(chunks, es)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return chunks
}

// checkChunks fails unless chunks are want cut in chunks of chunk entries.
func checkChunks(t *testing.T, chunks [][]zklog.Entry, want []zklog.Entry, chunk int) {
	t.Helper()
	k := 0
	for c, es := range chunks {
		if n := min(chunk, len(want)-k); len(es) != n {
			t.Fatalf("chunk %d has %d entries, want %d", c, len(es), n)
		}
		for _, g := range es {
			w := want[k]
			if g.Seq != w.Seq || g.Created != w.Created || !value.Equal(g.Value(), w.Value()) || fmt.Sprint(g.Err) != fmt.Sprint(w.Err) {
				t.Fatalf("entry %d: got seq %d %s err %v, want seq %d %s err %v", k, g.Seq, value.PrStr(g.Value()), g.Err, w.Seq, value.PrStr(w.Value()), w.Err)
			}
			k++
		}
	}
	if k != len(want) {
		t.Fatalf("the chunks hold %d entries, want %d", k, len(want))
	}
}

// flipNippy flips a byte in the payload of the nth last Nippy ("NPY")
// value of the file at path: an entry that garbage collection kept.
func flipNippy(t *testing.T, path string, nth int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := len(b)
	for range nth {
		if at = bytes.LastIndex(b[:at], []byte("NPY")); at < 0 {
			t.Fatalf("%s has fewer than %d Nippy values", path, nth)
		}
	}
	b[at+5] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadChunksDeliversWhatReadDoes(t *testing.T) {
	path, _, id := simulate(t, "0.8.3", 300)
	flipNippy(t, path, 40)
	a, err := archive.Load(path)
	if err != nil {
		t.Fatalf("the index is intact, so Load succeeds: %v", err)
	}
	defer a.Close()
	ctx := context.Background()
	all, err := a.Read(ctx, id, -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, e := range all {
		if e.Err != nil {
			flagged++
		}
	}
	if flagged != 1 {
		t.Fatalf("%d entries flagged, want the damaged one", flagged)
	}
	mid := all[len(all)/3].Seq
	fromMid, err := a.Read(ctx, id, mid, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		from  int64
		chunk int
		want  []zklog.Entry
	}{
		{"the whole log in chunks of 64, the last one shorter", -1, 64, all},
		{"the whole log in chunks of 1", -1, 1, all},
		{"the whole log in one chunk larger than it", -1, 1 << 20, all},
		{"from a third in chunks of 50", mid, 50, fromMid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chunks := chunksOf(t, a, id, c.from, c.chunk)
			checkChunks(t, chunks, c.want, c.chunk)
			if n := len(chunks); c.chunk < len(c.want) && n < 2 {
				t.Errorf("%d chunks of %d entries", n, c.chunk)
			}
		})
	}
}

func TestReadChunksReportsProgressAndTruncation(t *testing.T) {
	path, _, id := simulate(t, "0.6.0", 100)
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	n := a.Len()
	var progress [][2]int
	err = a.ReadChunks(context.Background(), id, -1, 30, func(done, total int) { progress = append(progress, [2]int{done, total}) },
		func([]zklog.Entry) error { return nil })
	if err != nil || len(progress) != (n+29)/30 || progress[len(progress)-1] != [2]int{n, n} {
		t.Errorf("progress %v (%v), want one report per chunk of 30 ending at %d/%d", progress, err, n, n)
	}

	// A log whose first entries garbage collection deleted.
	gced := filepath.Join(t.TempDir(), "gced.onyxarc")
	w, err := archive.Create(gced, archive.Meta{Tenancy: zklog.Tenancy{ID: "gced"}})
	if err != nil {
		t.Fatal(err)
	}
	for seq := int64(10); seq < 15; seq++ {
		if err := w.Entry(zklog.RawEntry{Seq: seq, Data: []byte("not nippy")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := archive.Load(gced)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	calls := 0
	err = g.ReadChunks(context.Background(), "gced", 5, 2, nil, func([]zklog.Entry) error { calls++; return nil })
	if !errors.Is(err, zklog.ErrTruncated) || calls != 0 {
		t.Errorf("read from 5, below the first entry 10: %v after %d chunks, want ErrTruncated before any", err, calls)
	}
	if err := a.ReadChunks(context.Background(), "nope", -1, 30, nil, nil); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("read another tenancy: %v, want ErrNoTenancy", err)
	}
}

func TestReadChunksStopsAtTheErrorOfFn(t *testing.T) {
	path, _, id := simulate(t, "0.8.3", 300)
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	stop := errors.New("timeline full")
	calls := 0
	err = a.ReadChunks(context.Background(), id, -1, 10, nil, func([]zklog.Entry) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Errorf("error %v after %d chunks, want %v after 3", err, calls, stop)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = a.ReadChunks(ctx, id, -1, 10, nil, func([]zklog.Entry) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancelled in the first chunk: %v after %d chunks, want context.Canceled after 1", err, calls)
	}
}

// BenchmarkLoadPeakHeap reads a big archive whole (Read) and in chunks of
// 4,096 (ReadChunks, as the app loads it) and reports the live heap while
// the entries are held: all of them for Read, the chunk in hand (and the one
// read ahead) for ReadChunks. It forces a GC per chunk: entries/s is not a
// read speed here.
func BenchmarkLoadPeakHeap(b *testing.B) {
	const n = 100_000
	a := loadBig(b, n)
	id := a.Meta().Tenancy.ID
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	report := func(b *testing.B, peak, base uint64) {
		b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "MB-peak-heap")
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
	}
	b.Run("read=whole", func(b *testing.B) {
		b.ReportAllocs()
		base, peak := live(), uint64(0)
		for b.Loop() {
			es, err := a.Read(context.Background(), id, -1, nil)
			if err != nil || len(es) != n {
				b.Fatalf("%d entries: %v", len(es), err)
			}
			peak = max(peak, live())
			runtime.KeepAlive(es)
		}
		report(b, peak, base)
	})
	b.Run("read=chunks", func(b *testing.B) {
		b.ReportAllocs()
		base, peak := live(), uint64(0)
		for b.Loop() {
			got := 0
			err := a.ReadChunks(context.Background(), id, -1, 4096, nil, func(es []zklog.Entry) error {
				got += len(es)
				peak = max(peak, live())
				return nil
			})
			if err != nil || got != n {
				b.Fatalf("%d entries: %v", got, err)
			}
		}
		report(b, peak, base)
	})
}

// BenchmarkReadChunks decodes every entry of an archive in chunks of 4,096,
// as the app loads one; BenchmarkRead is the same read in one piece.
func BenchmarkReadChunks(b *testing.B) {
	const n = 100_000
	a := loadBig(b, n)
	b.ReportAllocs()
	for b.Loop() {
		err := a.ReadChunks(context.Background(), a.Meta().Tenancy.ID, -1, 4096, nil, func([]zklog.Entry) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
}
