package value

// How trie nodes are allocated: a node and the one array a change gives it
// (its entries in a leaf, its child pointers above) come in one block of a
// size class, so copying a level of a path is one allocation, not a node
// plus an array or two; and the node copied at the root of a persistent
// assoc or dissoc takes the new Map (or Set) header into its block too.
//
// An array inside another node's block would keep that node, and the old
// children or values it points to, alive: so child pointers are copied with
// every copy of a node that has them (they are 8 bytes each) and never
// shared, and a node whose entries sit in its block (a leaf, or an inner
// node of at most mixedPtrs children) is flagged dataInBlock in node.edit,
// and its copies copy the entries rather than share them. The entries of
// other inner nodes are an array of their own, shared by the copies that
// change only a child pointer.

// top asks newNode for a header in the root's block, and gives it back.
type top struct {
	set bool // a Set header, not a Map
	m   *Map
	s   *Set
}

// mapOf is the hash map of t, in the header newNode allocated with t's root
// if it did (a change that left the root as it was allocates one).
func (h *top) mapOf(t trie) *Map {
	if h.m == nil {
		return hashMapOf(t)
	}
	*h.m.t = t
	return h.m
}

// setOf is mapOf for a set.
func (h *top) setOf(t trie) *Set {
	if h.s == nil {
		return &Set{t: t}
	}
	h.s.t = t
	return h.s
}

type (
	nodeBlock[A any] struct {
		n node
		a A
	}
	mapBlock[A any] struct {
		m Map
		t trie
		n node
		a A
	}
	setBlock[A any] struct {
		s Set
		n node
		a A
	}
)

// slicer is a pointer to an array of a block, which gives its first n
// elements with the whole array as capacity (nil for none).
type slicer[T, A any] interface {
	*A
	slice(n int) []T
}

// blockOf allocates a node and an array A in one block, with h's header
// when h is not nil.
func blockOf[T, A any, P slicer[T, A]](n int, h *top) (*node, []T) {
	switch {
	case h == nil:
		b := &nodeBlock[A]{}
		return &b.n, P(&b.a).slice(n)
	case h.set:
		b := &setBlock[A]{}
		h.s = &b.s
		return &b.n, P(&b.a).slice(n)
	}
	b := &mapBlock[A]{}
	b.m.t = &b.t
	h.m = &b.m
	return &b.n, P(&b.a).slice(n)
}

// newNode returns a zero node with room for nd entries and np child
// pointers, for the caller to set the bitmaps that count them and fill
// them: in one block, but for a node of more than mixedPtrs children and
// some entries, whose entries are an array apart. A node whose entries sit
// in its block is flagged dataInBlock. The arrays are the largest that keep
// the block in the size class nd and np need: a transient grows into them.
func newNode(nd, np int, h *top) *node {
	switch {
	case np == 0:
		n, es := dataBlock(nd, h)
		n.setData(es)
		if nd > 0 && nd <= 32 {
			n.edit |= dataInBlock
		}
		return n
	case nd == 0:
		n, ps := ptrBlock(np, h)
		n.setNodes(ps)
		return n
	case np <= mixedPtrs && nd <= 32:
		n := mixedBlock(nd, np, h)
		n.edit |= dataInBlock
		return n
	}
	n, ps := ptrBlock(np, h)
	n.setNodes(ps)
	n.setData(make([]entry, nd))
	return n
}

// Child pointer arrays, sized so node and array fill a size class (32
// bytes of node plus 16 per two pointers, up to 256; then 288).
type (
	ptrs0  [0]*node
	ptrs2  [2]*node
	ptrs4  [4]*node
	ptrs6  [6]*node
	ptrs8  [8]*node
	ptrs10 [10]*node
	ptrs12 [12]*node
	ptrs14 [14]*node
	ptrs16 [16]*node
	ptrs18 [18]*node
	ptrs20 [20]*node
	ptrs22 [22]*node
	ptrs24 [24]*node
	ptrs26 [26]*node
	ptrs28 [28]*node
	ptrs32 [32]*node
)

func (a *ptrs0) slice(int) []*node    { return nil }
func (a *ptrs2) slice(n int) []*node  { return sliceOf(a[:], n) }
func (a *ptrs4) slice(n int) []*node  { return sliceOf(a[:], n) }
func (a *ptrs6) slice(n int) []*node  { return sliceOf(a[:], n) }
func (a *ptrs8) slice(n int) []*node  { return sliceOf(a[:], n) }
func (a *ptrs10) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs12) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs14) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs16) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs18) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs20) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs22) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs24) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs26) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs28) slice(n int) []*node { return sliceOf(a[:], n) }
func (a *ptrs32) slice(n int) []*node { return sliceOf(a[:], n) }

// sliceOf is a's first n elements, with all of a as capacity (nil for none).
func sliceOf[T any](a []T, n int) []T {
	if n == 0 {
		return nil
	}
	return a[:n]
}

// ptrBlock is blockOf for np child pointers (a node has at most 32).
func ptrBlock(np int, h *top) (*node, []*node) {
	switch {
	case np <= 2:
		return blockOf[*node, ptrs2](np, h)
	case np <= 4:
		return blockOf[*node, ptrs4](np, h)
	case np <= 6:
		return blockOf[*node, ptrs6](np, h)
	case np <= 8:
		return blockOf[*node, ptrs8](np, h)
	case np <= 10:
		return blockOf[*node, ptrs10](np, h)
	case np <= 12:
		return blockOf[*node, ptrs12](np, h)
	case np <= 14:
		return blockOf[*node, ptrs14](np, h)
	case np <= 16:
		return blockOf[*node, ptrs16](np, h)
	case np <= 18:
		return blockOf[*node, ptrs18](np, h)
	case np <= 20:
		return blockOf[*node, ptrs20](np, h)
	case np <= 22:
		return blockOf[*node, ptrs22](np, h)
	case np <= 24:
		return blockOf[*node, ptrs24](np, h)
	case np <= 26:
		return blockOf[*node, ptrs26](np, h)
	case np <= 28:
		return blockOf[*node, ptrs28](np, h)
	}
	return blockOf[*node, ptrs32](np, h)
}

// Entry arrays: the sizes that fill a size class with a 32-byte node, alone
// or beside two or four child pointers (see dataBlock and mixedBlock).
type (
	data1  [1]entry
	data2  [2]entry
	data3  [3]entry
	data4  [4]entry
	data5  [5]entry
	data6  [6]entry
	data7  [7]entry
	data8  [8]entry
	data9  [9]entry
	data10 [10]entry
	data11 [11]entry
	data12 [12]entry
	data13 [13]entry
	data14 [14]entry
	data15 [15]entry
	data16 [16]entry
	data17 [17]entry
	data18 [18]entry
	data19 [19]entry
	data20 [20]entry
	data21 [21]entry
	data22 [22]entry
	data23 [23]entry
	data26 [26]entry
	data27 [27]entry
	data30 [30]entry
	data31 [31]entry
	data32 [32]entry
)

func (a *data1) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data2) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data3) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data4) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data5) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data6) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data7) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data8) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data9) slice(n int) []entry  { return sliceOf(a[:], n) }
func (a *data10) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data11) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data12) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data13) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data14) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data15) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data16) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data17) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data18) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data19) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data20) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data21) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data22) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data23) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data26) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data27) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data30) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data31) slice(n int) []entry { return sliceOf(a[:], n) }
func (a *data32) slice(n int) []entry { return sliceOf(a[:], n) }

// The entry array for nd entries (1 to 32): the largest that keeps the
// block in the size class of nd, beside a 32-byte node (dataSize), or a
// node and two or four child pointers (mixedSize: the classes agree).
var (
	dataSize  = [33]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 17, 19, 19, 21, 21, 23, 23, 27, 27, 27, 27, 31, 31, 31, 31, 32}
	mixedSize = [33]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 16, 18, 18, 20, 20, 22, 22, 26, 26, 26, 26, 30, 30, 30, 30, 32, 32}
)

// dataBlock is blockOf for nd entries; a collision node of more than 32
// gets its entries apart.
func dataBlock(nd int, h *top) (*node, []entry) {
	switch {
	case nd == 0:
		if h == nil {
			return &node{}, nil
		}
		n, _ := blockOf[*node, ptrs0](0, h) // the root and its header
		return n, nil
	case nd > 32:
		n, _ := blockOf[*node, ptrs0](0, h)
		return n, make([]entry, nd)
	}
	return dataBlockOf(nd, h)
}

// dataBlockOf is dataBlock for 1 to 32 entries.
func dataBlockOf(nd int, h *top) (*node, []entry) {
	switch dataSize[nd] {
	case 1:
		return blockOf[entry, data1](nd, h)
	case 2:
		return blockOf[entry, data2](nd, h)
	case 3:
		return blockOf[entry, data3](nd, h)
	case 4:
		return blockOf[entry, data4](nd, h)
	case 5:
		return blockOf[entry, data5](nd, h)
	case 6:
		return blockOf[entry, data6](nd, h)
	case 7:
		return blockOf[entry, data7](nd, h)
	case 8:
		return blockOf[entry, data8](nd, h)
	case 9:
		return blockOf[entry, data9](nd, h)
	case 10:
		return blockOf[entry, data10](nd, h)
	case 11:
		return blockOf[entry, data11](nd, h)
	case 12:
		return blockOf[entry, data12](nd, h)
	case 13:
		return blockOf[entry, data13](nd, h)
	case 14:
		return blockOf[entry, data14](nd, h)
	case 15:
		return blockOf[entry, data15](nd, h)
	case 17:
		return blockOf[entry, data17](nd, h)
	case 19:
		return blockOf[entry, data19](nd, h)
	case 21:
		return blockOf[entry, data21](nd, h)
	case 23:
		return blockOf[entry, data23](nd, h)
	case 27:
		return blockOf[entry, data27](nd, h)
	case 31:
		return blockOf[entry, data31](nd, h)
	}
	return blockOf[entry, data32](nd, h)
}

// mixed is the array of a block with both entries (A) and child pointers
// (Q): most inner nodes that change an entry of their own (the upper levels
// of maps of a few dozen to a few thousand keys) have few children.
type mixed[A, Q any] struct {
	p Q
	d A
}

// mixedOf allocates a node with nd entries and np children in one block,
// with h's header when h is not nil.
func mixedOf[A any, PA slicer[entry, A], Q any, PQ slicer[*node, Q]](nd, np int, h *top) *node {
	var n *node
	var a *mixed[A, Q]
	switch {
	case h == nil:
		b := &nodeBlock[mixed[A, Q]]{}
		n, a = &b.n, &b.a
	case h.set:
		b := &setBlock[mixed[A, Q]]{}
		h.s = &b.s
		n, a = &b.n, &b.a
	default:
		b := &mapBlock[mixed[A, Q]]{}
		b.m.t = &b.t
		h.m = &b.m
		n, a = &b.n, &b.a
	}
	n.setNodes(PQ(&a.p).slice(np))
	n.setData(PA(&a.d).slice(nd))
	return n
}

// mixedPtrs is the most children of a node kept in one block with its
// entries. Such a node's copies for a new child pointer copy its entries
// too, so more children means more entries copied for them: replays made
// fewer allocations but more bytes with eight than with four.
const mixedPtrs = 4

// mixedBlock is mixedOf for 1 to 32 entries and 1 to mixedPtrs children.
func mixedBlock(nd, np int, h *top) *node {
	if np <= 2 {
		return mixedFor[ptrs2](nd, np, h)
	}
	return mixedFor[ptrs4](nd, np, h)
}

func mixedFor[Q any, PQ slicer[*node, Q]](nd, np int, h *top) *node {
	switch mixedSize[nd] {
	case 1:
		return mixedOf[data1, *data1, Q, PQ](nd, np, h)
	case 2:
		return mixedOf[data2, *data2, Q, PQ](nd, np, h)
	case 3:
		return mixedOf[data3, *data3, Q, PQ](nd, np, h)
	case 4:
		return mixedOf[data4, *data4, Q, PQ](nd, np, h)
	case 5:
		return mixedOf[data5, *data5, Q, PQ](nd, np, h)
	case 6:
		return mixedOf[data6, *data6, Q, PQ](nd, np, h)
	case 7:
		return mixedOf[data7, *data7, Q, PQ](nd, np, h)
	case 8:
		return mixedOf[data8, *data8, Q, PQ](nd, np, h)
	case 9:
		return mixedOf[data9, *data9, Q, PQ](nd, np, h)
	case 10:
		return mixedOf[data10, *data10, Q, PQ](nd, np, h)
	case 11:
		return mixedOf[data11, *data11, Q, PQ](nd, np, h)
	case 12:
		return mixedOf[data12, *data12, Q, PQ](nd, np, h)
	case 13:
		return mixedOf[data13, *data13, Q, PQ](nd, np, h)
	case 14:
		return mixedOf[data14, *data14, Q, PQ](nd, np, h)
	case 16:
		return mixedOf[data16, *data16, Q, PQ](nd, np, h)
	case 18:
		return mixedOf[data18, *data18, Q, PQ](nd, np, h)
	case 20:
		return mixedOf[data20, *data20, Q, PQ](nd, np, h)
	case 22:
		return mixedOf[data22, *data22, Q, PQ](nd, np, h)
	case 26:
		return mixedOf[data26, *data26, Q, PQ](nd, np, h)
	case 30:
		return mixedOf[data30, *data30, Q, PQ](nd, np, h)
	}
	return mixedOf[data32, *data32, Q, PQ](nd, np, h)
}
