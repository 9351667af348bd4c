package value

import "math/bits"

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
	edit             uint64 // the transient that may change this node in place (0 for none), and flags
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
// as Clojure's assoc returns the map itself then. The root's copy takes
// h's header into its block when h is not nil (see newNode).
func (t trie) assoc(e entry, h *top) (out trie, replaced bool) {
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
		c := newNode(1, 0, h)
		c.datamap, c.data[0] = slot(e.h, 0), e
		t.root = c
	} else {
		t.root, replaced = t.root.assoc(e, 0, h)
	}
	if !replaced {
		t.n++
	}
	return t, replaced
}

func (n *node) assoc(e entry, shift uint, h *top) (*node, bool) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, e.k) {
				if identical(n.data[i].v, e.v) {
					return n, true
				}
				c := newNode(len(n.data), 0, h)
				copy(c.data, n.data)
				c.data[i].v = e.v
				return c, true
			}
		}
		c := newNode(len(n.data)+1, 0, h)
		copy(c.data, n.data)
		c.data[len(n.data)] = e
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
			c := n.copyOf(len(n.data), h)
			copy(c.data, n.data)
			c.data[i].v = e.v
			return c, true
		}
		// Two keys share this slot: move the old one down beside the new.
		c := newNode(len(n.data)-1, len(n.nodes)+1, h)
		c.datamap, c.nodemap = n.datamap&^bit, n.nodemap|bit
		copyWithout(c.data, n.data, i)
		copyWith(c.nodes, n.nodes, index(c.nodemap, bit), pair(*old, e, shift+5, 0))
		return c, false
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, replaced := n.nodes[i].assoc(e, shift+5, nil)
		if child == n.nodes[i] {
			return n, true
		}
		c := n.copyOf(0, h)
		c.nodes[i] = child
		return c, replaced
	}
	c := n.copyOf(len(n.data)+1, h)
	c.datamap |= bit
	copyWith(c.data, n.data, index(c.datamap, bit), e)
	return c, false
}

// copyOf copies n's bitmaps and child pointers into a new node with nd
// fresh entries for the caller to fill, or, for nd 0, with n's entries:
// shared, or copied when they sit in n's block (see newNode).
func (n *node) copyOf(nd int, h *top) *node {
	keep := nd == 0
	if keep && n.edit&dataInBlock != 0 {
		nd = len(n.data)
	}
	c := newNode(nd, len(n.nodes), h)
	c.datamap, c.nodemap = n.datamap, n.nodemap
	copy(c.nodes, n.nodes)
	switch {
	case keep && nd > 0:
		copy(c.data, n.data)
	case keep:
		c.data = n.data
	}
	return c
}

// pair makes the node holding two keys whose hashes agree below shift, owned
// by the transient edit (0 for none).
func pair(a, b entry, shift uint, edit uint64) *node {
	if shift > lastShift {
		n := newNode(2, 0, nil)
		n.data[0], n.data[1] = a, b
		n.edit |= edit
		return n
	}
	ba, bb := slot(a.h, shift), slot(b.h, shift)
	if ba == bb {
		n := newNode(0, 1, nil)
		n.nodemap, n.nodes[0] = ba, pair(a, b, shift+5, edit)
		n.edit |= edit
		return n
	}
	n := newNode(2, 0, nil)
	n.datamap = ba | bb
	n.edit |= edit
	n.data[0], n.data[1] = a, b
	if bb < ba {
		n.data[0], n.data[1] = b, a
	}
	return n
}

// without returns the trie without k; removed reports whether k was there.
// The root's copy takes h's header into its block when h is not nil.
func (t trie) without(k Value, h *top) (trie, bool) {
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
	root, removed := t.root.without(k, Hash(k), 0, h)
	if !removed {
		return t, false
	}
	t.root = root
	t.n--
	return t, true
}

// without returns nil for a node left empty.
func (n *node) without(k Value, h int32, shift uint, tp *top) (*node, bool) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, k) {
				if len(n.data) == 1 {
					return nil, true
				}
				c := newNode(len(n.data)-1, 0, tp)
				copyWithout(c.data, n.data, i)
				return c, true
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
		if len(n.data) == 1 {
			c := newNode(0, len(n.nodes), tp)
			c.nodemap = n.nodemap
			copy(c.nodes, n.nodes)
			return c, true
		}
		c := n.copyOf(len(n.data)-1, tp)
		c.datamap &^= bit
		copyWithout(c.data, n.data, i)
		return c, true
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, removed := n.nodes[i].without(k, h, shift+5, nil)
		if !removed {
			return n, false
		}
		if child != nil {
			c := n.copyOf(0, tp)
			c.nodes[i] = child
			return c, true
		}
		if n.nodemap == bit && n.datamap == 0 {
			return nil, true
		}
		nd := 0
		if n.edit&dataInBlock != 0 {
			nd = len(n.data) // not to be shared (see newNode)
		}
		c := newNode(nd, len(n.nodes)-1, tp)
		c.datamap, c.nodemap = n.datamap, n.nodemap&^bit
		if nd > 0 {
			copy(c.data, n.data)
		} else {
			c.data = n.data
		}
		copyWithout(c.nodes, n.nodes, i)
		return c, true
	}
	return n, false
}

// copyWith fills dst, one longer than src, with src and x at i.
func copyWith[T any](dst, src []T, i int, x T) {
	copy(dst, src[:i])
	dst[i] = x
	copy(dst[i+1:], src[i:])
}

// copyWithout fills dst, one shorter than src, with src but its i-th.
func copyWithout[T any](dst, src []T, i int) {
	copy(dst, src[:i])
	copy(dst[i:], src[i+1:])
}

// removeEntry is src without its i-th entry, in a slice of its own.
func removeEntry(es []entry, i int) []entry {
	if len(es) == 1 {
		return nil
	}
	out := make([]entry, len(es)-1)
	copyWithout(out, es, i)
	return out
}
