package replay

import (
	"errors"
	"slices"

	"onyx-dashboard/model/value"
)

// The fast reallocate-peers of era B: the moves of reallocate (schedule_b_place.go)
// made on Go slices and maps, then written into the replica once. It runs when
// every job, task and peer it meets has a comparable id (comparableID) and the
// allocations and task slot ids are nested maps; otherwise it reports
// errSlowB and reallocate's persistent version runs instead.
//
// The result is the very map the one-move-at-a-time version builds: the task
// vectors and slot maps end with the same content, and the keys are written
// in the order the moves first touch them, so that a new key lands where the
// sequence of assocs puts it (array maps keep insertion order; hash maps
// keep colliding keys in insertion order). No move dissocs a key of the
// allocations, and the slot maps replay their own moves one by one.

// bSlowOnly makes every reconfigure take the persistent reallocate: tests
// compare the two paths with it. Never set outside tests.
var bSlowOnly = false

// errSlowB reports that the fast path does not apply: the caller falls back.
var errSlowB = errors.New("era b: fast reallocation does not apply")

// errUnchangedB reports that the balanced job scheduler keeps the input
// replica: reconfigure returns it as it is.
var errUnchangedB = errors.New("era b: the reconfiguration keeps the replica")

// reallocateFastOrSlow is reallocate through the fast path when it applies.
// It reports errUnchangedB when the balanced job scheduler will find that
// nothing changed (bsched.equivalent), before writing anything. known says
// what the fast path learned on the way: whether no job is starved
// (deallocate-starved-jobs keeps out as it is) and whether the balanced
// scheduler's test is known to fail.
func (s *bsched) reallocateFastOrSlow(pool []value.Value, unallocated int, mu map[value.Value]float64) (out *value.Map, known bVerdict, err error) {
	if bSlowOnly {
		out, err = s.reallocate(pool, unallocated, mu)
		return out, bVerdict{}, err
	}
	p, err := s.planReallocation(pool, unallocated, mu)
	if err == errSlowB {
		out, err = s.reallocate(pool, unallocated, mu)
		return out, bVerdict{}, err
	}
	if err != nil {
		return nil, bVerdict{}, err
	}
	if s.js == kwBJobSchedBalanced {
		if p.unchangedCounts() {
			return nil, bVerdict{}, errUnchangedB
		}
		known.changed = !p.foreign
	}
	known.noneStarved = p.noneStarved()
	out, err = p.write()
	if err == errSlowB {
		out, err = s.reallocate(pool, unallocated, mu)
		return out, bVerdict{}, err
	}
	if err == nil {
		s.moved = p
	}
	return out, known, err
}

// bVerdict is what the fast reallocation knows of the steps after it.
type bVerdict struct {
	noneStarved bool // deallocate-starved-jobs changes nothing
	changed     bool // the balanced scheduler's equivalent test fails
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

	changed []taskVec // task vectors changed so far (owned), in first-touch order
	moves   []fastMove
	cur     [][][]value.Value // current vector of each task of each s.jobs index

	tasks     [][]value.Value // s.tasks of each s.jobs index
	counts    []float64       // jobPeerCount of each s.jobs index
	counts0   []float64       // counts before the moves
	inAllocs  []bool          // whether the input's allocations have the job
	foreign   bool            // a peer left a job not in s.jobs
	starvedAt []int8          // starved's answer by s.jobs index: 0 unknown, 1 no, 2 yes
	distinct  bool            // no job twice in s.jobs, no task twice in a job
	vecs      [][]value.Value // the room of cur, every job's tasks in a row
	off       []int           // where each s.jobs index starts in vecs
}

// taskVec is a changed task vector.
type taskVec struct {
	k bTaskKey
	v []value.Value
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
	x := s.scratch()
	x.tasks, x.cur = grow(x.tasks, len(s.jobs)), grow(x.cur, len(s.jobs))
	x.flags, x.nums = grow(x.flags, len(s.jobs)), grow(x.nums, 2*len(s.jobs))
	x.fp = fastPlacing{
		s:        s,
		allocs:   mapOf(s.r.Val(kwAllocations)),
		slots:    mapOf(s.r.Val(kwTaskSlotIDs)),
		sites:    mapOf(s.r.Val(kwPeerSites)),
		tasks:    x.tasks,
		cur:      x.cur,
		inAllocs: x.flags,
		changed:  x.changed[:0],
	}
	p := &x.fp
	// counts and counts0 in one
	p.counts, p.counts0 = x.nums[:len(s.jobs):len(s.jobs)], x.nums[len(s.jobs):]
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
	nTasks := 0
	for i, j := range s.jobs {
		if !comparableID(j) {
			return nil, errSlowB
		}
		if info := s.info(j); info != nil {
			p.tasks[i] = info.tasks
		} else {
			p.tasks[i] = s.tasks(j)
		}
		nTasks += len(p.tasks[i])
	}
	x.vecs = grow(x.vecs, nTasks)
	vecs := x.vecs // the cur of every job in one
	p.vecs = vecs
	x.offs = grow(x.offs, len(s.jobs))
	p.off = x.offs
	off := 0
	for i, j := range s.jobs {
		for _, t := range p.tasks[i] {
			if !comparableID(t) {
				return nil, errSlowB
			}
		}
		p.off[i] = off
		off += len(p.tasks[i])
		jm, has := p.allocs.Get(j)
		p.inAllocs[i] = has
		n := 0
		mapOf(jm).Range(func(_, ps value.Value) bool {
			n += len(items(ps))
			return true
		})
		p.counts[i] = float64(n)
		p.cur[i], vecs = vecs[:len(p.tasks[i]):len(p.tasks[i])], vecs[len(p.tasks[i]):]
		for ti, t := range p.tasks[i] {
			p.cur[i][ti] = items(mapOf(jm).Val(t))
		}
	}
	copy(p.counts0, p.counts)
	p.distinct = distinctFastKeys(s.jobs)
	for i := range s.jobs {
		if !p.distinct {
			break
		}
		if info := s.info(s.jobs[i]); info == nil || !info.balanced {
			p.distinct = distinctFastKeys(p.tasks[i])
		}
	}
	return p, nil
}

// locate is findPeerAllocation on the input's allocations. Moves never look
// up a peer that already moved, and a move changes no other peer's place.
func (p *fastPlacing) locate(peer value.Value) (bTaskKey, bool) {
	return p.s.peerPlaces().place(peer)
}

// vec is the current vector of (job, task).
func (p *fastPlacing) vec(k bTaskKey) []value.Value {
	for _, c := range p.changed {
		if c.k == k { // fast keys: == is =
			return c.v
		}
	}
	return items(mapOf(p.allocs.Val(k.job)).Val(k.task))
}

// setVec makes v the vector of (job, task), in changed and in cur.
func (p *fastPlacing) setVec(k bTaskKey, v []value.Value) {
	p.record(k, v)
	for ji, j := range p.s.jobs {
		if j != k.job {
			continue
		}
		for ti, t := range p.tasks[ji] {
			if t == k.task {
				p.cur[ji][ti] = v
			}
		}
	}
}

// where is the position of k's job in s.jobs and of its task in the job's
// tasks, known when the jobs and each job's tasks are distinct (then there
// is one) and k's job is one of s.jobs.
func (p *fastPlacing) where(k bTaskKey) (ji, ti int, known bool) {
	if !p.distinct {
		return 0, 0, false
	}
	for ji, j := range p.s.jobs {
		if j == k.job { // fast keys: == is =
			for ti, t := range p.tasks[ji] {
				if t == k.task {
					return ji, ti, true
				}
			}
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// record makes v the vector of (job, task) in changed.
func (p *fastPlacing) record(k bTaskKey, v []value.Value) {
	for i := range p.changed {
		if p.changed[i].k == k { // fast keys: == is =
			p.changed[i].v = v
			return
		}
	}
	p.changed = append(p.changed, taskVec{k, v})
}

// setVecAt is setVec for the one position of k (p.distinct).
func (p *fastPlacing) setVecAt(k bTaskKey, ji, ti int, v []value.Value) {
	p.record(k, v)
	p.cur[ji][ti] = v
}

// bump adds d to the count of job (of each copy, should :jobs list it
// twice); a job not in :jobs is noted in foreign.
func (p *fastPlacing) bump(job value.Value, d float64) {
	found := false
	for i, j := range p.s.jobs {
		if j == job { // fast keys: == is =
			p.counts[i] += d
			found = true
		}
	}
	if !found {
		p.foreign = true
	}
}

// planReallocation runs reallocate-peers' moves on Go structures; errSlowB
// sends the caller to the persistent version. Nothing of the replica is
// written: fastPlacing.write does that.
func (s *bsched) planReallocation(pool []value.Value, unallocated int, mu map[value.Value]float64) (*fastPlacing, error) {
	for _, peer := range pool {
		if !comparableID(peer) {
			return nil, errSlowB
		}
	}
	p, err := s.newFastPlacing()
	if err != nil {
		return nil, err
	}
	x := s.scratch()
	x.desired, x.known = grow(x.desired, len(s.jobs)), grow(x.known, len(s.jobs))
	desired, known := x.desired, x.known // by task position, made on first use
	x.made = grow(x.made, len(s.jobs))
	made := x.made
	x.want, x.has = grow(x.want, len(p.vecs)), grow(x.has, len(p.vecs))
	wantRoom, knownRoom := x.want, x.has // the room of desired and known
	order := x.order
	p.moves = x.moves[:0]
	defer func() { x.order, x.moves, x.changed = order, p.moves, p.changed }()
	for len(pool) > 0 {
		var at bTaskKey
		var atJob, atTask int // at's position in s.jobs and its tasks
		found := false
		for _, ji := range s.priorityInto(&order, p.counts) {
			j := s.jobs[ji]
			d := desired[ji]
			if !made[ji] {
				made[ji] = true
				n, has := mu[j]
				if !has && !s.f.v08 {
					return nil, errNPE
				}
				nt := len(p.tasks[ji])
				o := p.off[ji]
				d, known[ji] = wantRoom[o:o+nt:o+nt], knownRoom[o:o+nt:o+nt]
				if err = s.distributeAt(j, n, p.tasks[ji], d, known[ji]); err != nil {
					return nil, err
				}
				desired[ji] = d
			}
			for ti := range p.tasks[ji] {
				want, ok := d[ti], known[ji][ti]
				if !ok {
					return nil, errNPE
				}
				have := 0
				for _, x := range p.cur[ji][ti] {
					if truthy(x) {
						have++
					}
				}
				if float64(have) < want {
					at, found = bTaskKey{j, p.tasks[ji][ti]}, true
					atJob, atTask = ji, ti
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
		if err := p.place(peer, at, atJob, atTask, allocated); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// place is bsched.place on the fast placing, less what write does; at is
// task ti of s.jobs[ji].
func (p *fastPlacing) place(peer value.Value, at bTaskKey, ji, ti int, allocated bool) error {
	m := fastMove{peer: peer, at: at}
	if allocated {
		if from, ok := p.locate(peer); ok && from.job != nil && from.task != nil {
			if !comparableID(from.job) || !comparableID(from.task) {
				return errSlowB
			}
			if fji, fti, known := p.where(from); known {
				old := p.cur[fji][fti]
				kept := bRemove(old, peer)
				p.setVecAt(from, fji, fti, kept)
				p.counts[fji] -= float64(len(old) - len(kept))
			} else {
				old := p.vec(from)
				kept := bRemove(old, peer)
				p.setVec(from, kept)
				p.bump(from.job, -float64(len(old)-len(kept)))
			}
			m.from, m.left = from, true
		}
	}
	if p.distinct {
		if p.eager {
			if err := p.placeSite(peer, at.task, p.sites); err != nil {
				return err
			}
		}
		old := p.cur[ji][ti]
		nv := make([]value.Value, len(old), len(old)+1)
		copy(nv, old)
		p.setVecAt(at, ji, ti, append(nv, peer))
		p.counts[ji]++
		p.moves = append(p.moves, m)
		return nil
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
// Jobs of the allocations not in :jobs keep their counts and are never
// starved, so only the jobs of :jobs are compared: before, those the input
// allocates; after, those the output allocates (the input's, and any a
// move added) that are not starved. A false answer is always safe.
func (p *fastPlacing) unchangedCounts() bool {
	s := p.s
	if p.foreign {
		return false
	}
	var bbuf, abuf [16]float64
	before, after := bbuf[:0], abuf[:0]
	for ji, job := range s.jobs {
		if slices.Contains(s.jobs[:ji], job) {
			continue
		}
		if p.inAllocs[ji] {
			before = append(before, p.counts0[ji])
		}
		if !p.inAllocs[ji] && p.counts[ji] == 0 {
			continue // no move added the job
		}
		if !p.starved(ji) {
			after = append(after, p.counts[ji])
		}
	}
	if len(before) != len(after) {
		return false
	}
	slices.Sort(before)
	slices.Sort(after)
	return slices.Equal(before, after)
}

// starved is deallocate-starved-jobs' test after the moves: a task of the
// job below its minimum (1 when it has none).
func (p *fastPlacing) starved(ji int) bool {
	if p.starvedAt == nil {
		x := p.s.scratch()
		x.starved = grow(x.starved, len(p.s.jobs))
		p.starvedAt = x.starved
	}
	if p.starvedAt[ji] == 0 {
		p.starvedAt[ji] = 1
		if p.starvedNow(ji) {
			p.starvedAt[ji] = 2
		}
	}
	return p.starvedAt[ji] == 2
}

// noneStarved reports whether deallocate-starved-jobs finds no job to
// deallocate after the moves.
func (p *fastPlacing) noneStarved() bool {
	for ji := range p.s.jobs {
		if p.starved(ji) {
			return false
		}
	}
	return true
}

func (p *fastPlacing) starvedNow(ji int) bool {
	job := p.s.jobs[ji]
	if info := p.s.info(job); info != nil && len(info.mins) == len(p.tasks[ji]) {
		for ti, mr := range info.mins {
			if float64(len(p.cur[ji][ti])) < mr {
				return true
			}
		}
		return false
	}
	mins := p.s.in(kwMinRequiredPeers, job)
	for ti, t := range p.tasks[ji] {
		mr, ok := bNum(mins.Val(t))
		if !ok {
			mr = 1
		}
		if float64(len(p.cur[ji][ti])) < mr {
			return true
		}
	}
	return false
}
