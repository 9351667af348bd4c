package value

import (
	"slices"
	"sync/atomic"
)

// A transient changes in place the trie nodes it made or already copied and
// copies any other node once, on first change: the Clojure transient
// (ensureEditable against an edit token). A node records its owner as an
// edit number; numbers are never reused, so a retired transient's nodes can
// never be changed again. The two low bits of node.edit say which of the
// node's slices the owner has copied too: a copied node takes the child
// pointers (one block with the node, see newNode) and its entries when the
// change at hand needs them or they sit in the old node's block, and
// otherwise on first need. The third bit is newNode's dataInBlock.
var lastEdit atomic.Uint64

const (
	ownData     = 1 // node.data is the owner's
	ownNodes    = 2 // node.nodes is the owner's
	ownAll      = ownData | ownNodes
	dataInBlock = 4 // node.data may sit in the node's block (see newNode)
	flagBits    = ownAll | dataInBlock
)

func newEdit() uint64 { return lastEdit.Add(1) << 3 }

// TransientMap is a *Map being changed in place, for code that makes many
// assocs and dissocs in a row: Persistent then gives the map those calls
// made one by one on the persistent Map would give (the same content and the
// same iteration order, array map or hash map alike), without copying the
// path to each key on every call. The map it started from and every map
// Persistent returned are never changed. A TransientMap is not safe for use
// by several goroutines at once.
type TransientMap struct {
	edit   uint64
	hashed bool // t holds the entries; otherwise arr
	own    bool // arr is this transient's own, not shared with a Map
	dirty  bool // changed since it was src
	arr    kvs
	t      trie
	src    *Map // the map it started from or last returned
	hdr    top  // the header allocated with the root's copy, for Persistent
}

// AsTransient starts a transient from m, which may be nil and is not changed.
func (m *Map) AsTransient() *TransientMap {
	tm := &TransientMap{edit: newEdit(), src: m}
	switch {
	case m == nil:
	case m.t != nil:
		tm.hashed, tm.t = true, *m.t
	default:
		tm.arr = m.arr
	}
	return tm
}

// Assoc sets k to v, as Map.Assoc does.
func (tm *TransientMap) Assoc(k, v Value) {
	if tm.hashed {
		if tm.t.assocT(newEntry(k, v), tm.edit, &tm.hdr) {
			tm.dirty = true
		}
		return
	}
	if i := tm.arr.findLinear(k); i >= 0 {
		if !identical(tm.arr[i].v, v) {
			tm.ownArr()
			tm.arr[i].v = v
			tm.dirty = true
		}
		return
	}
	tm.dirty = true
	if len(tm.arr) >= arrayMapMax {
		t, _ := buildTrie(append(tm.arr.hashed(1), entry{k: k, v: v}), &tm.hdr)
		if t.root != nil {
			t.root.adopt(tm.edit | ownAll) // all new: no need to copy them again
		}
		tm.hashed, tm.t, tm.arr, tm.own = true, t, nil, false
		return
	}
	tm.ownArr()
	tm.arr = append(tm.arr, kv{k, v})
}

// Dissoc removes k, as Map.Dissoc does (a hash map stays one).
func (tm *TransientMap) Dissoc(k Value) {
	if tm.hashed {
		if tm.t.withoutT(k, tm.edit, &tm.hdr) {
			tm.dirty = true
		}
		return
	}
	if i := tm.arr.findLinear(k); i >= 0 {
		tm.ownArr()
		tm.arr = slices.Delete(tm.arr, i, i+1)
		tm.dirty = true
	}
}

// ownArr makes arr this transient's own before it is changed.
func (tm *TransientMap) ownArr() {
	if !tm.own {
		tm.arr = append(make(kvs, 0, arrayMapMax), tm.arr...)
		tm.own = true
	}
}

// Get returns the value for k and whether k is present.
func (tm *TransientMap) Get(k Value) (Value, bool) {
	if tm.hashed {
		if e, ok := tm.t.get(k); ok {
			return e.v, true
		}
		return nil, false
	}
	if i := tm.arr.findLinear(k); i >= 0 {
		return tm.arr[i].v, true
	}
	return nil, false
}

// Val returns the value for k, nil when absent.
func (tm *TransientMap) Val(k Value) Value {
	v, _ := tm.Get(k)
	return v
}

// Has reports whether k is a key.
func (tm *TransientMap) Has(k Value) bool {
	_, ok := tm.Get(k)
	return ok
}

// Len is the number of entries.
func (tm *TransientMap) Len() int {
	if tm.hashed {
		return tm.t.n
	}
	return len(tm.arr)
}

// Persistent returns the map as it stands: the very map it started from (or
// last returned) when no call changed anything, as Map.Assoc returns the map
// itself for a value already there. The transient stays usable: it takes a
// new edit number, so later calls copy what they change again and the
// returned map never changes.
func (tm *TransientMap) Persistent() *Map {
	if !tm.dirty && tm.src != nil {
		return tm.src
	}
	tm.edit = newEdit()
	var m *Map
	if tm.hashed {
		m = tm.hdr.mapOf(tm.t)
		tm.hdr = top{}
	} else {
		m = newArrayMap(len(tm.arr)) // sized to fit, as Map.Assoc's are
		m.arr = append(m.arr, tm.arr...)
	}
	tm.src, tm.dirty = m, false
	return m
}

// outcome is what an assoc did to a trie.
type outcome uint8

const (
	added     outcome = iota // a new key
	replaced                 // a new value for a key
	unchanged                // the key had that very value
)

// assocT is trie.assoc changing the nodes edit owns in place; it reports
// whether the trie changed.
func (t *trie) assocT(e entry, edit uint64, h *top) bool {
	if e.k == nil {
		if t.nilv == nil {
			t.n++
		} else if identical(t.nilv.v, e.v) {
			return false
		}
		ne := e
		t.nilv = &ne
		return true
	}
	if t.root == nil {
		c := newNode(1, 0, h)
		c.datamap, c.data[0] = slot(e.h, 0), e
		c.edit |= edit | ownAll
		t.root = c
		t.n++
		return true
	}
	root, out := t.root.assocT(e, 0, edit, h)
	t.root = root
	if out == added {
		t.n++
	}
	return out != unchanged
}

// withoutT is trie.without changing the nodes edit owns in place; it
// reports whether k was there.
func (t *trie) withoutT(k Value, edit uint64, h *top) bool {
	if k == nil {
		if t.nilv == nil {
			return false
		}
		t.nilv = nil
		t.n--
		return true
	}
	if t.root == nil {
		return false
	}
	root, removed := t.root.withoutT(k, Hash(k), 0, edit, h)
	if removed {
		t.root = root
		t.n--
	}
	return removed
}

// editable returns n, or a copy of it, owned by edit with the slices in
// want (ownData, ownNodes) its own; a copy's entries have room for grow
// more. Edit 0 (a zero TransientMap) owns nothing: persistent nodes carry
// 0. A copy at the root (h not nil) takes the header Persistent will hand
// out into its block.
func (n *node) editable(edit, want uint64, grow int, h *top) *node {
	if n.edit&^flagBits != edit || edit == 0 {
		// One block: child pointers are never shared (see newNode), so the
		// copy owns them from the start.
		nd := 0
		if want&ownData != 0 {
			nd = len(n.data) + grow
		}
		c := n.copyOf(nd, h)
		c.edit |= edit | ownNodes
		if nd > 0 {
			c.data = c.data[:len(n.data)]
			copy(c.data, n.data)
		}
		if nd > 0 || c.edit&dataInBlock != 0 {
			c.edit |= ownData // copied
		}
		return c
	}
	if missing := want &^ n.edit; missing != 0 {
		if missing&ownData != 0 {
			n.data = slices.Clone(n.data)
		}
		if missing&ownNodes != 0 {
			n.nodes = slices.Clone(n.nodes)
		}
		n.edit |= missing
	}
	return n
}

// adopt gives edit the nodes of a trie nothing else holds.
func (n *node) adopt(edit uint64) {
	n.edit = edit | n.edit&dataInBlock
	for _, c := range n.nodes {
		c.adopt(edit)
	}
}

// assocT is node.assoc making the same shapes, in place where edit owns.
func (n *node) assocT(e entry, shift uint, edit uint64, h *top) (*node, outcome) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, e.k) {
				if identical(n.data[i].v, e.v) {
					return n, unchanged
				}
				n = n.editable(edit, ownData, 0, h)
				n.data[i].v = e.v
				return n, replaced
			}
		}
		n = n.editable(edit, ownData, 1, h)
		n.data = append(n.data, e)
		return n, added
	}
	bit := slot(e.h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		if old := &n.data[i]; old.h == e.h && Equal(old.k, e.k) {
			if identical(old.v, e.v) {
				return n, unchanged
			}
			n = n.editable(edit, ownData, 0, h)
			n.data[i].v = e.v
			return n, replaced
		}
		child := pair(n.data[i], e, shift+5, edit|ownAll)
		n = n.editable(edit, ownData|ownNodes, 0, h)
		n.data = deleteAt(n.data, i)
		n.datamap &^= bit
		n.nodemap |= bit
		n.nodes = slices.Insert(n.nodes, index(n.nodemap, bit), child)
		return n, added
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, out := n.nodes[i].assocT(e, shift+5, edit, nil)
		if child != n.nodes[i] {
			n = n.editable(edit, ownNodes, 0, h)
			n.nodes[i] = child
		}
		return n, out
	}
	n = n.editable(edit, ownData, 1, h)
	n.datamap |= bit
	n.data = slices.Insert(n.data, index(n.datamap, bit), e)
	return n, added
}

// withoutT is node.without making the same shapes, in place where edit owns.
func (n *node) withoutT(k Value, h int32, shift uint, edit uint64, tp *top) (*node, bool) {
	if shift > lastShift {
		for i := range n.data {
			if Equal(n.data[i].k, k) {
				if len(n.data) == 1 {
					return nil, true
				}
				n = n.editable(edit, ownData, 0, tp)
				n.data = deleteAt(n.data, i)
				return n, true
			}
		}
		return n, false
	}
	bit := slot(h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		if e := &n.data[i]; e.h != h || !Equal(e.k, k) {
			return n, false
		}
		if n.datamap == bit && n.nodemap == 0 {
			return nil, true
		}
		n = n.editable(edit, ownData, 0, tp)
		n.data = deleteAt(n.data, i)
		n.datamap &^= bit
		return n, true
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		child, removed := n.nodes[i].withoutT(k, h, shift+5, edit, nil)
		switch {
		case !removed:
			return n, false
		case child == nil:
			if n.nodemap == bit && n.datamap == 0 {
				return nil, true
			}
			n = n.editable(edit, ownNodes, 0, tp)
			n.nodes = deleteAt(n.nodes, i)
			n.nodemap &^= bit
		case child != n.nodes[i]:
			n = n.editable(edit, ownNodes, 0, tp)
			n.nodes[i] = child
		}
		return n, true
	}
	return n, false
}

// deleteAt is slices.Delete of the i-th element in place, giving nil for
// none left, as the persistent operations do.
func deleteAt[T any](s []T, i int) []T {
	if len(s) == 1 {
		clear(s) // the block keeps no stale value alive
		return nil
	}
	return slices.Delete(s, i, i+1)
}
