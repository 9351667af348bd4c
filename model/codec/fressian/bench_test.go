package fressian

import (
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDecode decodes the padded znode payloads as Onyx 0.5 stored them:
// the era A log entries (a-*, without the origin), and two replicas.
func BenchmarkDecode(b *testing.B) {
	groups := []struct {
		name  string
		match func(string) bool
	}{
		{"era=A/entries", func(n string) bool { return strings.HasPrefix(n, "a-") && n != "a-origin" }},
		{"era=A/origin-41", func(n string) bool { return n == "origin-41" }},
		{"era=A/origin-large", func(n string) bool { return n == "origin-large" }},
	}
	fixtures := loadFixtures(b)
	for _, g := range groups {
		var inputs [][]byte
		size := 0
		for _, f := range fixtures {
			if g.match(f.name) {
				inputs = append(inputs, f.padded)
				size += len(f.exact)
			}
		}
		b.Run(g.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, in := range inputs {
					if _, _, err := Decode(in); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*len(inputs))/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, f := range loadFixtures(b) {
		if f.name != "a-submit-job" && f.name != "origin-41" {
			continue
		}
		b.Run("era=A/"+filepath.Base(f.name), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.exact)))
			for b.Loop() {
				if _, err := Encode(f.want); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
