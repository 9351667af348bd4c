package replay

import (
	"errors"
	"slices"
	"sync"

	"onyx-dashboard/model/value"
)

// The fast reallocate-peers of era B: the moves of reallocate (schedule_b_place.go)
// made on Go slices and maps, then written into the replica once. It runs when
// every job, task and peer it meets has a comparable id (peerFastKey) and the
// allocations and task slot ids are nested maps; otherwise it reports
// errSlowB and reallocate's persistent version runs instead.
//
// The result is the very map the one-move-at-a-time version builds: the task
// vectors and slot maps end with the same content, and the keys are written
// in the order the moves first touch them, so that a new key lands where the
// sequence of assocs puts it (array maps keep insertion order; hash maps
// keep colliding keys in insertion order). No move dissocs a key of the
// allocations, and the slot maps replay their own moves one by one.

// errSlowB reports that the fast path does not apply: the caller falls back.
var errSlowB = errors.New("era b: fast reallocation does not apply")

// errUnchangedB reports that the balanced job scheduler keeps the input
// replica: reconfigure returns it as it is.
var errUnchangedB = errors.New("era b: the reconfiguration keeps the replica")

// reallocateFastOrSlow is reallocate through the fast path when it applies.
// It reports errUnchangedB when the balanced job scheduler will find that
// nothing changed (bsched.equivalent), before writing anything.
func (s *bsched) reallocateFastOrSlow(pool []value.Value, unallocated int, mu map[value.Value]float64) (*value.Map, error) {
	p, err := s.planReallocation(pool, unallocated, mu)
	if err == errSlowB {
		return s.reallocate(pool, unallocated, mu)
	}
	if err != nil {
		return nil, err
	}
	if s.js == kwBJobSchedBalanced && p.unchangedCounts() {
		return nil, errUnchangedB
	}
	out, err := p.write()
	if err == errSlowB {
		return s.reallocate(pool, unallocated, mu)
	}
	return out, err
}

// bTaskKey names the task vector (or slot map) of a job.
type bTaskKey struct{ job, task value.Value }

// fastPlacing is the state of the fast reallocate-peers: the task vectors
// and peer counts move at once; the peer states, sites and slot ids, which
// nothing in the loop reads back (sites only when assign-task-resources
// reads them or may fail), are written from the list of moves afterwards.
type fastPlacing struct {
	s      *bsched
	allocs *value.Map // the input's allocations
	slots  *value.Map // the input's task slot ids
	sites  *value.Map // the peer sites, placed moves included when eager
	eager  bool       // assign-task-resources runs during the moves

	vecs    map[bTaskKey][]value.Value // task vectors changed so far (owned)
	touched []bTaskKey                 // allocations' task vectors in first-touch order
	where   map[value.Value]bTaskKey   // peer → last place in allocation-map order
	moves   []fastMove

	jobIdx map[value.Value][]int // s.jobs positions of each job
	tasks  [][]value.Value       // s.tasks of each s.jobs index
	counts []float64             // jobPeerCount of each s.jobs index
}

// fastMove is one move of reallocate-peers: peer leaves from (when left)
// and goes to at.
type fastMove struct {
	peer     value.Value
	at, from bTaskKey
	left     bool
}

// newFastPlacing reads the input replica once, or reports errSlowB.
func (s *bsched) newFastPlacing() (*fastPlacing, error) {
	p := &fastPlacing{
		s:      s,
		allocs: mapOf(s.r.Val(kwAllocations)),
		slots:  mapOf(s.r.Val(kwTaskSlotIDs)),
		sites:  mapOf(s.r.Val(kwPeerSites)),
		vecs:   map[bTaskKey][]value.Value{},
		jobIdx: make(map[value.Value][]int, len(s.jobs)),
		tasks:  make([][]value.Value, len(s.jobs)),
		counts: make([]float64, len(s.jobs)),
	}
	if s.f.v08 {
		switch bImpl(s.r) {
		case kwBDummyMessenger, kwBNetty, kwBCoreAsync: // constant resources, never an error
		default:
			p.eager = true
		}
	}
	if v := s.r.Val(kwAllocations); v != nil && p.allocs == nil {
		return nil, errSlowB
	}
	if v := s.r.Val(kwTaskSlotIDs); v != nil && p.slots == nil {
		return nil, errSlowB
	}
	ok := true
	p.allocs.Range(func(_, tasks value.Value) bool {
		_, isMap := tasks.(*value.Map)
		ok = isMap || tasks == nil
		return ok
	})
	if !ok {
		return nil, errSlowB
	}
	p.slots.Range(func(_, tasks value.Value) bool {
		_, isMap := tasks.(*value.Map)
		ok = isMap || tasks == nil
		return ok
	})
	if !ok {
		return nil, errSlowB
	}
	for i, j := range s.jobs {
		if !peerFastKey(j) {
			return nil, errSlowB
		}
		p.jobIdx[j] = append(p.jobIdx[j], i)
		p.tasks[i] = s.tasks(j)
		for _, t := range p.tasks[i] {
			if !peerFastKey(t) {
				return nil, errSlowB
			}
		}
		p.counts[i] = s.jobPeerCount(s.r, j)
	}
	return p, nil
}

// locate is findPeerAllocation on the input's allocations, indexed on first
// use. Moves never look up a peer that already moved, and a move changes no
// other peer's place.
func (p *fastPlacing) locate(peer value.Value) (bTaskKey, bool) {
	if p.where == nil {
		p.where = wherePool.Get().(map[value.Value]bTaskKey)
		p.allocs.Range(func(j, tasks value.Value) bool {
			mapOf(tasks).Range(func(t, ps value.Value) bool {
				for _, x := range items(ps) {
					if peerFastKey(x) {
						p.where[x] = bTaskKey{j, t}
					}
				}
				return true
			})
			return true
		})
	}
	at, ok := p.where[peer]
	return at, ok
}

// wherePool recycles the peer indexes of locate: their maps keep their room.
var wherePool = sync.Pool{New: func() any { return map[value.Value]bTaskKey{} }}

// release gives the peer index back; p is done with it.
func (p *fastPlacing) release() {
	if p.where != nil {
		clear(p.where)
		wherePool.Put(p.where)
		p.where = nil
	}
}

// vec is the current vector of (job, task).
func (p *fastPlacing) vec(k bTaskKey) []value.Value {
	if v, ok := p.vecs[k]; ok {
		return v
	}
	return items(mapOf(p.allocs.Val(k.job)).Val(k.task))
}

func (p *fastPlacing) setVec(k bTaskKey, v []value.Value) {
	if _, ok := p.vecs[k]; !ok {
		p.touched = append(p.touched, k)
	}
	p.vecs[k] = v
}

func (p *fastPlacing) bump(job value.Value, d float64) {
	for _, i := range p.jobIdx[job] {
		p.counts[i] += d
	}
}

// planReallocation runs reallocate-peers' moves on Go structures; errSlowB
// sends the caller to the persistent version. Nothing of the replica is
// written: fastPlacing.write does that.
func (s *bsched) planReallocation(pool []value.Value, unallocated int, mu map[value.Value]float64) (*fastPlacing, error) {
	for _, peer := range pool {
		if !peerFastKey(peer) {
			return nil, errSlowB
		}
	}
	p, err := s.newFastPlacing()
	if err != nil {
		return nil, err
	}
	defer p.release()
	desired := make([]map[value.Value]float64, len(s.jobs))
	for len(pool) > 0 {
		var at bTaskKey
		found := false
		for _, ji := range s.priority(p.counts) {
			j := s.jobs[ji]
			d := desired[ji]
			if d == nil {
				n, has := mu[j]
				if !has && !s.f.v08 {
					return nil, errNPE
				}
				if d, err = s.distribute(j, n); err != nil {
					return nil, err
				}
				desired[ji] = d
			}
			for _, t := range p.tasks[ji] {
				want, ok := d[t]
				if !ok {
					return nil, errNPE
				}
				have := 0
				for _, x := range p.vec(bTaskKey{j, t}) {
					if x != nil && x != false {
						have++
					}
				}
				if float64(have) < want {
					at, found = bTaskKey{j, t}, true
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
		if err := p.place(peer, at, allocated); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// place is bsched.place on the fast placing, less what write does.
func (p *fastPlacing) place(peer value.Value, at bTaskKey, allocated bool) error {
	m := fastMove{peer: peer, at: at}
	if allocated {
		if from, ok := p.locate(peer); ok && from.job != nil && from.task != nil {
			if !peerFastKey(from.job) || !peerFastKey(from.task) {
				return errSlowB
			}
			old := p.vec(from)
			kept := bRemove(old, peer)
			p.setVec(from, kept)
			p.bump(from.job, -float64(len(old)-len(kept)))
			m.from, m.left = from, true
		}
	}
	if p.eager {
		if err := p.placeSite(peer, at.task, p.sites); err != nil {
			return err
		}
	}
	old := p.vec(at)
	nv := make([]value.Value, len(old), len(old)+1)
	copy(nv, old)
	p.setVec(at, append(nv, peer))
	p.bump(at.job, 1)
	p.moves = append(p.moves, m)
	return nil
}

// placeSite is place's (merge site (assign-task-resources …)), before is
// the sites before the move.
func (p *fastPlacing) placeSite(peer, task value.Value, before *value.Map) error {
	site := before.Val(peer)
	res, err := bTaskResources(p.s.r, peer, task, site, before)
	if err != nil {
		return err
	}
	if !bSameMerge(site, res) || !p.sites.Has(peer) {
		p.sites = p.sites.Assoc(peer, bMerge(site, res))
	}
	return nil
}

// unchangedCounts reports whether deallocate-starved-jobs after the moves
// leaves the sorted peer counts of the allocations' jobs as they were: the
// balanced job scheduler then keeps the input replica (bsched.equivalent).
func (p *fastPlacing) unchangedCounts() bool {
	s := p.s
	starved := map[value.Value]bool{}
	for ji, job := range s.jobs {
		mins := s.in(kwMinRequiredPeers, job)
		for _, t := range p.tasks[ji] {
			mr, ok := bNum(mins.Val(t))
			if !ok {
				mr = 1
			}
			if float64(len(p.vec(bTaskKey{job, t}))) < mr {
				starved[job] = true
				break
			}
		}
	}
	var before, after []float64
	seen := map[value.Value]bool{}
	count := func(job value.Value) float64 {
		n := 0
		mapOf(p.allocs.Val(job)).Range(func(t, _ value.Value) bool {
			n += len(p.vec(bTaskKey{job, t}))
			return true
		})
		for _, k := range p.touched { // tasks the moves added
			if k.job == job && !mapOf(p.allocs.Val(job)).Has(k.task) {
				n += len(p.vecs[k])
			}
		}
		return float64(n)
	}
	ok := true
	p.allocs.Range(func(job, _ value.Value) bool {
		if !peerFastKey(job) {
			ok = false
			return false
		}
		seen[job] = true
		before = append(before, p.s.jobPeerCount(s.r, job))
		if !starved[job] {
			after = append(after, count(job))
		}
		return true
	})
	if !ok {
		return false
	}
	for _, k := range p.touched { // jobs the moves added
		if !seen[k.job] {
			seen[k.job] = true
			if !starved[k.job] {
				after = append(after, count(k.job))
			}
		}
	}
	slices.Sort(before)
	slices.Sort(after)
	return slices.Equal(before, after)
}

// write puts the moves into the replica as bsched.place and bsched.write do,
// each changed map written once, its keys in first-touch order.
func (p *fastPlacing) write() (*value.Map, error) {
	s := p.s
	if len(p.moves) == 0 {
		return s.r, nil
	}
	st := kwBWarmingUp
	if s.f.v07 {
		st = kwIdle
	}
	states := mapOf(s.r.Val(kwPeerState)).AsTransient()
	var slotMaps map[bTaskKey]*value.Map
	var slotTouched []bTaskKey
	slotMap := func(k bTaskKey) (*value.Map, error) {
		if m, ok := slotMaps[k]; ok {
			return m, nil
		}
		v := mapOf(p.slots.Val(k.job)).Val(k.task)
		m, ok := v.(*value.Map)
		if !ok && v != nil {
			return nil, errSlowB
		}
		return m, nil
	}
	setSlotMap := func(k bTaskKey, m *value.Map) {
		if slotMaps == nil {
			slotMaps = map[bTaskKey]*value.Map{}
		}
		if _, ok := slotMaps[k]; !ok {
			slotTouched = append(slotTouched, k)
		}
		slotMaps[k] = m
	}
	if !p.eager {
		p.sites = mapOf(s.r.Val(kwPeerSites))
	}
	for _, m := range p.moves {
		if m.left && s.f.v074 {
			slots, err := slotMap(m.from)
			if err != nil {
				return nil, err
			}
			if slots.Val(m.peer) != nil {
				setSlotMap(m.from, slots.Dissoc(m.peer))
			}
		}
		states.Assoc(m.peer, st)
		if s.f.v08 && !p.eager {
			if err := p.placeSite(m.peer, m.at.task, p.sites); err != nil {
				return nil, err
			}
		}
		if s.f.v074 {
			slots, err := slotMap(m.at)
			if err != nil {
				return nil, err
			}
			setSlotMap(m.at, slots.Assoc(m.peer, firstFreeSlot(slots)))
		}
	}
	r := s.r.AsTransient()
	r.Assoc(kwPeerState, states.Persistent())
	if s.f.v08 {
		r.Assoc(kwPeerSites, p.sites)
	}
	allocs := p.allocs.AsTransient()
	for _, group := range byJob(p.touched) {
		jm := mapOf(allocs.Val(group[0].job))
		for _, k := range group {
			jm = jm.Assoc(k.task, value.Vector(p.vecs[k]))
		}
		allocs.Assoc(group[0].job, jm)
	}
	r.Assoc(kwAllocations, allocs.Persistent())
	if s.f.v074 {
		slots := p.slots.AsTransient()
		for _, group := range byJob(slotTouched) {
			jm := mapOf(slots.Val(group[0].job))
			for _, k := range group {
				jm = jm.Assoc(k.task, slotMaps[k])
			}
			slots.Assoc(group[0].job, jm)
		}
		r.Assoc(kwTaskSlotIDs, slots.Persistent())
	}
	return r.Persistent(), nil
}

// byJob groups keys by job, the jobs in first-touch order, each job's
// tasks in first-touch order.
func byJob(keys []bTaskKey) [][]bTaskKey {
	var out [][]bTaskKey
	for _, k := range keys {
		i := slices.IndexFunc(out, func(g []bTaskKey) bool { return g[0].job == k.job })
		if i < 0 {
			out = append(out, []bTaskKey{k})
			continue
		}
		out[i] = append(out[i], k)
	}
	return out
}
