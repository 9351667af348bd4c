package value

import (
	"math/bits"
	"slices"
)

// trie is the body of a PersistentHashMap or PersistentHashSet: a hash array
// mapped trie indexed by 5 bits of the key's hasheq per level, from the low
// bits up, as Clojure's is. Walking it in index order therefore yields
// Clojure's iteration order, and assoc copies only the nodes on one path, so
// replicas share everything they did not change.
type trie struct {
	root *node
	nilv *entry // the nil key, which Clojure keeps beside the tree and seqs first
	n    int
}

// node holds, per 5-bit slot, either one entry (datamap) or a child (nodemap).
// A node below the last level (shift > lastShift) is a collision node: its
// data are keys with one full hash, in insertion order, as HashCollisionNode
// keeps them, and its bitmaps are zero. Knowing that from the depth keeps a
// node at 64 bytes: replicas share millions of them.
type node struct {
	datamap, nodemap uint32
	data             []entry
	nodes            []*node
	edit             uint64 // the transient that may change this node in place; 0 for none
}

const lastShift = 30 // bits 30–31 are the last chunk of a 32-bit hash

func slot(h int32, shift uint) uint32 { return 1 << (uint32(h) >> shift & 31) }

func index(bitmap, bit uint32) int { return bits.OnesCount32(bitmap & (bit - 1)) }

func (t *trie) get(k Value) (*entry, bool) {
	if k == nil {
		return t.nilv, t.nilv != nil
	}
	if t.root == nil {
		return nil, false
	}
	var e *entry
	switch x := k.(type) { // the common keys, compared without Equal
	case Keyword:
		e = getExact(t.root, x, x.hasheq())
	case UUID:
		e = getExact(t.root, x, x.javaHash())
	case string:
		e = getExact(t.root, x, Hash(x))
	default:
		e = t.root.get(k, Hash(k))
	}
	return e, e != nil
}

// getExact is node.get for keys of a type whose = is Go's == and that equal
// no value of another type.
func getExact[K Keyword | UUID | string](n *node, k K, h int32) *entry {
	for shift := uint(0); ; shift += 5 {
		if shift > lastShift {
			for i := range n.data {
				if y, ok := n.data[i].k.(K); ok && y == k {
					return &n.data[i]
				}
			}
			return nil
		}
		bit := slot(h, shift)
		switch {
		case n.datamap&bit != 0:
			e := &n.data[index(n.datamap, bit)]
			if y, ok := e.k.(K); ok && e.h == h && y == k {
				return e
			}
			return nil
		case n.nodemap&bit != 0:
			n = n.nodes[index(n.nodemap, bit)]
		default:
			return nil
		}
	}
}

func (n *node) get(k Value, h int32) *entry {
	for shift := uint(0); ; shift += 5 {
		if shift > lastShift {
			for i := range n.data {
				if Equal(n.data[i].k, k) {
					return &n.data[i]
				}
			}
			return nil
		}
		bit := slot(h, shift)
		switch {
		case n.datamap&bit != 0:
			e := &n.data[index(n.datamap, bit)]
			if e.h == h && Equal(e.k, k) {
				return e
			}
			return nil
		case n.nodemap&bit != 0:
			n = n.nodes[index(n.nodemap, bit)]
		default:
			return nil
		}
	}
}

// assoc returns the trie with e set; replaced reports an existing key. A
// value identical to the one there leaves the trie as it is, root and all,
// as Clojure's assoc returns the map itself then.
func (t trie) assoc(e entry) (out trie, replaced bool) {
	if e.k == nil {
		replaced = t.nilv != nil
		if replaced && identical(t.nilv.v, e.v) {
			return t, true
		}
		ne := e
		t.nilv = &ne
		if !replaced {
			t.n++
		}
		return t, replaced
	}
	if t.root == nil {
		t.root = &node{}
	}
	t.root, replaced = t.root.assoc(e, 0)
	if !replaced {
		t.n++
	}
	return t, replaced
}

func (n *node) assoc(e entry, shift uint) (*node, bool) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, e.k) {
				if identical(n.data[i].v, e.v) {
					return n, true
				}
				c := &node{data: slices.Clone(n.data)}
				c.data[i].v = e.v
				return c, true
			}
		}
		c := &node{data: make([]entry, len(n.data), len(n.data)+1)}
		copy(c.data, n.data)
		c.data = append(c.data, e)
		return c, false
	}
	bit := slot(e.h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		old := &n.data[i]
		if old.h == e.h && Equal(old.k, e.k) {
			if identical(old.v, e.v) {
				return n, true
			}
			c := n.clone()
			c.data = slices.Clone(n.data)
			c.data[i].v = e.v
			return c, true
		}
		// Two keys share this slot: move the old one down beside the new.
		child := pair(*old, e, shift+5, 0)
		c := &node{datamap: n.datamap &^ bit, nodemap: n.nodemap | bit}
		c.data = removeEntry(n.data, i)
		c.nodes = insertNode(n.nodes, index(c.nodemap, bit), child)
		return c, false
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, replaced := n.nodes[i].assoc(e, shift+5)
		if child == n.nodes[i] {
			return n, true
		}
		c := n.clone()
		c.nodes = slices.Clone(n.nodes)
		c.nodes[i] = child
		return c, replaced
	}
	c := &node{datamap: n.datamap | bit, nodemap: n.nodemap, nodes: n.nodes}
	c.data = insertEntry(n.data, index(c.datamap, bit), e)
	return c, false
}

// pair makes the node holding two keys whose hashes agree below shift, owned
// by the transient edit (0 for none).
func pair(a, b entry, shift uint, edit uint64) *node {
	if shift > lastShift {
		return &node{data: []entry{a, b}, edit: edit}
	}
	ba, bb := slot(a.h, shift), slot(b.h, shift)
	if ba == bb {
		return &node{nodemap: ba, nodes: []*node{pair(a, b, shift+5, edit)}, edit: edit}
	}
	n := &node{datamap: ba | bb, data: []entry{a, b}, edit: edit}
	if bb < ba {
		n.data[0], n.data[1] = b, a
	}
	return n
}

func (n *node) clone() *node { c := *n; c.edit = 0; return &c }

// without returns the trie without k; removed reports whether k was there.
func (t trie) without(k Value) (trie, bool) {
	if k == nil {
		if t.nilv == nil {
			return t, false
		}
		t.nilv = nil
		t.n--
		return t, true
	}
	if t.root == nil {
		return t, false
	}
	root, removed := t.root.without(k, Hash(k), 0)
	if !removed {
		return t, false
	}
	t.root = root
	t.n--
	return t, true
}

// without returns nil for a node left empty.
func (n *node) without(k Value, h int32, shift uint) (*node, bool) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, k) {
				if len(n.data) == 1 {
					return nil, true
				}
				return &node{data: removeEntry(n.data, i)}, true
			}
		}
		return n, false
	}
	bit := slot(h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		if e := n.data[i]; e.h != h || !Equal(e.k, k) {
			return n, false
		}
		if n.datamap == bit && n.nodemap == 0 {
			return nil, true
		}
		c := n.clone()
		c.datamap &^= bit
		c.data = removeEntry(n.data, i)
		return c, true
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, removed := n.nodes[i].without(k, h, shift+5)
		if !removed {
			return n, false
		}
		c := n.clone()
		if child == nil {
			if n.nodemap == bit && n.datamap == 0 {
				return nil, true
			}
			c.nodemap &^= bit
			c.nodes = removeNode(n.nodes, i)
			return c, true
		}
		c.nodes = slices.Clone(n.nodes)
		c.nodes[i] = child
		return c, true
	}
	return n, false
}

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
		for i := range n.data {
			if !f(&n.data[i]) {
				return false
			}
		}
		return true
	}
	di, ni := 0, 0
	for all := n.datamap | n.nodemap; all != 0; all &= all - 1 {
		if n.datamap&(all&-all) != 0 {
			if !f(&n.data[di]) {
				return false
			}
			di++
		} else {
			if !n.nodes[ni].each(f) {
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
		for i := range n.data {
			if !f(n.data[i].k, n.data[i].v) {
				return false
			}
		}
		return true
	}
	di, ni := 0, 0
	for all := n.datamap | n.nodemap; all != 0; all &= all - 1 {
		if n.datamap&(all&-all) != 0 {
			if !f(n.data[di].k, n.data[di].v) {
				return false
			}
			di++
		} else {
			if !n.nodes[ni].rangeKV(f) {
				return false
			}
			ni++
		}
	}
	return true
}

func insertEntry(es []entry, i int, e entry) []entry {
	out := make([]entry, len(es)+1)
	copy(out, es[:i])
	out[i] = e
	copy(out[i+1:], es[i:])
	return out
}

func removeEntry(es []entry, i int) []entry {
	out := make([]entry, len(es)-1)
	copy(out, es[:i])
	copy(out[i:], es[i+1:])
	return out
}

func insertNode(ns []*node, i int, n *node) []*node {
	out := make([]*node, len(ns)+1)
	copy(out, ns[:i])
	out[i] = n
	copy(out[i+1:], ns[i:])
	return out
}

func removeNode(ns []*node, i int) []*node {
	out := make([]*node, len(ns)-1)
	copy(out, ns[:i])
	copy(out[i:], ns[i+1:])
	return out
}
