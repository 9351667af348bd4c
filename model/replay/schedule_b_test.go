package replay

import (
	"math/rand/v2"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMapOrderMatchesAssoc checks bMapOrder against the naive answer: the
// keys of a map built by assoc'ing them in order.
func TestMapOrderMatchesAssoc(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []value.Value{nil, value.Kw("a"), int64(7), "x"}
	for range 40 {
		pool = append(pool, value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()})
	}
	for n := range 30 {
		keys := make([]value.Value, n)
		for i := range keys {
			keys[i] = pool[rng.IntN(len(pool))]
		}
		m := value.NewMap()
		for _, k := range keys {
			m = m.Assoc(k, nil)
		}
		want := m.Keys()
		got := bMapOrder(keys)
		if n <= 8 {
			continue // small maps keep the keys as given, repeats included
		}
		if len(got) != len(want) {
			t.Fatalf("%d keys: got %d keys, want %d", n, len(got), len(want))
		}
		for i := range got {
			if !value.Equal(got[i], want[i]) {
				t.Fatalf("%d keys: position %d: got %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}
