package replay

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMapEditCD checks cdMapEdit against the same assocs made one by one on
// random runs: array maps that grow into hash maps, hash maps, keys set
// again (to a new value or back to the one they had), values already there.
func TestMapEditCD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	keys := make([]value.Value, 24)
	for i := range keys {
		if i%2 == 0 {
			keys[i] = value.UUID{Hi: rng.Uint64(), Lo: uint64(i)}
		} else {
			keys[i] = value.Kw(fmt.Sprintf("k%d", i))
		}
	}
	var ed cdMapEdit
	for run := range 3000 {
		var base *value.Map
		if run%5 != 0 { // nil now and then: assoc on nil
			base = value.NewMap()
			for range rng.IntN(16) {
				base = base.Assoc(keys[rng.IntN(len(keys))], int64(rng.IntN(3)))
			}
		}
		ed.reset(base)
		want := base
		for range rng.IntN(6) {
			k := keys[rng.IntN(len(keys))]
			var v value.Value = int64(rng.IntN(3))
			if rng.IntN(4) == 0 {
				v, _ = base.Get(k) // back to the value it had
			}
			if got, _ := ed.Get(k); !value.Equal(got, want.Val(k)) {
				t.Fatalf("run %d: Get %s is %s, want %s", run, value.PrStr(k), value.PrStr(got), value.PrStr(want.Val(k)))
			}
			ed.Assoc(k, v)
			want = want.Assoc(k, v)
		}
		got := ed.done()
		if g, w := value.PrStr(got), value.PrStr(want); g != w || got.IsHashMap() != want.IsHashMap() {
			t.Fatalf("run %d: %s (hash map %v), one by one %s (hash map %v)", run, g, got.IsHashMap(), w, want.IsHashMap())
		}
		if base != nil && value.PrStr(base) != value.PrStr(ed.base) {
			t.Fatalf("run %d: the base map changed", run)
		}
	}
}
