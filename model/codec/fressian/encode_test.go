package fressian

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"testing"

	"onyx-dashboard/model/value"
)

// TestEncodeReproducesFixtures encodes the value read from each NAME.edn and
// compares with the bytes data.fressian wrote. The EDN reader builds maps of
// up to eight entries in written order and larger ones in hash order, which is
// the iteration order the Clojure writer saw.
func TestEncodeReproducesFixtures(t *testing.T) {
	matched := 0
	fixtures := loadFixtures(t)
	for _, f := range fixtures {
		exact, err := EncodeExact(f.want)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		padded, err := Encode(f.want)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		ok := true
		if i := firstDiff(exact, f.exact); i >= 0 {
			t.Errorf("%s: exact bytes differ at offset %d (len %d, want %d)\n got % X\nwant % X",
				f.name, i, len(exact), len(f.exact), window(exact, i), window(f.exact, i))
			ok = false
		}
		if len(padded) != len(f.padded) || !bytes.Equal(padded, f.padded) {
			t.Errorf("%s: padded length %d, want %d", f.name, len(padded), len(f.padded))
			ok = false
		}
		if ok {
			matched++
		}
	}
	t.Logf("%d of %d fixtures encoded byte for byte (padded and exact)", matched, len(fixtures))
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func window(b []byte, i int) []byte {
	lo, hi := max(i-8, 0), min(i+8, len(b))
	if lo > hi {
		return nil
	}
	return b[lo:hi]
}

func TestRoundTripKeepsValues(t *testing.T) {
	big1 := new(big.Int).Lsh(big.NewInt(1), 70)
	cases := []struct {
		name string
		v    value.Value
	}{
		{"a char and a non-BMP string", value.Vector{value.Char('é'), "a😀b", "\x00nul"}},
		{"big numbers", value.Vector{big1, new(big.Int).Neg(big1), big.NewInt(-128), big.NewInt(0), big.NewInt(255)}},
		{"a bigdec and a ratio", value.Vector{value.BigDec{Unscaled: big.NewInt(-31415), Scale: 4}, big.NewRat(-22, 7)}},
		{"doubles", value.Vector{math.Inf(1), math.Inf(-1), -2.5, 0.0, 1.0, 1e300}},
		{"an inst before 1970 and bytes", value.Vector{value.InstMillis(-1), value.Bytes{1, 2, 3}, value.Bytes(make([]byte, 300))}},
		{"a symbol, a tagged value, a regex", value.Vector{value.Sym("clojure.core/inc"), value.Tagged{Tag: "my/tag", Value: value.Vector{int64(1), "x"}},
			value.Opaque{Kind: "regex", Class: classPattern, Text: "a+b"}, value.Opaque{Kind: "uri", Class: classURI, Text: "http://x/"}}},
		{"a lone surrogate", "x\xed\xa0\x80y"},
		{"40 keywords (past the packed cache)", manyKeywords(40)},
		{"20 chars (past the packed struct cache)", manyChars(20)},
		{"a 70000-byte string (chunked)", string(bytes.Repeat([]byte("é"), 35000))},
		{"a 140000-byte byte array (chunked)", value.Bytes(bytes.Repeat([]byte{7}, 140000))},
		{"ints at every width", boundaryInts()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(c.v)
			if err != nil {
				t.Fatal(err)
			}
			got, n, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			exact, _ := EncodeExact(c.v)
			if n != len(exact) {
				t.Errorf("consumed %d bytes, want %d", n, len(exact))
			}
			if !value.Equal(got, c.v) {
				t.Errorf("got %s\nwant %s", value.PrStr(got), value.PrStr(c.v))
			}
		})
	}
}

func manyKeywords(n int) value.Vector {
	var out value.Vector
	for i := range n {
		out = append(out, value.NSKw("ns", fmt.Sprintf("k%d", i)))
	}
	return append(out, out...) // the repeats use 0x80+i, then 0xCC i
}

func manyChars(n int) value.Vector {
	var out value.Vector
	for i := range n {
		out = append(out, value.Tagged{Tag: fmt.Sprintf("t%d", i), Value: value.Vector{int64(i)}})
	}
	return append(out, out...)
}

func boundaryInts() value.Vector {
	var out value.Vector
	for s := 0; s < 64; s++ {
		x := int64(1) << s
		out = append(out, x, x-1, -x, -x-1)
	}
	return append(out, int64(math.MinInt64), int64(math.MaxInt64))
}

func TestEncodeKnownBytes(t *testing.T) {
	cases := []struct {
		name string
		v    value.Value
		want []byte
	}{
		{"keyword :fn", value.Kw("fn"), []byte{0xCA, 0xF7, 0xCD, 0xDC, 'f', 'n'}},
		{"a repeated keyword uses the cache", value.Vector{value.Kw("fn"), value.Kw("fn")},
			[]byte{0xE6, 0xCA, 0xF7, 0xCD, 0xDC, 'f', 'n', 0xCA, 0xF7, 0x80}},
		{"char is a struct", value.Vector{value.Char('a'), value.Char('b')},
			[]byte{0xE6, 0xEF, 0xDE, 'c', 'h', 'a', 'r', 0x01, 0x50, 0x61, 0xA0, 0x50, 0x62}},
		{"-64 takes two bytes", int64(-64), []byte{0x4F, 0xC0}},
	}
	for _, c := range cases {
		got, err := EncodeExact(c.v)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s: got % X (%v), want % X", c.name, got, err, c.want)
		}
	}
}

func TestPaddingFollowsByteArrayOutputStream(t *testing.T) {
	cases := []struct {
		name   string
		v      value.Value
		padded int
	}{
		{"nil fills the first 32 bytes", nil, 32},
		{"a 127-byte string grows the array to exactly its size", string(bytes.Repeat([]byte("x"), 127)), 130},
		{"33 one-byte writes double to 64", value.Vector(make([]value.Value, 32)), 64},
	}
	for _, c := range cases {
		b, err := Encode(c.v)
		if err != nil || len(b) != c.padded {
			t.Errorf("%s: %d bytes (%v), want %d", c.name, len(b), err, c.padded)
		}
	}
}

func bigInt(n int64) *big.Int { return big.NewInt(n) }
