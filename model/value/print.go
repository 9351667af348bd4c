package value

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// PrStr prints v as Clojure 1.11's pr-str does: maps and sets in their
// iteration order with ", " between map entries, strings and characters
// escaped for the reader, doubles as Java's Double.toString, #uuid and #inst
// tagged. Types pr-str cannot print readably get a readable form of our own:
// Bytes as #bytes "base64", Opaque as #object[Class "text"] (see docs/edn.md).
func PrStr(v Value) string {
	return string(AppendPrStr(make([]byte, 0, 64), v))
}

// WritePrStr writes PrStr(v) to w.
func WritePrStr(w io.Writer, v Value) error {
	_, err := w.Write(AppendPrStr(make([]byte, 0, 1024), v))
	return err
}

// AppendPrStr appends PrStr(v) to b.
func AppendPrStr(b []byte, v Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "nil"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case Keyword:
		return appendNamed(append(b, ':'), x.p)
	case Symbol:
		return appendNamed(b, x.p)
	case string:
		return appendString(b, x)
	case UUID:
		b = append(b, `#uuid "`...)
		return append(appendUUID(b, x), '"')
	case Vector:
		return appendSeq(append(b, '['), x, ']')
	case List:
		return appendSeq(append(b, '('), x, ')')
	case *Map:
		return appendMap(b, x)
	case *Set:
		return appendSet(b, x)
	case float64:
		return appendDouble(b, x)
	case Char:
		return appendChar(b, x)
	case Inst:
		return appendInst(b, x)
	case *big.Int:
		if x == nil {
			return append(b, "nil"...)
		}
		return append(x.Append(b, 10), 'N')
	case *big.Rat:
		if x == nil {
			return append(b, "nil"...)
		}
		return append(b, x.String()...)
	case BigDec:
		return append(appendBigDec(b, x), 'M')
	case Bytes:
		b = append(b, `#bytes "`...)
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, '"')
	case Tagged:
		b = append(append(b, '#'), x.Tag...)
		return AppendPrStr(append(b, ' '), x.Value)
	case Opaque:
		class := x.Class
		if class == "" {
			class = x.Kind
		}
		if class == "" {
			class = "unknown"
		}
		b = append(append(b, "#object["...), class...)
		return append(appendString(append(b, ' '), x.Text), ']')
	}
	b = append(b, "#object["...)
	b = append(b, fmt.Sprintf("%T", v)...)
	b = append(b, ' ')
	return append(appendString(b, fmt.Sprint(v)), ']')
}

// appendUUID appends the 8-4-4-4-12 form without making a string.
func appendUUID(b []byte, u UUID) []byte {
	const digits = "0123456789abcdef"
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		w := u.Hi
		if i >= 16 {
			w = u.Lo
		}
		b = append(b, digits[w>>(60-4*(i%16))&15])
	}
	return b
}

func appendNamed(b []byte, p *named) []byte {
	if p == nil {
		return b
	}
	if p.ns != "" {
		b = append(append(b, p.ns...), '/')
	}
	return append(b, p.name...)
}

func appendMap(b []byte, m *Map) []byte {
	b = append(b, '{')
	first := true
	m.Range(func(k, v Value) bool {
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = AppendPrStr(b, k)
		b = append(b, ' ')
		b = AppendPrStr(b, v)
		return true
	})
	return append(b, '}')
}

func appendSet(b []byte, s *Set) []byte {
	b = append(b, "#{"...)
	first := true
	s.Range(func(v Value) bool {
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = AppendPrStr(b, v)
		return true
	})
	return append(b, '}')
}

func appendSeq(b []byte, xs []Value, closing byte) []byte {
	for i, x := range xs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = AppendPrStr(b, x)
	}
	return append(b, closing)
}

// appendString quotes s with Clojure's char-escape-string: \" \\ \n \t \r \b
// \f; every other character is written as it is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	last := 0
	for i := 0; i < len(s); i++ {
		var e string
		switch s[i] {
		case '"':
			e = `\"`
		case '\\':
			e = `\\`
		case '\n':
			e = `\n`
		case '\t':
			e = `\t`
		case '\r':
			e = `\r`
		case '\b':
			e = `\b`
		case '\f':
			e = `\f`
		default:
			continue
		}
		b = append(append(b, s[last:i]...), e...)
		last = i + 1
	}
	return append(append(b, s[last:]...), '"')
}

// appendChar prints a character as Clojure does: a backslash and the
// character, or its name for newline, space, tab, backspace, formfeed and
// return. A surrogate or invalid rune, which Go cannot write as UTF-8, is
// printed \uXXXX.
func appendChar(b []byte, c Char) []byte {
	b = append(b, '\\')
	switch c {
	case '\n':
		return append(b, "newline"...)
	case ' ':
		return append(b, "space"...)
	case '\t':
		return append(b, "tab"...)
	case '\b':
		return append(b, "backspace"...)
	case '\f':
		return append(b, "formfeed"...)
	case '\r':
		return append(b, "return"...)
	}
	if !utf8.ValidRune(rune(c)) {
		return fmt.Appendf(b, "u%04X", uint32(c)&0xFFFF)
	}
	return utf8.AppendRune(b, rune(c))
}

// appendDouble prints as Java's Double.toString (with the shortest digits that
// read back, as JDK 19+ specifies; JDK 17 gives a longer form for a few rare
// values): plain decimal for 1e-3 ≤ |x| < 1e7, otherwise
// d.dddEn; Clojure adds ##Inf, ##-Inf and ##NaN.
func appendDouble(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "##NaN"...)
	case math.IsInf(f, 1):
		return append(b, "##Inf"...)
	case math.IsInf(f, -1):
		return append(b, "##-Inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	var digits [24]byte
	nd := 0
	i := 0
	for ; e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	if nd == 1 {
		// Java (JDK 19+ spec) takes the 2-digit decimal closest to x when
		// one digit is enough: Double.MIN_VALUE is 4.9E-324, not 5.0E-324.
		e2 := strconv.AppendFloat(tmp[:0], f, 'e', 1, 64)
		if g, err := strconv.ParseFloat(string(e2), 64); err == nil && g == f && e2[2] != '0' {
			digits[0], digits[1], nd = e2[0], e2[2], 2
			exp, _ = strconv.Atoi(string(e2[4:]))
		}
	}
	ds := digits[:nd]
	if f >= 1e-3 && f < 1e7 {
		if exp < 0 {
			b = append(b, "0."...)
			for k := 0; k < -exp-1; k++ {
				b = append(b, '0')
			}
			return append(b, ds...)
		}
		if nd > exp+1 {
			b = append(b, ds[:exp+1]...)
			return append(append(b, '.'), ds[exp+1:]...)
		}
		b = append(b, ds...)
		for k := nd; k < exp+1; k++ {
			b = append(b, '0')
		}
		return append(b, ".0"...)
	}
	b = append(append(b, ds[0], '.'), ds[1:]...)
	if nd == 1 {
		b = append(b, '0')
	}
	return strconv.AppendInt(append(b, 'E'), int64(exp), 10)
}

// appendBigDec prints as Java's BigDecimal.toString.
func appendBigDec(b []byte, d BigDec) []byte {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	if u.Sign() < 0 {
		b = append(b, '-')
	}
	coeff := new(big.Int).Abs(u).String()
	scale := int64(d.Scale)
	adjusted := -scale + int64(len(coeff)-1)
	if scale >= 0 && adjusted >= -6 {
		switch {
		case scale == 0:
			return append(b, coeff...)
		case int64(len(coeff)) > scale:
			n := int64(len(coeff)) - scale
			return append(append(append(b, coeff[:n]...), '.'), coeff[n:]...)
		}
		b = append(b, "0."...)
		for k := int64(len(coeff)); k < scale; k++ {
			b = append(b, '0')
		}
		return append(b, coeff...)
	}
	b = append(b, coeff[0])
	if len(coeff) > 1 {
		b = append(append(b, '.'), coeff[1:]...)
	}
	if adjusted != 0 {
		b = append(b, 'E')
		if adjusted > 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, adjusted, 10)
	}
	return b
}

// appendInst prints as Clojure prints a java.util.Date: UTC, milliseconds and
// the offset -00:00. Years before 1 print as Java's era year would (1 BC is
// 0001), so such instants do not read back.
func appendInst(b []byte, t Inst) []byte {
	u := t.UTC()
	y := u.Year()
	if y < 1 {
		y = 1 - y
	}
	b = append(b, `#inst "`...)
	if y < 1000 {
		b = fmt.Appendf(b, "%04d", y)
	} else {
		b = strconv.AppendInt(b, int64(y), 10)
	}
	b = u.AppendFormat(b, "-01-02T15:04:05.000")
	return append(b, `-00:00"`...)
}
