package value

// TransientSet is a *Set being changed in place; see TransientMap.
type TransientSet struct {
	edit  uint64
	dirty bool
	t     trie
	src   *Set
	hdr   top
}

// AsTransient starts a transient from s, which may be nil and is not changed.
func (s *Set) AsTransient() *TransientSet {
	ts := &TransientSet{edit: newEdit(), src: s, hdr: top{set: true}}
	if s != nil {
		ts.t = s.t
	}
	return ts
}

// Conj adds v.
func (ts *TransientSet) Conj(v Value) {
	if ts.t.assocT(newEntry(v, nil), ts.edit, &ts.hdr) { // false when v was there
		ts.dirty = true
	}
}

// Disj removes v.
func (ts *TransientSet) Disj(v Value) {
	if ts.t.withoutT(v, ts.edit, &ts.hdr) {
		ts.dirty = true
	}
}

// Has reports membership.
func (ts *TransientSet) Has(v Value) bool {
	_, ok := ts.t.get(v)
	return ok
}

// Len is the number of elements.
func (ts *TransientSet) Len() int { return ts.t.n }

// Persistent returns the set as it stands (the set it started from or last
// returned when nothing changed); the transient stays usable.
func (ts *TransientSet) Persistent() *Set {
	if !ts.dirty && ts.src != nil {
		return ts.src
	}
	ts.edit = newEdit()
	s := ts.hdr.setOf(ts.t)
	ts.hdr = top{set: true}
	ts.src, ts.dirty = s, false
	return s
}
