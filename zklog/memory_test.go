package zklog

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

func memEntry(seq int64) Entry {
	return Entry{Entry: value.Entry{Seq: seq, Fn: value.Kw("gc"), Args: value.NewMap(value.Kw("id"), seq)}}
}

func memEntries(from, to int64) []Entry {
	var es []Entry
	for s := from; s < to; s++ {
		es = append(es, memEntry(s))
	}
	return es
}

func seqsOfEntries(es []Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestMemoryListsOpensAndReads(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "b"}, Origin: Origin{MessageID: -1}}, memEntries(0, 5)...)
	m.Put(Header{Tenancy: Tenancy{ID: "a"}, Origin: Origin{MessageID: -1}, Version: Detection{Version: "0.6.0", Era: "B", Exact: true}})

	ts, err := m.Tenancies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].ID != "a" || ts[1].ID != "b" {
		t.Fatalf("tenancies %+v, want a then b", ts)
	}
	if ts[0].Count != 0 || ts[0].FirstSeq != -1 || ts[0].Version.Version != "0.6.0" {
		t.Errorf("a: got %+v, want an empty log and version 0.6.0", ts[0])
	}
	if ts[1].Count != 5 || ts[1].FirstSeq != 0 || ts[1].LastSeq != 4 {
		t.Errorf("b: got count %d first %d last %d, want 5 0 4", ts[1].Count, ts[1].FirstSeq, ts[1].LastSeq)
	}

	var progress []int
	es, err := m.Read(ctx, "b", 2, func(done, total int) { progress = append(progress, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	if got := seqsOfEntries(es); len(got) != 3 || got[0] != 2 || got[2] != 4 {
		t.Errorf("read from 2: seqs %v, want [2 3 4]", got)
	}
	if len(progress) != 2 || progress[0] != 3 || progress[1] != 3 {
		t.Errorf("progress %v, want [3 3]", progress)
	}

	if _, err := m.Open(ctx, "nope"); !errors.Is(err, ErrNoTenancy) {
		t.Errorf("open a missing tenancy: %v, want ErrNoTenancy", err)
	}
	if err := m.Append("b", memEntry(4)); err == nil {
		t.Errorf("appending seq 4 after 4 succeeded")
	}
}

func TestMemoryReadBelowTheOriginIsTruncated(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}}, memEntries(0, 10)...)
	if err := m.GC("t", Origin{MessageID: 6, Replica: value.NewMap()}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Read(context.Background(), "t", 3, nil); !errors.Is(err, ErrTruncated) {
		t.Fatalf("read from 3 after GC to 6: %v, want ErrTruncated", err)
	}
	h, _ := m.Open(context.Background(), "t")
	if h.Origin.MessageID != 6 || h.Tenancy.FirstSeq != 6 || h.Tenancy.Count != 4 {
		t.Errorf("after GC: origin %d first %d count %d, want 6 6 4", h.Origin.MessageID, h.Tenancy.FirstSeq, h.Tenancy.Count)
	}
}

func TestMemoryFollowDeliversAppendsAndResets(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}, Origin: Origin{MessageID: -1}}, memEntries(0, 3)...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events := make(chan Event, 16)
	done := make(chan error, 1)
	go func() { done <- m.Follow(ctx, "t", 1, func(e Event) { events <- e }) }()

	next := func() Event {
		select {
		case e := <-events:
			return e
		case <-ctx.Done():
			t.Fatal("no event")
		}
		return Event{}
	}
	if e := next(); e.Kind != EventAppended || len(e.Entries) != 2 || e.Entries[0].Seq != 1 {
		t.Fatalf("first event %v %v, want entries 1 and 2", e.Kind, seqsOfEntries(e.Entries))
	}
	if err := m.Append("t", memEntries(3, 5)...); err != nil {
		t.Fatal(err)
	}
	if e := next(); e.Kind != EventAppended || len(e.Entries) != 2 || e.Entries[0].Seq != 3 {
		t.Fatalf("second event %v %v, want entries 3 and 4", e.Kind, seqsOfEntries(e.Entries))
	}
	// GC past the reader: entries 5..7 are appended and collected before
	// the follower wakes, so it must reset to the origin 7.
	m.mu.Lock()
	m.ts["t"].entries = append(m.ts["t"].entries, memEntries(5, 9)...)
	m.mu.Unlock()
	if err := m.GC("t", Origin{MessageID: 7, Replica: value.NewMap()}); err != nil {
		t.Fatal(err)
	}
	if e := next(); e.Kind != EventReset || e.Origin.MessageID != 7 {
		t.Fatalf("third event %v origin %d, want a reset to 7", e.Kind, e.Origin.MessageID)
	}
	if e := next(); e.Kind != EventAppended || len(e.Entries) != 1 || e.Entries[0].Seq != 8 {
		t.Fatalf("fourth event %v %v, want entry 8", e.Kind, seqsOfEntries(e.Entries))
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("follow returned %v, want context.Canceled", err)
	}
}

func TestMemoryJob(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}})
	j := Job{ID: "j1", Name: "wordcount", Catalog: value.Vector{}}
	if err := m.PutJob("t", j); err != nil {
		t.Fatal(err)
	}
	got, err := m.Job(context.Background(), "t", "j1", nil)
	if err != nil || got.Name != "wordcount" {
		t.Errorf("job: %+v, %v; want the stored job", got, err)
	}
	if _, err := m.Job(context.Background(), "x", "j1", nil); !errors.Is(err, ErrNoTenancy) {
		t.Errorf("job of a missing tenancy: %v, want ErrNoTenancy", err)
	}
}

// readChunks reads tenancy id of src in chunks of chunk entries and returns
// the chunks as delivered.
func readChunks(t *testing.T, src Source, id string, from int64, chunk int) [][]Entry {
	t.Helper()
	var chunks [][]Entry
	err := ReadChunks(context.Background(), src, id, from, chunk, nil, func(es []Entry) error {
		chunks = append(chunks, es)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return chunks
}

// sameEntries fails unless got and want have the same seqs, values and flags.
func sameEntries(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || !value.Equal(g.Value(), w.Value()) || g.Err != w.Err {
			t.Fatalf("entry %d: got seq %d %v err %v, want seq %d %v err %v", i, g.Seq, value.PrStr(g.Value()), g.Err, w.Seq, value.PrStr(w.Value()), w.Err)
		}
	}
}

// onlySource hides every optional ability of a Source.
type onlySource struct{ Source }

func TestReadChunksDeliversWhatReadDoesInChunksOfTheSize(t *testing.T) {
	m := NewMemory()
	es := memEntries(0, 10)
	es[4] = Entry{Entry: value.Entry{Seq: 4}, Err: errors.New("decode entry-0000000004: nippy: offset 3: unknown type id 90")}
	m.Put(Header{Tenancy: Tenancy{ID: "t"}}, es...)
	want, err := m.Read(context.Background(), "t", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		src   Source
		chunk int
		sizes []int
	}{
		{"memory in chunks of 4, the last one shorter", m, 4, []int{4, 4, 1}},
		{"memory in chunks of 3, all full", m, 3, []int{3, 3, 3}},
		{"memory with a chunk of 0 as chunks of 1", m, 0, []int{1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{"memory in one chunk larger than the log", m, 100, []int{9}},
		{"a source without ReadChunks, its Read cut in chunks of 4", onlySource{m}, 4, []int{4, 4, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chunks := readChunks(t, c.src, "t", 1, c.chunk)
			var got []Entry
			var sizes []int
			for _, ch := range chunks {
				sizes = append(sizes, len(ch))
				got = append(got, ch...)
			}
			if !slices.Equal(sizes, c.sizes) {
				t.Errorf("chunk sizes %v, want %v", sizes, c.sizes)
			}
			sameEntries(t, got, want)
			if got[3].Err == nil {
				t.Errorf("seq 4 is not flagged")
			}
		})
	}
}

func TestReadChunksGrowingAChunkLeavesTheNextAlone(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}}, memEntries(0, 6)...)
	chunks := readChunks(t, m, "t", 0, 3)
	_ = append(chunks[0], memEntry(99))
	if chunks[1][0].Seq != 3 {
		t.Errorf("appending to the first chunk changed the second: it starts at seq %d, want 3", chunks[1][0].Seq)
	}
}

func TestReadChunksStopsAtTheErrorOfFn(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}}, memEntries(0, 10)...)
	stop := errors.New("timeline full")
	for _, src := range []Source{m, onlySource{m}} {
		calls := 0
		err := ReadChunks(context.Background(), src, "t", 0, 3, nil, func([]Entry) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 2 {
			t.Errorf("%T: error %v after %d calls, want %v after 2", src, err, calls, stop)
		}
	}
}

func TestMemoryReadChunksReportsProgressAndTruncation(t *testing.T) {
	m := NewMemory()
	m.Put(Header{Tenancy: Tenancy{ID: "t"}}, memEntries(0, 10)...)
	var progress []int
	err := m.ReadChunks(context.Background(), "t", 0, 4, func(done, total int) { progress = append(progress, done, total) },
		func([]Entry) error { return nil })
	if err != nil || !slices.Equal(progress, []int{4, 10, 8, 10, 10, 10}) {
		t.Errorf("progress %v (%v), want 4/10, 8/10, 10/10", progress, err)
	}
	if err := m.GC("t", Origin{MessageID: 6, Replica: value.NewMap()}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	err = m.ReadChunks(context.Background(), "t", 3, 4, nil, func([]Entry) error { calls++; return nil })
	if !errors.Is(err, ErrTruncated) || calls != 0 {
		t.Errorf("read from 3 after GC to 6: %v after %d chunks, want ErrTruncated before any", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.ReadChunks(ctx, "t", 6, 1, nil, func([]Entry) error { calls++; return nil }); !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("a cancelled read: %v after %d chunks, want context.Canceled before any", err, calls)
	}
}

// gapReader delivers 5 entries in chunks of 2 while reporting 3 read, as
// zklog/zk does when two of them are gaps it flagged.
type gapReader struct{}

func (gapReader) ReadChunks(ctx context.Context, id string, from int64, chunk int, progress Progress, fn func([]Entry) error) error {
	es := memEntries(0, 5)
	for i := 0; i < len(es); i += 2 {
		progress(min(i+1, 3), 3)
		if err := fn(es[i:min(i+2, len(es))]); err != nil {
			return err
		}
	}
	return nil
}

func TestReadAllCollectsEveryChunkAndPassesProgressOn(t *testing.T) {
	var progress []int
	es, err := ReadAll(context.Background(), gapReader{}, "t", 0, func(done, total int) { progress = append(progress, done, total) })
	if err != nil || !slices.Equal(seqsOfEntries(es), []int64{0, 1, 2, 3, 4}) {
		t.Errorf("seqs %v (%v), want 0 to 4", seqsOfEntries(es), err)
	}
	if !slices.Equal(progress, []int{1, 3, 3, 3, 3, 3}) {
		t.Errorf("progress %v, want 1/3, 3/3, 3/3", progress)
	}
}
