package fressian

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// fixture is one NAME.fressian / NAME.fressian-exact / NAME.edn triple from
// testdata (copied from shared/fixtures/codec, written by data.fressian 1.0.0).
type fixture struct {
	name          string
	padded, exact []byte
	want          value.Value
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.fressian")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}
	var out []fixture
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".fressian")
		f := fixture{name: name, padded: mustRead(t, p), exact: mustRead(t, p+"-exact")}
		want, err := edn.Read(mustRead(t, filepath.Join("testdata", name+".edn")))
		if err != nil {
			t.Fatalf("%s.edn: %v", name, err)
		}
		f.want = want
		out = append(out, f)
	}
	return out
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeFixturesEqualTheirEDN(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			for _, in := range []struct {
				kind string
				b    []byte
			}{{"padded", f.padded}, {"exact", f.exact}} {
				got, n, err := Decode(in.b)
				if err != nil {
					t.Fatalf("%s: %v", in.kind, err)
				}
				if n != len(f.exact) {
					t.Errorf("%s: consumed %d bytes, want %d", in.kind, n, len(f.exact))
				}
				if !value.Equal(got, f.want) {
					t.Errorf("%s: got %s\nwant %s", in.kind, value.PrStr(got), value.PrStr(f.want))
				}
			}
		})
	}
}

func TestPaddingIsZerosAfterTheObject(t *testing.T) {
	for _, f := range loadFixtures(t) {
		if !bytes.HasPrefix(f.padded, f.exact) || bytes.Count(f.padded[len(f.exact):], []byte{0}) != len(f.padded)-len(f.exact) {
			t.Errorf("%s: .fressian is not .fressian-exact followed by zeros", f.name)
		}
	}
}

func TestDecodeEveryPrefixFailsCleanly(t *testing.T) {
	for _, f := range loadFixtures(t) {
		if len(f.exact) > 2200 {
			continue // origin-large: 24 k prefixes add nothing the others do not cover
		}
		for i := 0; i < len(f.exact); i++ {
			_, _, err := Decode(f.exact[:i])
			if err == nil {
				t.Fatalf("%s: prefix of %d bytes decoded without error", f.name, i)
			}
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, ErrTruncated) {
				t.Fatalf("%s: prefix of %d bytes: %v, want a truncation DecodeError", f.name, i, err)
			}
			if de.Offset < 0 || de.Offset > int64(i) {
				t.Fatalf("%s: prefix of %d bytes: offset %d out of range", f.name, i, de.Offset)
			}
		}
	}
}

// TestLargeMapsAndSetsOfLongs decodes a map and a set of 20 000 distinct longs:
// keys outside Go's == need hash-sorted deduplication, not a linear scan per
// key (which made 64 000 keys take 19 s).
func TestLargeMapsAndSetsOfLongs(t *testing.T) {
	const n = 20000
	kvs := make([]value.Value, 0, 2*n)
	items := make([]value.Value, 0, n)
	for i := range n {
		kvs = append(kvs, int64(i), int64(-i))
		items = append(items, int64(i))
	}
	m, _ := value.NewMapDedup(kvs...)
	s, _ := value.NewSetDedup(items...)
	for _, want := range []value.Value{m, s} {
		b, err := EncodeExact(want)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !value.Equal(got, want) {
			t.Errorf("decoded %s of %d longs differs", value.TypeName(got), n)
		}
	}
}
