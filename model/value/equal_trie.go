package value

// Equality of two hash tries that share structure. Replicas one entry apart
// share all but a path or two, and timelines compare them by value (did
// this key really change?): walking both tries side by side skips every
// subtree they share by pointer, so the cost is what differs, not the size.
//
// It decides only while the two shapes agree. With equal bitmaps on the
// whole path down to a slot, a key's lookup takes the same path in both, so
// two different keys in the same slot mean the maps differ, and so do two
// different values under one key. Where the shapes part (a collision node,
// or one side holding a child where the other holds an entry), it gives up
// and the caller compares key by key.

// equalTries reports (equal, decided) for two tries of the same length;
// withValues false compares keys only (sets).
func equalTries(a, b *trie, withValues bool) (eq, decided bool) {
	switch {
	case (a.nilv == nil) != (b.nilv == nil):
		return false, true
	case withValues && a.nilv != nil && !SameRef(a.nilv.v, b.nilv.v) && !Equal(a.nilv.v, b.nilv.v):
		return false, true
	}
	return equalNodes(a.root, b.root, 0, withValues)
}

// equalNodes compares subtrees found at the same place.
func equalNodes(a, b *node, shift uint, withValues bool) (eq, decided bool) {
	switch {
	case a == b:
		return true, true
	case a == nil || b == nil || shift > lastShift:
		return false, false
	case a.datamap != b.datamap || a.nodemap != b.nodemap:
		return false, false
	}
	as, bs := a.data(), b.data()
	for i := range as {
		x, y := &as[i], &bs[i]
		if !Equal(x.k, y.k) {
			return false, true
		}
		if withValues && !SameRef(x.v, y.v) && !Equal(x.v, y.v) {
			return false, true
		}
	}
	an, bn := a.nodes(), b.nodes()
	for i := range an {
		if eq, decided := equalNodes(an[i], bn[i], shift+5, withValues); !eq || !decided {
			return eq, decided
		}
	}
	return true, true
}
