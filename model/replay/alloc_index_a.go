package replay

import (
	"sync"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// An era A volunteer reads two things of :allocations: the peer count of
// every job and where the volunteer is. Scanning every vector for that costs
// more than the move itself, so :allocations maps get an index, kept in a
// small cache and found by the map's pointer (replicas are immutable: the
// same *value.Map is the same content). A replay goes one way: the map a
// volunteer, a seal or a completion makes from the one it read is the next
// one read. So an index does not stay with one map: it describes one map at
// a time and moves on with the replay, changed in place by the one move each
// entry makes, which costs no allocation. Whoever asks about a map the index
// has moved on from (a second replay of the same replica, a timeline rebuilt
// from a checkpoint) finds no index and builds one by a scan. The index
// covers only "clean" maps, where every job maps to a map (or nil), every
// task to a vector (or nil) of comparable ids (comparableID), and no peer is
// listed twice; anything else is scanned as before. Goroutines replaying
// timelines side by side share the cache: an index is read and changed only
// under its mutex, and only while it still describes the map asked about.

// allocIndexA describes one clean :allocations map, allocs, and follows the
// maps the replay derives from it.
type allocIndexA struct {
	mu     sync.Mutex
	allocs *value.Map                // the map described, under mu
	key    atomic.Pointer[value.Map] // allocs, for a cache probe without mu
	layout *jobLayoutA
	counts []int32              // peers per job, in layout order
	locs   map[value.Value]locA // where each peer is
}

// jobLayoutA is the jobs of an :allocations map in iteration order. A
// volunteer moving a peer between existing jobs keeps every key in its place,
// so a run of moves keeps one layout, and with it the round-robin plan.
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

// lock locks x when it describes allocs; false, unlocked, when it does not.
func (x *allocIndexA) lock(allocs *value.Map) bool {
	x.mu.Lock()
	if x.allocs == allocs {
		return true
	}
	x.mu.Unlock()
	return false
}

// advance makes x, locked, describe next.
func (x *allocIndexA) advance(next *value.Map) {
	x.allocs = next
	x.key.Store(next)
}

// buildAllocIndexA scans allocs; nil when the map is not clean. The index is
// not yet in the cache.
func buildAllocIndexA(allocs *value.Map) *allocIndexA {
	n := allocs.Len()
	counts := make([]int32, 0, n)
	jobs := make([]value.Value, 0, n)
	locs := make(map[value.Value]locA, peerCountA(allocs))
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
					if !comparableID(p) { // also: an unhashable id must not reach locs[p]
						clean = false
						return false
					}
					if _, dup := locs[p]; dup {
						clean = false
						return false
					}
					locs[p] = locA{t, int32(len(jobs))}
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
	x := &allocIndexA{allocs: allocs, layout: &jobLayoutA{jobs: jobs, index: newValueIndex(jobs, false)}, counts: counts, locs: locs}
	x.key.Store(allocs)
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

// moved makes x follow from → next, next being from with the volunteer at
// found taken out of its place (when placed) and appended to (job, task).
// x stays as it is when it no longer describes from, and when next is not
// clean or not laid out like from: a peer filed under a nil job or task
// stays there, and a job new to the map changes the layout.
func (x *allocIndexA) moved(from, next *value.Map, peer value.Value, at *allocationsA, job, task value.Value) {
	if !comparableID(peer) || (at.placed && (!truthy(at.job) || !truthy(at.task))) {
		return
	}
	dst := int(at.dst)
	if dst < 0 {
		var ok bool
		if dst, ok = at.layout.index.find(job); !ok {
			return
		}
	}
	if !x.lock(from) { // when it does, its layout is still at.layout
		return
	}
	if at.placed {
		x.counts[at.pos]--
	}
	x.counts[dst]++
	x.locs[peer] = locA{task, int32(dst)}
	x.advance(next)
	x.mu.Unlock()
}

// without makes x follow from → next, next being from with peers, all at
// job, taken out of it (one peer out of a task vector, or a task dissoc'd
// with its peers). x stays as it is when it no longer describes from or
// job is not in its layout.
func (x *allocIndexA) without(from, next *value.Map, job value.Value, peers []value.Value) {
	if !x.lock(from) {
		return
	}
	src, ok := x.layout.index.find(job)
	if !ok {
		x.mu.Unlock()
		return
	}
	for _, p := range peers {
		if comparableID(p) {
			delete(x.locs, p)
		}
	}
	x.counts[src] -= int32(len(peers))
	x.advance(next)
	x.mu.Unlock()
}

// find is where p, a comparableID, is in allocs: its job and task; ok is
// false when p is not in it, known when x no longer describes allocs.
func (x *allocIndexA) find(allocs *value.Map, p value.Value) (job, task value.Value, ok, known bool) {
	if !x.lock(allocs) {
		return nil, nil, false, false
	}
	var at locA
	if at, ok = x.locs[p]; ok {
		job, task = x.layout.jobs[at.pos], at.task
	}
	x.mu.Unlock()
	return job, task, ok, true
}

// read fills at with volunteer-for-task's view of allocs for peer, a
// comparableID; false when x no longer describes allocs.
func (x *allocIndexA) read(at *allocationsA, allocs *value.Map, peer value.Value) bool {
	if !x.lock(allocs) {
		return false
	}
	*at = allocationsA{jobs: x.layout.jobs, index: x.layout.index, idx: x, layout: x.layout, from: allocs, dst: -1}
	at.setCounts(x.counts)
	var l locA
	if l, at.placed = x.locs[peer]; at.placed {
		at.job, at.task, at.pos = x.layout.jobs[l.pos], l.task, l.pos
	}
	x.mu.Unlock()
	return true
}

var (
	allocCacheA     [8]atomic.Pointer[allocIndexA]
	allocCacheNextA atomic.Uint32
)

// allocIndexOfA is an index describing allocs, from the cache or a scan;
// nil when allocs is not clean. It may have moved on by the time it is read.
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

// cachedAllocIndexA is the cached index describing allocs, nil when none.
func cachedAllocIndexA(allocs *value.Map) *allocIndexA {
	for i := range allocCacheA {
		if x := allocCacheA[i].Load(); x != nil && x.key.Load() == allocs {
			return x
		}
	}
	return nil
}

func rememberAllocIndexA(x *allocIndexA) {
	i := allocCacheNextA.Add(1) % uint32(len(allocCacheA))
	allocCacheA[i].Store(x)
}

// indexedPlaceA is where p is in allocs by an index: found is false when
// allocs has no index to answer (unclean, or raced by another replay).
func indexedPlaceA(allocs *value.Map, p value.Value) (x *allocIndexA, job, task value.Value, ok, found bool) {
	for range 2 { // a cached index may move on under us: then one built afresh
		if x = allocIndexOfA(allocs); x == nil {
			return nil, nil, nil, false, false
		}
		if job, task, ok, known := x.find(allocs, p); known {
			return x, job, task, ok, true
		}
		x = buildAllocIndexA(allocs)
		if x != nil {
			rememberAllocIndexA(x)
		}
	}
	return nil, nil, nil, false, false
}

// withoutPeerA is remove-peers on the :allocations map; moved is false when p
// stays where it is (nowhere, or under a nil job or task).
func withoutPeerA(allocs *value.Map, p value.Value) (*value.Map, bool) {
	var x *allocIndexA
	var job, task value.Value
	var ok, found bool
	if comparableID(p) {
		x, job, task, ok, found = indexedPlaceA(allocs, p)
	}
	if !found {
		x = nil
		job, task, ok = findPeerAllocation(allocs, p)
	}
	if !ok || !truthy(job) || !truthy(task) {
		return allocs, false
	}
	jobAllocs := mapAt(allocs, job)
	peers := items(jobAllocs.Val(task))
	next := allocs.Assoc(job, jobAllocs.Assoc(task, removedA(peers, p)))
	if x != nil {
		x.without(allocs, next, job, []value.Value{p})
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
	if x := cachedAllocIndexA(before); x != nil {
		x.without(before, after, job, items(tasks.Val(task)))
	}
}

// carryIndexA carries the index of before over a command that changed
// which jobs :allocations has and nothing else: after holds, for every job
// it shares with before, the very same task map, and for every job new to
// it no task map with peers (submit-job's {}, kill-job's and gc's dissocs).
// The index changes in place, without a scan: the jobs are laid out as
// after's, and the peers of the jobs dropped are gone. Anything else leaves
// the index as it was; the next reader of after then scans.
func carryIndexA(before, after *value.Map) {
	if before == after {
		return
	}
	x := cachedAllocIndexA(before)
	if x == nil {
		return
	}
	jobs := make([]value.Value, 0, after.Len())
	fromOld := make([]int, 0, after.Len()) // each new position's old one, -1 for a new job
	ok := true
	after.Range(func(j, tasks value.Value) bool {
		old, had := before.Get(j)
		switch {
		case had && value.SameRef(old, tasks) && (tasks == nil || isMapA(tasks)):
			fromOld = append(fromOld, 0) // resolved under the lock
		case !had && (tasks == nil || isMapA(tasks)) && noPeersA(mapOf(tasks)):
			fromOld = append(fromOld, -1)
		default:
			ok = false
		}
		jobs = append(jobs, j)
		return ok
	})
	if !ok || !x.lock(before) {
		return
	}
	defer x.mu.Unlock()
	newPos := make([]int32, len(x.layout.jobs)) // each old position's new one, -1 if dropped
	for i := range newPos {
		newPos[i] = -1
	}
	counts := make([]int32, len(jobs))
	for i, j := range jobs {
		if fromOld[i] < 0 {
			continue
		}
		o, found := x.layout.index.find(j)
		if !found {
			return
		}
		newPos[o], counts[i] = int32(i), x.counts[o]
	}
	for p, l := range x.locs {
		if n := newPos[l.pos]; n < 0 {
			delete(x.locs, p)
		} else if n != l.pos {
			x.locs[p] = locA{l.task, n}
		}
	}
	x.layout = &jobLayoutA{jobs: jobs, index: newValueIndex(jobs, false)}
	x.counts = counts
	x.advance(after)
}

func isMapA(v value.Value) bool {
	_, ok := v.(*value.Map)
	return ok
}

// noPeersA reports whether every task of tasks maps to nil or [], as a clean
// map without peers does.
func noPeersA(tasks *value.Map) bool {
	none := true
	tasks.Range(func(_, peers value.Value) bool {
		xs, ok := peers.(value.Vector)
		none = peers == nil || (ok && len(xs) == 0)
		return none
	})
	return none
}

// emptyVectorA is [] as a Value: a task left without peers shares it
// instead of boxing a new empty vector.
var emptyVectorA value.Value = value.Vector{}

// removedA is removeValue(xs, x) as a Value. When x is only first or only
// last, the rest is a slice of xs itself: vectors are never written in
// place, and the slice's capacity ends where it does, so an append to it
// copies. That saves a move one vector.
func removedA(xs []value.Value, x value.Value) value.Value {
	n := len(xs)
	if n == 0 {
		return removeValue(xs, x)
	}
	if n == 1 && value.Equal(xs[0], x) {
		return emptyVectorA
	}
	switch {
	case value.Equal(xs[n-1], x) && !containsValue(xs[:n-1], x):
		return value.Vector(xs[: n-1 : n-1])
	case value.Equal(xs[0], x) && !containsValue(xs[1:], x):
		return value.Vector(xs[1:n:n])
	}
	return removeValue(xs, x)
}
