package value

import (
	"slices"
	"sync/atomic"
)

// A transient changes in place the trie nodes it made or already copied and
// copies any other node once, on first change: the Clojure transient
// (ensureEditable against an edit token). A node records its owner as an
// edit number; numbers are never reused, so a retired transient's nodes can
// never be changed again. The low bits of node.edit say which of the node's
// arrays the owner has copied too (ownData, ownNodes): a copied node takes
// the child pointers (one block with the node, see newNode) and its entries
// when the change at hand needs them or they sit in the old node's block,
// and otherwise on first need. The other low bits describe the node itself:
// newNode's dataInBlock, collision, and the capacities of its two arrays.
var lastEdit atomic.Uint64

const (
	ownData      = 1 // node's entries are the owner's
	ownNodes     = 2 // node's child pointers are the owner's
	ownAll       = ownData | ownNodes
	dataInBlock  = 4 // the entries may sit in the node's block (see newNode)
	collision    = 8 // a collision node, its count in datamap
	dataCapShift = 4 // bits 4–9: the capacity of the entries (at most capMask)
	kidsCapShift = 10
	capMask      = 63 // bits 10–15: the capacity of the child pointers
	flagBits     = 1<<16 - 1
	layoutBits   = flagBits &^ ownAll // what a node's owner does not change
)

func newEdit() uint64 { return lastEdit.Add(1) << 16 }

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
		t, _ := buildTrie(append(tm.arr.hashed(1), hentry{entry: entry{k, v}}), &tm.hdr)
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
func (t *trie) assocT(e hentry, edit uint64, h *top) bool {
	if e.k == nil {
		if t.nilv == nil {
			t.n++
		} else if identical(t.nilv.v, e.v) {
			return false
		}
		ne := e.entry
		t.nilv = &ne
		return true
	}
	if t.root == nil {
		c := newNode(1, 0, h)
		c.datamap = slot(e.h, 0)
		*c.entryAt(0) = e.entry
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

// editable returns n, or a copy of it, owned by edit with the arrays in
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
			nd = n.dataLen() + grow
		}
		c := n.copyOf(nd, h)
		c.edit |= edit | ownNodes
		if nd > 0 {
			copy(c.data(), n.data())
		}
		if nd > 0 || c.edit&dataInBlock != 0 {
			c.edit |= ownData // copied
		}
		return c
	}
	if missing := want &^ n.edit; missing != 0 {
		if missing&ownData != 0 {
			n.setData(slices.Clone(n.data()))
		}
		if missing&ownNodes != 0 {
			n.setNodes(slices.Clone(n.nodes()))
		}
		n.edit |= missing
	}
	return n
}

// adopt gives edit the nodes of a trie nothing else holds.
func (n *node) adopt(edit uint64) {
	n.edit = edit | n.edit&layoutBits
	for _, c := range n.nodes() {
		c.adopt(edit)
	}
}

// assocT is node.assoc making the same shapes, in place where edit owns.
func (n *node) assocT(e hentry, shift uint, edit uint64, h *top) (*node, outcome) {
	if shift > lastShift {
		es := n.data()
		for i := range es {
			if Equal(es[i].k, e.k) {
				if identical(es[i].v, e.v) {
					return n, unchanged
				}
				n = n.editable(edit, ownData, 0, h)
				n.entryAt(i).v = e.v
				return n, replaced
			}
		}
		n = n.editable(edit, ownData, 1, h)
		n.setData(append(n.dataRoom(), e.entry)) // the count too
		return n, added
	}
	bit := slot(e.h, shift)
	switch {
	case n.datamap&bit != 0:
		i := index(n.datamap, bit)
		if old := n.entryAt(i); Equal(old.k, e.k) {
			if identical(old.v, e.v) {
				return n, unchanged
			}
			n = n.editable(edit, ownData, 0, h)
			n.entryAt(i).v = e.v
			return n, replaced
		}
		old := n.entryAt(i)
		child := pair(hentry{*old, Hash(old.k)}, e, shift+5, edit|ownAll)
		n = n.editable(edit, ownData|ownNodes, 0, h)
		es, ps := deleteAt(n.dataRoom(), i), slices.Insert(n.nodesRoom(), index(n.nodemap|bit, bit), child)
		n.datamap &^= bit
		n.nodemap |= bit
		n.setData(es)
		n.setNodes(ps)
		return n, added
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		was := n.child(i)
		child, out := was.assocT(e, shift+5, edit, nil)
		if child != was {
			n = n.editable(edit, ownNodes, 0, h)
			n.nodes()[i] = child
		}
		return n, out
	}
	n = n.editable(edit, ownData, 1, h)
	es := slices.Insert(n.dataRoom(), index(n.datamap, bit), e.entry)
	n.datamap |= bit
	n.setData(es)
	return n, added
}

// withoutT is node.without making the same shapes, in place where edit owns.
func (n *node) withoutT(k Value, h int32, shift uint, edit uint64, tp *top) (*node, bool) {
	if shift > lastShift {
		es := n.data()
		for i := range es {
			if Equal(es[i].k, k) {
				if len(es) == 1 {
					return nil, true
				}
				n = n.editable(edit, ownData, 0, tp)
				n.setData(deleteAt(n.dataRoom(), i)) // the count too
				return n, true
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
		n = n.editable(edit, ownData, 0, tp)
		es := deleteAt(n.dataRoom(), i)
		n.datamap &^= bit
		n.setData(es)
		return n, true
	case n.nodemap&bit != 0:
		i := index(n.nodemap, bit)
		was := n.child(i)
		child, removed := was.withoutT(k, h, shift+5, edit, nil)
		switch {
		case !removed:
			return n, false
		case child == nil:
			if n.nodemap == bit && n.datamap == 0 {
				return nil, true
			}
			n = n.editable(edit, ownNodes, 0, tp)
			ps := deleteAt(n.nodesRoom(), i)
			n.nodemap &^= bit
			n.setNodes(ps)
		case child != was:
			n = n.editable(edit, ownNodes, 0, tp)
			n.nodes()[i] = child
		}
		return n, true
	}
	return n, false
}

// deleteAt is slices.Delete of the i-th element in place, giving nil for
// none left, as the persistent operations do; the element freed at the end
// is zeroed, so the array keeps no stale value alive.
func deleteAt[T any](s []T, i int) []T {
	if len(s) == 1 {
		clear(s)
		return nil
	}
	return slices.Delete(s, i, i+1)
}
