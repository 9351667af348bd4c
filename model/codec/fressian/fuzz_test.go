package fressian

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"onyx-dashboard/model/value"
)

// FuzzFressian: no input panics; whatever decodes re-encodes, decodes equal,
// and uses exactly the bytes EncodeExact wrote.
func FuzzFressian(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.fressian*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0xED, 0x01, 0xEF, 0xDB, 'p', 0x01, 0x07, 0xA0, 0x08, 0xFD})
	f.Add([]byte{0xE2, 0x04, 'a', 0xED, 0xA0, 0xBD, 0xDE, 0xED, 0xB8, 0x80, 'b'})
	f.Fuzz(func(t *testing.T, in []byte) {
		v, n, err := Decode(in)
		if err != nil {
			return
		}
		if n <= 0 || n > len(in) {
			t.Fatalf("consumed %d of %d bytes", n, len(in))
		}
		b, err := EncodeExact(v)
		if err != nil {
			t.Fatalf("decoded %s but cannot encode it: %v", value.PrStr(v), err)
		}
		v2, n2, err := Decode(b)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", value.PrStr(v), err)
		}
		if n2 != len(b) {
			t.Fatalf("re-encoding of %d bytes decoded using %d", len(b), n2)
		}
		if hasNaN(v) {
			// NaN is not = to itself; compare the bytes of a second encoding.
			b2, err := EncodeExact(v2)
			if err != nil || !bytes.Equal(b, b2) {
				t.Fatalf("NaN-holding value changed on a round trip: % X vs % X", b, b2)
			}
			return
		}
		if !value.Equal(v, v2) {
			t.Fatalf("round trip changed the value:\n%s\n%s", value.PrStr(v), value.PrStr(v2))
		}
	})
}

func hasNaN(v value.Value) bool {
	switch x := v.(type) {
	case float64:
		return math.IsNaN(x)
	case value.Vector:
		return anyNaN(x)
	case value.List:
		return anyNaN(x)
	case *value.Set:
		return anyNaN(x.Items())
	case *value.Map:
		found := false
		x.Range(func(k, v value.Value) bool {
			found = hasNaN(k) || hasNaN(v)
			return !found
		})
		return found
	case value.Tagged:
		return hasNaN(x.Value)
	}
	return false
}

func anyNaN(xs []value.Value) bool {
	for _, x := range xs {
		if hasNaN(x) {
			return true
		}
	}
	return false
}
