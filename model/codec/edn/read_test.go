package edn

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

var kw = value.Kw

func bigInt(s string) *big.Int {
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

func TestReadEachSyntaxElement(t *testing.T) {
	cases := []struct {
		name, in string
		want     value.Value
	}{
		{"nil reads as nil", "nil", nil},
		{"true reads as true", "true", true},
		{"false reads as false", "false", false},
		{"a long reads as int64", "42", int64(42)},
		{"a negative long", "-17", int64(-17)},
		{"a plus sign is allowed", "+5", int64(5)},
		{"the largest long", "9223372036854775807", int64(math.MaxInt64)},
		{"the smallest long", "-9223372036854775808", int64(math.MinInt64)},
		{"a long past int64 becomes a BigInt", "9223372036854775808", bigInt("9223372036854775808")},
		{"N makes a BigInt even when small", "1N", big.NewInt(1)},
		{"hex integers", "0xFF", int64(255)},
		{"octal integers", "017", int64(15)},
		{"radix integers", "2r1010", int64(10)},
		{"a double", "2.5", 2.5},
		{"a double with an exponent", "1.0E10", 1e10},
		{"a double with a negative exponent", "1.0E-5", 1e-5},
		{"an exponent without a point", "3e2", 300.0},
		{"a trailing point", "1.", 1.0},
		{"infinity", "##Inf", math.Inf(1)},
		{"negative infinity", "##-Inf", math.Inf(-1)},
		{"a decimal", "1.50M", value.BigDec{Unscaled: big.NewInt(150), Scale: 2}},
		{"a decimal with an exponent", "1.5E+3M", value.BigDec{Unscaled: big.NewInt(15), Scale: -2}},
		{"a whole decimal", "7M", value.BigDec{Unscaled: big.NewInt(7), Scale: 0}},
		{"a ratio", "1/2", big.NewRat(1, 2)},
		{"a ratio is reduced", "-2/4", big.NewRat(-1, 2)},
		{"a whole ratio is a BigInt", "4/2", big.NewInt(2)},
		{"a string", `"peer"`, "peer"},
		{"string escapes", `"a\"b\\c\n\t\r\b\f"`, "a\"b\\c\n\t\r\b\f"},
		{"a unicode escape", `"\u00e9\u4e2d"`, "é中"},
		{"a surrogate pair escape", `"\ud83d\ude00"`, "😀"},
		{"a lone surrogate becomes U+FFFD", `"\ud83dx"`, "\uFFFDx"},
		{"an octal escape", `"\101\0"`, "A\x00"},
		{"raw UTF-8", `"peer-é中😀"`, "peer-é中😀"},
		{"a char", `\a`, value.Char('a')},
		{"a named char", `\newline`, value.Char('\n')},
		{"the space char", `\space`, value.Char(' ')},
		{"a unicode char", `\u00e9`, value.Char('é')},
		{"an octal char", `\o101`, value.Char('A')},
		{"a delimiter as a char", `\(`, value.Char('(')},
		{"a non-ASCII char", `\é`, value.Char('é')},
		{"a keyword", ":fn", kw("fn")},
		{"a namespaced keyword", ":onyx.messaging/impl", kw("onyx.messaging/impl")},
		{"a keyword with odd characters", ":immediate?", kw("immediate?")},
		{"a keyword with a slash in its name", ":a/b/c", value.NSKw("a", "b/c")},
		{"a keyword may start with a digit", ":1", kw("1")},
		{"a namespaced map can make :ns/1", "#:a{:1 1}", value.NewMap(kw("a/1"), int64(1))},
		{"a symbol", "inc", value.Sym("inc")},
		{"a namespaced symbol", "clojure.core/inc", value.Sym("clojure.core/inc")},
		{"the slash symbol", "/", value.Sym("/")},
		{"a symbol with a hash inside", "a#b", value.Sym("a#b")},
		{"a uuid", `#uuid "f47ac10b-58cc-4372-a567-0e02b2c3d479"`, value.MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")},
		{"an inst", `#inst "1970-01-01T00:00:00.000-00:00"`, value.InstMillis(0)},
		{"an inst with an offset", `#inst "2020-01-01T01:00:00+01:00"`, value.Inst{Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"an inst with Z and nanoseconds", `#inst "2015-02-13T21:39:03.123456789Z"`, value.InstMillis(1423863543123)},
		{"an inst with only a year", `#inst "2015"`, value.Inst{Time: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"an inst in year 99999999", `#inst "99999999-12-31T23:59:59.999Z"`, value.Inst{Time: time.Date(99999999, 12, 31, 23, 59, 59, 999e6, time.UTC)}},
		{"bytes", `#bytes "AAEC/w=="`, value.Bytes{0, 1, 2, 255}},
		{"an unknown tag", `#my/tag [1 2]`, value.Tagged{Tag: "my/tag", Value: value.Vector{int64(1), int64(2)}}},
		{"a record literal", `#onyx.Foo{:a 1}`, value.Tagged{Tag: "onyx.Foo", Value: value.NewMap(kw("a"), int64(1))}},
		{"an empty list", "()", value.List{}},
		{"a list", "(1 2 3)", value.List{int64(1), int64(2), int64(3)}},
		{"a vector", "[1 :a \"s\"]", value.Vector{int64(1), kw("a"), "s"}},
		{"a map", "{:a 1, :b 2}", value.NewMap(kw("a"), int64(1), kw("b"), int64(2))},
		{"an empty map", "{}", value.NewMap()},
		{"a map with collection keys", "{[1 2] :v, {:k 1} :m}", value.NewMap(value.Vector{int64(1), int64(2)}, kw("v"), value.NewMap(kw("k"), int64(1)), kw("m"))},
		{"a set", "#{1 2 3}", value.NewSet(int64(1), int64(2), int64(3))},
		{"an empty set", "#{}", value.NewSet()},
		{"a namespaced map", "#:onyx{:name :in, :_/plain 1, :other/kept 2, sym 3}",
			value.NewMap(kw("onyx/name"), kw("in"), kw("plain"), int64(1), kw("other/kept"), int64(2), value.Sym("onyx/sym"), int64(3))},
		{"a discarded form", "[1 #_ 2 3]", value.Vector{int64(1), int64(3)}},
		{"nested discards", "[#_ #_ 1 2 3]", value.Vector{int64(3)}},
		{"comments", "; hi\n[1 ; one\n 2]", value.Vector{int64(1), int64(2)}},
		{"commas are whitespace", ",,[1,,2],,", value.Vector{int64(1), int64(2)}},
		{"metadata is dropped", "^{:doc \"x\"} [1]", value.Vector{int64(1)}},
		{"keyword metadata is dropped", "^:private ^String sym", value.Sym("sym")},
		{"old-style metadata is dropped", "#^:m [2]", value.Vector{int64(2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Read([]byte(c.in))
			if err != nil {
				t.Fatalf("read %s: %v", c.in, err)
			}
			if value.PrStr(got) != value.PrStr(c.want) || !value.Equal(got, c.want) {
				t.Errorf("read %s: got %s (%s), want %s (%s)", c.in, value.PrStr(got), value.TypeName(got), value.PrStr(c.want), value.TypeName(c.want))
			}
		})
	}
}

func TestReadNaN(t *testing.T) {
	v, err := Read([]byte("##NaN"))
	if f, ok := v.(float64); err != nil || !ok || !math.IsNaN(f) {
		t.Fatalf("got %v, %v; want NaN", v, err)
	}
}

func TestReadKeepsMapOrderAsClojure(t *testing.T) {
	// Eight entries keep reading order (PersistentArrayMap); nine go to hash order.
	eight := "{:h 8, :g 7, :f 6, :e 5, :d 4, :c 3, :b 2, :a 1}"
	v, err := Read([]byte(eight))
	if err != nil {
		t.Fatal(err)
	}
	if got := value.PrStr(v); got != eight {
		t.Errorf("eight entries: got %s, want %s", got, eight)
	}
	v, err = Read([]byte("{:i 9, :h 8, :g 7, :f 6, :e 5, :d 4, :c 3, :b 2, :a 1}"))
	if err != nil {
		t.Fatal(err)
	}
	if !v.(*value.Map).IsHashMap() {
		t.Errorf("nine entries: got an array map, want a hash map")
	}
}

func TestReadAllReadsEveryForm(t *testing.T) {
	vs, err := ReadAll([]byte(" 1 :a ; c\n [2] #_ 3 "))
	if err != nil {
		t.Fatal(err)
	}
	if got := value.PrStr(value.Vector(vs)); got != "[1 :a [2]]" {
		t.Errorf("got %s, want [1 :a [2]]", got)
	}
	if vs, err := ReadAll([]byte("  ; nothing\n")); err != nil || len(vs) != 0 {
		t.Errorf("blank input: got %v, %v; want no forms", vs, err)
	}
}

func TestReadRejectsBadInputWithPositions(t *testing.T) {
	cases := []struct {
		name, in  string
		line, col int
		offset    int64
		msg       string
	}{
		{"an unexpected closing paren", "[1 2]\n  )", 2, 3, 8, "unexpected ')'"},
		{"a second form", "1 2", 1, 3, 2, "unexpected '2' after the form"},
		{"empty input", "  ", 1, 3, 2, "unexpected end of input"},
		{"an unclosed vector", "{:a\n [1 2", 2, 6, 9, "unexpected end of input in vector starting at offset 5"},
		{"an unclosed string", `"abc`, 1, 5, 4, "unexpected end of input in string"},
		{"a mismatched bracket", "[1 2}", 1, 5, 4, "unexpected '}'"},
		{"an odd map", "{:a 1 :b}", 1, 1, 0, "map literal must contain an even number of forms"},
		{"a duplicate map key", "{:a 1 :a 2}", 1, 1, 0, "duplicate key :a in map"},
		{"a duplicate set element", "#{1 2 1}", 1, 1, 0, "duplicate key 1 in set"},
		{"a bad escape", `"a\qb"`, 1, 3, 2, `unsupported escape character \'q'`},
		{"a bad unicode escape", `"\u12G4"`, 1, 2, 1, "invalid unicode escape"},
		{"an unknown char name", `\foo`, 1, 1, 0, `unsupported character \foo`},
		{"a surrogate char", `\ud800`, 1, 1, 0, "invalid character constant"},
		{"a bad number", "1.2.3", 1, 1, 0, `invalid number "1.2.3"`},
		{"an octal number with 9", "09", 1, 1, 0, `invalid number "09"`},
		{"a ratio over zero", "1/0", 1, 1, 0, "divide by zero"},
		{"an auto-resolved keyword", "::a", 1, 1, 0, "auto-resolved keyword ::a is not supported"},
		{"a keyword ending in a colon", ":a:", 1, 1, 0, "invalid keyword"},
		{"a bare colon", ":", 1, 1, 0, "invalid keyword"},
		{"an unknown symbolic value", "##Foo", 1, 1, 0, "unknown symbolic value ##Foo"},
		{"a uuid that is not a string", "#uuid 1", 1, 7, 6, "#uuid wants a string, got long"},
		{"a bad uuid", `#uuid "xyz"`, 1, 7, 6, "invalid uuid"},
		{"a bad inst", `#inst "2020-13-01"`, 1, 7, 6, "month out of range"},
		{"an inst with a bad day", `#inst "2021-02-29"`, 1, 7, 6, "day out of range"},
		{"an inst with a 9-digit year", `#inst "999999999-01-01"`, 1, 7, 6, "want a year of 4 to 8 digits"},
		{"an inst before year 1", `#inst "0000-12-31T23:00:00+01:00"`, 1, 7, 6, "before year 1"},
		{"bad base64", `#bytes "!!"`, 1, 8, 7, "invalid base64"},
		{"a regex", `#"a+"`, 1, 1, 0, "regular expressions"},
		{"a quote", "'a", 1, 1, 0, "unsupported reader macro '''"},
		{"a reader conditional", "#?(:clj 1)", 1, 1, 0, "unsupported reader macro #?"},
		{"an anonymous fn", "#(inc %)", 1, 1, 0, "unsupported reader macro #("},
		{"bad metadata", "^1 [x]", 1, 1, 0, "metadata must be"},
		{"invalid UTF-8 in a string", "\"a\xffb\"", 1, 1, 0, "invalid UTF-8 in string"},
		{"a column counted in characters", "[\"é中\" )", 1, 7, 9, "unexpected ')'"},
		{"a discard with nothing after it", "[1 #_]", 1, 6, 5, "unexpected ']'"},
		{"a namespaced map without a map", "#:a [1]", 1, 5, 4, "namespaced map must be followed by a map"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Read([]byte(c.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("read %q: got %v, %v; want a *SyntaxError", c.in, value.PrStr(v), err)
			}
			if se.Line != c.line || se.Col != c.col || se.Offset != c.offset || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("read %q: got %q, want line %d, col %d (offset %d) and %q", c.in, err, c.line, c.col, c.offset, c.msg)
			}
			if !strings.HasPrefix(err.Error(), "edn: line ") {
				t.Errorf("error %q does not start with \"edn: line \"", err)
			}
		})
	}
}

func TestReadCapsNesting(t *testing.T) {
	for _, open := range []string{"[", "(", "{", "#{", "#t ", "^:m ", "#_ "} {
		deep := strings.Repeat(open, MaxDepth+1)
		_, err := Read([]byte(deep))
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
			t.Errorf("%d × %q: got %v, want a nesting error", MaxDepth+1, open, err)
		}
	}
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Read([]byte(ok)); err != nil {
		t.Errorf("%d nested vectors: %v", MaxDepth, err)
	}
}
