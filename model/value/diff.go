package value

import "math/big"

// DiffKeys calls f for every key whose value may differ between a and b: a
// key present in one map only (inA/inB say where it is), or present in both
// with values that are not the same reference. It never reports a key whose
// value is shared (the same *Map, *Set, slice or equal scalar), and it skips
// whole subtrees that a and b share, so diffing a replica with the one the
// next entry made costs what that entry changed, not the replica's size.
// Values it reports may still be Equal: f decides. Order is unspecified.
func DiffKeys(a, b *Map, f func(k, va, vb Value, inA, inB bool)) {
	if a == b {
		return
	}
	if a.IsHashMap() && b.IsHashMap() {
		diffNil(a.t.nilv, b.t.nilv, f)
		diffNodes(a.t.root, b.t.root, 0, f)
		return
	}
	diffByLookup(a, b, f)
}

// diffByLookup compares any two maps key by key; array maps are small.
func diffByLookup(a, b *Map, f func(k, va, vb Value, inA, inB bool)) {
	a.Range(func(k, va Value) bool {
		if vb, ok := b.Get(k); !ok {
			f(k, va, nil, true, false)
		} else if !SameRef(va, vb) {
			f(k, va, vb, true, true)
		}
		return true
	})
	b.Range(func(k, vb Value) bool {
		if !a.Has(k) {
			f(k, nil, vb, false, true)
		}
		return true
	})
}

func diffNil(a, b *entry, f func(k, va, vb Value, inA, inB bool)) {
	switch {
	case a == nil && b == nil:
	case a == nil:
		f(nil, nil, b.v, false, true)
	case b == nil:
		f(nil, a.v, nil, true, false)
	case !SameRef(a.v, b.v):
		f(nil, a.v, b.v, true, true)
	}
}

// diffNodes compares two subtrees found at the same slot and shift.
func diffNodes(a, b *node, shift uint, f func(k, va, vb Value, inA, inB bool)) {
	switch {
	case a == b:
		return
	case a == nil || b == nil || shift > lastShift:
		diffEntries(collect(a), collect(b), f)
		return
	}
	all := a.datamap | a.nodemap | b.datamap | b.nodemap
	for all != 0 {
		bit := all & -all
		all &^= bit
		ad, an := a.datamap&bit != 0, a.nodemap&bit != 0
		bd, bn := b.datamap&bit != 0, b.nodemap&bit != 0
		switch {
		case an && bn:
			diffNodes(a.child(index(a.nodemap, bit)), b.child(index(b.nodemap, bit)), shift+5, f)
		case ad && bd:
			ea, eb := a.entryAt(index(a.datamap, bit)), b.entryAt(index(b.datamap, bit))
			if Equal(ea.k, eb.k) {
				if !SameRef(ea.v, eb.v) {
					f(ea.k, ea.v, eb.v, true, true)
				}
				continue
			}
			f(ea.k, ea.v, nil, true, false)
			f(eb.k, nil, eb.v, false, true)
		default: // one side has nothing, an entry or a subtree where the other differs
			diffEntries(slotEntries(a, bit), slotEntries(b, bit), f)
		}
	}
}

// slotEntries returns what a node holds at one slot.
func slotEntries(n *node, bit uint32) []*entry {
	switch {
	case n.datamap&bit != 0:
		return []*entry{n.entryAt(index(n.datamap, bit))}
	case n.nodemap&bit != 0:
		return collect(n.child(index(n.nodemap, bit)))
	}
	return nil
}

func collect(n *node) []*entry {
	if n == nil {
		return nil
	}
	var out []*entry
	n.each(func(e *entry) bool { out = append(out, e); return true })
	return out
}

// diffEntries compares two small sets of entries key by key.
func diffEntries(as, bs []*entry, f func(k, va, vb Value, inA, inB bool)) {
	matched := make([]bool, len(bs))
	for _, ea := range as {
		found := false
		for j, eb := range bs {
			if !matched[j] && Equal(ea.k, eb.k) {
				matched[j], found = true, true
				if !SameRef(ea.v, eb.v) {
					f(ea.k, ea.v, eb.v, true, true)
				}
				break
			}
		}
		if !found {
			f(ea.k, ea.v, nil, true, false)
		}
	}
	for j, eb := range bs {
		if !matched[j] {
			f(eb.k, nil, eb.v, false, true)
		}
	}
}

// SameRef reports whether a and b are the same value by reference: the same
// *Map or *Set, the same backing array of a Vector or List, or equal
// scalars. Replicas share what an entry did not change, so SameRef is the
// cheap first test of "unchanged"; values that are not SameRef may still be
// Equal.
func SameRef(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case *Map:
		y, ok := b.(*Map)
		return ok && x == y
	case *Set:
		y, ok := b.(*Set)
		return ok && x == y
	case Vector:
		y, ok := b.(Vector)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case List:
		y, ok := b.(List)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case Bytes:
		return false
	case Keyword, UUID, string, int64, float64, bool, Symbol, Char, *big.Int:
		return a == b
	}
	return false
}

// Items returns the elements of a vector, list or set, in order (a set's in
// its iteration order): what Clojure's seq gives of a collection Onyx stores
// ids in. Anything else gives nil.
func Items(v Value) []Value {
	switch x := v.(type) {
	case Vector:
		return x
	case List:
		return x
	case *Set:
		return x.Items()
	}
	return nil
}
