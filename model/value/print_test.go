package value

import (
	"bytes"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestPrStrPrintsAsClojure(t *testing.T) {
	u := MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")
	big1, _ := new(big.Int).SetString("-9223372036854775809", 10)
	cases := []struct {
		name string
		v    Value
		want string
	}{
		{"nil prints as nil", nil, "nil"},
		{"true prints as true", true, "true"},
		{"a long prints in decimal", int64(-42), "-42"},
		{"the smallest long prints whole", int64(math.MinInt64), "-9223372036854775808"},
		{"a BigInt gets an N", big.NewInt(7), "7N"},
		{"a huge BigInt gets an N", big1, "-9223372036854775809N"},
		{"a whole double keeps .0", 1.0, "1.0"},
		{"a negative double", -2.5, "-2.5"},
		{"a double below 1e-3 is scientific", 1e-5, "1.0E-5"},
		{"a double at 1e-3 is plain", 0.001, "0.001"},
		{"a double at 1e7 is scientific", 1e7, "1.0E7"},
		{"a double just below 1e7 is plain", 9999999.0, "9999999.0"},
		{"1e10 is 1.0E10", 1e10, "1.0E10"},
		{"a double uses the shortest digits", 0.1, "0.1"},
		{"a long fraction", 123456.789, "123456.789"},
		{"many digits in scientific form", 1.2345678901234567e-20, "1.2345678901234567E-20"},
		{"the largest double", math.MaxFloat64, "1.7976931348623157E308"},
		{"the smallest subnormal double", 4.9e-324, "4.9E-324"},
		{"negative zero", math.Copysign(0, -1), "-0.0"},
		{"zero", 0.0, "0.0"},
		{"infinity", math.Inf(1), "##Inf"},
		{"negative infinity", math.Inf(-1), "##-Inf"},
		{"not a number", math.NaN(), "##NaN"},
		{"a decimal with a scale", BigDec{big.NewInt(150), 2}, "1.50M"},
		{"a decimal without a scale", BigDec{big.NewInt(3), 0}, "3M"},
		{"a small decimal is plain down to 1e-6", BigDec{big.NewInt(1), 6}, "0.000001M"},
		{"a smaller decimal is scientific", BigDec{big.NewInt(1), 7}, "1E-7M"},
		{"a negative scale is scientific", BigDec{big.NewInt(15), -2}, "1.5E+3M"},
		{"a negative decimal", BigDec{big.NewInt(-25), 1}, "-2.5M"},
		{"a ratio", big.NewRat(-1, 2), "-1/2"},
		{"a string is quoted", "peer", `"peer"`},
		{"a string escapes quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"a string escapes control characters", "\n\t\r\b\f", `"\n\t\r\b\f"`},
		{"a string keeps other characters raw", "é中😀\x01", "\"é中😀\x01\""},
		{"a plain char", Char('a'), `\a`},
		{"a newline char", Char('\n'), `\newline`},
		{"a space char", Char(' '), `\space`},
		{"a tab char", Char('\t'), `\tab`},
		{"a return char", Char('\r'), `\return`},
		{"a backspace char", Char('\b'), `\backspace`},
		{"a formfeed char", Char('\f'), `\formfeed`},
		{"a non-ASCII char", Char('é'), `\é`},
		{"a surrogate char as \\u", Char(0xD800), `\uD800`},
		{"a keyword", Kw("fn"), ":fn"},
		{"a namespaced keyword", Kw("onyx.messaging/impl"), ":onyx.messaging/impl"},
		{"a symbol", Sym("clojure.core/inc"), "clojure.core/inc"},
		{"a uuid", u, `#uuid "f47ac10b-58cc-4372-a567-0e02b2c3d479"`},
		{"the epoch", InstMillis(0), `#inst "1970-01-01T00:00:00.000-00:00"`},
		{"an instant with milliseconds", InstMillis(1423863543123), `#inst "2015-02-13T21:39:03.123-00:00"`},
		{"an instant before 1970", InstMillis(-1000), `#inst "1969-12-31T23:59:59.000-00:00"`},
		{"an instant in another zone prints in UTC", Inst{time.Date(2020, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3600))}, `#inst "2020-01-01T00:00:00.000-00:00"`},
		{"bytes as base64", Bytes{0, 1, 2, 0xff}, `#bytes "AAEC/w=="`},
		{"a tagged value", Tagged{"my/tag", Vector{int64(1)}}, "#my/tag [1]"},
		{"an opaque object", Opaque{Kind: "serializable", Class: "java.lang.Exception", Text: "boom"}, `#object[java.lang.Exception "boom"]`},
		{"an empty vector", Vector{}, "[]"},
		{"a vector", Vector{int64(1), "a", Kw("b")}, `[1 "a" :b]`},
		{"a list", List{int64(1), int64(2)}, "(1 2)"},
		{"an empty list", List(nil), "()"},
		{"a map in insertion order", NewMap(Kw("b"), int64(1), Kw("a"), nil), "{:b 1, :a nil}"},
		{"an empty map", NewMap(), "{}"},
		{"a nil map", (*Map)(nil), "{}"},
		{"a set", NewSet(Kw("x")), "#{:x}"},
		{"a nil set", (*Set)(nil), "#{}"},
		{"nested collections", NewMap(Kw("a"), Vector{NewSet(), List{}}), "{:a [#{} ()]}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PrStr(c.v); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestWritePrStrWritesWhatPrStrReturns(t *testing.T) {
	v := NewMap(Kw("fn"), Kw("gc"), Kw("args"), NewMap(Kw("id"), MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479")))
	var buf bytes.Buffer
	if err := WritePrStr(&buf, v); err != nil {
		t.Fatal(err)
	}
	if buf.String() != PrStr(v) {
		t.Errorf("got %s, want %s", buf.String(), PrStr(v))
	}
}

func TestDoublesPrintLikeJava(t *testing.T) {
	// Java's Double.toString for values around the plain/scientific bounds.
	cases := map[float64]string{
		100.0: "100.0", 1234567.0: "1234567.0", 12345678.0: "1.2345678E7", 0.0001: "1.0E-4",
		0.00123: "0.00123", 1e21: "1.0E21", 1e-300: "1.0E-300", 33.3: "33.3", 25.5: "25.5",
	}
	for f, want := range cases {
		if got := PrStr(f); got != want {
			t.Errorf("%g: got %s, want %s", f, got, want)
		}
	}
}

func TestPrettyKeepsShortFormsOnOneLine(t *testing.T) {
	v := NewMap(Kw("fn"), Kw("gc"), Kw("args"), NewMap(Kw("id"), int64(3)))
	if got, want := Pretty(v, 80), PrStr(v); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPrettyBreaksMapsOneEntryPerLine(t *testing.T) {
	v := NewMap(
		Kw("fn"), Kw("submit-job"),
		Kw("args"), NewMap(Kw("tasks"), Vector{Kw("in"), Kw("inc"), Kw("out")}, Kw("percentage"), int64(50)),
		Kw("peers"), Vector{strings.Repeat("p", 20), strings.Repeat("q", 20)},
	)
	want := `{:fn :submit-job,
 :args {:tasks [:in :inc :out], :percentage 50},
 :peers ["pppppppppppppppppppp" "qqqqqqqqqqqqqqqqqqqq"]}`
	if got := Pretty(v, 60); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	narrow := `{:fn :submit-job,
 :args
 {:tasks [:in :inc :out],
  :percentage 50},
 :peers
 ["pppppppppppppppppppp"
  "qqqqqqqqqqqqqqqqqqqq"]}`
	if got := Pretty(v, 30); got != narrow {
		t.Errorf("width 30: got\n%s\nwant\n%s", got, narrow)
	}
}

func TestPrettyPrintsTheSameTokensAsPrStr(t *testing.T) {
	v := NewMap(Kw("a"), NewSet(int64(1), int64(2), int64(3)), Kw("b"), List{Tagged{"t", Vector{"x y", Char(' ')}}})
	flat := strings.Join(strings.Fields(Pretty(v, 5)), " ")
	if want := strings.Join(strings.Fields(PrStr(v)), " "); flat != want {
		t.Errorf("got %s, want %s", flat, want)
	}
}

func TestUUIDsPrintAsTheirStringForm(t *testing.T) {
	for _, s := range []string{"00000000-0000-0000-0000-000000000000", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "ffffffff-ffff-ffff-ffff-ffffffffffff"} {
		if got, want := PrStr(MustUUID(s)), `#uuid "`+s+`"`; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
