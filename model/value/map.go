package value

import (
	"cmp"
	"iter"
	"slices"
)

// arrayMapMax is the most entries a PersistentArrayMap holds: assoc of a ninth
// key turns it into a PersistentHashMap (HASHTABLE_THRESHOLD = 16 slots).
const arrayMapMax = 8

// entry is one key (and, in a map, its value) in a trie. Its key's hasheq
// is not kept: the trie's shape is its place in PersistentHashMap order, a
// lookup compares keys with = (equal keys hash alike), and the few changes
// that need it (moving a key down a level) work it out again; an entry is
// 32 bytes without it.
type entry struct{ k, v Value }

// hentry is an entry with its key's hasheq, as assoc and the builders
// carry it to place it.
type hentry struct {
	entry
	h int32
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

// HashOrderKey is v's place in the iteration order of a Clojure hash map or
// set: such collections iterate by ascending key (a nil key first, equal keys
// in insertion order). Code that must order keys as Clojure would without
// building a map (Onyx's schedulers walk such orders) sorts by it.
func HashOrderKey(v Value) uint64 { return chunkKey(Hash(v)) }

func newEntry(k, v Value) hentry {
	return hentry{entry{k, v}, Hash(k)}
}

// entries are hashed entries being built into a trie: a slice in iteration order.
// In hash order a nil key, if present, comes first (PersistentHashMap keeps it
// beside the tree and seqs it first), the rest sorted by ck with equal hashes in
// insertion order (HashCollisionNode appends).
type entries []hentry

// kv is an array map's entry: keys there are found with = alone, so they
// carry no hash.
type kv struct{ k, v Value }

type kvs []kv

func (es kvs) findLinear(k Value) int {
	switch x := k.(type) { // the common keys, compared without Equal
	case Keyword:
		return findExact(es, x)
	case UUID:
		return findExact(es, x)
	}
	for i := range es {
		if Equal(es[i].k, k) {
			return i
		}
	}
	return -1
}

// findExact is findLinear for keys of a type whose = is Go's == and that
// equal no value of another type.
func findExact[K Keyword | UUID](es kvs, k K) int {
	for i := range es {
		if y, ok := es[i].k.(K); ok && y == k {
			return i
		}
	}
	return -1
}

// hashed gives array-map entries their hash, for building a trie.
func (es kvs) hashed(extra int) entries {
	out := make(entries, len(es), len(es)+extra)
	for i, e := range es {
		out[i] = hentry{entry: entry{e.k, e.v}}
	}
	return out
}

func (es entries) findLinear(k Value) int {
	for i := range es {
		if Equal(es[i].k, k) {
			return i
		}
	}
	return -1
}

// sortHashed puts entries built in insertion order, their hashes set, into
// hash order. Beyond a few entries it sorts packed keys (see compactTrie)
// and moves each entry once, rather than working chunkKey out in every
// comparison.
func sortHashed(es entries) {
	if len(es) <= 16 || len(es) > idxMask {
		slices.SortStableFunc(es, func(a, b hentry) int { return cmp.Compare(hashSortKey(a), hashSortKey(b)) })
		return
	}
	keys := make([]uint64, len(es))
	for i := range es {
		keys[i] = hashSortKey(es[i])<<idxBits | uint64(i)
	}
	slices.Sort(keys)
	old := slices.Clone(es)
	for i, p := range keys {
		es[i] = old[p&idxMask]
	}
}

// hashSortKey orders entries as a hash map iterates them: a nil key first,
// then by chunk key. It fits in 36 bits.
func hashSortKey(e hentry) uint64 {
	if e.k == nil {
		return 0
	}
	return 1<<35 | chunkKey(e.h)
}

// Map is an immutable Clojure map that iterates in Clojure's order: up to
// eight entries built by assoc in insertion order (PersistentArrayMap), beyond
// that, or when built as a hash map, in PersistentHashMap order. A nil *Map
// reads as empty; operations never return nil.
type Map struct {
	arr kvs   // the array map's entries, when t is nil
	t   *trie // the hash map's body; nil for an array map
}

// NewMap builds a map from alternating keys and values the way Clojure's readers
// and decoders do (RT.map, transient into {}): up to eight entries in the given
// order, more in hash order. A repeated key keeps its first position and last value.
func NewMap(kvs ...Value) *Map {
	m, _ := newMap(kvs)
	return m
}

// NewMapDedup is NewMap that also reports the position in kvs of the first key
// repeating an earlier one, or -1: readers of untrusted input reject those.
func NewMapDedup(kvs ...Value) (*Map, int) {
	m, dup := newMap(kvs)
	return m, firstRepeat(kvs, 2, dup)
}

func newMap(kvs []Value) (*Map, bool) {
	n := len(kvs) / 2
	if n <= arrayMapMax {
		m := newArrayMap(n)
		dup := false
		for i := 0; i+1 < len(kvs); i += 2 {
			if j := m.arr.findLinear(kvs[i]); j >= 0 {
				m.arr[j].v = kvs[i+1]
				dup = true
				continue
			}
			m.arr = append(m.arr, kv{kvs[i], kvs[i+1]})
		}
		return m, dup
	}
	return newHashMap(kvs)
}

// NewHashMap builds a PersistentHashMap (clojure.core/hash-map): hash order
// whatever the size.
func NewHashMap(kvs ...Value) *Map {
	m, _ := newHashMap(kvs)
	return m
}

func newHashMap(kvs []Value) (*Map, bool) {
	es := make(entries, 0, len(kvs)/2)
	for i := 0; i+1 < len(kvs); i += 2 {
		es = append(es, hentry{entry: entry{kvs[i], kvs[i+1]}})
	}
	var h top
	t, dup := buildTrie(es, &h)
	return h.mapOf(t), dup
}

// Len is the number of entries.
func (m *Map) Len() int {
	switch {
	case m == nil:
		return 0
	case m.t != nil:
		return m.t.n
	}
	return len(m.arr)
}

// IsHashMap reports whether the map iterates in hash order.
func (m *Map) IsHashMap() bool { return m != nil && m.t != nil }

func (m *Map) lookup(k Value) (Value, bool) {
	switch {
	case m == nil:
		return nil, false
	case m.t != nil:
		if e, ok := m.t.get(k); ok {
			return e.v, true
		}
		return nil, false
	}
	if i := m.arr.findLinear(k); i >= 0 {
		return m.arr[i].v, true
	}
	return nil, false
}

// Get returns the value for k and whether k is present.
func (m *Map) Get(k Value) (Value, bool) { return m.lookup(k) }

// Val returns the value for k, nil when absent.
func (m *Map) Val(k Value) Value {
	v, _ := m.lookup(k)
	return v
}

// Has reports whether k is a key.
func (m *Map) Has(k Value) bool {
	_, ok := m.lookup(k)
	return ok
}

// Assoc returns the map with k set to v: an existing key keeps its place; a new
// one goes last in an array map and to its hash position in a hash map. Only
// the path to k is copied; the rest is shared with m.
func (m *Map) Assoc(k, v Value) *Map {
	if m == nil {
		m := newArrayMap(1)
		m.arr = append(m.arr, kv{k, v})
		return m
	}
	if m.t != nil {
		var h top
		t, _ := m.t.assoc(newEntry(k, v), &h)
		if t.root == m.t.root && t.nilv == m.t.nilv {
			return m // the value was there already
		}
		return h.mapOf(t)
	}
	if i := m.arr.findLinear(k); i >= 0 {
		if identical(m.arr[i].v, v) {
			return m
		}
		c := newArrayMap(len(m.arr))
		c.arr = append(c.arr, m.arr...)
		c.arr[i].v = v
		return c
	}
	if len(m.arr) >= arrayMapMax {
		var h top
		t, _ := buildTrie(append(m.arr.hashed(1), hentry{entry: entry{k, v}}), &h)
		return h.mapOf(t)
	}
	c := newArrayMap(len(m.arr) + 1)
	c.arr = append(append(c.arr, m.arr...), kv{k, v})
	return c
}

// Dissoc returns the map without k; order is kept (a hash map stays one).
func (m *Map) Dissoc(k Value) *Map {
	if m == nil {
		return &Map{}
	}
	if m.t != nil {
		var h top
		t, removed := m.t.without(k, &h)
		if !removed {
			return m
		}
		return h.mapOf(t)
	}
	i := m.arr.findLinear(k)
	if i < 0 {
		return m
	}
	c := newArrayMap(len(m.arr) - 1)
	c.arr = append(append(c.arr, m.arr[:i]...), m.arr[i+1:]...)
	return c
}

// Empty returns an empty map of the same kind (clojure.core/empty).
func (m *Map) Empty() *Map {
	if m.IsHashMap() {
		return hashMapOf(trie{})
	}
	return &Map{}
}

// Range calls f for each entry in iteration order until f returns false.
func (m *Map) Range(f func(k, v Value) bool) {
	switch {
	case m == nil:
	case m.t != nil:
		if nv := m.t.nilv; nv != nil && !f(nv.k, nv.v) {
			return
		}
		if m.t.root != nil {
			m.t.root.rangeKV(f)
		}
	default:
		for _, e := range m.arr {
			if !f(e.k, e.v) {
				return
			}
		}
	}
}

// All iterates over the entries in iteration order.
func (m *Map) All() iter.Seq2[Value, Value] { return m.Range }

// Keys returns the keys in iteration order.
func (m *Map) Keys() []Value {
	out := make([]Value, 0, m.Len())
	m.Range(func(k, _ Value) bool { out = append(out, k); return true })
	return out
}

// Vals returns the values in iteration order.
func (m *Map) Vals() []Value {
	out := make([]Value, 0, m.Len())
	m.Range(func(_, v Value) bool { out = append(out, v); return true })
	return out
}

// At returns the i-th entry in iteration order. It is O(1) for array maps and
// O(i) for hash maps: loop with All or Range instead.
func (m *Map) At(i int) (k, v Value) {
	if m.t == nil {
		return m.arr[i].k, m.arr[i].v
	}
	n := 0
	m.Range(func(ek, ev Value) bool {
		if n == i {
			k, v = ek, ev
			return false
		}
		n++
		return true
	})
	return k, v
}

func (m *Map) equal(o *Map) bool {
	if m == o {
		return true
	}
	if m.Len() != o.Len() {
		return false
	}
	if m.IsHashMap() && o.IsHashMap() {
		if eq, decided := equalTries(m.t, o.t, true); decided {
			return eq
		}
	}
	return m.equalKeyByKey(o)
}

// equalKeyByKey is = for maps of one length by definition: every key of m
// is in o with an equal value.
func (m *Map) equalKeyByKey(o *Map) bool {
	eq := true
	m.Range(func(k, v Value) bool {
		ov, ok := o.lookup(k)
		eq = ok && Equal(v, ov)
		return eq
	})
	return eq
}

func (m *Map) hasheq() int32 {
	var h int32
	m.Range(func(k, v Value) bool {
		h += mixCollHash(31*(31+Hash(k))+Hash(v), 2) // array entries carry no hash
		return true
	})
	return mixCollHash(h, m.Len())
}

// MapEntry is a key and its value.
type MapEntry struct{ Key, Val Value }

// Entries returns the entries in iteration order.
func (m *Map) Entries() []MapEntry {
	out := make([]MapEntry, 0, m.Len())
	m.Range(func(k, v Value) bool { out = append(out, MapEntry{k, v}); return true })
	return out
}
