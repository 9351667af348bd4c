package replay

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"onyx-dashboard/model/value"
)

// A cdRep's done must give the map the same assocs made one by one give:
// the same printed form (content and iteration order), for array maps that
// grow into hash maps and for hash maps, with new keys, keys set twice,
// keys set to the value they hold and to nil; reads see the latest value.
func TestRepDoneMatchesAssocsCD(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	keys := make([]value.Keyword, 48)
	for i := range keys {
		keys[i] = value.Kw(fmt.Sprintf("k%d", i))
	}
	for _, size := range []int{0, 3, 8, 20, 40} {
		for round := range 50 {
			t.Run(fmt.Sprintf("size %d round %d", size, round), func(t *testing.T) {
				base := value.NewMap()
				for i := range size {
					base = base.Assoc(keys[i], value.Vector{int64(i)})
				}
				want := base
				x := newRepCD(base)
				defer x.release()
				for range rng.IntN(30) {
					k := keys[rng.IntN(len(keys))]
					var v value.Value
					switch rng.IntN(4) {
					case 0:
						v = nil
					case 1:
						v = x.Val(k) // the value it holds
					case 2:
						v = int64(rng.IntN(5))
					default:
						v = value.Vector{int64(rng.IntN(5))}
					}
					x.Set(k, v)
					want = want.Assoc(k, v)
					if got, ok := x.Get(k); !ok || !value.Equal(got, v) {
						t.Fatalf("Get %s after Set: got %v %v, want %v", k, got, ok, v)
					}
				}
				got := x.done()
				if g, w := value.PrStr(got), value.PrStr(want); g != w {
					t.Fatalf("done gives %s, assocs give %s", g, w)
				}
				if got.IsHashMap() != want.IsHashMap() {
					t.Fatalf("done gives a hash map: %v, assocs: %v", got.IsHashMap(), want.IsHashMap())
				}
				if g, w := value.PrStr(base), value.PrStr(x.base); g != w {
					t.Fatalf("the base changed: %s, was %s", w, g)
				}
			})
		}
	}
}

// updateDissoc follows (update-in r [k] dissoc y): an absent key becomes
// nil, a map loses y, anything else is a crash.
func TestRepUpdateDissocCD(t *testing.T) {
	a, b := value.Kw("a"), value.Kw("b")
	r := value.NewMap(a, value.NewMap(int64(1), "x", int64(2), "y"), b, "not a map")
	x := newRepCD(r)
	if err := x.updateDissoc(a, int64(1)); err != nil {
		t.Fatal(err)
	}
	if err := x.updateDissoc(value.Kw("c"), int64(1)); err != nil {
		t.Fatal(err)
	}
	if err := x.updateDissoc(b, int64(1)); err == nil {
		t.Fatal("dissoc in a string: no error")
	}
	got := value.PrStr(x.done())
	if want := `{:a {2 "y"}, :b "not a map", :c nil}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
