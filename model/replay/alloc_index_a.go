package replay

import (
	"maps"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// An era A volunteer reads two things of :allocations: the peer count of
// every job and where the volunteer is. Scanning every vector for that costs
// more than the move itself, so each :allocations map gets an index, kept in
// a small cache keyed by the map's pointer (replicas are immutable: the same
// *value.Map is the same content). When allocatePeerA makes the next map it
// derives the next index from the previous one and the one move it made, so a
// run of volunteers never rescans. The index covers only "clean" maps, where
// every job maps to a map (or nil), every task to a vector (or nil) of
// comparable ids (peerFastKey), and no peer is listed twice; anything else is
// scanned as before. Indexes are immutable once published, so goroutines
// replaying timelines side by side share the cache safely; a miss only costs
// a scan.

// allocIndexA describes one clean :allocations map.
type allocIndexA struct {
	allocs *value.Map
	layout *jobLayoutA
	counts []int // peers per job, in layout order
	loc    *locNodeA
}

// jobLayoutA is the jobs of an :allocations map in iteration order. A
// volunteer moving a peer between existing jobs keeps every key in its place,
// so a run of indexes shares one layout, and with it the round-robin plan.
type jobLayoutA struct {
	jobs  []value.Value
	index valueIndex
	plan  atomic.Pointer[rrPlanA]
}

// locA is where a peer is: a job and a task of :allocations.
type locA struct{ job, task value.Value }

// locNodeA is a persistent peer → place map: a Go map at the root of a chain
// of single changes, folded into a new root every locChainMaxA changes.
type locNodeA struct {
	parent *locNodeA
	base   map[value.Value]locA // set on a root only
	peer   value.Value
	at     locA
	depth  int
}

const locChainMaxA = 32

func (n *locNodeA) find(p value.Value) (locA, bool) {
	for ; n.base == nil; n = n.parent {
		if n.peer == p {
			return n.at, true
		}
	}
	at, ok := n.base[p]
	return at, ok
}

func (n *locNodeA) with(p value.Value, at locA) *locNodeA {
	if n.depth < locChainMaxA {
		return &locNodeA{parent: n, peer: p, at: at, depth: n.depth + 1}
	}
	var chain []*locNodeA
	root := n
	for ; root.base == nil; root = root.parent {
		chain = append(chain, root)
	}
	base := maps.Clone(root.base)
	for i := len(chain) - 1; i >= 0; i-- {
		base[chain[i].peer] = chain[i].at
	}
	base[p] = at
	return &locNodeA{base: base}
}

// buildAllocIndexA scans allocs; nil when the map is not clean.
func buildAllocIndexA(allocs *value.Map) *allocIndexA {
	n := allocs.Len()
	x := &allocIndexA{allocs: allocs, counts: make([]int, 0, n)}
	jobs := make([]value.Value, 0, n)
	base := make(map[value.Value]locA)
	clean := true
	allocs.Range(func(j, tasks value.Value) bool {
		c := 0
		switch tm := tasks.(type) {
		case nil:
		case *value.Map:
			tm.Range(func(t, peers value.Value) bool {
				xs, ok := peers.(value.Vector)
				if !ok && peers != nil {
					clean = false
					return false
				}
				for _, p := range xs {
					if _, dup := base[p]; dup || !peerFastKey(p) {
						clean = false
						return false
					}
					base[p] = locA{j, t}
				}
				c += len(xs)
				return true
			})
		default:
			clean = false
		}
		jobs, x.counts = append(jobs, j), append(x.counts, c)
		return clean
	})
	if !clean {
		return nil
	}
	x.layout = &jobLayoutA{jobs: jobs, index: newValueIndex(jobs, false)}
	x.loc = &locNodeA{base: base}
	return x
}

// moved is the index of next, which is x's map with peer taken out of from
// (when placed) and appended to to. nil when the result is not clean or not
// laid out like x: a peer filed under a nil job or task stays there, and a
// job new to the map changes the layout.
func (x *allocIndexA) moved(next *value.Map, peer value.Value, from locA, placed bool, to locA) *allocIndexA {
	if !peerFastKey(peer) {
		return nil
	}
	dst, ok := x.layout.index.find(to.job)
	if !ok {
		return nil
	}
	counts := append([]int(nil), x.counts...)
	if placed {
		if !truthy(from.job) || !truthy(from.task) {
			return nil
		}
		src, _ := x.layout.index.find(from.job)
		counts[src]--
	}
	counts[dst]++
	return &allocIndexA{allocs: next, layout: x.layout, counts: counts, loc: x.loc.with(peer, to)}
}

// allocation reads the index as volunteer-for-task's view of :allocations.
func (x *allocIndexA) allocation(peer value.Value) allocationsA {
	at := allocationsA{jobs: x.layout.jobs, counts: x.counts, index: x.layout.index, idx: x}
	if peerFastKey(peer) {
		var l locA
		if l, at.placed = x.loc.find(peer); at.placed {
			at.job, at.task = l.job, l.task
		}
	}
	return at
}

var (
	allocCacheA     [8]atomic.Pointer[allocIndexA]
	allocCacheNextA atomic.Uint32
)

// allocIndexOfA is the index of allocs, from the cache or a scan; nil when
// allocs is not clean.
func allocIndexOfA(allocs *value.Map) *allocIndexA {
	for i := range allocCacheA {
		if x := allocCacheA[i].Load(); x != nil && x.allocs == allocs {
			return x
		}
	}
	x := buildAllocIndexA(allocs)
	if x != nil {
		rememberAllocIndexA(x)
	}
	return x
}

func rememberAllocIndexA(x *allocIndexA) {
	i := allocCacheNextA.Add(1) % uint32(len(allocCacheA))
	allocCacheA[i].Store(x)
}
