package value

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// sameNode reports where two tries differ in shape or content, or "".
func sameNode(a, b *node, path string) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return path + ": one node is missing"
	case a.datamap != b.datamap || a.nodemap != b.nodemap:
		return fmt.Sprintf("%s: bitmaps %x/%x vs %x/%x", path, a.datamap, a.nodemap, b.datamap, b.nodemap)
	case (a.ents == nil) != (b.ents == nil) || (a.kids == nil) != (b.kids == nil):
		return path + ": nil-ness of data or nodes differs"
	case a.dataLen() != b.dataLen() || len(a.nodes()) != len(b.nodes()):
		return path + ": lengths differ"
	case a.edit&collision != b.edit&collision:
		return path + ": one is a collision node"
	}
	for _, es := range [][2][]entry{{a.data(), b.data()}} {
		for i := range es[0] {
			x, y := es[0][i], es[1][i]
			if !Equal(x.k, y.k) || !Equal(x.v, y.v) {
				return fmt.Sprintf("%s: entry %d: %v=%v vs %v=%v", path, i, x.k, x.v, y.k, y.v)
			}
		}
	}
	for i := range a.nodes() {
		if d := sameNode(a.child(i), b.child(i), fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

func sameTrie(a, b trie) string {
	switch {
	case a.n != b.n:
		return fmt.Sprintf("size %d vs %d", a.n, b.n)
	case (a.nilv == nil) != (b.nilv == nil):
		return "nil key present in one only"
	case a.nilv != nil && !Equal(a.nilv.v, b.nilv.v):
		return fmt.Sprintf("nil key's value %v vs %v", a.nilv.v, b.nilv.v)
	}
	return sameNode(a.root, b.root, "root")
}

// TestNewMapFromBuildsNewMapsTrie requires NewMapFrom and NewSetFrom to build
// exactly the trie NewMap and NewSet build (order, repeated keys, the nil key,
// collision nodes), then to behave alike under assoc and dissoc.
func TestNewMapFromBuildsNewMapsTrie(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		pool := keyPool(r)
		n := r.IntN(70)
		var kvs, items []Value
		for i := 0; i < n; i++ {
			k := pool[r.IntN(len(pool))]
			kvs = append(kvs, k, int64(i))
			items = append(items, k)
		}
		want, got := NewMap(kvs...), NewMapFrom(kvs)
		if got.IsHashMap() != want.IsHashMap() || !sameOrder(got.Keys(), want.Keys()) || !sameOrder(got.Vals(), want.Vals()) {
			t.Fatalf("seed %d: map of %d pairs: got %v, want %v", seed, n, PrStr(got), PrStr(want))
		}
		if got.IsHashMap() {
			if d := sameTrie(*got.t, *want.t); d != "" {
				t.Fatalf("seed %d: map trie: %s", seed, d)
			}
		}
		ws, gs := NewSet(items...), NewSetFrom(items)
		if d := sameTrie(gs.t, ws.t); d != "" {
			t.Fatalf("seed %d: set trie: %s", seed, d)
		}
		// Later versions copy what they change: the block stays intact.
		before := PrStr(got)
		for i := 0; i < 30; i++ {
			k := pool[r.IntN(len(pool))]
			g2, w2 := got.Assoc(k, "x"), want.Assoc(k, "x")
			if !sameOrder(g2.Keys(), w2.Keys()) || !Equal(g2, w2) {
				t.Fatalf("seed %d: assoc %v: got %v, want %v", seed, k, PrStr(g2), PrStr(w2))
			}
			g3, w3 := got.Dissoc(k), want.Dissoc(k)
			if !sameOrder(g3.Keys(), w3.Keys()) {
				t.Fatalf("seed %d: dissoc %v: got %v, want %v", seed, k, PrStr(g3), PrStr(w3))
			}
			d := pool[r.IntN(len(pool))]
			if g, w := gs.Conj(k).Disj(d), ws.Conj(k).Disj(d); !sameOrder(g.Items(), w.Items()) {
				t.Fatalf("seed %d: conj %v, disj %v: got %v, want %v", seed, k, d, PrStr(g), PrStr(w))
			}
		}
		if PrStr(got) != before {
			t.Fatalf("seed %d: assoc on a copy changed the original: %s → %s", seed, before, PrStr(got))
		}
	}
}

func TestNewMapFromAllocatesPerTrieNotPerNode(t *testing.T) {
	var kvs []Value
	for i := 0; i < 40; i++ {
		kvs = append(kvs, Kw(fmt.Sprintf("key-%d", i)), true)
	}
	NewMapFrom(kvs) // warm the scratch pool
	// The Map, its nodes, its entries and its child pointers.
	if n := testing.AllocsPerRun(100, func() { NewMapFrom(kvs) }); n > 4 {
		t.Errorf("NewMapFrom of 40 entries: %v allocations, want at most 4", n)
	}
	if n := testing.AllocsPerRun(100, func() { NewSetFrom(kvs[:2]) }); n > 3 {
		t.Errorf("NewSetFrom of 2 items: %v allocations, want at most 3", n)
	}
}

func BenchmarkNewMapFrom(b *testing.B) {
	var kvs []Value
	for i := 0; i < 28; i++ {
		kvs = append(kvs, Kw(fmt.Sprintf("key-%d", i)), int64(i))
	}
	b.Run("NewMap", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewMap(kvs...)
		}
	})
	b.Run("NewMapFrom", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewMapFrom(kvs)
		}
	})
}

// TestSmallMapBuildsNewMapsMap fills SmallMaps of every size, with repeated
// keys and the nil key, and requires NewMap's result.
func TestSmallMapBuildsNewMapsMap(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 5))
		pool := keyPool(r)[:8+r.IntN(20)] // small pools repeat keys often
		n := r.IntN(14)
		var kvs []Value
		s := NewSmallMap(n)
		for i := 0; i < n; i++ {
			k := pool[r.IntN(len(pool))]
			kvs = append(kvs, k, int64(i))
			s.Add(k, int64(i))
		}
		got, want := s.Map(), NewMap(kvs...)
		if got.IsHashMap() != want.IsHashMap() || !sameOrder(got.Keys(), want.Keys()) || !sameOrder(got.Vals(), want.Vals()) {
			t.Fatalf("seed %d: %d adds: got %v, want %v", seed, n, PrStr(got), PrStr(want))
		}
		if got.Len() < 8 {
			if g2, w2 := got.Assoc(Kw("new"), 1), want.Assoc(Kw("new"), 1); !sameOrder(g2.Keys(), w2.Keys()) {
				t.Fatalf("seed %d: assoc after: got %v, want %v", seed, PrStr(g2), PrStr(w2))
			}
		}
	}
	for n := 1; n <= 8; n++ {
		if a := testing.AllocsPerRun(50, func() {
			s := NewSmallMap(n)
			for i := 0; i < n; i++ {
				s.Add(int64(i), true)
			}
			s.Map()
		}); a != 1 {
			t.Errorf("SmallMap of %d: %v allocations, want 1", n, a)
		}
	}
}
