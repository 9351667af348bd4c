package archive_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
)

// writeBig writes an archive of n entries: a simulated 0.8.3 log of 4,096
// entries repeated with growing seqs, with its replicas as checkpoints.
func writeBig(b *testing.B, n int) string {
	b.Helper()
	s, err := sim.New(sim.Config{Version: "0.8.3", Seed: 1, Entries: archive.DefaultEvery})
	if err != nil {
		b.Fatal(err)
	}
	var steps []sim.Step
	for {
		st, err := s.Next()
		if errors.Is(err, sim.ErrDone) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		steps = append(steps, st)
	}
	path := filepath.Join(b.TempDir(), "big.onyxarc")
	h := s.Header()
	w, err := archive.Create(path, archive.Meta{Tenancy: h.Tenancy, Version: h.Version, Every: archive.DefaultEvery})
	if err != nil {
		b.Fatal(err)
	}
	w.Origin(s.InitialOrigin())
	for rel, raw := range s.Params() {
		w.Param(rel, raw)
	}
	for i := range n {
		st := steps[i%len(steps)]
		if err := w.Entry(zklog.RawEntry{Seq: int64(i), Created: st.Entry.Created, Data: st.Entry.Data}); err != nil {
			b.Fatal(err)
		}
		if (i+1)%archive.DefaultEvery == 0 {
			w.Checkpoint(int64(i), st.Replica)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkOpen opens an archive to what an interactive view needs first:
// the header, the index and the last checkpoint.
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			path := writeBig(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				a, err := archive.Load(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, ok := a.LastCheckpoint(); !ok || a.Len() != n {
					b.Fatalf("%d entries, checkpoint %v", a.Len(), ok)
				}
				if _, err := a.Open(context.Background(), a.Meta().Tenancy.ID); err != nil {
					b.Fatal(err)
				}
				a.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
		})
	}
}

// loadBig opens an archive of n simulated entries (writeBig), closed when
// the benchmark ends.
func loadBig(b *testing.B, n int) *archive.Archive {
	b.Helper()
	a, err := archive.Load(writeBig(b, n))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

// BenchmarkRead decodes every entry of an archive (what a full replay reads).
func BenchmarkRead(b *testing.B) {
	const n = 100_000
	a := loadBig(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Read(context.Background(), a.Meta().Tenancy.ID, -1, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
}
