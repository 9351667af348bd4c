package sim

import (
	"errors"
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
