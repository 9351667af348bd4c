package sim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkSimulate generates logs, replaying eras A and B as it goes.
func BenchmarkSimulate(b *testing.B) {
	const n = 2000
	for _, v := range versions {
		b.Run("onyx="+v, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := New(Config{Version: v, Seed: 1, Entries: n})
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := s.Next(); errors.Is(err, ErrDone) {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// BenchmarkWriteArchive simulates into an archive file, as `simulate -o`
// does: 0.8.3 with the lead's 100 peers and 10 jobs, and a small cluster.
// It reports entries/s, entries per CPU second of the process (steadier on
// a shared machine) and the archive's bytes per entry simulated.
func BenchmarkWriteArchive(b *testing.B) {
	const n = 5000
	for _, c := range []struct{ peers, jobs int }{{100, 10}, {8, 2}} {
		b.Run(fmt.Sprintf("peers=%d/jobs=%d", c.peers, c.jobs), func(b *testing.B) {
			cfg := Config{Version: "0.8.3", Seed: 1, Entries: n, Peers: c.peers, Jobs: c.jobs}
			path := filepath.Join(b.TempDir(), "bench.onyxarc")
			b.ReportAllocs()
			cpu0, cpuOK := processCPUTime()
			for b.Loop() {
				if err := WriteArchive(context.Background(), cfg, path, "bench", nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
			if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
				b.ReportMetric(float64(n*b.N)/(cpu1-cpu0).Seconds(), "entries/cpu-s")
			}
			if st, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(st.Size())/n, "B/entry")
			}
		})
	}
}
