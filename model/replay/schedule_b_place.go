package replay

import (
	"slices"
	"sync"

	"onyx-dashboard/model/value"
)

// Placing peers in era B's reconfigure-cluster-workload: the displaced
// peers, reallocate-peers, deallocate-starved-jobs and the balanced job
// scheduler's "nothing changed" test (choose-ackers: schedule_b_ackers.go).

// displaced is find-displaced-peers: the unused peers (in hash-set order),
// then the peers dropped from over-allocated jobs, without repeats. The first
// unallocated of them are in no allocation.
func (s *bsched) displaced(mu map[value.Value]float64) (pool []value.Value, unallocated int, err error) {
	places := s.peerPlaces()
	x := s.scratch()
	unused, drops := x.unused[:0], x.drops[:0]
	defer func() { x.unused, x.drops = unused, drops }()
	for _, p := range s.peers {
		if !places.used(p) {
			unused = append(unused, p)
		}
	}
	if len(unused) > 1 {
		// (set peers) minus the used ones iterates in hash-set order; a
		// subset keeps the relative order of the full set.
		unused = bSetOrder(unused)
	}
	for _, j := range s.jobs {
		cur := 0.0
		mapOf(mapOf(s.r.Val(kwAllocations)).Val(j)).Range(func(_, ps value.Value) bool {
			for _, p := range items(ps) {
				if p != nil {
					cur++
				}
			}
			return true
		})
		m, ok := mu[j]
		if !ok && !s.f.v08 {
			return nil, 0, errNPE
		}
		if over := cur - m; over > 0 {
			ds, err := s.dropPeers(j, int(over))
			if err != nil {
				return nil, 0, err
			}
			for _, p := range ds {
				if p != nil {
					drops = append(drops, p)
				}
			}
		}
	}
	if len(drops) == 0 {
		return unused, len(unused), nil // a set's items: no repeats
	}
	// distinct, keeping the first
	out := x.pool[:0]
	seen := newPeerSet()
	defer seen.release()
	for _, ps := range [2][]value.Value{unused, drops} {
		for _, p := range ps {
			if !seen.has(p) {
				seen.add(p)
				out = append(out, p)
			}
		}
	}
	x.pool = out
	return out, len(unused), nil
}

// priority is the job order reallocate-peers tries: the balanced (and 0.8's
// percentage) scheduler sorts the jobs by their peer counts, stably, so ties
// keep :jobs order; counts[i] is the count of s.jobs[i].
func (s *bsched) priority(counts []float64) []int {
	var order []int
	return s.priorityInto(&order, counts)
}

// priorityInto is priority in *buf's room.
func (s *bsched) priorityInto(buf *[]int, counts []float64) []int {
	order := append((*buf)[:0], make([]int, len(s.jobs))...)
	*buf = order
	for i := range order {
		order[i] = i
	}
	if s.js == kwBJobSchedBalanced || (s.js == kwBJobSchedPercentage && s.f.v08) {
		slices.SortStableFunc(order, func(a, b int) int { return cmpF(counts[a], counts[b]) })
	}
	return order
}

// placing is the part of the replica reallocate-peers changes, kept apart
// while the peers move so that each move copies only the inner maps it
// changes; write puts it back.
type placing struct {
	allocs, states, sites, slots *value.Map
	moved                        bool
	counts                       []float64 // jobPeerCount per s.jobs index
}

// reallocate is reallocate-peers: each displaced peer, in order, goes to the
// first (job, task) of the priority order still below its desired count.
// The first unallocated peers of pool are in no allocation: their moves skip
// remove-peers' scan.
func (s *bsched) reallocate(pool []value.Value, unallocated int, mu map[value.Value]float64) (*value.Map, error) {
	cur := placing{
		allocs: mapOf(s.r.Val(kwAllocations)),
		states: mapOf(s.r.Val(kwPeerState)),
		sites:  mapOf(s.r.Val(kwPeerSites)),
		slots:  mapOf(s.r.Val(kwTaskSlotIDs)),
		counts: make([]float64, len(s.jobs)),
	}
	if len(pool) == 0 {
		return s.r, nil
	}
	for i, j := range s.jobs {
		cur.counts[i] = s.jobPeerCount(s.r, j)
	}
	desired := map[value.Value]map[value.Value]float64{}
	st := kwBWarmingUp
	if s.f.v07 {
		st = kwIdle
	}
	for len(pool) > 0 {
		var job, task value.Value
		found := false
		for _, ji := range s.priority(cur.counts) {
			j := s.jobs[ji]
			d, ok := desired[j]
			if !ok {
				n, has := mu[j]
				if !has && !s.f.v08 {
					return nil, errNPE
				}
				var err error
				if d, err = s.distribute(j, n); err != nil {
					return nil, err
				}
				desired[j] = d
			}
			jm := mapOf(cur.allocs.Val(j))
			for _, t := range s.tasks(j) {
				want, ok := d[t]
				if !ok {
					return nil, errNPE
				}
				have := 0
				for _, p := range items(jm.Val(t)) {
					if truthy(p) {
						have++
					}
				}
				if float64(have) < want {
					job, task, found = j, t, true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			break
		}
		peer := pool[0]
		pool = pool[1:]
		allocated := unallocated <= 0
		unallocated--
		if err := s.place(&cur, peer, job, task, st, allocated); err != nil {
			return nil, err
		}
	}
	return s.write(cur), nil
}

// place moves peer to (job, task) as one step of reallocate-peers does:
// remove-peers, the new :peer-state, 0.8's task resources, the allocation
// and 0.7.4's task slot id.
func (s *bsched) place(cur *placing, peer, job, task value.Value, st value.Keyword, allocated bool) error {
	sitesBefore := cur.sites
	if allocated {
		s.unplace(cur, peer)
	}
	cur.moved = true
	cur.states = cur.states.Assoc(peer, st)
	if s.f.v08 {
		site := sitesBefore.Val(peer)
		res, err := bTaskResources(s.r, peer, task, site, sitesBefore)
		if err != nil {
			return err
		}
		if !bSameMerge(site, res) || !cur.sites.Has(peer) {
			cur.sites = cur.sites.Assoc(peer, bMerge(site, res))
		}
	}
	ps := bConjVec(value.GetIn(cur.allocs, job, task), peer)
	cur.allocs = value.AssocIn(cur.allocs, []value.Value{job, task}, ps)
	s.bump(cur.counts, job, 1)
	if s.f.v074 {
		slots := mapOf(value.GetIn(cur.slots, job, task))
		cur.slots = value.AssocIn(cur.slots, []value.Value{job, task}, slots.Assoc(peer, firstFreeSlot(slots)))
	}
	return nil
}

// firstFreeSlot is (first (remove (set (vals slot-ids)) (range))).
func firstFreeSlot(slots *value.Map) int64 {
	var buf [16]int64
	used := buf[:0]
	slots.Range(func(_, v value.Value) bool {
		if i, ok := v.(int64); ok {
			used = append(used, i)
		}
		return true
	})
	var id int64
	for slices.Contains(used, id) {
		id++
	}
	return id
}

// unplace is bRemovePeer on the placing: p leaves the task vector it is in.
func (s *bsched) unplace(cur *placing, p value.Value) {
	job, task, ok := findPeerAllocation(cur.allocs, p)
	if !ok || job == nil || task == nil {
		return
	}
	jm := mapOf(cur.allocs.Val(job))
	old := items(jm.Val(task))
	kept := bRemove(old, p)
	cur.allocs = cur.allocs.Assoc(job, jm.Assoc(task, kept))
	s.bump(cur.counts, job, -float64(len(old)-len(kept)))
	if s.f.v074 && value.GetIn(cur.slots, job, task, p) != nil {
		slots := mapOf(value.GetIn(cur.slots, job, task))
		cur.slots = value.AssocIn(cur.slots, []value.Value{job, task}, slots.Dissoc(p))
	}
}

// bump adds d to the count of job (of each copy, should :jobs list it twice).
func (s *bsched) bump(counts []float64, job value.Value, d float64) {
	for i, j := range s.jobs {
		if value.Equal(j, job) {
			counts[i] += d
		}
	}
}

// write puts the placing back into the replica in the order the peers'
// moves first touch its keys: :peer-state, :peer-sites, :allocations,
// :task-slot-ids.
func (s *bsched) write(cur placing) *value.Map {
	r := s.r
	if !cur.moved {
		return r
	}
	r = r.Assoc(kwPeerState, cur.states)
	if s.f.v08 {
		r = r.Assoc(kwPeerSites, cur.sites)
	}
	r = r.Assoc(kwAllocations, cur.allocs)
	if s.f.v074 {
		r = r.Assoc(kwTaskSlotIDs, cur.slots)
	}
	return r
}

// bSameMerge reports whether (merge site res) equals site: every key of res
// is in site with an equal value.
func bSameMerge(site value.Value, res *value.Map) bool {
	sm, ok := site.(*value.Map)
	if !ok {
		return false
	}
	same := true
	res.Range(func(k, v value.Value) bool {
		x, present := sm.Get(k)
		same = present && value.Equal(x, v)
		return same
	})
	return same
}

// deallocateStarved is deallocate-starved-jobs: a job with a task below its
// minimum loses its allocation (0.7+: and its peers go :idle).
func (s *bsched) deallocateStarved(r *value.Map) *value.Map {
	for _, job := range s.jobs {
		starved := false
		for _, t := range s.tasks(job) {
			mr, ok := bNum(mapOf(mapOf(r.Val(kwMinRequiredPeers)).Val(job)).Val(t))
			if !ok {
				mr = 1
			}
			if float64(len(s.taskAlloc(r, job, t))) < mr {
				starved = true
				break
			}
		}
		if !starved {
			continue
		}
		peers := bJobPeers(r, job)
		r = bUpdDissoc(r, kwAllocations, job)
		if s.f.v07 {
			if s.f.v074 {
				r = bUpdDissoc(r, kwTaskSlotIDs, job)
			}
			// remove-job's update-in reduces assoc over the peers: no
			// peers and no :peer-state leaves :peer-state nil.
			if len(peers) > 0 {
				r = r.Assoc(kwPeerState, bMerge(r.Val(kwPeerState), bPeerStates(peers, kwIdle)))
			} else if r.Val(kwPeerState) == nil {
				r = r.Assoc(kwPeerState, nil)
			}
		}
	}
	return r
}

func (s *bsched) equivalent(a, b *value.Map) bool {
	counts := func(r *value.Map) []float64 {
		var out []float64
		mapOf(r.Val(kwAllocations)).Range(func(j, _ value.Value) bool {
			out = append(out, s.jobPeerCount(r, j))
			return true
		})
		slices.Sort(out)
		return out
	}
	return slices.Equal(counts(a), counts(b))
}

// peerSet is a set of peers by Clojure equality: a Go map for the comparable
// ids peers have (UUIDs, keywords, strings, longs), a value.Set otherwise.
type peerSet struct {
	fast map[value.Value]struct{}
	slow *value.Set
}

// peerSets recycles the sets of a reconfigure: their maps keep their room.
var peerSets = sync.Pool{New: func() any { return &peerSet{fast: map[value.Value]struct{}{}} }}

// newPeerSet returns an empty set; release gives it back when done.
func newPeerSet() *peerSet {
	s := peerSets.Get().(*peerSet)
	s.slow = nil
	return s
}

func (s *peerSet) release() {
	clear(s.fast)
	s.slow = nil
	peerSets.Put(s)
}

func (s *peerSet) add(p value.Value) {
	if comparableID(p) {
		s.fast[p] = struct{}{}
		return
	}
	if s.slow == nil {
		s.slow = value.NewSet()
	}
	s.slow = s.slow.Conj(p)
}

func (s *peerSet) has(p value.Value) bool {
	if comparableID(p) {
		_, ok := s.fast[p]
		return ok
	}
	return s.slow.Has(p)
}
