package value

import (
	"slices"
	"sort"
)

// arrayMapMax is the most entries a PersistentArrayMap holds: assoc of a ninth
// key turns it into a PersistentHashMap (HASHTABLE_THRESHOLD = 16 slots).
const arrayMapMax = 8

// entry is one key (and, in a map, its value) with the key's hasheq and its
// position key in PersistentHashMap order.
type entry struct {
	k, v Value
	h    int32
	ck   uint64
}

// chunkKey orders hashes the way a Clojure HAMT iterates them: by the 5-bit
// group of bits 0–4 first, then 5–9, …, then 30–31.
func chunkKey(h int32) uint64 {
	u := uint32(h)
	var k uint64
	for i := 0; i < 7; i++ {
		k = k<<5 | uint64(u>>(5*i)&31)
	}
	return k
}

func newEntry(k, v Value) entry {
	h := Hash(k)
	return entry{k: k, v: v, h: h, ck: chunkKey(h)}
}

// entries is the shared storage of Map and Set: a slice in iteration order.
// In hash order a nil key, if present, comes first (PersistentHashMap keeps it
// beside the tree and seqs it first), the rest sorted by ck with equal hashes in
// insertion order (HashCollisionNode appends).
type entries []entry

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
	i := lo + sort.Search(len(es)-lo, func(i int) bool { return es[lo+i].ck >= ck })
	for ; i < len(es) && es[i].ck == ck; i++ {
		if es[i].h == h && Equal(es[i].k, k) {
			return i, i
		}
	}
	return -1, i
}

func (es entries) findLinear(k Value) int {
	for i := range es {
		if Equal(es[i].k, k) {
			return i
		}
	}
	return -1
}

func insertAt(es entries, i int, e entry) entries {
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

// sortHashed puts entries built in insertion order into hash order.
func sortHashed(es entries) {
	slices.SortStableFunc(es, func(a, b entry) int {
		switch {
		case a.k == nil && b.k != nil:
			return -1
		case b.k == nil && a.k != nil:
			return 1
		case a.ck < b.ck:
			return -1
		case a.ck > b.ck:
			return 1
		}
		return 0
	})
}

// Map is an immutable Clojure map that iterates in Clojure's order. A nil *Map
// reads as empty; operations never return nil.
type Map struct {
	es     entries
	hashed bool // PersistentHashMap rather than PersistentArrayMap
}

// NewMap builds a map from alternating keys and values the way Clojure's readers
// and decoders do (RT.map, transient into {}): up to eight entries in the given
// order, more in hash order. A repeated key keeps its first position and last value.
func NewMap(kvs ...Value) *Map {
	n := len(kvs) / 2
	if n <= arrayMapMax {
		m := &Map{es: make(entries, 0, n)}
		for i := 0; i+1 < len(kvs); i += 2 {
			if j := m.es.findLinear(kvs[i]); j >= 0 {
				m.es[j].v = kvs[i+1]
				continue
			}
			m.es = append(m.es, newEntry(kvs[i], kvs[i+1]))
		}
		return m
	}
	return newHashMap(kvs)
}

// NewHashMap builds a PersistentHashMap (clojure.core/hash-map): hash order
// whatever the size.
func NewHashMap(kvs ...Value) *Map { return newHashMap(kvs) }

func newHashMap(kvs []Value) *Map {
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
	return &Map{es: es, hashed: true}
}

// isScalarKey reports keys whose Go == agrees with Clojure = (no numbers across
// types, no slices).
func isScalarKey(k Value) bool {
	switch k.(type) {
	case Keyword, Symbol, UUID, string, bool, Char:
		return true
	}
	return false
}

// Len is the number of entries.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.es)
}

// IsHashMap reports whether the map iterates in hash order.
func (m *Map) IsHashMap() bool { return m != nil && m.hashed }

func (m *Map) find(k Value) int {
	if m == nil {
		return -1
	}
	if m.hashed {
		i, _ := m.es.findHashed(k)
		return i
	}
	return m.es.findLinear(k)
}

// Get returns the value for k and whether k is present.
func (m *Map) Get(k Value) (Value, bool) {
	if i := m.find(k); i >= 0 {
		return m.es[i].v, true
	}
	return nil, false
}

// Val returns the value for k, nil when absent.
func (m *Map) Val(k Value) Value {
	v, _ := m.Get(k)
	return v
}

// Has reports whether k is a key.
func (m *Map) Has(k Value) bool { return m.find(k) >= 0 }

// Assoc returns the map with k set to v: an existing key keeps its place; a new
// one goes last in an array map and to its hash position in a hash map.
func (m *Map) Assoc(k, v Value) *Map {
	if m == nil {
		return &Map{es: entries{newEntry(k, v)}}
	}
	if m.hashed {
		i, at := m.es.findHashed(k)
		if i >= 0 {
			es := slices.Clone(m.es)
			es[i].v = v
			return &Map{es: es, hashed: true}
		}
		return &Map{es: insertAt(m.es, at, newEntry(k, v)), hashed: true}
	}
	if i := m.es.findLinear(k); i >= 0 {
		es := slices.Clone(m.es)
		es[i].v = v
		return &Map{es: es}
	}
	if len(m.es) >= arrayMapMax {
		es := make(entries, len(m.es), len(m.es)+1)
		copy(es, m.es)
		es = append(es, newEntry(k, v))
		sortHashed(es)
		return &Map{es: es, hashed: true}
	}
	es := make(entries, len(m.es), len(m.es)+1)
	copy(es, m.es)
	return &Map{es: append(es, newEntry(k, v))}
}

// Dissoc returns the map without k; order is kept (a hash map stays one).
func (m *Map) Dissoc(k Value) *Map {
	i := m.find(k)
	if i < 0 {
		if m == nil {
			return &Map{}
		}
		return m
	}
	return &Map{es: removeAt(m.es, i), hashed: m.hashed}
}

// Empty returns an empty map of the same kind (clojure.core/empty).
func (m *Map) Empty() *Map { return &Map{hashed: m.IsHashMap()} }

// Range calls f for each entry in iteration order until f returns false.
func (m *Map) Range(f func(k, v Value) bool) {
	if m == nil {
		return
	}
	for _, e := range m.es {
		if !f(e.k, e.v) {
			return
		}
	}
}

// Keys returns the keys in iteration order.
func (m *Map) Keys() []Value {
	out := make([]Value, m.Len())
	for i := range out {
		out[i] = m.es[i].k
	}
	return out
}

// Vals returns the values in iteration order.
func (m *Map) Vals() []Value {
	out := make([]Value, m.Len())
	for i := range out {
		out[i] = m.es[i].v
	}
	return out
}

// At returns the i-th entry in iteration order.
func (m *Map) At(i int) (k, v Value) { return m.es[i].k, m.es[i].v }

func (m *Map) equal(o *Map) bool {
	if m.Len() != o.Len() {
		return false
	}
	if m == o {
		return true
	}
	for _, e := range m.es {
		v, ok := o.Get(e.k)
		if !ok || !Equal(e.v, v) {
			return false
		}
	}
	return true
}

func (m *Map) hasheq() int32 {
	var h int32
	if m != nil {
		for _, e := range m.es {
			h += mixCollHash(31*(31+e.h)+Hash(e.v), 2)
		}
	}
	return mixCollHash(h, m.Len())
}

// MapEntry is a key and its value.
type MapEntry struct {
	Key, Val Value
	h        int32
}

// Entries returns the entries in iteration order.
func (m *Map) Entries() []MapEntry {
	out := make([]MapEntry, m.Len())
	for i := range out {
		out[i] = MapEntry{m.es[i].k, m.es[i].v, m.es[i].h}
	}
	return out
}

// Set is an immutable Clojure hash set, iterating in PersistentHashSet order.
// A nil *Set reads as empty; operations never return nil.
type Set struct{ es entries }

// NewSet builds a set (clojure.core/set, #{…}); duplicates collapse.
func NewSet(items ...Value) *Set {
	kvs := make([]Value, 0, 2*len(items))
	for _, it := range items {
		kvs = append(kvs, it, nil)
	}
	return &Set{es: newHashMap(kvs).es}
}

// Len is the number of elements.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.es)
}

// Has reports membership.
func (s *Set) Has(v Value) bool {
	if s == nil {
		return false
	}
	i, _ := s.es.findHashed(v)
	return i >= 0
}

// Conj returns the set with v added.
func (s *Set) Conj(v Value) *Set {
	if s == nil {
		return &Set{es: entries{newEntry(v, nil)}}
	}
	i, at := s.es.findHashed(v)
	if i >= 0 {
		return s
	}
	return &Set{es: insertAt(s.es, at, newEntry(v, nil))}
}

// Disj returns the set without v.
func (s *Set) Disj(v Value) *Set {
	if s == nil {
		return &Set{}
	}
	i, _ := s.es.findHashed(v)
	if i < 0 {
		return s
	}
	return &Set{es: removeAt(s.es, i)}
}

// Range calls f for each element in iteration order until f returns false.
func (s *Set) Range(f func(v Value) bool) {
	if s == nil {
		return
	}
	for _, e := range s.es {
		if !f(e.k) {
			return
		}
	}
}

// Items returns the elements in iteration order.
func (s *Set) Items() []Value {
	out := make([]Value, s.Len())
	for i := range out {
		out[i] = s.es[i].k
	}
	return out
}

func (s *Set) equal(o *Set) bool {
	if s.Len() != o.Len() {
		return false
	}
	for _, e := range s.es {
		if !o.Has(e.k) {
			return false
		}
	}
	return true
}

func (s *Set) hasheq() int32 {
	var h int32
	if s != nil {
		for _, e := range s.es {
			h += e.h
		}
	}
	return mixCollHash(h, s.Len())
}
