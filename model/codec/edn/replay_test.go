package edn

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

// readTestdata returns a testdata file, gunzipped when its name ends in .gz.
func readTestdata(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	b, err = io.ReadAll(zr)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return b
}

// TestReadReplayFixtures reads replay cases written by Onyx's test harness:
// one map per file with :entries, each a log entry with an :fn keyword.
func TestReadReplayFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/replay/*.edn*")
	if err != nil || len(files) < 5 {
		t.Fatalf("found %d replay fixtures (%v), want at least 5", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text := readTestdata(t, f)
			v, err := Read(text)
			if err != nil {
				t.Fatal(err)
			}
			m, ok := v.(*value.Map)
			if !ok {
				t.Fatalf("got a %s, want a map", value.TypeName(v))
			}
			entries, ok := m.Val(value.Kw("entries")).(value.Vector)
			if !ok || len(entries) == 0 {
				t.Fatalf(":entries is %s, want a non-empty vector", value.TypeName(m.Val(value.Kw("entries"))))
			}
			for i, e := range entries {
				if _, err := value.EntryFromValue(e, -1, -1); err != nil {
					t.Fatalf("entry %d: %v", i, err)
				}
			}
			back, err := Read([]byte(value.PrStr(v)))
			if err != nil || !value.Equal(v, back) {
				t.Fatalf("printed and read back: %v, equal %v", err, value.Equal(v, back))
			}
			streamed, err := NewDecoder(bytes.NewReader(text)).Decode()
			if err != nil || !value.Equal(v, streamed) {
				t.Fatalf("through a Decoder: %v, equal %v", err, value.Equal(v, streamed))
			}
		})
	}
}
