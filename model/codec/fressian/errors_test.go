package fressian

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

func TestDecodeRejectsBadInput(t *testing.T) {
	deep := append(bytes.Repeat([]byte{0xE5}, 100000), 0x01)
	cases := []struct {
		name      string
		in        []byte
		offset    int64
		msg       string
		truncated bool
	}{
		{"an unknown code names itself", []byte{0xE5, 0xCE}, 1, "unknown code 0xCE", false},
		{"META is not read by data.fressian", []byte{0xF1}, 0, "unknown code 0xF1", false},
		{"empty input", nil, 0, "end of input, expected a value", true},
		{"a string claiming 2 GiB", []byte{0xE3, 0x76, 0x7F, 0xFF, 0xFF, 0xFF, 'a'}, 0, "string needs 2147483647 bytes, 1 left", true},
		{"a list claiming 2 GiB", []byte{0xEC, 0x76, 0x7F, 0xFF, 0xFF, 0xFF}, 0, "list of 2147483647 values", true},
		{"a count beyond int", []byte{0xD9, 0xF8, 0x7F, 0, 0, 0, 0, 0, 0, 0}, 1, "out of range for an int", false},
		{"a negative count", []byte{0xEC, 0xFF}, 1, "negative list length -1", false},
		{"a cache reference before any put", []byte{0x83}, 0, "priority cache index 3 out of range (0 cached)", false},
		{"GET_PRIORITY_CACHE beyond the cache", []byte{0xE6, 0xCD, 0xDB, 'x', 0xCC, 0x05}, 5, "index 5 out of range (1 cached)", false},
		{"a cached value referring to itself", []byte{0xCD, 0xE5, 0x80}, 2, "refers to the value being read", false},
		{"a struct reference before any STRUCTTYPE", []byte{0xA2}, 0, "struct cache index 2 out of range", false},
		{"a continuation byte as a lead byte", []byte{0xDD, 'a', 0x80, 'b'}, 2, "invalid UTF-8 byte 0x80", false},
		{"a 4-byte UTF-8 sequence (Java never writes one)", []byte{0xDE, 0xF0, 0x9F, 0x98, 0x80}, 1, "invalid UTF-8 byte 0xF0", false},
		{"a 3-byte sequence cut by the string's end", []byte{0xDC, 'a', 0xE4}, 2, "invalid UTF-8 sequence starting with 0xE4", false},
		{"a bad continuation byte", []byte{0xDC, 0xC3, 'a'}, 1, "invalid UTF-8 sequence starting with 0xC3", false},
		{"a uuid of 15 bytes", append([]byte{0xC3, 0xD9, 15}, make([]byte, 15)...), 0, "uuid of 15 bytes, want 16", false},
		{"a map with an odd list", []byte{0xC0, 0xE5, 0x01}, 0, "odd number (1)", false},
		{"a keyword named by a number", []byte{0xCA, 0xF7, 0x01}, 0, "name is long, not a string", false},
		{"end of collection as a value", []byte{0xFD}, 0, "end of collection (0xFD)", false},
		{"an unclosed closed list", []byte{0xED, 0x01, 0x02}, 3, "end of input, expected a value or the end of the list", true},
		{"a zero-length bigint", []byte{0xC6, 0xD0}, 0, "zero-length big integer", false},
		{"a char out of range", []byte{0xEF, 0xDE, 'c', 'h', 'a', 'r', 0x01, 0x76, 0x01, 0, 0, 0, 0}, 0, "char code 16777216 out of range", false},
		{"a bad footer magic", []byte{0xCF, 0xCF, 0xCF, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "bad footer magic 0xCFCFCF00", false},
		{"lists nested 100000 deep", deep, 513, "nested deeper than 512", false},
		{"a cut 8-byte int", []byte{0xF8, 1, 2}, 0, "integer needs 8 bytes, 2 left", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Decode(c.in)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *DecodeError", err)
			}
			if de.Offset != c.offset || !strings.Contains(de.Msg, c.msg) {
				t.Errorf("got offset %d %q, want offset %d and %q", de.Offset, de.Msg, c.offset, c.msg)
			}
			if errors.Is(err, ErrTruncated) != c.truncated {
				t.Errorf("errors.Is(err, ErrTruncated) = %v, want %v", !c.truncated, c.truncated)
			}
			if de.ByteOffset() != de.Offset {
				t.Errorf("ByteOffset() = %d, want %d", de.ByteOffset(), de.Offset)
			}
		})
	}
}

func TestDecodeErrorReadsLikeTheHouseStyle(t *testing.T) {
	_, _, err := Decode([]byte{0xE5, 0xCE})
	if got, want := err.Error(), "fressian: offset 1: unknown code 0xCE"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDecodeFormsOnyxNeverWrote(t *testing.T) {
	u := value.MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")
	cases := []struct {
		name string
		in   []byte
		want value.Value
		used int
	}{
		{"a closed list", []byte{0xED, 0x01, 0x02, 0xFD, 0xFF}, value.Vector{int64(1), int64(2)}, 4},
		{"an open list ended by END", []byte{0xEE, 0x01, 0xFD}, value.Vector{int64(1)}, 3},
		{"an open list ended by the input", []byte{0xEE, 0x01, 0x02}, value.Vector{int64(1), int64(2)}, 3},
		{"a chunked string whose surrogates straddle the chunks",
			[]byte{0xE2, 0x04, 'a', 0xED, 0xA0, 0xBD, 0xDE, 0xED, 0xB8, 0x80, 'b'}, "a😀b", 11},
		{"Java's C0 80 for U+0000", []byte{0xDC, 0xC0, 0x80}, "\x00", 3},
		{"chunked bytes", []byte{0xD8, 0x02, 1, 2, 0xD8, 0x01, 3, 0xD9, 0x01, 4}, value.Bytes{1, 2, 3, 4}, 10},
		{"a float", []byte{0xF9, 0x3F, 0xC0, 0, 0}, 1.5, 5},
		{"an int array", []byte{0xB3, 0x02, 0x05, 0xFF}, value.Vector{int64(5), int64(-1)}, 4},
		{"a boolean array", []byte{0xB2, 0x02, 0xF5, 0xF6}, value.Vector{true, false}, 4},
		{"a double array", []byte{0xB1, 0x01, 0xFC}, value.Vector{1.0}, 3},
		{"an unknown tagged struct, then its cached type",
			[]byte{0xE6, 0xEF, 0xDB, 'p', 0x01, 0x07, 0xA0, 0x08},
			value.Vector{value.Tagged{Tag: "p", Value: value.Vector{int64(7)}}, value.Tagged{Tag: "p", Value: value.Vector{int64(8)}}}, 8},
		{"STRUCT with an index", []byte{0xE6, 0xEF, 0xDB, 'p', 0x00, 0xF0, 0x00}, value.Vector{value.Tagged{Tag: "p", Value: value.Vector{}}, value.Tagged{Tag: "p", Value: value.Vector{}}}, 7},
		{"a key struct written with STRUCTTYPE", []byte{0xEF, 0xDD, 'k', 'e', 'y', 0x02, 0xF7, 0xDB, 'a'}, value.Kw("a"), 9},
		{"a record of an unknown class", []byte{0xEF, 0xE0, 'r', 'e', 'c', 'o', 'r', 'd', 0x02, 0xC9, 0xDB, 'a', 0xDB, 'R', 0xC0, 0xE4},
			value.Tagged{Tag: "record", Value: value.Vector{value.NSSym("a", "R"), value.NewMap()}}, 16},
		{"a uuid whose bytes come from the cache", append(append([]byte{0xE6, 0xC3, 0xCD, 0xD9, 0x10}, u.Bytes()...), 0xC3, 0x80),
			value.Vector{u, u}, 23},
		{"RESET_CACHES before a value", []byte{0xFE, 0x05}, int64(5), 2},
		{"RESET_CACHES between keywords reuses cache index 0",
			[]byte{0xE6, 0xCA, 0xF7, 0xCD, 0xDB, 'a', 0xFE, 0xCA, 0xF7, 0xCD, 0xDB, 'b'}, value.Vector{value.Kw("a"), value.Kw("b")}, 12},
		{"a keyword's namespace and name from one cache entry", []byte{0xE6, 0xCA, 0xCD, 0xDB, 'a', 0x80, 0xCA, 0xF7, 0x80},
			value.Vector{value.NSKw("a", "a"), value.Kw("a")}, 9},
		{"a footer, then a value", []byte{0xCF, 0xCF, 0xCF, 0xCF, 0, 0, 0, 0, 0, 0, 0, 0, 0x05}, int64(5), 13},
		{"a regex", []byte{0xC4, 0xDB, 'a'}, value.Opaque{Kind: "regex", Class: classPattern, Text: "a"}, 3},
		{"a bigdec", []byte{0xC7, 0xD1, 0x7B, 0x02}, value.BigDec{Unscaled: bigInt(123), Scale: 2}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, n, err := Decode(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if n != c.used || !value.Equal(got, c.want) {
				t.Errorf("got %s using %d bytes, want %s using %d", value.PrStr(got), n, value.PrStr(c.want), c.used)
			}
		})
	}
}
