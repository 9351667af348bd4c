package value

import (
	"bytes"
	"cmp"
	"math"
	"math/big"
	"strings"
	"unicode/utf16"
)

// Equal is Clojure's =: numbers of one category by value (1 is not 1.0, 1 is
// 1N), a vector equals a list with the same items, maps and sets by content.
func Equal(a, b Value) bool {
	// Keywords and UUIDs are most of what replay compares: test them one
	// type word at a time before the switch's search over all types.
	if x, ok := a.(Keyword); ok {
		y, ok := b.(Keyword)
		return ok && x == y
	}
	if x, ok := a.(UUID); ok {
		y, ok := b.(UUID)
		return ok && x == y
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case *big.Int:
			return y.IsInt64() && y.Int64() == x
		}
		return false
	case *big.Int:
		switch y := b.(type) {
		case int64:
			return x.IsInt64() && x.Int64() == y
		case *big.Int:
			return x.Cmp(y) == 0
		}
		return false
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case Symbol:
		y, ok := b.(Symbol)
		return ok && x == y
	case Char:
		y, ok := b.(Char)
		return ok && x == y
	case Inst:
		y, ok := b.(Inst)
		return ok && x.UnixMilli() == y.UnixMilli()
	case Vector:
		return seqEqual(x, b)
	case List:
		return seqEqual(x, b)
	case *Map:
		y, ok := b.(*Map)
		return ok && x.equal(y)
	case *Set:
		y, ok := b.(*Set)
		return ok && x.equal(y)
	case Bytes:
		y, ok := b.(Bytes)
		return ok && bytes.Equal(x, y)
	case *big.Rat:
		y, ok := b.(*big.Rat)
		return ok && x.Cmp(y) == 0
	case BigDec:
		y, ok := b.(BigDec)
		return ok && x.Scale == y.Scale && Equal(x.Unscaled, y.Unscaled)
	case Tagged:
		y, ok := b.(Tagged)
		return ok && x.Tag == y.Tag && Equal(x.Value, y.Value)
	case Opaque:
		y, ok := b.(Opaque)
		return ok && x.Kind == y.Kind && x.Class == y.Class && x.Text == y.Text && bytes.Equal(x.Raw, y.Raw)
	case int:
		return Equal(int64(x), b)
	}
	return false
}

// identical reports whether b stands for a in every respect: =, hash, type
// and printed form, down to the bits of a float and the identity of a
// collection. Assoc of an identical value returns the map itself, as
// Clojure's assoc does for the value already there, so an update that
// changes nothing keeps the replica's structure shared. It may say false for
// values that are identical in that sense; it never says true for others.
func identical(a, b Value) bool {
	if x, ok := a.(float64); ok { // SameRef's == finds 0.0 and -0.0 the same
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	}
	return SameRef(a, b)
}

func seqEqual(xs []Value, b Value) bool {
	var ys []Value
	switch y := b.(type) {
	case Vector:
		ys = y
	case List:
		ys = y
	default:
		return false
	}
	if len(xs) != len(ys) {
		return false
	}
	if len(xs) == 0 || &xs[0] == &ys[0] { // one backing array: replicas share vectors
		return true
	}
	for i := range xs {
		if !Equal(xs[i], ys[i]) {
			return false
		}
	}
	return true
}

// Compare is clojure.core/compare for the values Onyx sorts: nil first, numbers
// by value, strings as Java strings (UTF-16 units), keywords and symbols by
// namespace (none first) then name, UUIDs as Java's UUID.compareTo (signed
// halves), vectors by length then items. Clojure throws for values of unrelated
// types; here they order by a fixed type rank so sorting never fails.
func Compare(a, b Value) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	switch x := a.(type) {
	case int64, float64, *big.Int:
		if isNumber(b) {
			return compareNumbers(x, b)
		}
	case string:
		if y, ok := b.(string); ok {
			return compareJavaStrings(x, y)
		}
	case Keyword:
		if y, ok := b.(Keyword); ok {
			return compareNamed(x.p, y.p)
		}
	case Symbol:
		if y, ok := b.(Symbol); ok {
			return compareNamed(x.p, y.p)
		}
	case UUID:
		if y, ok := b.(UUID); ok {
			return x.Compare(y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmpBool(x, y)
		}
	case Char:
		if y, ok := b.(Char); ok {
			return cmp.Compare(x, y)
		}
	case Inst:
		if y, ok := b.(Inst); ok {
			return cmp.Compare(x.UnixMilli(), y.UnixMilli())
		}
	case Vector:
		if y, ok := b.(Vector); ok {
			if c := cmp.Compare(len(x), len(y)); c != 0 {
				return c
			}
			for i := range x {
				if c := Compare(x[i], y[i]); c != 0 {
					return c
				}
			}
			return 0
		}
	}
	return cmp.Compare(typeRank(a), typeRank(b))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func isNumber(v Value) bool {
	switch v.(type) {
	case int64, float64, *big.Int:
		return true
	}
	return false
}

func compareNumbers(a, b Value) int {
	fa, fok := a.(float64)
	fb, gok := b.(float64)
	if fok || gok {
		if !fok {
			fa = toFloat(a)
		}
		if !gok {
			fb = toFloat(b)
		}
		return cmp.Compare(fa, fb)
	}
	return toBig(a).Cmp(toBig(b))
}

func toFloat(v Value) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case float64:
		return x
	}
	return 0
}

func toBig(v Value) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case *big.Int:
		return x
	}
	return new(big.Int)
}

func compareJavaStrings(a, b string) int {
	if isASCII(a) && isASCII(b) {
		return strings.Compare(a, b)
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return cmp.Compare(ua[i], ub[i])
		}
	}
	return cmp.Compare(len(ua), len(ub))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func compareNamed(a, b *named) int {
	if a == b {
		return 0
	}
	if a == nil || b == nil {
		if a == nil {
			return -1
		}
		return 1
	}
	if a.ns != b.ns {
		if a.ns == "" {
			return -1
		}
		if b.ns == "" {
			return 1
		}
		if c := compareJavaStrings(a.ns, b.ns); c != 0 {
			return c
		}
	}
	return compareJavaStrings(a.name, b.name)
}

func typeRank(v Value) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64, *big.Int, *big.Rat, BigDec:
		return 2
	case Char:
		return 3
	case string:
		return 4
	case Symbol:
		return 5
	case Keyword:
		return 6
	case UUID:
		return 7
	case Inst:
		return 8
	case Vector:
		return 9
	case List:
		return 10
	case *Map:
		return 11
	case *Set:
		return 12
	}
	return 13
}
