package value

import (
	"strconv"
	"testing"
)

// The read paths a replay step spends its time in: = on map keys, lookups
// by UUID and keyword, walks over a whole map.

func BenchmarkEqual(b *testing.B) {
	u1 := UUID{Hi: 0x9e3779b97f4a7c15, Lo: 42}
	u2 := UUID{Hi: 0x9e3779b97f4a7c15, Lo: 43}
	m1 := NewMap(Kw("a"), int64(1), Kw("b"), u1, Kw("c"), "x")
	m2 := NewMap(Kw("a"), int64(1), Kw("b"), u1, Kw("c"), "x")
	cases := []struct {
		name string
		a, b Value
	}{
		{"uuid=same", u1, u1},
		{"uuid=other", u1, u2},
		{"keyword=same", Kw("onyx/name"), Kw("onyx/name")},
		{"keyword=other", Kw("onyx/name"), Kw("onyx/type")},
		{"keyword=uuid", Kw("onyx/name"), u1},
		{"int64=same", int64(7), int64(7)},
		{"string=same", "peer-1", "peer-1"},
		{"map3=same", m1, m2},
		{"vector=same", Vector{Kw("a"), u1}, Vector{Kw("a"), u1}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Equal(c.a, c.b)
			}
		})
	}
}

func benchKeys(kind string, n int) []Value {
	keys := make([]Value, n)
	for i := range keys {
		if kind == "uuid" {
			keys[i] = UUID{Hi: uint64(i) * 0x9e3779b97f4a7c15, Lo: uint64(i) * 0xbf58476d1ce4e5b9}
		} else {
			keys[i] = Kw("k" + strconv.Itoa(i))
		}
	}
	return keys
}

func BenchmarkMapVal(b *testing.B) {
	for _, kind := range []string{"uuid", "keyword"} {
		for _, n := range []int{8, 100} {
			keys := benchKeys(kind, n)
			var m *Map
			for i, k := range keys {
				m = m.Assoc(k, int64(i))
			}
			b.Run(kind+"/entries="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					for _, k := range keys {
						m.Val(k)
					}
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "lookups/s")
			})
		}
	}
}

func BenchmarkMapRange(b *testing.B) {
	for _, n := range []int{8, 100, 1000} {
		keys := benchKeys("uuid", n)
		var m *Map
		for i, k := range keys {
			m = m.Assoc(k, int64(i))
		}
		b.Run("entries="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			sum := int64(0)
			for b.Loop() {
				m.Range(func(_, v Value) bool { sum += v.(int64); return true })
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

func BenchmarkSetHas(b *testing.B) {
	keys := benchKeys("uuid", 100)
	s := NewSet(keys...)
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range keys {
			s.Has(k)
		}
	}
}
