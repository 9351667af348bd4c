package value

import "iter"

// Set is an immutable Clojure hash set, iterating in PersistentHashSet order.
// A nil *Set reads as empty; operations never return nil.
type Set struct{ t trie }

// NewSet builds a set (clojure.core/set, #{…}); duplicates collapse.
func NewSet(items ...Value) *Set {
	s, _ := newSet(items)
	return s
}

// NewSetDedup is NewSet that also reports the position of the first repeated
// item, or -1.
func NewSetDedup(items ...Value) (*Set, int) {
	s, dup := newSet(items)
	return s, firstRepeat(items, 1, dup)
}

func newSet(items []Value) (*Set, bool) {
	es := make(entries, 0, len(items))
	for _, it := range items {
		es = append(es, hentry{entry: entry{k: it}})
	}
	h := top{set: true}
	t, dup := buildTrie(es, &h)
	return h.setOf(t), dup
}

// Len is the number of elements.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.t.n
}

// Has reports membership.
func (s *Set) Has(v Value) bool {
	if s == nil {
		return false
	}
	_, ok := s.t.get(v)
	return ok
}

// Conj returns the set with v added.
func (s *Set) Conj(v Value) *Set {
	if s == nil {
		s = &Set{}
	}
	h := top{set: true}
	t, _ := s.t.assoc(newEntry(v, nil), &h)
	if t.root == s.t.root && t.nilv == s.t.nilv {
		return s // v was there: its nil value is identical
	}
	return h.setOf(t)
}

// Disj returns the set without v.
func (s *Set) Disj(v Value) *Set {
	if s == nil {
		return &Set{}
	}
	h := top{set: true}
	t, removed := s.t.without(v, &h)
	if !removed {
		return s
	}
	return h.setOf(t)
}

// Range calls f for each element in iteration order until f returns false.
func (s *Set) Range(f func(v Value) bool) {
	if s == nil {
		return
	}
	s.t.each(func(e *entry) bool { return f(e.k) })
}

// All iterates over the elements in iteration order.
func (s *Set) All() iter.Seq[Value] { return s.Range }

// Items returns the elements in iteration order.
func (s *Set) Items() []Value {
	out := make([]Value, 0, s.Len())
	s.Range(func(v Value) bool { out = append(out, v); return true })
	return out
}

func (s *Set) equal(o *Set) bool {
	if s == o {
		return true
	}
	if s.Len() != o.Len() {
		return false
	}
	if s != nil && o != nil {
		if eq, decided := equalTries(&s.t, &o.t, false); decided {
			return eq
		}
	}
	eq := true
	s.Range(func(v Value) bool { eq = o.Has(v); return eq })
	return eq
}

func (s *Set) hasheq() int32 {
	var h int32
	if s != nil {
		s.t.each(func(e *entry) bool { h += Hash(e.k); return true })
	}
	return mixCollHash(h, s.Len())
}
