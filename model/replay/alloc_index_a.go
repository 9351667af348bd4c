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
// comparable ids (comparableID), and no peer is listed twice; anything else is
// scanned as before. Indexes are immutable once published, so goroutines
// replaying timelines side by side share the cache safely; a miss only costs
// a scan.

// allocIndexA describes one clean :allocations map. Its peer → place map is
// persistent: a root holds a Go map, every other index one change over its
// parent, and every locChainMaxA changes the chain folds into a new root.
type allocIndexA struct {
	allocs *value.Map
	layout *jobLayoutA
	counts []int32 // peers per job, in layout order

	parent *allocIndexA
	base   map[value.Value]locA // set on a root only
	peer   value.Value          // the peer this index moved (nil: none)
	at     locA
	gone   bool // peer left :allocations
	depth  int
	buf    [16]int32 // counts' storage for a few jobs
}

// jobLayoutA is the jobs of an :allocations map in iteration order. A
// volunteer moving a peer between existing jobs keeps every key in its place,
// so a run of indexes shares one layout, and with it the round-robin plan.
type jobLayoutA struct {
	jobs  []value.Value
	index valueIndex
	plan  atomic.Pointer[rrPlanA]
}

// locA is where a peer is: a task of :allocations, under the job at pos in
// the layout.
type locA struct {
	task value.Value
	pos  int32
}

const locChainMaxA = 48

// find is where p is; p must be a comparableID.
func (x *allocIndexA) find(p value.Value) (locA, bool) {
	if u, ok := p.(value.UUID); ok { // the usual peer id: compare without efaceeq
		for ; x.base == nil; x = x.parent {
			if v, ok := x.peer.(value.UUID); ok && v == u {
				return x.at, !x.gone
			}
		}
	}
	for ; x.base == nil; x = x.parent {
		if x.peer == p {
			return x.at, !x.gone
		}
	}
	at, ok := x.base[p]
	return at, ok
}

// setLoc makes x, a new index, parent with p moved to at, or gone from
// :allocations.
func (x *allocIndexA) setLoc(parent *allocIndexA, p value.Value, at locA, gone bool) {
	if parent.depth < locChainMaxA {
		x.parent, x.peer, x.at, x.gone, x.depth = parent, p, at, gone, parent.depth+1
		return
	}
	var chain []*allocIndexA
	root := parent
	for ; root.base == nil; root = root.parent {
		chain = append(chain, root)
	}
	base := maps.Clone(root.base)
	for i := len(chain) - 1; i >= 0; i-- {
		foldLocA(base, chain[i].peer, chain[i].at, chain[i].gone)
	}
	foldLocA(base, p, at, gone)
	x.base = base
}

func foldLocA(base map[value.Value]locA, p value.Value, at locA, gone bool) {
	switch {
	case p == nil:
	case gone:
		delete(base, p)
	default:
		base[p] = at
	}
}

func newAllocIndexA(allocs *value.Map, layout *jobLayoutA, counts []int32) *allocIndexA {
	x := &allocIndexA{allocs: allocs, layout: layout}
	if len(counts) <= len(x.buf) {
		x.counts = x.buf[:len(counts)]
	} else {
		x.counts = make([]int32, len(counts))
	}
	copy(x.counts, counts)
	return x
}

// buildAllocIndexA scans allocs; nil when the map is not clean.
func buildAllocIndexA(allocs *value.Map) *allocIndexA {
	n := allocs.Len()
	counts := make([]int32, 0, n)
	jobs := make([]value.Value, 0, n)
	base := make(map[value.Value]locA, peerCountA(allocs))
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
					if !comparableID(p) { // also: an unhashable id must not reach base[p]
						clean = false
						return false
					}
					if _, dup := base[p]; dup {
						clean = false
						return false
					}
					base[p] = locA{t, int32(len(jobs))}
				}
				c += len(xs)
				return true
			})
		default:
			clean = false
		}
		jobs, counts = append(jobs, j), append(counts, int32(c))
		return clean
	})
	if !clean {
		return nil
	}
	x := newAllocIndexA(allocs, &jobLayoutA{jobs: jobs, index: newValueIndex(jobs, false)}, counts)
	x.base = base
	return x
}

// peerCountA is the number of peers allocs lists, to size an index's map.
func peerCountA(allocs *value.Map) int {
	n := 0
	allocs.Range(func(_, tasks value.Value) bool {
		mapOf(tasks).Range(func(_, peers value.Value) bool {
			n += countOf(peers)
			return true
		})
		return true
	})
	return n
}

// moved is the index of next, which is x's map with the volunteer at took
// out of its place (when placed) and appended to (job, task). nil when the
// result is not clean or not laid out like x: a peer filed under a nil job or
// task stays there, and a job new to the map changes the layout.
func (x *allocIndexA) moved(next *value.Map, peer value.Value, at *allocationsA, job, task value.Value) *allocIndexA {
	if !comparableID(peer) {
		return nil
	}
	dst := int(at.dst)
	if dst < 0 {
		var ok bool
		if dst, ok = x.layout.index.find(job); !ok {
			return nil
		}
	}
	if at.placed && (!truthy(at.job) || !truthy(at.task)) {
		return nil
	}
	y := newAllocIndexA(next, x.layout, x.counts)
	if at.placed {
		y.counts[at.pos]--
	}
	y.counts[dst]++
	y.setLoc(x, peer, locA{task, int32(dst)}, false)
	return y
}

// without is the index of next, which is x's map with peers, all at job,
// taken out of it (one peer out of a task vector, or a task dissoc'd with
// its peers). nil when job is not in x's layout.
func (x *allocIndexA) without(next *value.Map, job value.Value, peers []value.Value) *allocIndexA {
	src, ok := x.layout.index.find(job)
	if !ok {
		return nil
	}
	link := x
	var last value.Value
	for i, p := range peers {
		if !comparableID(p) {
			return nil
		}
		if i == len(peers)-1 {
			last = p
			break
		}
		l := &allocIndexA{}
		l.setLoc(link, p, locA{}, true)
		link = l
	}
	y := newAllocIndexA(next, x.layout, x.counts)
	y.counts[src] -= int32(len(peers))
	y.setLoc(link, last, locA{}, true)
	return y
}

// allocation reads the index as volunteer-for-task's view of :allocations;
// peer must be a comparableID.
func (x *allocIndexA) allocation(peer value.Value) allocationsA {
	at := allocationsA{jobs: x.layout.jobs, counts: x.counts, index: x.layout.index, idx: x, dst: -1}
	var l locA
	if l, at.placed = x.find(peer); at.placed {
		at.job, at.task, at.pos = x.layout.jobs[l.pos], l.task, l.pos
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
	if x := cachedAllocIndexA(allocs); x != nil {
		return x
	}
	x := buildAllocIndexA(allocs)
	if x != nil {
		rememberAllocIndexA(x)
	}
	return x
}

// cachedAllocIndexA is the cached index of allocs, nil when none.
func cachedAllocIndexA(allocs *value.Map) *allocIndexA {
	for i := range allocCacheA {
		if x := allocCacheA[i].Load(); x != nil && x.allocs == allocs {
			return x
		}
	}
	return nil
}

func rememberAllocIndexA(x *allocIndexA) {
	i := allocCacheNextA.Add(1) % uint32(len(allocCacheA))
	allocCacheA[i].Store(x)
}

// withoutPeerA is remove-peers on the :allocations map; moved is false when p
// stays where it is (nowhere, or under a nil job or task).
func withoutPeerA(allocs *value.Map, p value.Value) (*value.Map, bool) {
	var x *allocIndexA
	if comparableID(p) {
		x = allocIndexOfA(allocs)
	}
	var job, task value.Value
	var ok bool
	if x != nil {
		var at locA
		if at, ok = x.find(p); ok {
			job, task = x.layout.jobs[at.pos], at.task
		}
	} else {
		job, task, ok = findPeerAllocation(allocs, p)
	}
	if !ok || !truthy(job) || !truthy(task) {
		return allocs, false
	}
	jobAllocs := mapAt(allocs, job)
	peers := items(jobAllocs.Val(task))
	next := allocs.Assoc(job, jobAllocs.Assoc(task, removedA(peers, p)))
	if x != nil {
		if y := x.without(next, job, []value.Value{p}); y != nil {
			rememberAllocIndexA(y)
		}
	}
	return next, true
}

// completedTaskIndexA carries the :allocations index over complete-task's
// (update-in [:allocations job] dissoc task), when it removed a task.
func completedTaskIndexA(before, after *value.Map, job, task value.Value) {
	tasks, ok := before.Val(job).(*value.Map)
	if !ok || after == before || !tasks.Has(task) {
		return
	}
	if x := allocIndexOfA(before); x != nil {
		if y := x.without(after, job, items(tasks.Val(task))); y != nil {
			rememberAllocIndexA(y)
		}
	}
}

// emptyVectorA is [] as a Value: a task left without peers shares it
// instead of boxing a new empty vector.
var emptyVectorA value.Value = value.Vector{}

// removedA is removeValue(xs, x) as a Value.
func removedA(xs []value.Value, x value.Value) value.Value {
	if len(xs) == 1 && value.Equal(xs[0], x) {
		return emptyVectorA
	}
	return removeValue(xs, x)
}
