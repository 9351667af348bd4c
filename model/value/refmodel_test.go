package value

import (
	"slices"
	"sort"
)

// refMap and refSet are the first, naive implementation of Map and Set: one
// slice kept in iteration order, copied whole on every change. They are kept
// as the reference the trie is checked against (reference_test.go).

// reads as empty; operations never return nil.
type refMap struct {
	es     entries
	hashed bool // PersistentHashMap rather than PersistentArrayMap
}

// and decoders do (RT.map, transient into {}): up to eight entries in the given
// order, more in hash order. A repeated key keeps its first position and last value.
func refNewMap(kvs ...Value) *refMap {
	n := len(kvs) / 2
	if n <= arrayMapMax {
		m := &refMap{es: make(entries, 0, n)}
		for i := 0; i+1 < len(kvs); i += 2 {
			if j := m.es.findLinear(kvs[i]); j >= 0 {
				m.es[j].v = kvs[i+1]
				continue
			}
			m.es = append(m.es, newEntry(kvs[i], kvs[i+1]))
		}
		return m
	}
	return refnewHashMap(kvs)
}

// whatever the size.
func refNewHashMap(kvs ...Value) *refMap { return refnewHashMap(kvs) }

func refnewHashMap(kvs []Value) *refMap {
	es := make(entries, 0, len(kvs)/2)
	seen := make(map[Value]int) // fast path for comparable scalar keys
	for i := 0; i+1 < len(kvs); i += 2 {
		k := kvs[i]
		if isScalarKey(k) {
			if j, ok := seen[k]; ok {
				es[j].v = kvs[i+1]
				continue
			}
			seen[k] = len(es)
		} else if j := es.findLinear(k); j >= 0 {
			es[j].v = kvs[i+1]
			continue
		}
		es = append(es, newEntry(k, kvs[i+1]))
	}
	sortHashed(es)
	return &refMap{es: es, hashed: true}
}

// isScalarKey reports keys whose Go == agrees with Clojure = (no numbers across
// types, no slices).

func (m *refMap) Len() int {
	if m == nil {
		return 0
	}
	return len(m.es)
}

func (m *refMap) IsHashMap() bool { return m != nil && m.hashed }

func (m *refMap) find(k Value) int {
	if m == nil {
		return -1
	}
	if m.hashed {
		i, _ := m.es.findHashed(k)
		return i
	}
	return m.es.findLinear(k)
}

func (m *refMap) Get(k Value) (Value, bool) {
	if i := m.find(k); i >= 0 {
		return m.es[i].v, true
	}
	return nil, false
}

func (m *refMap) Val(k Value) Value {
	v, _ := m.Get(k)
	return v
}

func (m *refMap) Has(k Value) bool { return m.find(k) >= 0 }

// one goes last in an array map and to its hash position in a hash map.
func (m *refMap) Assoc(k, v Value) *refMap {
	if m == nil {
		return &refMap{es: entries{newEntry(k, v)}}
	}
	if m.hashed {
		i, at := m.es.findHashed(k)
		if i >= 0 {
			es := slices.Clone(m.es)
			es[i].v = v
			return &refMap{es: es, hashed: true}
		}
		return &refMap{es: insertAt(m.es, at, newEntry(k, v)), hashed: true}
	}
	if i := m.es.findLinear(k); i >= 0 {
		es := slices.Clone(m.es)
		es[i].v = v
		return &refMap{es: es}
	}
	if len(m.es) >= arrayMapMax {
		es := make(entries, len(m.es), len(m.es)+1)
		copy(es, m.es)
		es = append(es, newEntry(k, v))
		sortHashed(es)
		return &refMap{es: es, hashed: true}
	}
	es := make(entries, len(m.es), len(m.es)+1)
	copy(es, m.es)
	return &refMap{es: append(es, newEntry(k, v))}
}

func (m *refMap) Dissoc(k Value) *refMap {
	i := m.find(k)
	if i < 0 {
		if m == nil {
			return &refMap{}
		}
		return m
	}
	return &refMap{es: removeAt(m.es, i), hashed: m.hashed}
}

func (m *refMap) Empty() *refMap { return &refMap{hashed: m.IsHashMap()} }

func (m *refMap) Range(f func(k, v Value) bool) {
	if m == nil {
		return
	}
	for _, e := range m.es {
		if !f(e.k, e.v) {
			return
		}
	}
}

func (m *refMap) Keys() []Value {
	out := make([]Value, m.Len())
	for i := range out {
		out[i] = m.es[i].k
	}
	return out
}

func (m *refMap) Vals() []Value {
	out := make([]Value, m.Len())
	for i := range out {
		out[i] = m.es[i].v
	}
	return out
}

func (m *refMap) At(i int) (k, v Value) { return m.es[i].k, m.es[i].v }

// A nil *refSet reads as empty; operations never return nil.
type refSet struct{ es entries }

func refNewSet(items ...Value) *refSet {
	kvs := make([]Value, 0, 2*len(items))
	for _, it := range items {
		kvs = append(kvs, it, nil)
	}
	return &refSet{es: refnewHashMap(kvs).es}
}

func (s *refSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.es)
}

func (s *refSet) Has(v Value) bool {
	if s == nil {
		return false
	}
	i, _ := s.es.findHashed(v)
	return i >= 0
}

func (s *refSet) Conj(v Value) *refSet {
	if s == nil {
		return &refSet{es: entries{newEntry(v, nil)}}
	}
	i, at := s.es.findHashed(v)
	if i >= 0 {
		return s
	}
	return &refSet{es: insertAt(s.es, at, newEntry(v, nil))}
}

func (s *refSet) Disj(v Value) *refSet {
	if s == nil {
		return &refSet{}
	}
	i, _ := s.es.findHashed(v)
	if i < 0 {
		return s
	}
	return &refSet{es: removeAt(s.es, i)}
}

func (s *refSet) Range(f func(v Value) bool) {
	if s == nil {
		return
	}
	for _, e := range s.es {
		if !f(e.k) {
			return
		}
	}
}

func (s *refSet) Items() []Value {
	out := make([]Value, s.Len())
	for i := range out {
		out[i] = s.es[i].k
	}
	return out
}

func (es entries) hashStart() int {
	if len(es) > 0 && es[0].k == nil {
		return 1
	}
	return 0
}

// findHashed returns the index of k, or -1 and where to insert it.
func (es entries) findHashed(k Value) (int, int) {
	if k == nil {
		if len(es) > 0 && es[0].k == nil {
			return 0, 0
		}
		return -1, 0
	}
	h := Hash(k)
	ck := chunkKey(h)
	lo := es.hashStart()
	i := lo + sort.Search(len(es)-lo, func(i int) bool { return chunkKey(es[lo+i].h) >= ck })
	for ; i < len(es) && es[i].h == h; i++ {
		if es[i].h == h && Equal(es[i].k, k) {
			return i, i
		}
	}
	return -1, i
}

func insertAt(es entries, i int, e hentry) entries {
	out := make(entries, len(es)+1)
	copy(out, es[:i])
	out[i] = e
	copy(out[i+1:], es[i:])
	return out
}

func removeAt(es entries, i int) entries {
	out := make(entries, len(es)-1)
	copy(out, es[:i])
	copy(out[i:], es[i+1:])
	return out
}

func isScalarKey(k Value) bool {
	switch k.(type) {
	case Keyword, Symbol, UUID, string, bool, Char:
		return true
	}
	return false
}
