package nippy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// fixtures lists every Nippy vector in testdata (copied from
// the shared codec fixtures): top-level .nippy, .nippy-auto, .nippy-lz4 and
// nippy-old/*.nippy.
func fixtures(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"*.nippy", "*.nippy-auto", "*.nippy-lz4", "nippy-old/*.nippy"} {
		m, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 300 {
		t.Fatalf("found %d Nippy fixtures in testdata, want the 317 copied from shared/fixtures/codec", len(out))
	}
	return out
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden is the EDN file beside a fixture: NAME.edn for NAME.nippy*.
func golden(p string) string {
	return strings.TrimSuffix(p, filepath.Ext(p)) + ".edn"
}

func TestDecodeFixturesEqualTheirEDN(t *testing.T) {
	for _, p := range fixtures(t) {
		t.Run(p, func(t *testing.T) {
			text := readFile(t, golden(p))
			want, err := edn.Read(text)
			if err != nil {
				t.Fatalf("read %s: %v", golden(p), err)
			}
			got, err := Decode(readFile(t, p))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !value.Equal(got, want) {
				t.Fatalf("got %s\nwant %s", value.PrStr(got), text)
			}
			// Printing checks order too: map, set and element order must be
			// the one Clojure printed. The nippy-old EDN was written by the
			// Python generator in insertion order, while Nippy thaws maps of
			// more than eight entries (and every id-22 map) into hash order,
			// as we do; those files are compared with = only.
			if strings.Contains(p, "nippy-old") {
				return
			}
			if s := value.PrStr(got); s != strings.TrimSuffix(string(text), "\n") {
				t.Errorf("printed\n%s\nwant\n%s", s, text)
			}
		})
	}
}

func TestDecodeKeepsKinds(t *testing.T) {
	cases := []struct {
		file string
		want string // Go type of the decoded value
	}{
		{"list-3.nippy", "value.List"},
		{"lazy-seq.nippy", "value.List"},
		{"vec-3.nippy", "value.Vector"},
		{"set-20-kw.nippy", "*value.Set"},
		{"map-200.nippy", "*value.Map"},
		{"int-2147483648.nippy", "int64"},
		{"dbl-inf.nippy", "float64"},
		{"inst-pre-epoch.nippy", "value.Inst"},
		{"sym.nippy", "value.Symbol"},
		{"nippy-old/v210-true.nippy", "bool"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			v, err := Decode(readFile(t, filepath.Join("testdata", c.file)))
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(v); got != c.want {
				t.Errorf("decoded a %s, want a %s", got, c.want)
			}
		})
	}
}

func typeName(v value.Value) string {
	switch v.(type) {
	case value.List:
		return "value.List"
	case value.Vector:
		return "value.Vector"
	case *value.Set:
		return "*value.Set"
	case *value.Map:
		return "*value.Map"
	case int64:
		return "int64"
	case float64:
		return "float64"
	case value.Inst:
		return "value.Inst"
	case value.Symbol:
		return "value.Symbol"
	case bool:
		return "bool"
	}
	return "other"
}

func TestDecodeErrorsNameOffsetAndCause(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		msg  string
		is   error
	}{
		{"empty input", nil, "nippy: offset 0: truncated header: want \"NPY\" and a meta byte", io.ErrUnexpectedEOF},
		{"no header", []byte("{:a 1}"), "nippy: offset 0: no \"NPY\" header", ErrCorrupt},
		{"header without meta byte", []byte("NPY"), "nippy: offset 3: truncated header: want a meta byte", io.ErrUnexpectedEOF},
		{"snappy meta byte", []byte("NPY\x01\x03"), "nippy: offset 3: unsupported compression/encryption (meta byte 1: snappy)", errors.ErrUnsupported},
		{"encrypted lz4", []byte("NPY\x10\x03"), "nippy: offset 3: unsupported compression/encryption (meta byte 16: lz4 + aes128-gcm encryption)", errors.ErrUnsupported},
		{"unknown type id", []byte("NPY\x00\x67"), "nippy: offset 4: unknown type id 103", ErrCorrupt},
		{"unknown type id in a map", []byte("NPY\x00\x70\x01\x6a\x01a\x77"), "nippy: offset 9: unknown type id 119", ErrCorrupt},
		{"empty body", []byte("NPY\x00"), "nippy: offset 4: truncated: want a type id, the input ends", io.ErrUnexpectedEOF},
		{"short uuid", []byte("NPY\x00\x5b\x01\x02"), "nippy: offset 5: truncated uuid: want 16 bytes, 2 left", io.ErrUnexpectedEOF},
		{"bad utf-8", []byte("NPY\x00\x69\x02\xff\xfe"), "nippy: offset 6: invalid UTF-8 in string", ErrCorrupt},
		{"count beyond the input", []byte("NPY\x00\x15\x7f\xff\xff\xff\x03"), "nippy: offset 5: truncated vector: count 2147483647 needs at least 2147483647 bytes, 1 left", io.ErrUnexpectedEOF},
		{"negative count", []byte("NPY\x00\x15\xff\xff\xff\xff"), "nippy: offset 5: negative vector count -1", ErrCorrupt},
		{"trailing bytes", []byte("NPY\x00\x03\x03"), "nippy: offset 5: 1 bytes after the value", ErrCorrupt},
		{"deftype", []byte("NPY\x00\x51\x69\x03a.B"), "nippy: offset 4: deftype a.B: its field count is unknown without the class", errors.ErrUnsupported},
		{"unprefixed custom type", []byte("NPY\x00\xff"), "nippy: offset 4: unprefixed custom type id -1", errors.ErrUnsupported},
		{"lz4 length lie", []byte("NPY\x08\x7f\xff\xff\xff\x10\x03"), "nippy: offset 4: lz4 uncompressed length 2147483647 is impossible for a 2-byte block", ErrCorrupt},
		{"error in an lz4 body", []byte("NPY\x08\x00\x00\x00\x01\x10\x67"), "nippy: lz4 body offset 0: unknown type id 103", ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Decode(c.in)
			if err == nil {
				t.Fatalf("decoded %s, want error %q", value.PrStr(v), c.msg)
			}
			if err.Error() != c.msg {
				t.Errorf("error %q, want %q", err, c.msg)
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *nippy.Error", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%q, %v) is false", err, c.is)
			}
		})
	}
}

func TestDecodeSpecialForms(t *testing.T) {
	ser := append([]byte("NPY\x00\x2e\x13java.lang.Exception"), []byte("\xac\xed\x00\x05sr\x00\x13java.lang.Exception\x00t\x00\x0cpeer crashed!")...)
	cases := []struct {
		name string
		in   []byte
		want value.Value
	}{
		{"record", []byte("NPY\x00\x30\x06my.Rec\x70\x01\x6a\x01a\x64\x01"),
			value.Tagged{Tag: "my.Rec", Value: value.NewMap(value.Kw("a"), int64(1))}},
		{"reader text that does not read", []byte("NPY\x00\x2f\x04#=(x"),
			value.Opaque{Kind: KindUnreadable, Text: "#=(x"}},
		{"reader text", []byte("NPY\x00\x2f\x07#{1 2 }"), value.NewSet(int64(1), int64(2))},
		{"char", []byte("NPY\x00\x0a\x00\xe9"), value.Char('é')},
		{"bigint", []byte("NPY\x00\x2c\x00\x00\x00\x01\xff"), value.Equal},
		{"3.3 positive long", []byte("NPY\x00\x57\x7f"), int64(255)},
		{"3.3 negative long", []byte("NPY\x00\x5f\x00\x00\x00\x00"), int64(-2147483648)},
		{"3.3 unsigned-count string", []byte("NPY\x00\x60\x80" + strings.Repeat("x", 128)), strings.Repeat("x", 128)},
		{"cache reference", []byte("NPY\x00\x71\x3b\x69\x01x\x3b"), value.Vector{"x", "x"}},
		{"bytes", []byte("NPY\x00\x07\x02\x01\x02"), value.Bytes{1, 2}},
		{"java serialization", ser, javaSerialized("java.lang.Exception", ser[4+2+19:])},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if c.name == "bigint" {
				want = mustBig("-1")
			}
			if !value.Equal(got, want) {
				t.Errorf("got %#v, want %#v", got, want)
			}
		})
	}
	got, _ := Decode(ser)
	if o, _ := got.(value.Opaque); !strings.Contains(o.Text, "peer crashed!") || o.Class != "java.lang.Exception" {
		t.Errorf("java-serialized text %q class %q: want the message and the class", o.Text, o.Class)
	}
}

func TestDecodeOnyxExceptionInfo(t *testing.T) {
	text := `{:ex {:job 1}, :str "boom", :cause nil}`
	in := []byte("NPY\x00\x52")
	in = append(in, byte(exceptionInfoHash>>8), byte(exceptionInfoHash))
	in = append(in, 0, byte(len(text)))
	in = append(in, text...)
	got, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	want := value.Tagged{Tag: TagExceptionInfo, Value: value.NewMap(
		value.Kw("ex"), value.NewMap(value.Kw("job"), int64(1)),
		value.Kw("str"), "boom", value.Kw("cause"), nil)}
	if !value.Equal(got, want) {
		t.Errorf("got %s, want %s", value.PrStr(got), value.PrStr(want))
	}
}

func TestTruncatedPrefixesFailCleanly(t *testing.T) {
	for _, name := range []string{"b-submit-job.nippy", "origin-41.nippy", "colls-md.nippy", "nippy-old/v210-origin.nippy", "kw-long.nippy", "a-submit-job.nippy-lz4"} {
		b := readFile(t, filepath.Join("testdata", name))
		for n := 0; n < len(b); n++ {
			v, err := Decode(b[:n])
			if err == nil {
				t.Fatalf("%s cut to %d of %d bytes: decoded %s, want an error", name, n, len(b), value.PrStr(v))
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("%s cut to %d bytes: error %T %v is not a *nippy.Error", name, n, err, err)
			}
			if !strings.HasSuffix(name, "lz4") && n >= headerLen && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%s cut to %d bytes: %v does not wrap io.ErrUnexpectedEOF", name, n, err)
			}
		}
	}
}

func TestCorruptedLZ4FailsCleanly(t *testing.T) {
	b := readFile(t, filepath.Join("testdata", "origin-large.nippy-auto"))
	if b[3] != metaLZ4 {
		t.Fatalf("origin-large.nippy-auto meta byte %d, want 8", b[3])
	}
	for i := headerLen; i < len(b); i += 97 {
		for _, x := range []byte{0xFF, 0x01, 0x80} {
			c := bytes.Clone(b)
			c[i] ^= x
			// Either an error or some value; never a panic.
			if _, err := Decode(c); err != nil {
				var de *Error
				if !errors.As(err, &de) {
					t.Fatalf("byte %d ^ %#x: error %T is not a *nippy.Error", i, x, err)
				}
			}
		}
	}
	c := bytes.Clone(b)
	c[headerLen+3]++ // the length no longer matches the block
	if _, err := Decode(c); err == nil || !strings.Contains(err.Error(), "corrupted lz4 block") {
		t.Errorf("length off by one: error %v, want a corrupted lz4 block", err)
	}
}

// Decode reuses the buffers of LZ4 bodies: values decoded from one must not
// change when later decodes write into the same buffer.
func TestLZ4ValuesOutliveTheirBuffer(t *testing.T) {
	var names []string
	var got []value.Value
	for _, p := range fixtures(t) {
		if !strings.HasSuffix(p, ".nippy-lz4") {
			continue
		}
		v, err := Decode(readFile(t, p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		names, got = append(names, p), append(got, v)
	}
	for i, p := range names {
		want, err := edn.Read(readFile(t, golden(p)))
		if err != nil {
			t.Fatal(err)
		}
		if !value.Equal(got[i], want) {
			t.Errorf("%s after %d later decodes: got %s, want %s", p, len(names)-1-i, value.PrStr(got[i]), value.PrStr(want))
		}
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	in := []byte("NPY\x00")
	for i := 0; i < 100000; i++ {
		in = append(in, idVecSm, 1)
	}
	in = append(in, idNil)
	_, err := Decode(in)
	if err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
		t.Fatalf("error %v, want nesting deeper than %d", err, maxDepth)
	}
}

func mustBig(s string) value.Value {
	v, err := edn.Read([]byte(s + "N"))
	if err != nil {
		panic(err)
	}
	return v
}

func TestCacheReferencesCannotExplode(t *testing.T) {
	// c0 = [nil nil], ck = [c(k-1) c(k-1)]: 2^40 leaves in a few hundred bytes.
	in := []byte("NPY\x00")
	var build func(k int)
	build = func(k int) {
		in = append(in, idCachedSm, byte(k))
		if k == 0 {
			in = append(in, idVec2, idNil, idNil)
			return
		}
		in = append(in, idVec2)
		build(k - 1)
		in = append(in, idCachedSm, byte(k-1))
	}
	build(40)
	_, err := Decode(in)
	if err == nil || !strings.Contains(err.Error(), "cache references expand") {
		t.Fatalf("error %v, want cache references expand …", err)
	}
}

func TestRepeatedScalarsDecodeWithoutAllocating(t *testing.T) {
	for _, name := range []string{"kw-ns.nippy", "uuid.nippy", "int-127.nippy", "vec-empty.nippy",
		"str-ascii.nippy", "str-unicode.nippy", "int-128.nippy", "int-32768.nippy", "int-neg129.nippy"} {
		in := readFile(t, filepath.Join("testdata", name))
		if _, err := Decode(in); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = Decode(in) }); n != 0 {
			t.Errorf("%s: %v allocations per decode, want 0", name, n)
		}
	}
}

// The string and long caches are keyed by bytes and values that may collide
// in a slot: whatever was decoded before, each decode gives its own value.
func TestScalarCachesNeverConfuseValues(t *testing.T) {
	var kw, str, long []byte
	for i := 0; i < 3*cacheSlots; i++ {
		name := fmt.Sprintf("s%d", i%(cacheSlots+7))
		kw = append(append(kw[:0], "NPY\x00\x6a"...), byte(len(name)))
		kw = append(kw, name...)
		str = append(append(str[:0], "NPY\x00\x69"...), byte(len(name)))
		str = append(str, name...)
		n := int64(i)*7919 - 1e6
		long = binary.BigEndian.AppendUint32(append(long[:0], "NPY\x00\x66"...), uint32(int32(n)))
		if v, err := Decode(kw); err != nil || v != value.Kw(name) {
			t.Fatalf("keyword %q: got %v, %v", name, v, err)
		}
		if v, err := Decode(str); err != nil || v != name {
			t.Fatalf("string %q: got %#v, %v", name, v, err)
		}
		if v, err := Decode(long); err != nil || v != n {
			t.Fatalf("long %d: got %#v, %v", n, v, err)
		}
	}
	// A cached string does not make a longer or invalid one acceptable.
	if _, err := Decode([]byte("NPY\x00\x69\x03s1\xff")); err == nil {
		t.Fatal("invalid UTF-8 after a cached prefix decoded")
	}
	big := strings.Repeat("x", maxCachedString+1)
	in := append([]byte("NPY\x00\x69"), byte(len(big)))
	if v, err := Decode(append(in, big...)); err != nil || v != big {
		t.Fatalf("long string: got %v, %v", v, err)
	}
}

// testdata/java/serialized-exception.nippy is what Nippy 2.12 – 2.14 froze for
// a Throwable (id 46 and a bare ObjectOutputStream), written by real Java
// serialization with testdata/java/SerializedException.java.
func TestDecodeJavaSerializedException(t *testing.T) {
	in := readFile(t, filepath.Join("testdata", "java", "serialized-exception.nippy"))
	v, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	o, ok := v.(value.Opaque)
	if !ok {
		t.Fatalf("decoded %s, want an Opaque", value.PrStr(v))
	}
	const want = "aeron media driver not running | peer crashed: task :inc threw | onyx.peer.task_lifecycle$run_task | task_lifecycle.clj | invoke"
	if o.Kind != KindJavaSerialized || o.Class != "java.lang.RuntimeException" || o.Text != want {
		t.Errorf("got kind %q class %q text %q, want %q %q %q", o.Kind, o.Class, o.Text, KindJavaSerialized, "java.lang.RuntimeException", want)
	}
	if len(o.Raw) != len(in)-headerLen-2-len(o.Class) {
		t.Errorf("raw stream of %d bytes, want the %d after the class name", len(o.Raw), len(in)-headerLen-2-len(o.Class))
	}

	// Followed to its end, the stream can sit inside a collection: here a
	// vector of the exception and :after.
	body := in[headerLen:]
	nested := append([]byte("NPY\x00\x71"), body...)
	nested = append(nested, idKwSm, 5)
	nested = append(nested, "after"...)
	v, err = Decode(nested)
	if err != nil {
		t.Fatalf("exception inside a vector: %v", err)
	}
	if vec, _ := v.(value.Vector); len(vec) != 2 || vec[1] != value.Kw("after") || !value.Equal(vec[0], o) {
		t.Errorf("exception inside a vector decoded as %#v", v)
	}

	// Every truncation fails cleanly or, inside the stream, falls back to
	// taking the rest of the body.
	for n := range len(in) {
		if _, err := Decode(in[:n]); err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("cut to %d bytes: %T %v", n, err, err)
			}
		}
	}
}

// Nippy never writes a repeated key, but untrusted input may: a map or set
// then reads as Clojure's reader builds it (value.NewMap, value.NewSet: the
// first position, the last value; announced size decides the map's kind).
func TestRepeatedKeysReadLikeTheReader(t *testing.T) {
	kw := func(s string) []byte { return append([]byte{idKwSm, byte(len(s))}, s...) }
	long := func(n int) []byte { return []byte{idLongSm, byte(n)} }
	frame := func(id, n byte, items ...[]byte) []byte {
		b := []byte{'N', 'P', 'Y', 0, id, n}
		for _, it := range items {
			b = append(b, it...)
		}
		return b
	}
	var nineItems [][]byte
	var nineKVs []value.Value
	for i, k := range []string{"a", "b", "c", "d", "a", "e", "f", "g", "h"} {
		nineItems = append(nineItems, kw(k), long(i))
		nineKVs = append(nineKVs, value.Kw(k), int64(i))
	}
	nilTwice := [][]byte{{idNil}, long(1)}
	nilKVs := []value.Value{nil, int64(1)}
	for i := 0; i < 8; i++ {
		nilTwice = append(nilTwice, kw(fmt.Sprint("k", i)), long(i))
		nilKVs = append(nilKVs, value.Kw(fmt.Sprint("k", i)), int64(i))
	}
	nilTwice = append(nilTwice, []byte{idNil}, long(9))
	nilKVs = append(nilKVs, nil, int64(9))
	cases := []struct {
		name string
		in   []byte
		want value.Value
	}{
		{"a small map keeps the first position and the last value",
			frame(idMapSm, 3, kw("a"), long(1), kw("b"), long(2), kw("a"), long(3)),
			value.NewMap(value.Kw("a"), int64(1), value.Kw("b"), int64(2), value.Kw("a"), int64(3))},
		{"nine announced entries make a hash map even with eight keys", frame(idMapSm, 9, nineItems...), value.NewMap(nineKVs...)},
		{"a repeated nil key in a hash map", frame(idMapSm, 10, nilTwice...), value.NewMap(nilKVs...)},
		{"a set collapses repeated items",
			frame(idSetSm, 3, kw("a"), kw("b"), kw("a")),
			value.NewSet(value.Kw("a"), value.Kw("b"))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Decode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !value.Equal(got, c.want) || value.PrStr(got) != value.PrStr(c.want) {
				t.Fatalf("got %s, want %s", value.PrStr(got), value.PrStr(c.want))
			}
			if m, ok := got.(*value.Map); ok && m.IsHashMap() != c.want.(*value.Map).IsHashMap() {
				t.Fatalf("hash map %v, want %v", m.IsHashMap(), !m.IsHashMap())
			}
		})
	}
}

// The keyword, UUID, string and long caches and the stack and body pools are
// shared by every goroutine: decodes running at once must each get what a
// lone decode gets (run with -race).
func TestConcurrentDecodesAgree(t *testing.T) {
	paths := fixtures(t)
	ins := make([][]byte, len(paths))
	want := make([]value.Value, len(paths))
	for i, p := range paths {
		ins[i] = readFile(t, p)
		v, err := Decode(ins[i])
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		want[i] = v
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for round := 0; round < 2; round++ {
				for i := range ins {
					j := (i*7 + g*31 + round) % len(ins) // each goroutine in its own order
					got, err := Decode(ins[j])
					if err != nil || !value.Equal(got, want[j]) {
						t.Errorf("goroutine %d: %s: got %s (%v), want %s", g, paths[j], value.PrStr(got), err, value.PrStr(want[j]))
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
