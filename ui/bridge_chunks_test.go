package ui

import (
	"context"
	"slices"
	"sync"
	"testing"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// chunkSpy is a Memory that notes the chunks its ReadChunks delivers and
// that must not be read whole.
type chunkSpy struct {
	*zklog.Memory
	t     *testing.T
	mu    sync.Mutex
	sizes []int
}

func (s *chunkSpy) Read(ctx context.Context, id string, from int64, p zklog.Progress) ([]zklog.Entry, error) {
	s.t.Error("the bridge read a ChunkReader whole")
	return s.Memory.Read(ctx, id, from, p)
}

func (s *chunkSpy) ReadChunks(ctx context.Context, id string, from int64, chunk int, p zklog.Progress, fn func([]zklog.Entry) error) error {
	return s.Memory.ReadChunks(ctx, id, from, chunk, p, func(es []zklog.Entry) error {
		s.mu.Lock()
		s.sizes = append(s.sizes, len(es))
		s.mu.Unlock()
		return fn(es)
	})
}

// wholeSource is a Source that can only be read whole.
type wholeSource struct{ zklog.Source }

// chunksOf is the sizes of n entries cut in chunks of chunk.
func chunksOf(n, chunk int) []int {
	var out []int
	for ; n > 0; n -= chunk {
		out = append(out, min(n, chunk))
	}
	return out
}

func TestAChunkReaderIsLoadedAChunkAtATime(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", len(l.Entries))
	n := len(es)
	const chunk = 7
	if n < 3*chunk {
		t.Fatalf("the fixture has %d entries, want at least %d", n, 3*chunk)
	}
	spy := &chunkSpy{Memory: m, t: t}
	ts := newTestShell(t, Options{})
	ts.br.chunk = chunk
	ts.openMemory(t, spy, "one-job")

	spy.mu.Lock()
	sizes := slices.Clone(spy.sizes)
	spy.mu.Unlock()
	if want := chunksOf(n, chunk); !slices.Equal(sizes, want) {
		t.Errorf("chunks of %v, want %v", sizes, want)
	}
	r := ts.pos.Reader
	if r.Len() != n || r.Seq(n-1) != es[n-1].Seq {
		t.Errorf("the timeline has %d entries up to seq %d, want %d up to %d", r.Len(), r.Seq(r.Len()-1), n, es[n-1].Seq)
	}
	if !value.Equal(r.Replica(n-1).Map(), replayTo(t, l, n-1).Map()) {
		t.Errorf("the replica after the last entry is not the log's replayed")
	}
}

// openFeed opens tenancy id of src into a feed as the worker does, without
// starting it.
func openFeed(t *testing.T, b *bridge, src zklog.Source, id string) *feed {
	t.Helper()
	ctx, cancel := context.WithCancel(b.ctx)
	t.Cleanup(cancel)
	f := &feed{src: src, id: id, ctx: ctx, cancel: cancel}
	h, err := src.Open(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st, err := zklog.StartOf(h, "")
	if err != nil {
		t.Fatal(err)
	}
	f.header, f.start = h, st
	f.tl = timeline.New(st.Version, st.FromSeq-1, st.Replica, timeline.Options{})
	return f
}

func TestLoadReportsOneProgressWhenTheSourceStreams(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", len(l.Entries))
	n := len(es)
	const chunk = 7
	cases := []struct {
		name  string
		src   zklog.Source
		total int
	}{
		{"a ChunkReader: entries read and appended together, of all", m, n},
		{"a Source read whole: read, then appended, as two halves", wholeSource{m}, 2 * n},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBridge(func(fn func()) { fn() })
			defer b.close()
			b.chunk = chunk
			f := openFeed(t, b, c.src, "one-job")
			var prog [][2]int
			refreshes := 0
			ui := feedUI{
				progress: func(_ *feed, done, total int) { prog = append(prog, [2]int{done, total}) },
				refresh:  func(*feed) { refreshes++ },
			}
			next, err := b.load(f, ui)
			if err != nil {
				t.Fatal(err)
			}
			if next != es[n-1].Seq+1 || f.tl.Len() != n {
				t.Errorf("follow from %d with %d entries, want from %d with %d", next, f.tl.Len(), es[n-1].Seq+1, n)
			}
			if want := len(chunksOf(n, chunk)); refreshes != want {
				t.Errorf("%d refreshes, want one per chunk: %d", refreshes, want)
			}
			for i, p := range prog {
				if p[1] != c.total || (i > 0 && p[0] < prog[i-1][0]) {
					t.Fatalf("progress %v: report %d goes back or is not of %d", prog, i, c.total)
				}
			}
			if len(prog) == 0 || prog[len(prog)-1] != [2]int{c.total, c.total} {
				t.Errorf("progress %v does not end at %d of %d", prog, c.total, c.total)
			}
		})
	}
}
