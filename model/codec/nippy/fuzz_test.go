package nippy

import (
	"bytes"
	"math"
	"path/filepath"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// FuzzNippy feeds arbitrary frames to Decode: no panic, and a decoded value
// re-encodes to bytes that decode equal (and re-encode identically).
func FuzzNippy(f *testing.F) {
	for _, p := range fixtures(f) {
		f.Add(readFile(f, p))
	}
	f.Add(readFile(f, filepath.Join("testdata", "java", "serialized-exception.nippy")))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Decode(b)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v is not a *nippy.Error", err, err)
			}
			return
		}
		checkReencodes(t, v)
	})
}

// FuzzLZ4Body feeds arbitrary LZ4 blocks behind a valid header.
func FuzzLZ4Body(f *testing.F) {
	for _, p := range fixtures(f) {
		b := readFile(f, p)
		if len(b) > headerLen && b[3] == metaLZ4 {
			f.Add(b[headerLen:])
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := Decode(append([]byte("NPY\x08"), body...))
		if err != nil {
			return
		}
		checkReencodes(t, v)
	})
}

func checkReencodes(t *testing.T, v value.Value) {
	t.Helper()
	b1, err := Encode(v, EncodeOptions{})
	if err != nil {
		return // a value with no Nippy 2.14 form (a deftype, a custom type)
	}
	back, err := Decode(b1)
	if err != nil {
		t.Fatalf("decode of our own encoding of %s: %v", value.PrStr(v), err)
	}
	if !hasNaN(v) && !value.Equal(back, v) {
		t.Fatalf("re-encoded %s decodes to %s", value.PrStr(v), value.PrStr(back))
	}
	b2, err := Encode(back, EncodeOptions{})
	if err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("second encoding differs (%v)", err)
	}
	// The house rule for every decoder: the value prints to EDN that reads
	// back equal. Left out: NaN (not = to itself), Opaque values (Java
	// objects, unreadable reader text: no EDN form), and keywords or symbols
	// whose names are not readable (Nippy thaws (symbol "00") as Clojure
	// would, and pr-str prints it as the number 00, in Clojure too), and
	// instants outside years 0 – 9999.
	if !printable(v) {
		return
	}
	text := value.PrStr(v)
	read, err := edn.Read([]byte(text))
	if err != nil {
		t.Fatalf("printed %s does not read back: %v", text, err)
	}
	if !value.Equal(read, v) {
		t.Fatalf("printed %s reads back as %s", text, value.PrStr(read))
	}
}

// printable reports whether v should survive pr-str and the EDN reader.
func printable(v value.Value) bool {
	switch x := v.(type) {
	case float64:
		return !math.IsNaN(x)
	case value.Opaque:
		return false
	case value.Inst:
		// Clojure's #inst reader wants a four-digit year as well, and years
		// before 1 print as Java's era year (1 BC is 0001; value.appendInst),
		// which reads back as another instant, in Clojure too.
		return x.Year() >= 1 && x.Year() <= 9999
	case value.Keyword, value.Symbol:
		back, err := edn.Read([]byte(value.PrStr(x)))
		return err == nil && value.Equal(back, x)
	case value.Vector:
		return allPrintable(x)
	case value.List:
		return allPrintable(x)
	case *value.Set:
		return allPrintable(x.Items())
	case *value.Map:
		return allPrintable(x.Keys()) && allPrintable(x.Vals())
	case value.Tagged:
		return printable(x.Value)
	}
	return true
}

func allPrintable(xs []value.Value) bool {
	for _, x := range xs {
		if !printable(x) {
			return false
		}
	}
	return true
}

// hasNaN reports a NaN inside v: NaN is not = to itself in Clojure either.
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
		return anyNaN(x.Keys()) || anyNaN(x.Vals())
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
