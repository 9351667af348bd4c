package nippy

import (
	"path/filepath"
	"testing"
)

// entryFixtures are typical log entries of eras B–D (or of the eras whose
// file prefixes are given).
func entryFixtures(b testing.TB, ext string, prefixes ...string) [][]byte {
	if len(prefixes) == 0 {
		prefixes = []string{"b-*", "c-*", "d-*"}
	}
	var out [][]byte
	for _, pat := range prefixes {
		m, _ := filepath.Glob(filepath.Join("testdata", pat+ext))
		for _, p := range m {
			out = append(out, readFile(b, p))
		}
	}
	if len(out) == 0 {
		b.Fatalf("no entry fixtures *%s", ext)
	}
	return out
}

func BenchmarkDecode(b *testing.B) {
	for _, c := range []struct {
		name, ext string
		prefixes  []string
	}{
		{"entries", ".nippy", nil},
		{"entries-lz4", ".nippy-lz4", nil},
		{"era=B/C", ".nippy", []string{"b-*", "c-*"}},
		{"era=D", ".nippy", []string{"d-*"}},
		{"era=B-0.6-old-ids", ".nippy", []string{"nippy-old/v210-prepare-join", "nippy-old/v210-notify-join", "nippy-old/v210-submit-job", "nippy-old/v210-exhaust-input"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ins := entryFixtures(b, c.ext, c.prefixes...)
			size := 0
			for _, in := range ins {
				size += len(in)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, in := range ins {
					if _, err := Decode(in); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*len(ins))/b.Elapsed().Seconds(), "entries/s")
		})
	}
	b.Run("origin-large-lz4", func(b *testing.B) {
		in := readFile(b, filepath.Join("testdata", "origin-large.nippy-lz4"))
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

func BenchmarkEncode(b *testing.B) {
	ins := entryFixtures(b, ".nippy")
	vs := make([]any, len(ins))
	size := 0
	for i, in := range ins {
		vs[i], _ = Decode(in)
		size += len(in)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vs {
			if _, err := Encode(v, EncodeOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(vs))/b.Elapsed().Seconds(), "entries/s")
}
