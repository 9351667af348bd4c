package value

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// depthOf is the number of trie nodes on the path to k, the nodes an assoc
// of k copies, and the allocations that copy takes: one a node, but for
// the node holding k when it has more than mixedPtrs children.
func depthOf(m *Map, k Value) (depth, allocs int) {
	n, h := m.t.root, Hash(k)
	for shift := uint(0); n != nil; shift += 5 {
		depth++
		if shift > lastShift {
			break
		}
		bit := slot(h, shift)
		if n.nodemap&bit == 0 {
			if len(n.nodes()) > mixedPtrs {
				allocs++
			}
			break
		}
		n = n.child(index(n.nodemap, bit))
	}
	return depth, depth + allocs
}

// TestAssocAllocatesOnceALevel checks the allocation goal of newNode: a
// persistent assoc or dissoc copies each level of the path in one
// allocation, the new Map header in the root's, and a transient's
// Persistent hands out the header allocated with its root.
func TestAssocAllocatesOnceALevel(t *testing.T) {
	var m *Map
	var s *Set
	keys := make([]Value, 1000)
	for i := range keys {
		keys[i] = UUID{Hi: uint64(i) * 0x9e3779b97f4a7c15, Lo: uint64(i)}
		m, s = m.Assoc(keys[i], Kw("x")), s.Conj(keys[i])
	}
	var y Value = Kw("y") // boxed once, outside the measured calls
	for _, i := range []int{0, 1, 17, 500, 999} {
		k := keys[i]
		d, a := depthOf(m, k)
		if got := testing.AllocsPerRun(20, func() { m.Assoc(k, y) }); got != float64(a) {
			t.Errorf("Assoc of key %d at depth %d: %v allocations, want %d", i, d, got, a)
		}
		if got := testing.AllocsPerRun(20, func() { m.Dissoc(k) }); got > float64(a) {
			t.Errorf("Dissoc of key %d at depth %d: %v allocations, want at most %d", i, d, got, a)
		}
		if got := testing.AllocsPerRun(20, func() { s.Disj(k) }); got > float64(a) {
			t.Errorf("Disj of key %d at depth %d: %v allocations, want at most %d", i, d, got, a)
		}
		k2 := keys[(i+1)%len(keys)]
		_, a2 := depthOf(m, k2)
		want := 1 + a + a2 - 1 // the TransientMap, both paths, the root once
		got := testing.AllocsPerRun(20, func() {
			tm := m.AsTransient()
			tm.Assoc(k, y)
			tm.Assoc(k2, y)
			_ = tm.Persistent()
		})
		if got > float64(want) {
			t.Errorf("transient of keys %d and %d: %v allocations, want at most %d", i, i+1, got, want)
		}
	}
}

// TestCopiesShareNoBlock walks every node of every map that random
// persistent and transient changes made and requires what newNode's
// allocation rests on: no two nodes share child pointers, and no node
// shares the entries of a node that may hold them in its block.
func TestCopiesShareNoBlock(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		r := rand.New(rand.NewPCG(seed, 29))
		pool := keyPool(r)
		maps := []*Map{startMap(r, pool)}
		m, tm := maps[0], maps[0].AsTransient()
		for step := 0; step < 300; step++ {
			k := pool[r.IntN(len(pool))]
			if r.IntN(3) == 0 {
				m = m.Dissoc(k)
				tm.Dissoc(k)
			} else {
				m = m.Assoc(k, int64(step))
				tm.Assoc(k, int64(step))
			}
			maps = append(maps, m)
			if r.IntN(10) == 0 {
				maps = append(maps, tm.Persistent())
			}
		}
		maps = append(maps, tm.Persistent())
		if err := checkBlocks(maps); err != "" {
			t.Fatalf("seed %d: %s", seed, err)
		}
	}
}

// checkBlocks is TestCopiesShareNoBlock's walk.
func checkBlocks(maps []*Map) string {
	seen := map[*node]bool{}
	ptrsOf := map[**node]*node{}
	dataOf := map[*entry]*node{}
	var walk func(n *node) string
	walk = func(n *node) string {
		if seen[n] {
			return ""
		}
		seen[n] = true
		if n.kids != nil {
			if o, ok := ptrsOf[n.kids]; ok {
				return "two nodes share child pointers: " + strconv.Itoa(len(o.nodes()))
			}
			ptrsOf[n.kids] = n
		}
		if n.ents != nil {
			if o, ok := dataOf[n.ents]; ok && (o.edit|n.edit)&dataInBlock != 0 {
				return "a node shares the entries in another node's block"
			}
			dataOf[n.ents] = n
		}
		for _, c := range n.nodes() {
			if err := walk(c); err != "" {
				return err
			}
		}
		return ""
	}
	for _, m := range maps {
		if m.IsHashMap() && m.t.root != nil {
			if err := walk(m.t.root); err != "" {
				return err
			}
		}
	}
	return ""
}

// TestBlocksHoldWhatTheyAreAskedFor checks the size tables: every block has
// room for the entries and child pointers newNode was asked for, records
// that room as the node's capacities, and flags the entries it holds.
func TestBlocksHoldWhatTheyAreAskedFor(t *testing.T) {
	for nd := 0; nd <= 40; nd++ {
		for _, np := range []int{0, 1, 2, 3, 4, 5, 17, 32} {
			if nd == 0 && np == 0 {
				continue
			}
			n := newNode(nd, np, nil)
			dc, pc := int(n.edit>>dataCapShift&capMask), int(n.edit>>kidsCapShift&capMask)
			if dc < min(nd, capMask) || pc < np || (nd == 0) != (n.ents == nil) || (np == 0) != (n.kids == nil) {
				t.Errorf("newNode(%d, %d): capacities %d and %d, arrays %v and %v", nd, np, dc, pc, n.ents != nil, n.kids != nil)
			}
			if inBlock := nd > 0 && nd <= 32 && np <= mixedPtrs; inBlock != (n.edit&dataInBlock != 0) {
				t.Errorf("newNode(%d, %d): dataInBlock %v, want %v", nd, np, !inBlock, inBlock)
			}
		}
	}
}
