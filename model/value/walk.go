package value

// Walking a trie in Clojure's iteration order.

// each calls f on every entry in Clojure's iteration order until f is false.
func (t *trie) each(f func(*entry) bool) bool {
	if t.nilv != nil && !f(t.nilv) {
		return false
	}
	if t.root == nil {
		return true
	}
	return t.root.each(f)
}

// each walks a node's slots in order. A node without children (a leaf or a
// collision node) holds its entries in that order already; otherwise data
// and children interleave by bit, each in its own slice in order.
func (n *node) each(f func(*entry) bool) bool {
	if n.nodemap == 0 {
		es := n.data()
		for i := range es {
			if !f(&es[i]) {
				return false
			}
		}
		return true
	}
	di, ni := 0, 0
	for all := n.datamap | n.nodemap; all != 0; all &= all - 1 {
		if n.datamap&(all&-all) != 0 {
			if !f(n.entryAt(di)) {
				return false
			}
			di++
		} else {
			if !n.child(ni).each(f) {
				return false
			}
			ni++
		}
	}
	return true
}

// rangeKV is each for Map.Range, calling f without a wrapper closure.
func (n *node) rangeKV(f func(k, v Value) bool) bool {
	if n.nodemap == 0 {
		es := n.data()
		for i := range es {
			if !f(es[i].k, es[i].v) {
				return false
			}
		}
		return true
	}
	di, ni := 0, 0
	for all := n.datamap | n.nodemap; all != 0; all &= all - 1 {
		if n.datamap&(all&-all) != 0 {
			if e := n.entryAt(di); !f(e.k, e.v) {
				return false
			}
			di++
		} else {
			if !n.child(ni).rangeKV(f) {
				return false
			}
			ni++
		}
	}
	return true
}
