package value

import (
	"math/rand/v2"
	"testing"
)

// keyByKeyEqual is Map.equal without the trie walk: the definition the walk
// must agree with.
func keyByKeyEqual(a, b *Map) bool { return a.Len() == b.Len() && a.equalKeyByKey(b) }

// TestEqualOfSharedTriesAgreesWithKeyByKey compares maps and sets that share
// structure (versions of one history), equal maps built by other histories
// (other shapes), and maps holding maps, under keys that collide, and
// requires Equal to agree with the key-by-key definition every time.
func TestEqualOfSharedTriesAgreesWithKeyByKey(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		pool := keyPool(r)
		inner := []Value{NewMap(Kw("a"), int64(1)), NewMap(Kw("a"), int64(1)), NewMap(Kw("a"), int64(2)), int64(1), int64(2)}
		var versions []*Map
		var sets []*Set
		var m *Map
		var s *Set
		for step := 0; step < 300; step++ {
			k := pool[r.IntN(len(pool))]
			switch r.IntN(4) {
			case 0:
				m, s = m.Dissoc(k), s.Disj(k)
			default:
				m, s = m.Assoc(k, inner[r.IntN(len(inner))]), s.Conj(k)
			}
			versions, sets = append(versions, m), append(sets, s)
			// the same content by another history: rebuilt in reverse order
			es := m.Entries()
			var rebuilt *Map
			var rebuiltSet *Set
			for i := len(es) - 1; i >= 0; i-- {
				rebuilt, rebuiltSet = rebuilt.Assoc(es[i].Key, es[i].Val), rebuiltSet.Conj(es[i].Key)
			}
			versions, sets = append(versions, rebuilt), append(sets, rebuiltSet)
		}
		for i := 0; i < 4000; i++ {
			x, y := r.IntN(len(versions)), r.IntN(len(versions))
			if r.IntN(2) == 0 { // neighbours share the most
				y = min(x+1+r.IntN(4), len(versions)-1)
			}
			a, b := versions[x], versions[y]
			if got, want := Equal(a, b), keyByKeyEqual(a, b); got != want {
				t.Fatalf("seed %d: Equal(v%d, v%d) = %v, key by key %v\n%v\n%v", seed, x, y, got, want, PrStr(a), PrStr(b))
			}
			if got, want := Equal(NewMap(Kw("m"), a), NewMap(Kw("m"), b)), keyByKeyEqual(a, b); got != want {
				t.Fatalf("seed %d: nested Equal(v%d, v%d) = %v, want %v", seed, x, y, got, want)
			}
			sa, sb := sets[x], sets[y]
			want := sa.Len() == sb.Len()
			sa.Range(func(v Value) bool { want = want && sb.Has(v); return want })
			if got := Equal(sa, sb); got != want {
				t.Fatalf("seed %d: Equal(set v%d, set v%d) = %v, member by member %v", seed, x, y, got, want)
			}
		}
	}
}

// TestEqualDecidesSharedTriesByTheirDifference checks that the walk, not the
// fallback, answers for two big maps one assoc apart, both ways.
func TestEqualDecidesSharedTriesByTheirDifference(t *testing.T) {
	var m *Map
	for i := range 5000 {
		m = m.Assoc(int64(i), NewMap(Kw("n"), int64(i)))
	}
	same := m.Assoc(int64(7), NewMap(Kw("n"), int64(7))) // equal, not identical
	other := m.Assoc(int64(7), NewMap(Kw("n"), int64(8)))
	if same == m {
		t.Fatal("the test needs a copy of the path, not the map itself")
	}
	if eq, decided := equalTries(m.t, same.t, true); !eq || !decided {
		t.Errorf("equal maps: equalTries = %v, %v; want true, true", eq, decided)
	}
	if eq, decided := equalTries(m.t, other.t, true); eq || !decided {
		t.Errorf("different maps: equalTries = %v, %v; want false, true", eq, decided)
	}
}

// BenchmarkEqualSharedMaps is Equal of a 5,000-key map and its copy with one
// value replaced by an equal one: the timeline's "did this key change?".
func BenchmarkEqualSharedMaps(b *testing.B) {
	var m *Map
	for i := range 5000 {
		m = m.Assoc(int64(i), NewMap(Kw("n"), int64(i)))
	}
	same := m.Assoc(int64(7), NewMap(Kw("n"), int64(7)))
	b.ReportAllocs()
	for b.Loop() {
		if !Equal(m, same) {
			b.Fatal("not equal")
		}
	}
}
