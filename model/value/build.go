package value

import "slices"

// NewMapFrom is NewMap(kvs...) for decoders: the same map, in the same order,
// with a hash map's trie laid out in three blocks (its nodes, its entries, its
// child pointers) instead of a few allocations per node, and sorted into hash
// order through a pointer-free array of packed hashes instead of moving
// entries. kvs is not retained. Decoding a replica builds a hash map for every
// large map, and their nodes were most of a decoder's allocations and time.
func NewMapFrom(kvs []Value) *Map {
	if len(kvs)/2 <= arrayMapMax {
		m, _ := newMap(kvs)
		return m
	}
	if t, ok := compactTrie(kvs, 2); ok {
		return hashMapOf(t)
	}
	m, _ := newHashMap(kvs) // a repeated key: the general rules apply
	return m
}

// NewSetFrom is NewSet(items...) built like NewMapFrom's hash maps.
func NewSetFrom(items []Value) *Set {
	if t, ok := compactTrie(items, 1); ok {
		return &Set{t: t}
	}
	s, _ := newSet(items)
	return s
}

// buildTrie makes a trie from entries in insertion order. A repeated key keeps
// its first position among equal hashes and its last value; dup reports one.
// The root takes h's header into its block when h is not nil.
func buildTrie(es entries, h *top) (t trie, dup bool) {
	for i := range es { // array-map entries and raw input carry no hash yet
		es[i].h = Hash(es[i].k)
	}
	sortHashed(es)
	start := 0
	if len(es) > 0 && es[0].k == nil {
		nv := es[0].entry
		for len(es) > 1 && es[1].k == nil { // repeated nil keys
			nv.v = es[1].v
			es = es[1:]
			dup = true
		}
		t.nilv, t.n, start = &nv, 1, 1
	}
	rest, d := mergeRepeats(es[start:])
	dup = dup || d
	t.n += len(rest)
	if len(rest) > 0 {
		t.root = build(rest, 0, h)
	}
	return t, dup
}

// mergeRepeats removes repeated keys from entries sorted by hash order.
func mergeRepeats(es entries) (entries, bool) {
	out := es[:0]
	run, dup := 0, false
	for _, e := range es {
		if len(out) > 0 && out[len(out)-1].h != e.h { // chunkKey is one to one
			run = len(out)
		}
		j := run
		for ; j < len(out); j++ {
			if out[j].h == e.h && Equal(out[j].k, e.k) {
				break
			}
		}
		if j < len(out) {
			out[j].v = e.v
			dup = true
			continue
		}
		out = append(out, e)
	}
	return out, dup
}

// build makes the node for entries sorted in hash order that agree on every
// chunk below shift, each node in one block of its exact size (see newNode),
// the root's with h's header when h is not nil.
func build(es entries, shift uint, h *top) *node {
	if shift > lastShift {
		n := newCollision(len(es), h)
		for i := range es {
			*n.entryAt(i) = es[i].entry
		}
		return n
	}
	nd, np := 0, 0
	for i := 0; i < len(es); {
		j := runEndHashed(es, i, shift)
		if j-i == 1 {
			nd++
		} else {
			np++
		}
		i = j
	}
	n := newNode(nd, np, h)
	di, pi := 0, 0
	for i := 0; i < len(es); {
		j := runEndHashed(es, i, shift)
		bit := slot(es[i].h, shift)
		if j-i == 1 {
			n.datamap |= bit
			*n.entryAt(di) = es[i].entry
			di++
		} else {
			n.nodemap |= bit
			n.nodes()[pi] = build(es[i:j], shift+5, nil)
			pi++
		}
		i = j
	}
	return n
}

// runEndHashed returns the end of the run of entries from i sharing i's slot.
func runEndHashed(es entries, i int, shift uint) int {
	bit := slot(es[i].h, shift)
	j := i + 1
	for j < len(es) && slot(es[j].h, shift) == bit {
		j++
	}
	return j
}

// A packed key sorts like sortHashed orders entries: bit 63 is clear for the
// nil key only, bits 28–62 hold the chunk key of the hash, bits 0–27 the
// position in the input, which breaks ties as a stable sort would.
const (
	idxBits = 28
	idxMask = 1<<idxBits - 1
	nonNil  = 1 << 63
)

// slotOfPacked is slot(h, shift) read from a packed key: chunk shift/5 of h
// sits at bit 30-shift of the chunk key.
func slotOfPacked(p uint64, shift uint) uint32 {
	return 1 << (p >> (idxBits + 30 - shift) & 31)
}

// compactTrie is buildTrie for the keys xs[0], xs[stride], … (with their
// values after them when stride is 2): the same order, nil-key rule and node
// shapes. It declines (ok false) input with a repeated key, which the general
// path handles, and input too long to pack.
func compactTrie(xs []Value, stride int) (t trie, ok bool) {
	n := len(xs) / stride
	if n == 0 {
		return trie{}, true
	}
	if n > idxMask {
		return trie{}, false
	}
	var buf [64]uint64
	keys := buf[:0]
	if n > len(buf) {
		keys = make([]uint64, 0, n)
	}
	for i := 0; i < n; i++ {
		p := uint64(i)
		if k := xs[i*stride]; k != nil {
			p |= nonNil | chunkKey(Hash(k))<<idxBits
		}
		keys = append(keys, p)
	}
	slices.Sort(keys)
	start := 0
	if keys[0]&nonNil == 0 {
		if n > 1 && keys[1]&nonNil == 0 {
			return trie{}, false // two nil keys
		}
		start = 1
	}
	// Equal keys have equal hashes, which sort side by side.
	for i := start + 1; i < n; i++ {
		for j := i - 1; j >= start && keys[j]>>idxBits == keys[i]>>idxBits; j-- {
			if Equal(xs[int(keys[j]&idxMask)*stride], xs[int(keys[i]&idxMask)*stride]) {
				return trie{}, false
			}
		}
	}
	b := trieBlock{xs: xs, stride: stride, data: make([]entry, n)}
	if start == 1 {
		t.nilv = &b.data[n-1]
		b.fill(t.nilv, keys[0])
		b.data = b.data[: n-1 : n-1]
	}
	t.n = n
	if rest := keys[start:]; len(rest) > 0 {
		nn, np := countNodes(rest, 0)
		b.nodes = make([]node, nn)
		b.ptrs = make([]*node, np)
		t.root = b.build(rest, 0)
	}
	return t, true
}

// countNodes is how many nodes and child pointers build makes for keys.
func countNodes(keys []uint64, shift uint) (nodes, ptrs int) {
	nodes = 1
	if shift > lastShift {
		return nodes, 0
	}
	for i := 0; i < len(keys); {
		j := runEnd(keys, i, shift)
		if j-i > 1 {
			n, p := countNodes(keys[i:j], shift+5)
			nodes, ptrs = nodes+n, ptrs+p+1
		}
		i = j
	}
	return nodes, ptrs
}

// runEnd returns the end of the run of keys from i sharing i's slot.
func runEnd(keys []uint64, i int, shift uint) int {
	bit := slotOfPacked(keys[i], shift)
	j := i + 1
	for j < len(keys) && slotOfPacked(keys[j], shift) == bit {
		j++
	}
	return j
}

// trieBlock hands out the pieces of one trie. Every slice it returns has its
// exact capacity, so no append can reach a neighbour (and the trie's
// operations copy what they change anyway).
type trieBlock struct {
	xs     []Value
	stride int
	nodes  []node
	data   []entry
	ptrs   []*node
}

// fill sets the zeroed entry e from packed key p field by field: copying a
// whole entry in went through the bulk write barrier.
func (b *trieBlock) fill(e *entry, p uint64) {
	i := int(p&idxMask) * b.stride
	e.k = b.xs[i]
	if b.stride == 2 {
		e.v = b.xs[i+1]
	}
}

func (b *trieBlock) takeData(n int) []entry {
	if n == 0 {
		return nil
	}
	s := b.data[:n:n]
	b.data = b.data[n:]
	return s
}

// build is hamt.go's build, its nodes, entries and child slices taken from
// the block.
func (b *trieBlock) build(keys []uint64, shift uint) *node {
	n := &b.nodes[0]
	b.nodes = b.nodes[1:]
	if shift > lastShift {
		n.edit |= collision
		n.setData(b.takeData(len(keys)))
		for i, p := range keys {
			b.fill(n.entryAt(i), p)
		}
		return n
	}
	nd, nc := 0, 0
	for i := 0; i < len(keys); {
		j := runEnd(keys, i, shift)
		if j-i == 1 {
			nd++
		} else {
			nc++
		}
		i = j
	}
	n.setData(b.takeData(nd))
	if nc > 0 {
		n.setNodes(b.ptrs[:nc:nc])
		b.ptrs = b.ptrs[nc:]
	}
	di, ci := 0, 0
	for i := 0; i < len(keys); {
		j := runEnd(keys, i, shift)
		bit := slotOfPacked(keys[i], shift)
		if j-i == 1 {
			n.datamap |= bit
			b.fill(n.entryAt(di), keys[i])
			di++
		} else {
			n.nodemap |= bit
			*n.childAt(ci) = b.build(keys[i:j], shift+5)
			ci++
		}
		i = j
	}
	return n
}

// SmallMap is a map of a known size being filled in place, for decoders
// that read a count before the entries: one allocation of exactly that
// size and no scratch copy of the keys and values. Add follows NewMap's
// rules: a repeated key keeps its first position and takes the last value;
// a map announced with more than eight entries is a hash map, however many
// distinct keys it gets.
type SmallMap struct {
	m *Map
	n int
}

// NewSmallMap starts a map of n entries (n Adds follow).
func NewSmallMap(n int) SmallMap { return SmallMap{newArrayMap(max(n, 0)), n} }

// Add puts k and v in the map.
func (s SmallMap) Add(k, v Value) {
	if i := s.m.arr.findLinear(k); i >= 0 {
		s.m.arr[i].v = v
		return
	}
	if len(s.m.arr) == cap(s.m.arr) {
		s.m.arr = append(s.m.arr, kv{k, v}) // more Adds than announced
		return
	}
	s.m.arr = s.m.arr[:len(s.m.arr)+1]
	e := &s.m.arr[len(s.m.arr)-1] // zeroed: set only what Add knows
	e.k, e.v = k, v
}

// Map returns the map; the SmallMap must not be used afterwards.
func (s SmallMap) Map() *Map {
	if s.n <= arrayMapMax {
		return s.m
	}
	var h top
	t, _ := buildTrie(s.m.arr.hashed(0), &h)
	return h.mapOf(t)
}

// firstRepeat finds the first item (every step-th) equal to an earlier one;
// only called when one is known to exist, so its cost is paid once, on error.
func firstRepeat(items []Value, step int, known bool) int {
	if !known {
		return -1
	}
	seen := make(map[int32][]int)
	for i := 0; i < len(items); i += step {
		h := Hash(items[i])
		for _, j := range seen[h] {
			if Equal(items[j], items[i]) {
				return i
			}
		}
		seen[h] = append(seen[h], i)
	}
	return -1
}
