package archive_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
)

// BenchmarkCapture captures a 20,000-entry 0.14.6 tenancy (no gc, so every
// entry stays) from an archive: read, replay for the checkpoints, write.
// It reports entries/s and the captured archive's bytes per entry.
func BenchmarkCapture(b *testing.B) {
	const n = 20_000
	dir := b.TempDir()
	src := filepath.Join(dir, "src.onyxarc")
	if err := sim.WriteArchive(context.Background(), sim.Config{Version: "0.14.6", Seed: 1, Entries: n, Peers: 8, Jobs: 3}, src, "bench", nil); err != nil {
		b.Fatal(err)
	}
	a, err := archive.Load(src)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if a.Len() != n {
		b.Fatalf("the source keeps %d entries, want %d", a.Len(), n)
	}
	out := filepath.Join(dir, "out.onyxarc")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := archive.Capture(context.Background(), a, a.Meta().Tenancy.ID, out, archive.CaptureOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	if st, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(st.Size())/n, "B/entry")
	}
}
