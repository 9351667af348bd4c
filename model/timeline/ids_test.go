package timeline

import (
	"math/big"
	"math/rand/v2"
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

// TestIDsRememberRecentUUIDsWithoutMixingThemUp interns thousands of UUIDs,
// many sharing the bits that pick their slot in ids.recent, in rounds that
// come back to old ones, against one map.
func TestIDsRememberRecentUUIDsWithoutMixingThemUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	us := make([]value.UUID, 3000)
	for i := range us {
		us[i] = value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()}
		switch i % 3 {
		case 0:
			us[i].Lo = us[i].Hi ^ uint64(i%7) // the same slot as others
		case 1:
			us[i] = value.UUID{Hi: us[i-1].Hi, Lo: us[i-1].Lo ^ 1<<41} // the same slot and Hi as the last
		}
	}
	ids := newIDs()
	want := map[value.UUID]int32{}
	for i := range 20_000 {
		u := us[(i*i+rng.IntN(50))%len(us)]
		if rng.IntN(4) == 0 {
			u = us[rng.IntN(len(us))]
		}
		n, ok := want[u]
		if !ok {
			n = int32(len(want))
			want[u] = n
		}
		if got := ids.intern(u); got != n {
			t.Fatalf("intern %d of %v: %d, want %d", i, u, got, n)
		}
	}
	for u, n := range want {
		if got := ids.lookup(u); got != n {
			t.Fatalf("lookup %v: %d, want %d", u, got, n)
		}
	}
}
