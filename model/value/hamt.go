package value

import (
	"math/bits"
	"unsafe"
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
// keeps them; it is flagged collision in edit and its datamap holds its
// count. Entries and children are arrays reached through a pointer to their
// first element (a block of nodealloc.go or an array apart), their lengths
// the bitmaps' counts, their capacities (for transients) kept in edit: so a
// node is 32 bytes, and replicas share millions of them. Code reads the
// arrays through data and nodes, or entryAt and child for one element.
type node struct {
	datamap, nodemap uint32
	ents             *entry // the first entry, nil for none
	kids             **node // the first child pointer, nil for none
	edit             uint64 // the transient that may change this node in place (0 for none), flags and capacities
}

const lastShift = 30 // bits 30–31 are the last chunk of a 32-bit hash

func slot(h int32, shift uint) uint32 { return 1 << (uint32(h) >> shift & 31) }

func index(bitmap, bit uint32) int { return bits.OnesCount32(bitmap & (bit - 1)) }

// dataLen is the number of entries of n.
func (n *node) dataLen() int {
	if n.edit&collision != 0 {
		return int(n.datamap)
	}
	return bits.OnesCount32(n.datamap)
}

// data is n's entries, in slot order (insertion order in a collision node).
func (n *node) data() []entry { return unsafe.Slice(n.ents, n.dataLen()) }

// nodes is n's child pointers, in slot order.
func (n *node) nodes() []*node { return unsafe.Slice(n.kids, bits.OnesCount32(n.nodemap)) }

// entryAt is &n.data()[i] for an i the bitmaps vouch for.
func (n *node) entryAt(i int) *entry {
	return (*entry)(unsafe.Add(unsafe.Pointer(n.ents), uintptr(i)*unsafe.Sizeof(entry{})))
}

// child is n.nodes()[i] for an i the bitmaps vouch for.
func (n *node) child(i int) *node { return *n.childAt(i) }

// childAt is &n.nodes()[i] for an i the bitmaps vouch for.
func (n *node) childAt(i int) **node {
	return (**node)(unsafe.Add(unsafe.Pointer(n.kids), uintptr(i)*unsafe.Sizeof((*node)(nil))))
}

// dataRoom is data with the capacity of its array, for a transient that
// owns it to grow it in place; setData takes the slice back.
func (n *node) dataRoom() []entry {
	l := n.dataLen()
	return unsafe.Slice(n.ents, max(l, int(n.edit>>dataCapShift&capMask)))[:l]
}

// nodesRoom is dataRoom for the child pointers.
func (n *node) nodesRoom() []*node {
	l := bits.OnesCount32(n.nodemap)
	return unsafe.Slice(n.kids, max(l, int(n.edit>>kidsCapShift&capMask)))[:l]
}

// setData makes s n's entries and remembers its capacity (a collision node
// its count too); the bitmaps of other nodes must count len(s).
func (n *node) setData(s []entry) {
	n.edit &^= capMask << dataCapShift
	if n.edit&collision != 0 {
		n.datamap = uint32(len(s))
	}
	if len(s) == 0 {
		n.ents = nil
		return
	}
	n.ents = &s[0]
	n.edit |= uint64(min(cap(s), capMask)) << dataCapShift
}

// setNodes is setData for the child pointers.
func (n *node) setNodes(s []*node) {
	n.edit &^= capMask << kidsCapShift
	if len(s) == 0 {
		n.kids = nil
		return
	}
	n.kids = &s[0]
	n.edit |= uint64(min(cap(s), capMask)) << kidsCapShift
}

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
			es := n.data()
			for i := range es {
				if y, ok := es[i].k.(K); ok && y == k {
					return &es[i]
				}
			}
			return nil
		}
		bit := slot(h, shift)
		switch {
		case n.datamap&bit != 0:
			e := n.entryAt(index(n.datamap, bit))
			if y, ok := e.k.(K); ok && y == k {
				return e
			}
			return nil
		case n.nodemap&bit != 0:
			n = n.child(index(n.nodemap, bit))
		default:
			return nil
		}
	}
}

func (n *node) get(k Value, h int32) *entry {
	for shift := uint(0); ; shift += 5 {
		if shift > lastShift {
			es := n.data()
			for i := range es {
				if Equal(es[i].k, k) {
					return &es[i]
				}
			}
			return nil
		}
		bit := slot(h, shift)
		switch {
		case n.datamap&bit != 0:
			e := n.entryAt(index(n.datamap, bit))
			if Equal(e.k, k) {
				return e
			}
			return nil
		case n.nodemap&bit != 0:
			n = n.child(index(n.nodemap, bit))
		default:
			return nil
		}
	}
}

// assoc returns the trie with e set; replaced reports an existing key. A
// value identical to the one there leaves the trie as it is, root and all,
// as Clojure's assoc returns the map itself then. The root's copy takes
// h's header into its block when h is not nil (see newNode).
func (t trie) assoc(e hentry, h *top) (out trie, replaced bool) {
	if e.k == nil {
		replaced = t.nilv != nil
		if replaced && identical(t.nilv.v, e.v) {
			return t, true
		}
		ne := e.entry
		t.nilv = &ne
		if !replaced {
			t.n++
		}
		return t, replaced
	}
	if t.root == nil {
		c := newNode(1, 0, h)
		c.datamap = slot(e.h, 0)
		*c.entryAt(0) = e.entry
		t.root = c
	} else {
		t.root, replaced = t.root.assoc(e, 0, h)
	}
	if !replaced {
		t.n++
	}
	return t, replaced
}

func (n *node) assoc(e hentry, shift uint, h *top) (*node, bool) {
	if shift > lastShift {
		es := n.data()
		for i := range es {
			if Equal(es[i].k, e.k) {
				if identical(es[i].v, e.v) {
					return n, true
				}
				c := newCollision(len(es), h)
				cs := c.data()
				copy(cs, es)
				cs[i].v = e.v
				return c, true
			}
		}
		c := newCollision(len(es)+1, h)
		copy(c.data(), es)
		*c.entryAt(len(es)) = e.entry
		return c, false
	}
	bit := slot(e.h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		old := n.entryAt(i)
		if Equal(old.k, e.k) {
			if identical(old.v, e.v) {
				return n, true
			}
			c := n.copyOf(n.dataLen(), h)
			copy(c.data(), n.data())
			c.entryAt(i).v = e.v
			return c, true
		}
		// Two keys share this slot: move the old one down beside the new.
		c := newNode(n.dataLen()-1, bits.OnesCount32(n.nodemap)+1, h)
		c.datamap, c.nodemap = n.datamap&^bit, n.nodemap|bit
		copyWithout(c.data(), n.data(), i)
		copyWith(c.nodes(), n.nodes(), index(c.nodemap, bit), pair(hentry{*old, Hash(old.k)}, e, shift+5, 0))
		return c, false
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		was := n.child(i)
		child, replaced := was.assoc(e, shift+5, nil)
		if child == was {
			return n, true
		}
		c := n.copyOf(0, h)
		c.nodes()[i] = child
		return c, replaced
	}
	c := n.copyOf(n.dataLen()+1, h)
	c.datamap |= bit
	copyWith(c.data(), n.data(), index(c.datamap, bit), e.entry)
	return c, false
}

// copyOf copies n's bitmaps, flags and child pointers into a new node with
// room for nd entries for the caller to fill (after setting the bitmaps
// that count them), or, for nd 0, with n's entries: shared, or copied when
// they sit in n's block (see newNode).
func (n *node) copyOf(nd int, h *top) *node {
	keep := nd == 0
	if keep && n.edit&dataInBlock != 0 {
		nd = n.dataLen()
	}
	c := newNode(nd, bits.OnesCount32(n.nodemap), h)
	c.datamap, c.nodemap = n.datamap, n.nodemap
	c.edit |= n.edit & collision
	copy(c.nodes(), n.nodes())
	switch {
	case keep && nd > 0:
		copy(c.data(), n.data())
	case keep:
		c.ents = n.ents // not the copy's to grow: its capacity stays 0
	}
	return c
}

// newCollision returns a collision node of nd zero entries.
func newCollision(nd int, h *top) *node {
	n := newNode(nd, 0, h)
	n.edit |= collision
	n.datamap = uint32(nd)
	return n
}

// pair makes the node holding two keys whose hashes agree below shift, owned
// by the transient edit (0 for none).
func pair(a, b hentry, shift uint, edit uint64) *node {
	if shift > lastShift {
		n := newCollision(2, nil)
		es := n.data()
		es[0], es[1] = a.entry, b.entry
		n.edit |= edit
		return n
	}
	ba, bb := slot(a.h, shift), slot(b.h, shift)
	if ba == bb {
		n := newNode(0, 1, nil)
		n.nodemap = ba
		n.nodes()[0] = pair(a, b, shift+5, edit)
		n.edit |= edit
		return n
	}
	n := newNode(2, 0, nil)
	n.datamap = ba | bb
	n.edit |= edit
	es := n.data()
	es[0], es[1] = a.entry, b.entry
	if bb < ba {
		es[0], es[1] = b.entry, a.entry
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
		es := n.data()
		for i := range es {
			if Equal(es[i].k, k) {
				if len(es) == 1 {
					return nil, true
				}
				c := newCollision(len(es)-1, tp)
				copyWithout(c.data(), es, i)
				return c, true
			}
		}
		return n, false
	}
	bit := slot(h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		if !Equal(n.entryAt(i).k, k) {
			return n, false
		}
		if n.datamap == bit && n.nodemap == 0 {
			return nil, true
		}
		if n.datamap == bit {
			c := newNode(0, bits.OnesCount32(n.nodemap), tp)
			c.nodemap = n.nodemap
			copy(c.nodes(), n.nodes())
			return c, true
		}
		c := n.copyOf(n.dataLen()-1, tp)
		c.datamap &^= bit
		copyWithout(c.data(), n.data(), i)
		return c, true
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, removed := n.child(i).without(k, h, shift+5, nil)
		if !removed {
			return n, false
		}
		if child != nil {
			c := n.copyOf(0, tp)
			c.nodes()[i] = child
			return c, true
		}
		if n.nodemap == bit && n.datamap == 0 {
			return nil, true
		}
		nd := 0
		if n.edit&dataInBlock != 0 {
			nd = n.dataLen() // not to be shared (see newNode)
		}
		c := newNode(nd, bits.OnesCount32(n.nodemap)-1, tp)
		c.datamap, c.nodemap = n.datamap, n.nodemap&^bit
		if nd > 0 {
			copy(c.data(), n.data())
		} else {
			c.ents = n.ents
		}
		copyWithout(c.nodes(), n.nodes(), i)
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
