package value

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// randomValue builds a value of every kind the Packer knows, maps of both
// kinds and sizes around the array-map limit, and keys whose hashes collide.
func randomValue(r *rand.Rand, pool []Value, depth int) Value {
	if depth > 3 {
		return pool[r.IntN(len(pool))]
	}
	switch r.IntN(20) {
	case 0:
		return Vector{randomValue(r, pool, depth+1), randomValue(r, pool, depth+1)}
	case 1:
		return List{randomValue(r, pool, depth+1)}
	case 2, 3, 4: // a map built by assoc and dissoc: array or hash, small or large
		var m *Map
		if r.IntN(3) == 0 {
			m = NewHashMap()
		}
		for range r.IntN(14) {
			m = m.Assoc(pool[r.IntN(len(pool))], randomValue(r, pool, depth+1))
			if r.IntN(4) == 0 {
				m = m.Dissoc(pool[r.IntN(len(pool))])
			}
		}
		return m
	case 5:
		var s *Set
		for range r.IntN(12) {
			s = s.Conj(pool[r.IntN(len(pool))])
		}
		return s
	case 6:
		return Tagged{Tag: "my/tag", Value: randomValue(r, pool, depth+1)}
	case 7:
		return Opaque{Kind: "record", Class: "onyx.X", Text: "x", Raw: []byte{1, 2, 3}}
	case 8:
		return big.NewInt(0).Lsh(big.NewInt(-r.Int64N(1000)), 70)
	case 9:
		return big.NewRat(-3, 7)
	case 10:
		return BigDec{Unscaled: big.NewInt(12345), Scale: -2}
	case 11:
		return Inst{time.UnixMilli(r.Int64N(1 << 42)).In(time.FixedZone("", -8*3600))}
	case 12:
		return Bytes{0, 255, byte(r.IntN(256))}
	case 13:
		return Char('λ')
	case 14:
		return r.Float64() * 1e9
	case 15:
		return Sym("clojure.core/inc")
	}
	return pool[r.IntN(len(pool))]
}

// sameShape reports where a and b differ in kind of map (array or hash) or in
// iteration order, which Equal does not see.
func sameShape(a, b Value) bool {
	switch x := a.(type) {
	case *Map:
		y, ok := b.(*Map)
		if !ok || x.IsHashMap() != y.IsHashMap() || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			ka, va := x.At(i)
			kb, vb := y.At(i)
			if !Equal(ka, kb) || !sameShape(ka, kb) || !sameShape(va, vb) {
				return false
			}
		}
	case *Set:
		y, ok := b.(*Set)
		if !ok || !sameOrder(x.Items(), y.Items()) {
			return false
		}
	case Vector:
		y, ok := b.(Vector)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				return false
			}
		}
	}
	return true
}

func TestPackRoundTripsExactly(t *testing.T) {
	p := NewPacker()
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		pool := keyPool(r)
		v := randomValue(r, pool, 0)
		b, err := p.Pack([]byte{0xAA}, v)
		if err != nil {
			t.Fatalf("seed %d: pack %s: %v", seed, PrStr(v), err)
		}
		got, n, err := p.Unpack(b[1:])
		if err != nil || n != len(b)-1 {
			t.Fatalf("seed %d: unpack: %v (read %d of %d bytes)", seed, err, n, len(b)-1)
		}
		if !Equal(v, got) || PrStr(v) != PrStr(got) || !sameShape(v, got) || Hash(v) != Hash(got) {
			t.Fatalf("seed %d: packed\n%s\nunpacked\n%s", seed, PrStr(v), PrStr(got))
		}
	}
}

func TestPackKeepsMapKindAndOrder(t *testing.T) {
	p := NewPacker()
	// An empty hash map stays one: assoc onto it then goes in hash order.
	empty := NewHashMap()
	v, _, _ := p.Unpack(must(p.Pack(nil, empty)))
	if !v.(*Map).IsHashMap() {
		t.Fatal("an empty hash map came back as an array map")
	}
	// A hash map of three entries keeps hash order, an array map insertion order.
	h := NewHashMap(Kw("c"), int64(1), Kw("a"), int64(2), Kw("b"), int64(3))
	a := NewMap(Kw("c"), int64(1), Kw("a"), int64(2), Kw("b"), int64(3))
	for _, m := range []*Map{h, a} {
		v, _, _ := p.Unpack(must(p.Pack(nil, m)))
		if !sameShape(m, v) {
			t.Fatalf("%s came back as %s (hash map %v)", PrStr(m), PrStr(v), v.(*Map).IsHashMap())
		}
	}
	// Keys whose hashes collide keep the order they were assoc'ed in.
	var m *Map = NewHashMap()
	for _, k := range []string{"BB", "Aa", "BBBB", "AaAa"} {
		m = m.Assoc(k, int64(len(k)))
	}
	v, _, _ = p.Unpack(must(p.Pack(nil, m)))
	if !sameShape(m, v) {
		t.Fatalf("colliding keys: %s came back as %s", PrStr(m), PrStr(v))
	}
}

func TestPackRefusesWhatIsNotAValue(t *testing.T) {
	p := NewPacker()
	b, err := p.Pack([]byte("x"), Vector{int64(1), struct{}{}})
	if !errors.Is(err, ErrUnpackable) || string(b) != "x" {
		t.Fatalf("got %q, %v; want dst unchanged and ErrUnpackable", b, err)
	}
}

func TestUnpackNamesTheBadByte(t *testing.T) {
	p := NewPacker()
	b := must(p.Pack(nil, Vector{"abc", Kw("k")}))
	for cut := 0; cut < len(b); cut++ {
		if _, _, err := p.Unpack(b[:cut]); err == nil {
			t.Fatalf("%d of %d bytes unpacked without error", cut, len(b))
		}
	}
	if _, _, err := p.Unpack([]byte{pkVector, 1, 99}); err == nil || err.Error() != "packed value at byte 2: unknown tag 99" {
		t.Fatalf("got %v", err)
	}
	for _, tag := range []byte{pkArrayMap, pkHashMap} {
		twice := []byte{tag, 2, pkInt, 2, pkNil, pkInt, 2, pkTrue} // {1 nil, 1 true}
		if _, _, err := p.Unpack(twice); err == nil || !strings.Contains(err.Error(), "repeated key") {
			t.Fatalf("a map repeating a key: %v", err)
		}
	}
	if _, _, err := p.Unpack([]byte{pkName, 7}); err == nil {
		t.Fatal("a keyword number past the table unpacked")
	}
}

func FuzzUnpack(f *testing.F) {
	p := NewPacker()
	r := rand.New(rand.NewPCG(5, 5))
	pool := keyPool(r)
	for range 20 {
		f.Add(must(p.Pack(nil, randomValue(r, pool, 0))))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, n, err := p.Unpack(b)
		if err != nil {
			return
		}
		if n > len(b) {
			t.Fatalf("read %d of %d bytes", n, len(b))
		}
		// What unpacks packs again to bytes that unpack and pack to the
		// same bytes (NaN is not = to itself, so bytes, not Equal).
		again, err := p.Pack(nil, v)
		if err != nil {
			t.Fatalf("repack %s: %v", PrStr(v), err)
		}
		w, _, err := p.Unpack(again)
		if err != nil {
			t.Fatalf("repacked %s does not unpack: %v", PrStr(v), err)
		}
		if third := must(p.Pack(nil, w)); !bytes.Equal(again, third) {
			t.Fatalf("%s packs to % x, its unpacked copy %s to % x", PrStr(v), again, PrStr(w), third)
		}
	})
}

func BenchmarkUnpackEntry(b *testing.B) {
	p := NewPacker()
	e := NewMap(KeyFn, Kw("volunteer-for-task"), KeyArgs, NewMap(Kw("id"), UUID{Hi: 1, Lo: 2}))
	packed := must(p.Pack(nil, e))
	b.ReportMetric(float64(len(packed)), "bytes")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := p.Unpack(packed); err != nil {
			b.Fatal(err)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
