package edn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

// typicalEntries returns the log entries among the codec goldens (every
// a-*, b-*, c-*, d-* file that is not an origin), one per line.
func typicalEntries(tb testing.TB) ([]byte, int) {
	tb.Helper()
	files, err := filepath.Glob("testdata/codec/[abcd]-*.edn")
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	n := 0
	for _, f := range files {
		if strings.Contains(f, "origin") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		buf.Write(b)
		n++
	}
	return buf.Bytes(), n
}

func BenchmarkRead(b *testing.B) {
	b.Run("typical entries", func(b *testing.B) {
		text, n := typicalEntries(b)
		lines := bytes.SplitAfter(bytes.TrimSuffix(text, []byte("\n")), []byte("\n"))
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				if _, err := Read(l); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("large replica", func(b *testing.B) {
		text := readTestdata(b, "testdata/codec/origin-large.edn")
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Read(text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("replay fixture 1.6 MB", func(b *testing.B) {
		text := readTestdata(b, "testdata/replay/0.5.3-sim-10-percentage-percentage.edn.gz")
		v, err := Read(text)
		if err != nil {
			b.Fatal(err)
		}
		n := len(v.(*value.Map).Val(value.Kw("entries")).(value.Vector))
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Read(text); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("decoder over typical entries", func(b *testing.B) {
		text, n := typicalEntries(b)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			d := NewDecoder(bytes.NewReader(text))
			for {
				if _, err := d.Decode(); err != nil {
					break
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

// BenchmarkPrStr prints the 96-peer, 16-job replica of origin-large and the
// typical entries (the printer lives in model/value; its inputs live here).
func BenchmarkPrStr(b *testing.B) {
	b.Run("large replica", func(b *testing.B) {
		v, err := Read(readTestdata(b, "testdata/codec/origin-large.edn"))
		if err != nil {
			b.Fatal(err)
		}
		replica := v.(*value.Map).Val(value.Kw("replica"))
		b.SetBytes(int64(len(value.PrStr(replica))))
		b.ReportAllocs()
		buf := make([]byte, 0, 64<<10)
		for b.Loop() {
			buf = value.AppendPrStr(buf[:0], replica)
		}
	})
	b.Run("typical entries", func(b *testing.B) {
		text, n := typicalEntries(b)
		vs, err := ReadAll(text)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, v := range vs {
				_ = value.PrStr(v)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("pretty large replica", func(b *testing.B) {
		v, err := Read(readTestdata(b, "testdata/codec/origin-large.edn"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			_ = value.Pretty(v, 100)
		}
	})
}
