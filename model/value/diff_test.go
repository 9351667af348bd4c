package value

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// TestDiffKeysAgreesWithANaiveDiff edits random maps (hash and array, with
// nil keys and colliding hashes) and requires DiffKeys to report exactly the
// keys a naive comparison finds, and nothing shared.
func TestDiffKeysAgreesWithANaiveDiff(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 9))
		pool := keyPool(r)
		var a *Map
		for i := 0; i < r.IntN(60); i++ {
			a = a.Assoc(pool[r.IntN(len(pool))], int64(i))
		}
		b := a
		for i := 0; i < 1+r.IntN(6); i++ {
			k := pool[r.IntN(len(pool))]
			if r.IntN(3) == 0 {
				b = b.Dissoc(k)
			} else {
				b = b.Assoc(k, int64(1000+i))
			}
		}
		got := map[string]bool{}
		DiffKeys(a, b, func(k, va, vb Value, inA, inB bool) {
			if inA && inB && Equal(va, vb) {
				return // reported but equal: allowed, not a change
			}
			got[PrStr(k)] = true
		})
		want := map[string]bool{}
		for _, k := range append(a.Keys(), b.Keys()...) {
			va, oka := a.Get(k)
			vb, okb := b.Get(k)
			if oka != okb || !Equal(va, vb) {
				want[PrStr(k)] = true
			}
		}
		if !sameStrings(got, want) {
			t.Fatalf("seed %d: DiffKeys found %v, want %v", seed, keys(got), keys(want))
		}
	}
}

func TestDiffKeysSkipsSharedSubtrees(t *testing.T) {
	var a *Map
	for i := 0; i < 5000; i++ {
		a = a.Assoc(int64(i), NewMap(Kw("n"), int64(i)))
	}
	b := a.Assoc(int64(17), "changed")
	calls := 0
	DiffKeys(a, b, func(k, va, vb Value, inA, inB bool) {
		calls++
		if k != int64(17) {
			t.Fatalf("reported an untouched key %v", k)
		}
	})
	if calls != 1 {
		t.Fatalf("%d reports, want 1", calls)
	}
}

func sameStrings(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func BenchmarkDiffKeys(b *testing.B) {
	var m *Map
	ids := make([]UUID, 1000)
	for i := range ids {
		ids[i] = UUID{Hi: uint64(i) * 0x9e3779b97f4a7c15, Lo: uint64(i)}
		m = m.Assoc(ids[i], int64(i))
	}
	m2 := m.Assoc(ids[5], "x")
	b.ReportAllocs()
	for b.Loop() {
		DiffKeys(m, m2, func(k, va, vb Value, inA, inB bool) {})
	}
}

func TestSameRefIsIdentityNotEquality(t *testing.T) {
	a := Vector{Kw("x")}
	b := Vector{Kw("x")}
	m := NewMap(Kw("k"), int64(1))
	for _, c := range []struct {
		name string
		x, y Value
		want bool
	}{
		{"a vector is itself", a, a, true},
		{"an equal vector with its own array is not", a, b, false},
		{"a prefix of the same array is not", a, a[:0], false},
		{"a map is itself", m, m, true},
		{"an equal map built apart is not", m, NewMap(Kw("k"), int64(1)), false},
		{"nil is nil", nil, nil, true},
		{"equal scalars are the same immutable value", int64(1), int64(1), true},
		{"a long is not a double", int64(1), 1.0, false},
		{"byte arrays are never known the same", Bytes{1}, Bytes{1}, false},
	} {
		if got := SameRef(c.x, c.y); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
