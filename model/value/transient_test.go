package value

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
	"unsafe"
)

// TestNodeStaysSmall guards the size of trie nodes and entries, which
// replicas share by the million: pointers to the arrays with lengths from
// the bitmaps and capacities in edit make a node 32 bytes.
func TestNodeStaysSmall(t *testing.T) {
	if got := unsafe.Sizeof(node{}); got > 32 {
		t.Fatalf("a node is %d bytes, want at most 32", got)
	}
	if got := unsafe.Sizeof(entry{}); got > 32 {
		t.Fatalf("an entry is %d bytes, want at most 32", got)
	}
}

// startMap is a random map to start a transient from: nil, an array map, a
// hash map built by assoc, by NewMap or by NewMapFrom (one block of nodes),
// or an empty hash map.
func startMap(r *rand.Rand, pool []Value) *Map {
	n := r.IntN(40)
	var kvs []Value
	var m *Map
	for i := 0; i < n; i++ {
		k := pool[r.IntN(len(pool))]
		kvs = append(kvs, k, "start"+strconv.Itoa(i))
		m = m.Assoc(k, "start"+strconv.Itoa(i))
	}
	switch r.IntN(6) {
	case 0:
		return nil
	case 1:
		return NewMap(kvs...)
	case 2:
		return NewMapFrom(kvs)
	case 3:
		return NewHashMap()
	}
	return m
}

type mapSnapshot struct {
	m       *Map
	printed string
	keys    []Value
}

func snapshotOf(m *Map) mapSnapshot { return mapSnapshot{m, PrStr(m), m.Keys()} }

func (s mapSnapshot) check(t *testing.T, what string) {
	t.Helper()
	if got := PrStr(s.m); got != s.printed || !sameOrder(s.m.Keys(), s.keys) {
		t.Fatalf("%s changed:\n got %s\nwant %s", what, got, s.printed)
	}
}

// sameMap requires got to be want to the last detail the replica can see:
// kind, content, iteration order, printed form and trie shape.
func sameMap(t *testing.T, where string, got, want *Map) {
	t.Helper()
	if got.IsHashMap() != want.IsHashMap() || got.Len() != want.Len() {
		t.Fatalf("%s: kind/len %v/%d, want %v/%d", where, got.IsHashMap(), got.Len(), want.IsHashMap(), want.Len())
	}
	if !sameOrder(got.Keys(), want.Keys()) || !sameOrder(got.Vals(), want.Vals()) || !Equal(got, want) {
		t.Fatalf("%s:\n got %s\nwant %s", where, PrStr(got), PrStr(want))
	}
	if g, w := PrStr(got), PrStr(want); g != w {
		t.Fatalf("%s: printed\n got %s\nwant %s", where, g, w)
	}
	if got.IsHashMap() {
		if d := sameTrie(*got.t, *want.t); d != "" {
			t.Fatalf("%s: trie shape: %s", where, d)
		}
	}
}

// TestTransientMapActsLikeAssoc applies random assoc/dissoc sequences both
// to a persistent Map and to a TransientMap and requires Persistent to give
// the very same map each time, with the starting map and every earlier
// Persistent result unchanged afterwards. Small key pools drive maps through
// array→hash promotion and back to empty; the pools hold nil and keys with
// equal hasheq (collision nodes).
func TestTransientMapActsLikeAssoc(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 13))
		pool := keyPool(r)
		if r.IntN(2) == 0 {
			pool = pool[:3+r.IntN(12)] // nil, colliding strings, a few others
		}
		start := startMap(r, pool)
		kept := []mapSnapshot{snapshotOf(start)}
		want := start
		tm := start.AsTransient()
		for step := 0; step < 200; step++ {
			k := pool[r.IntN(len(pool))]
			switch op := r.IntN(10); {
			case op < 4:
				want = want.Dissoc(k)
				tm.Dissoc(k)
			default:
				v := Value(int64(step))
				switch {
				case op == 9:
					v = Vector{k, int64(step)}
				case op == 8 && want.Has(k):
					v = want.Val(k) // the value already there
				}
				want = want.Assoc(k, v)
				tm.Assoc(k, v)
			}
			if tm.Len() != want.Len() {
				t.Fatalf("seed %d step %d: Len %d, want %d", seed, step, tm.Len(), want.Len())
			}
			q := pool[r.IntN(len(pool))]
			gv, gok := tm.Get(q)
			wv, wok := want.Get(q)
			if gok != wok || !Equal(gv, wv) || tm.Has(q) != wok || !Equal(tm.Val(q), wv) {
				t.Fatalf("seed %d step %d: Get %v = %v,%v, want %v,%v", seed, step, q, gv, gok, wv, wok)
			}
			if r.IntN(25) == 0 {
				got := tm.Persistent()
				sameMap(t, "seed "+strconv.Itoa(int(seed))+" step "+strconv.Itoa(step), got, want)
				if (got == want) != (want == kept[len(kept)-1].m) {
					t.Fatalf("seed %d step %d: Persistent gave a new map %v, persistent ops %v", seed, step, got != kept[len(kept)-1].m, want != kept[len(kept)-1].m)
				}
				kept = append(kept, snapshotOf(got))
				want = got // later steps start from the same map on both sides
			}
		}
		sameMap(t, "seed "+strconv.Itoa(int(seed))+" end", tm.Persistent(), want)
		for i, s := range kept {
			s.check(t, "seed "+strconv.Itoa(int(seed))+" map "+strconv.Itoa(i))
		}
	}
}

func TestTransientMapEdges(t *testing.T) {
	t.Run("nine keys make a hash map, eight keep insertion order", func(t *testing.T) {
		tm := (*Map)(nil).AsTransient()
		for i := 7; i >= 0; i-- {
			tm.Assoc(Kw("k"+strconv.Itoa(i)), int64(i))
		}
		m8 := tm.Persistent()
		if m8.IsHashMap() || m8.Keys()[0] != Kw("k7") {
			t.Fatalf("8 entries: %s", PrStr(m8))
		}
		tm.Assoc(Kw("k8"), int64(8))
		m9 := tm.Persistent()
		if !m9.IsHashMap() || m8.Len() != 8 {
			t.Fatalf("9 entries: %s (8: %s)", PrStr(m9), PrStr(m8))
		}
		for i := 0; i <= 8; i++ {
			tm.Dissoc(Kw("k" + strconv.Itoa(i)))
		}
		if e := tm.Persistent(); !e.IsHashMap() || e.Len() != 0 || m9.Len() != 9 {
			t.Fatalf("dissoc to empty: %s, hash map %v (9: %s)", PrStr(e), e.IsHashMap(), PrStr(m9))
		}
	})
	t.Run("nil key and colliding keys", func(t *testing.T) {
		m := NewHashMap(Kw("a"), int64(1))
		tm := m.AsTransient()
		tm.Assoc(nil, "nil")
		tm.Assoc("Aa", "aa")
		tm.Assoc("BB", "bb") // Java hashCode of "Aa" and "BB" collide
		tm.Assoc("Aa", "aa2")
		got := tm.Persistent()
		want := m.Assoc(nil, "nil").Assoc("Aa", "aa").Assoc("BB", "bb").Assoc("Aa", "aa2")
		sameMap(t, "collisions", got, want)
		tm.Dissoc("Aa")
		tm.Dissoc(nil)
		sameMap(t, "after dissoc", tm.Persistent(), want.Dissoc("Aa").Dissoc(nil))
		sameMap(t, "earlier result", got, want)
		if m.Len() != 1 {
			t.Fatalf("original changed: %s", PrStr(m))
		}
	})
	t.Run("a transient that changes nothing gives its map back", func(t *testing.T) {
		var kvs []Value
		for i := 0; i < 12; i++ {
			kvs = append(kvs, Kw("k"+strconv.Itoa(i)), int64(i))
		}
		for _, m := range []*Map{NewMap(kvs[:8]...), NewMap(kvs...), NewMap(append(kvs, nil, "x")...)} {
			tm := m.AsTransient()
			tm.Assoc(Kw("k3"), int64(3))
			tm.Dissoc(Kw("absent"))
			if m.Has(nil) {
				tm.Assoc(nil, "x")
			}
			if p := tm.Persistent(); p != m {
				t.Fatalf("map of %d: Persistent made a new map", m.Len())
			}
			tm.Assoc(Kw("k3"), int64(4))
			p := tm.Persistent()
			if p == m || p.Val(Kw("k3")) != int64(4) || m.Val(Kw("k3")) != int64(3) {
				t.Fatalf("map of %d: after a change: %s (was %s)", m.Len(), PrStr(p), PrStr(m))
			}
			if tm.Persistent() != p {
				t.Fatalf("map of %d: a second Persistent made a new map", m.Len())
			}
		}
		s := NewSet(Kw("a"), Kw("b"))
		ts := s.AsTransient()
		ts.Conj(Kw("a"))
		ts.Disj(Kw("c"))
		if ts.Persistent() != s {
			t.Fatal("set: Persistent made a new set")
		}
		ts.Disj(Kw("a"))
		if p := ts.Persistent(); p == s || p.Len() != 1 || s.Len() != 2 {
			t.Fatalf("set after a change: %s (was %s)", PrStr(p), PrStr(s))
		}
	})
	t.Run("a zero TransientMap and TransientSet start empty", func(t *testing.T) {
		var tm TransientMap
		var want *Map
		for i := 0; i < 40; i++ {
			tm.Assoc(int64(i), int64(i))
			want = want.Assoc(int64(i), int64(i))
		}
		first := tm.Persistent()
		tm.Dissoc(int64(3))
		sameMap(t, "zero transient", tm.Persistent(), want.Dissoc(int64(3)))
		sameMap(t, "its first result", first, want)
		var ts TransientSet
		ts.Conj(Kw("a"))
		if s := ts.Persistent(); s.Len() != 1 || !s.Has(Kw("a")) {
			t.Fatalf("zero transient set: %s", PrStr(s))
		}
	})
	t.Run("dissoc of an absent key changes nothing", func(t *testing.T) {
		m := NewMap(Kw("a"), int64(1))
		tm := m.AsTransient()
		tm.Dissoc(Kw("b"))
		tm.Dissoc(nil)
		sameMap(t, "array", tm.Persistent(), m)
	})
}

// TestTransientSetActsLikeConj is TestTransientMapActsLikeAssoc for sets.
func TestTransientSetActsLikeConj(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewPCG(seed, 17))
		pool := keyPool(r)
		if r.IntN(2) == 0 {
			pool = pool[:3+r.IntN(12)]
		}
		var items []Value
		for i := r.IntN(40); i > 0; i-- {
			items = append(items, pool[r.IntN(len(pool))])
		}
		start := NewSet(items...)
		if r.IntN(4) == 0 {
			start = nil
		}
		type snap struct {
			s       *Set
			printed string
		}
		kept := []snap{{start, PrStr(start)}}
		want, ts := start, start.AsTransient()
		for step := 0; step < 200; step++ {
			k := pool[r.IntN(len(pool))]
			if r.IntN(5) < 2 {
				want = want.Disj(k)
				ts.Disj(k)
			} else {
				want = want.Conj(k)
				ts.Conj(k)
			}
			if ts.Len() != want.Len() || ts.Has(k) != want.Has(k) {
				t.Fatalf("seed %d step %d: Len %d, want %d", seed, step, ts.Len(), want.Len())
			}
			if r.IntN(25) == 0 || step == 199 {
				got := ts.Persistent()
				if !sameOrder(got.Items(), want.Items()) || PrStr(got) != PrStr(want) {
					t.Fatalf("seed %d step %d:\n got %s\nwant %s", seed, step, PrStr(got), PrStr(want))
				}
				if d := sameTrie(got.t, want.t); d != "" {
					t.Fatalf("seed %d step %d: trie shape: %s", seed, step, d)
				}
				kept = append(kept, snap{got, PrStr(got)})
			}
		}
		for i, s := range kept {
			if PrStr(s.s) != s.printed {
				t.Fatalf("seed %d: set %d changed: %s, was %s", seed, i, PrStr(s.s), s.printed)
			}
		}
	}
}

// BenchmarkTransientAssoc is n assocs (new values for existing keys) into a
// hash map of size entries keyed by UUIDs, one by one and through a
// transient: all keys of a 100-entry map, and a few keys of a large one, as a
// replay step touches.
func BenchmarkTransientAssoc(b *testing.B) {
	for _, c := range []struct{ n, size int }{{100, 100}, {5, 1000}} {
		keys := make([]Value, c.size)
		var m *Map
		for i := range keys {
			keys[i] = UUID{Hi: uint64(i) * 0x9e3779b97f4a7c15, Lo: uint64(i)}
			m = m.Assoc(keys[i], int64(i))
		}
		keys = keys[:c.n]
		name := "assocs=" + strconv.Itoa(c.n) + "/entries=" + strconv.Itoa(c.size)
		b.Run(name+"/persistent", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m2 := m
				for i, k := range keys {
					m2 = m2.Assoc(k, int64(i+1))
				}
			}
			b.ReportMetric(float64(b.N*len(keys))/b.Elapsed().Seconds(), "assocs/s")
		})
		b.Run(name+"/transient", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tm := m.AsTransient()
				for i, k := range keys {
					tm.Assoc(k, int64(i+1))
				}
				tm.Persistent()
			}
			b.ReportMetric(float64(b.N*len(keys))/b.Elapsed().Seconds(), "assocs/s")
		})
	}
}

// TestAssocOfTheSameValueKeepsTheMap: Clojure's assoc returns the map itself
// when the value is the one already there; a value that is = but prints
// otherwise (-0.0 for 0.0, 1N for 1) still makes a new map.
func TestAssocOfTheSameValueKeepsTheMap(t *testing.T) {
	inner := NewMap(Kw("x"), int64(1))
	vec := Vector{Kw("a")}
	var kvs []Value
	for i := 0; i < 20; i++ {
		kvs = append(kvs, Kw("k"+strconv.Itoa(i)), int64(i))
	}
	kvs = append(kvs, nil, "nil", "Aa", 0.0, "BB", inner, Kw("vec"), vec)
	for _, m := range []*Map{NewMap(kvs[:8]...), NewMap(kvs...)} {
		for _, c := range []struct {
			k, v Value
			same bool
		}{
			{Kw("k3"), int64(3), true},
			{Kw("k3"), big.NewInt(3), false},
			{Kw("k3"), int64(4), false},
			{nil, "nil", true},
			{"Aa", 0.0, true},
			{"Aa", math.Copysign(0, -1), false},
			{"BB", inner, true},
			{"BB", NewMap(Kw("x"), int64(1)), false},
			{Kw("vec"), vec, true},
			{Kw("vec"), Vector{Kw("a")}, false},
		} {
			if !m.Has(c.k) {
				continue
			}
			got := m.Assoc(c.k, c.v)
			if (got == m) != c.same || !SameRef(got.Val(c.k), c.v) {
				t.Errorf("map of %d: assoc %s %s: same map %v, want %v", m.Len(), PrStr(c.k), PrStr(c.v), got == m, c.same)
			}
			tm := m.AsTransient()
			tm.Assoc(c.k, c.v)
			if p := tm.Persistent(); PrStr(p) != PrStr(got) {
				t.Errorf("map of %d: transient assoc %s %s: %s, want %s", m.Len(), PrStr(c.k), PrStr(c.v), PrStr(p), PrStr(got))
			}
		}
	}
}
