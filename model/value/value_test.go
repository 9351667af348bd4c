package value

import (
	"math"
	"math/big"
	"os"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"
)

// The printed order of these fixtures is Clojure 1.11's iteration order, so
// rebuilding them here must iterate identically.
func TestHashOrderMatchesClojure(t *testing.T) {
	t.Run("set of 20 namespaced keywords", func(t *testing.T) {
		names := regexp.MustCompile(`:onyx\.tag/(t\d+)`).FindAllStringSubmatch(readFile(t, "testdata/set-20-kw.edn"), -1)
		var want, items []Value
		for _, n := range names {
			want = append(want, NSKw("onyx.tag", n[1]))
		}
		for i := 0; i < 20; i++ { // insertion order must not matter
			items = append(items, NSKw("onyx.tag", "t"+strconv.Itoa(i)))
		}
		assertOrder(t, NewSet(items...).Items(), want)
	})
	t.Run("uuid-keyed hash map of 9", func(t *testing.T) {
		m := regexp.MustCompile(`#uuid "([0-9a-f-]+)" (\d+)`).FindAllStringSubmatch(readFile(t, "testdata/map-uuid-keys-9.edn"), -1)
		var want, kvs []Value
		for _, x := range m {
			want = append(want, MustUUID(x[1]))
		}
		for i := len(m) - 1; i >= 0; i-- {
			n, _ := strconv.ParseInt(m[i][2], 10, 64)
			kvs = append(kvs, MustUUID(m[i][1]), n)
		}
		assertOrder(t, NewMap(kvs...).Keys(), want)
	})
	t.Run("keyword->long hash map of 200 built by assoc", func(t *testing.T) {
		m := regexp.MustCompile(`:(k\d+) `).FindAllStringSubmatch(readFile(t, "testdata/map-200.edn"), -1)
		var want []Value
		for _, x := range m {
			want = append(want, Kw(x[1]))
		}
		var acc *Map
		for i := 0; i < 200; i++ {
			acc = acc.Assoc(Kw("k"+strconv.Itoa(i)), int64(i))
		}
		assertOrder(t, acc.Keys(), want)
	})
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertOrder(t *testing.T, got, want []Value) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i := range got {
		if !Equal(got[i], want[i]) {
			t.Fatalf("item %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

// Known hasheq values printed by Clojure 1.11's (hash x).
func TestHashKnownValues(t *testing.T) {
	cases := []struct {
		name string
		v    Value
		want int32
	}{
		{"nil", nil, 0},
		{"long 1", int64(1), 1392991556},
		{"keyword :a", Kw("a"), -2123407586},
		{"empty vector", Vector{}, -2017569654},
		{"empty map", NewMap(), -15128758},
		{"empty set", NewSet(), -15128758},
		{"empty list equals empty vector hash", List{}, -2017569654},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Hash(c.v); got != c.want {
				t.Errorf("Hash(%v) = %d, want %d", c.v, got, c.want)
			}
		})
	}
}

func TestEqualFollowsClojure(t *testing.T) {
	cases := []struct {
		name string
		a, b Value
		want bool
	}{
		{"1 is not 1.0", int64(1), 1.0, false},
		{"1 is 1N", int64(1), big.NewInt(1), true},
		{"vector equals list", Vector{int64(1), Kw("a")}, List{int64(1), Kw("a")}, true},
		{"maps ignore order", NewMap(Kw("a"), int64(1), Kw("b"), int64(2)), NewMap(Kw("b"), int64(2), Kw("a"), int64(1)), true},
		{"nil value differs from absent key", NewMap(Kw("a"), nil), NewMap(), false},
		{"sets by content", NewSet(Kw("x"), Kw("y")), NewSet(Kw("y"), Kw("x")), true},
		{"keyword vs symbol", Kw("a"), Sym("a"), false},
		{"0.0 is -0.0", 0.0, math.Copysign(0, -1), true},
		{"a hash map equals an array map", NewHashMap(Kw("a"), int64(1), "b", Vector{}), NewMap("b", List{}, Kw("a"), big.NewInt(1)), true},
		{"inst by millisecond", Inst{time.UnixMilli(5)}, Inst{time.UnixMilli(5).Add(time.Microsecond)}, true},
	}
	// Tries compare keys with = alone, without their hashes: equal values
	// must hash alike.
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Equal(c.a, c.b); got != c.want {
				t.Errorf("Equal = %v, want %v", got, c.want)
			}
			if c.want && Hash(c.a) != Hash(c.b) {
				t.Errorf("equal values hash differently: %d vs %d", Hash(c.a), Hash(c.b))
			}
		})
	}
}

func TestArrayMapBecomesHashMapAtNine(t *testing.T) {
	var m *Map
	for i := 0; i < 8; i++ {
		m = m.Assoc(Kw("k"+strconv.Itoa(i)), int64(i))
	}
	if m.IsHashMap() {
		t.Fatal("8 entries should still be an array map")
	}
	for i, k := range m.Keys() {
		if k != Kw("k"+strconv.Itoa(i)) {
			t.Fatalf("array map order broken at %d: %v", i, k)
		}
	}
	m9 := m.Assoc(Kw("k8"), int64(8))
	if !m9.IsHashMap() {
		t.Fatal("9 entries should be a hash map")
	}
	if m9.Dissoc(Kw("k8")).IsHashMap() != true {
		t.Fatal("dissoc must not turn a hash map back into an array map")
	}
	if m.Len() != 8 || m9.Len() != 9 {
		t.Fatal("assoc changed the original map")
	}
}

func TestUUIDOrderIsJavas(t *testing.T) {
	hi := MustUUID("a72c0000-0000-4000-8000-000000000000")
	lo := MustUUID("3f6e0000-0000-4000-8000-000000000000")
	if Compare(hi, lo) >= 0 {
		t.Fatal("a uuid with a negative most-significant long must sort first")
	}
	if s := MustUUID("f47ac10b-58cc-4372-a567-0e02b2c3d479").String(); s != "f47ac10b-58cc-4372-a567-0e02b2c3d479" {
		t.Fatalf("round trip: %s", s)
	}
}

func TestKeywordOrder(t *testing.T) {
	if Compare(Kw("b"), NSKw("a", "a")) >= 0 {
		t.Fatal("a keyword without namespace sorts before one with")
	}
	if Compare(Kw("a"), Kw("b")) >= 0 {
		t.Fatal(":a < :b")
	}
}

func TestAssocInCreatesLevels(t *testing.T) {
	m := AssocIn(nil, []Value{Kw("allocations"), Kw("j1"), Kw("t1")}, Vector{Kw("p1")})
	if got := GetIn(m, Kw("allocations"), Kw("j1"), Kw("t1")); !Equal(got, Vector{Kw("p1")}) {
		t.Fatalf("GetIn after AssocIn = %v", got)
	}
}

func TestHashOrderKeyOrdersLikeAHashMap(t *testing.T) {
	var kvs, keys []Value
	for i := 0; i < 200; i++ {
		k := Kw("k" + strconv.Itoa(i))
		keys = append(keys, k)
		kvs = append(kvs, k, int64(i))
	}
	sort.SliceStable(keys, func(i, j int) bool { return HashOrderKey(keys[i]) < HashOrderKey(keys[j]) })
	assertOrder(t, keys, NewHashMap(kvs...).Keys())
}
