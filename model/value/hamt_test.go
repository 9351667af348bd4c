package value

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

// keyPool mixes the key types replicas use with nil and strings whose Java
// hashCodes collide ("Aa" and "BB"), so collision nodes are exercised.
func keyPool(r *rand.Rand) []Value {
	pool := []Value{nil, "Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", int64(0), int64(-1), true}
	for i := 0; i < 60; i++ {
		pool = append(pool, Kw("k"+strconv.Itoa(i)), UUID{Hi: r.Uint64(), Lo: r.Uint64()}, int64(r.IntN(1000)))
	}
	return pool
}

// TestTrieAgreesWithReference runs random assoc/dissoc sequences on Map and on
// the naive sorted-slice reference and requires the same iteration order,
// lookups and sizes after every step, and that old versions never change.
func TestTrieAgreesWithReference(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		pool := keyPool(r)
		var m *Map
		var ref *refMap
		var s *Set
		var rs *refSet
		type snap struct {
			m    *Map
			keys []Value
		}
		var snaps []snap
		for step := 0; step < 400; step++ {
			k := pool[r.IntN(len(pool))]
			if r.IntN(3) == 0 {
				m, ref, s, rs = m.Dissoc(k), ref.Dissoc(k), s.Disj(k), rs.Disj(k)
			} else {
				v := int64(step)
				m, ref, s, rs = m.Assoc(k, v), ref.Assoc(k, v), s.Conj(k), rs.Conj(k)
			}
			if m.IsHashMap() != ref.IsHashMap() || m.Len() != ref.Len() || s.Len() != rs.Len() {
				t.Fatalf("seed %d step %d: len/kind %d/%v vs reference %d/%v", seed, step, m.Len(), m.IsHashMap(), ref.Len(), ref.IsHashMap())
			}
			if got, want := m.Keys(), ref.Keys(); !sameOrder(got, want) {
				t.Fatalf("seed %d step %d: map order\n got %v\nwant %v", seed, step, got, want)
			}
			if got, want := s.Items(), rs.Items(); !sameOrder(got, want) {
				t.Fatalf("seed %d step %d: set order\n got %v\nwant %v", seed, step, got, want)
			}
			for _, q := range pool {
				gv, gok := m.Get(q)
				wv, wok := ref.Get(q)
				if gok != wok || !Equal(gv, wv) || s.Has(q) != rs.Has(q) {
					t.Fatalf("seed %d step %d: lookup %v: got %v,%v want %v,%v", seed, step, q, gv, gok, wv, wok)
				}
			}
			if step%50 == 0 {
				snaps = append(snaps, snap{m, m.Keys()})
			}
		}
		for i, sn := range snaps {
			if !sameOrder(sn.m.Keys(), sn.keys) {
				t.Fatalf("seed %d: snapshot %d changed after later assocs", seed, i)
			}
		}
	}
}

func sameOrder(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func TestBuiltAndAssocedMapsIterateAlike(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	pool := keyPool(r)
	var kvs []Value
	var m *Map
	for i, k := range pool {
		kvs = append(kvs, k, int64(i))
		m = m.Assoc(k, int64(i))
	}
	built := NewMap(kvs...)
	if !sameOrder(built.Keys(), m.Keys()) || !Equal(built, m) || Hash(built) != Hash(m) {
		t.Fatal("a map built at once must equal, hash and iterate like one built by assoc")
	}
}

func TestDedupReportsFirstRepeat(t *testing.T) {
	kvs := []Value{}
	for i := 0; i < 20; i++ {
		kvs = append(kvs, int64(i), int64(i))
	}
	kvs = append(kvs, int64(7), "again")
	m, at := NewMapDedup(kvs...)
	if at != 40 || m.Len() != 20 || m.Val(int64(7)) != "again" {
		t.Fatalf("dedup: at %d len %d val %v", at, m.Len(), m.Val(int64(7)))
	}
	if _, at := NewSetDedup(Kw("a"), Kw("b")); at != -1 {
		t.Fatalf("no repeat reported at %d", at)
	}
}

func BenchmarkAssoc(b *testing.B) {
	for _, n := range []int{8, 100, 1000} {
		b.Run("entries="+strconv.Itoa(n), func(b *testing.B) {
			var m *Map
			keys := make([]Value, n)
			for i := range keys {
				keys[i] = UUID{Hi: uint64(i) * 0x9e3779b97f4a7c15, Lo: uint64(i)}
				m = m.Assoc(keys[i], int64(i))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.Assoc(keys[i%n], int64(i))
				i++
			}
		})
	}
}

// TestLookupsKeepClojureEquality checks the lookups that skip Equal for
// keyword, UUID and string keys against keys of other types that look alike,
// in array maps and hash maps, and the zero Keyword, which is a legal key.
func TestLookupsKeepClojureEquality(t *testing.T) {
	u := UUID{Hi: 1, Lo: 2}
	kvs := []Value{
		Kw("a"), "kw", Sym("a"), "sym", "a", "str", u, "uuid", Keyword{}, "zero",
		int64(1), "one", Tagged{Tag: "a", Value: "a"}, "tagged",
	}
	for i := 0; i < 12; i++ { // pad a second copy past eight entries
		kvs = append(kvs, Kw("pad"+strconv.Itoa(i)), int64(i))
	}
	cases := []struct {
		name string
		key  Value
		want Value
	}{
		{"keyword", Kw("a"), "kw"},
		{"symbol of the same name", Sym("a"), "sym"},
		{"string of the same name", "a", "str"},
		{"uuid", UUID{Hi: 1, Lo: 2}, "uuid"},
		{"zero keyword", Keyword{}, "zero"},
		{"1N finds 1", big.NewInt(1), "one"},
		{"namespaced keyword is another key", NSKw("x", "a"), nil},
		{"uuid with other bits", UUID{Hi: 2, Lo: 1}, nil},
	}
	for _, m := range []*Map{NewMap(kvs[:14]...), NewMap(kvs...), NewHashMap(kvs[:14]...)} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s in a map of %d (hash %v)", c.name, m.Len(), m.IsHashMap()), func(t *testing.T) {
				got, ok := m.Get(c.key)
				if ok != (c.want != nil) || !Equal(got, c.want) {
					t.Fatalf("Get(%s) = %v,%v, want %v", PrStr(c.key), got, ok, c.want)
				}
			})
		}
	}
}

// collidingStrings returns n distinct strings with one Java hashCode (and so
// one hasheq): words of "Aa" and "BB" blocks.
func collidingStrings(n int) []Value {
	out := make([]Value, 0, n)
	for i := 0; len(out) < n; i++ {
		w := ""
		for b := 0; b < 8; b++ {
			if i>>b&1 == 0 {
				w += "Aa"
			} else {
				w += "BB"
			}
		}
		out = append(out, w)
	}
	return out
}

// TestLargeCollisionNodesAgreeWithReference drives one collision node past
// the 32 entries a block holds and the 63 a node's capacity bits count,
// persistently and through a transient, with a few other keys beside it,
// and requires the reference's order and contents, the same trie for maps
// built at once, and old versions unchanged.
func TestLargeCollisionNodesAgreeWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	pool := append(collidingStrings(80), Kw("a"), Kw("b"), int64(7), nil)
	if Hash(pool[0]) != Hash(pool[79]) {
		t.Fatal("the strings do not collide")
	}
	var m *Map
	var ref *refMap
	tm := m.AsTransient()
	first, peak := NewMap(), 0
	for step := 0; step < 600; step++ {
		k := pool[r.IntN(len(pool))]
		if step < 150 || r.IntN(3) != 0 {
			v := int64(step)
			m, ref = m.Assoc(k, v), ref.Assoc(k, v)
			tm.Assoc(k, v)
		} else {
			m, ref = m.Dissoc(k), ref.Dissoc(k)
			tm.Dissoc(k)
		}
		if step == 120 {
			first = m
		}
		peak = max(peak, m.Len())
		where := "step " + strconv.Itoa(step)
		if !sameOrder(m.Keys(), ref.Keys()) || !sameOrder(m.Vals(), ref.Vals()) {
			t.Fatalf("%s: order\n got %v\nwant %v", where, m.Keys(), ref.Keys())
		}
		if step%7 == 0 {
			sameMap(t, where+" transient", tm.Persistent(), m)
		}
		if step%50 == 0 && m.IsHashMap() {
			var kvs []Value
			m.Range(func(k, v Value) bool { kvs = append(kvs, k, v); return true })
			sameMap(t, where+" NewMap", NewMap(kvs...), m)
			sameMap(t, where+" NewMapFrom", NewMapFrom(kvs), m)
		}
	}
	if first.Len() < 33+4 || peak < 64+4 {
		t.Fatalf("the map had %d keys at step 120 and %d at most: want past 32 and 63 colliding keys", first.Len(), peak)
	}
	kept := snapshotOf(first)
	for _, k := range pool {
		first.Dissoc(k)
		first.Assoc(k, "x")
	}
	kept.check(t, "the map at step 120")
}
