package timeline

import (
	"math/big"
	"testing"

	"onyx-dashboard/model/value"
)

// TestIDsNumberValuesAsOneMapWould interns ids of every kind isID accepts,
// each several times, and requires the numbers one map keyed by value.Value
// gives (the first interning of an id is its number).
func TestIDsNumberValuesAsOneMapWould(t *testing.T) {
	vals := []value.Value{
		value.UUID{Hi: 1, Lo: 2}, value.Kw("a"), "a", int64(1), value.Sym("s"), true, value.Char('a'),
		value.UUID{Hi: 2, Lo: 1}, value.NSKw("x", "a"), "b", int64(-1), false, value.Char('b'),
	}
	ids := newIDs()
	want := map[value.Value]int32{}
	for round := range 3 {
		for i := range vals {
			v := vals[(i*7+round)%len(vals)]
			n, ok := want[v]
			if !ok {
				n = int32(len(want))
				want[v] = n
			}
			if got := ids.intern(v); got != n {
				t.Fatalf("intern %s: %d, want %d", value.PrStr(v), got, n)
			}
			if got := ids.lookup(v); got != n {
				t.Fatalf("lookup %s: %d, want %d", value.PrStr(v), got, n)
			}
			if !value.Equal(ids.vals[n], v) {
				t.Fatalf("vals[%d] = %s, want %s", n, value.PrStr(ids.vals[n]), value.PrStr(v))
			}
		}
	}
	for _, v := range []value.Value{value.UUID{Hi: 9}, value.Kw("never"), "never", big.NewInt(1), value.Vector{}, nil} {
		if got := ids.lookup(v); got != -1 {
			t.Errorf("lookup %s, never interned: %d, want -1", value.PrStr(v), got)
		}
	}
}
