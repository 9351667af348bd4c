package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Placement of eras C and D. Onyx 0.8.4+ hands the planned per-task counts to
// the BtrPlace/Choco constraint solver, which replay cannot run, so the peer →
// task choice here is an ESTIMATE (Version.PlacementEstimated): a sticky
// placement that meets the same capacities and moves as few peers as it can.
//
//   - A peer keeps its task while the task still needs it: the first
//     min(planned, current) peers of each task's vector stay, as BtrPlace's
//     anti-jitter Fence constraints ask (only members, only where the task's
//     :required-tags allow).
//   - The other peers fill the deficits in UUID order (Java compareTo, §4.9),
//     jobs in :jobs order and tasks in task order; tasks with required tags
//     first, and untagged peers before tagged ones on untagged tasks.
//
// Everything that follows the placement is computed as Onyx does from it:
// the :allocations vectors in peer->vm map order, :task-slot-ids, the era C
// :peer-state and :ackers, the era D :coordinators and :allocation-version.

// cdJob is one job of a scheduling round.
type cdJob struct {
	id      value.Value
	tasks   []value.Value
	util    float64
	planned []int
}

// reconfigureCD is reconfigure-cluster-workload: r is the replica after the
// command's own changes, old the replica before the command (era D computes
// allocation versions against it).
func reconfigureCD(r, old *value.Map, f cdflags) (*value.Map, error) {
	return reconfigureRepCD(newRepStampCD(r, f), old, f)
}

// reconfigureRepCD is reconfigureCD of the replica x gives: the fast path
// writes its changes into x and builds the replica once. x is released.
func reconfigureRepCD(x *cdRep, old *value.Map, f cdflags) (*value.Map, error) {
	snap := x.clone() // the fast path may give up after writing into x
	out, ok := reconfigureFastCD(x, old, f)
	x.release()
	if ok {
		return out, nil
	}
	if snap.gone.set {
		snap.writeGone()
	}
	return reconfigureAllCD(snap.done(), old, f)
}

// reconfigureAllCD is reconfigureCD recomputing the placement of every peer.
func reconfigureAllCD(r, old *value.Map, f cdflags) (*value.Map, error) {
	jobs := items(r.Val(kwJobs))
	cur := r
	placed := false
	for len(jobs) > 0 {
		s := newCDSched(cur, f)
		offers, err := s.offers(jobs)
		if err != nil {
			return nil, err
		}
		claims, spare := s.claims(offers)
		util := s.claimSpare(claims, spare)
		plan := make([]*cdJob, 0, len(jobs))
		for _, j := range jobs {
			n, _ := cdGet(util, j)
			counts, err := s.distribute(j, n)
			if err != nil {
				return nil, err
			}
			plan = append(plan, &cdJob{id: j, tasks: s.tasks(j), util: n, planned: counts})
		}
		if s.plannedIsActual(plan) {
			if !f.d { // 0.9.x returns here, before deallocate-starved-jobs
				return cur, nil
			}
			break
		}
		next, full, solved := s.place(plan, util)
		if solved && full {
			cur, placed = next, true
			break
		}
		if f.d && solved {
			cur = next // 0.10+ goes on from the partial placement
		}
		// (remove-job replica (butlast jobs)) dissocs a seq key: nothing.
		jobs = jobs[:len(jobs)-1]
	}
	if !f.d {
		if placed {
			cur = chooseAckersCD(cur, jobs)
		}
		return deallocateStarvedCD(cur, f), nil
	}
	cur = deallocateStarvedCD(cur, f)
	cur = assignCoordinators(cur)
	return addAllocationVersions(cur, old), nil
}

// plannedIsActual is (= planned-capacities (actual-usage replica jobs)).
func (s *cdsched) plannedIsActual(plan []*cdJob) bool {
	for _, j := range plan {
		am := mapOf(s.allocs.Val(j.id))
		if am.Len() == 0 || am.Len() != len(j.tasks) {
			return false
		}
		for i, t := range j.tasks {
			ps, ok := am.Get(t)
			if !ok || len(items(ps)) != j.planned[i] {
				return false
			}
		}
	}
	return true
}

// capacity is calculate-capacity: a :recover task wants its min-required.
func (s *cdsched) capacity(j *cdJob, i int) int {
	if j.util == 0 {
		return 0
	}
	if s.in(kwFluxPolicies, j.id).Val(j.tasks[i]) == kwCDRecover {
		return int(cdNum(s.in(kwMinRequiredPeers, j.id).Val(j.tasks[i]), 0))
	}
	return j.planned[i]
}

type cdSlot struct{ job, task int }

// place estimates btr-place-scheduling. solved is false where the solver
// would find no plan (capacities that fit the peers but tags that cannot
// fill them); full is full-allocation?.
func (s *cdsched) place(plan []*cdJob, util []cdCount) (out *value.Map, full, solved bool) {
	member := make(map[value.Value]bool, len(s.peers))
	for _, p := range s.peers {
		if peerFastKeyCD(p) {
			member[p] = true
		}
	}
	isMember := func(p value.Value) bool {
		if peerFastKeyCD(p) {
			return member[p]
		}
		return containsValue(s.peers, p)
	}
	where := map[value.Value]cdSlot{}
	taken := func(p value.Value) bool { _, ok := where[p]; return ok }
	fill := make([][]int, len(plan))
	caps := make([][]int, len(plan))
	sumCap := 0
	for ji, j := range plan {
		fill[ji] = make([]int, len(j.tasks))
		caps[ji] = make([]int, len(j.tasks))
		for ti := range j.tasks {
			caps[ji][ti] = s.capacity(j, ti)
			sumCap += caps[ji][ti]
		}
	}
	// Keep: the first min(capacity, current) members of each task.
	for ji, j := range plan {
		for ti, t := range j.tasks {
			req := s.requiredTags(j.id, t)
			for _, p := range items(mapOf(s.allocs.Val(j.id)).Val(t)) {
				if fill[ji][ti] >= caps[ji][ti] {
					break
				}
				if !peerFastKeyCD(p) || !isMember(p) || taken(p) || !tagsOK(req, s.peerTags(p)) {
					continue
				}
				where[p] = cdSlot{ji, ti}
				fill[ji][ti]++
			}
		}
	}
	free := make([]value.Value, 0, len(s.peers))
	inFree := make(map[value.Value]bool, len(s.peers))
	for _, p := range s.peers {
		if peerFastKeyCD(p) && !taken(p) && !inFree[p] {
			free = append(free, p)
			inFree[p] = true
		}
	}
	slices.SortStableFunc(free, value.Compare)
	// Fill: tagged tasks first, then the rest (untagged peers first).
	for pass := range 2 {
		pool := free
		if pass == 1 {
			pool = make([]value.Value, 0, len(free))
			for _, tagged := range []bool{false, true} {
				for _, p := range free {
					if (len(s.peerTags(p)) > 0) == tagged {
						pool = append(pool, p)
					}
				}
			}
		}
		for ji, j := range plan {
			for ti, t := range j.tasks {
				req := s.requiredTags(j.id, t)
				if (len(req) > 0) != (pass == 0) {
					continue
				}
				for _, p := range pool {
					if fill[ji][ti] >= caps[ji][ti] {
						break
					}
					if taken(p) || !tagsOK(req, s.peerTags(p)) {
						continue
					}
					where[p] = cdSlot{ji, ti}
					fill[ji][ti]++
				}
			}
		}
	}
	full, short := true, false
	for ji, j := range plan {
		for ti := range j.tasks {
			if fill[ji][ti] < caps[ji][ti] {
				short = true
			}
			if _, inUtil := cdGet(util, j.id); inUtil && fill[ji][ti] != j.planned[ti] {
				full = false
			}
		}
	}
	if short && sumCap <= len(s.peers) {
		return nil, false, false // every slot must be filled, and cannot be
	}
	return s.apply(plan, where), full, true
}

// peerFastKeyCD reports whether p can key a Go map (peer ids are UUIDs).
func peerFastKeyCD(p value.Value) bool {
	_, ok := p.(value.UUID)
	return ok
}

// apply writes a placement into the replica as btr-place-scheduling does:
// change-peer-allocations (peer->vm order), era C change-peer-state, and
// assign-task-slot-ids. Peer sites keep their resources (an estimate).
func (s *cdsched) apply(plan []*cdJob, where map[value.Value]cdSlot) *value.Map {
	order := cdMapOrder(s.peers)
	type jt struct {
		job   value.Value
		tasks []value.Value
		peers [][]value.Value
	}
	var jobs []*jt
	byJob := map[int]*jt{}
	for _, p := range order {
		sl, ok := where[p]
		if !ok {
			continue
		}
		x := byJob[sl.job]
		if x == nil {
			x = &jt{job: plan[sl.job].id}
			byJob[sl.job] = x
			jobs = append(jobs, x)
		}
		t := plan[sl.job].tasks[sl.task]
		k := slices.IndexFunc(x.tasks, func(y value.Value) bool { return value.Equal(y, t) })
		if k < 0 {
			x.tasks = append(x.tasks, t)
			x.peers = append(x.peers, nil)
			k = len(x.tasks) - 1
		}
		x.peers[k] = append(x.peers[k], p)
	}
	allocs := value.NewMap()
	for _, x := range jobs {
		tm := value.NewMap()
		for k, t := range x.tasks {
			tm = tm.Assoc(t, value.Vector(x.peers[k]))
		}
		if was := mapOf(s.allocs.Val(x.job)); value.Equal(was, tm) {
			tm = was // unchanged: share it, so later comparisons are cheap
		}
		allocs = allocs.Assoc(x.job, tm)
	}
	r := s.r.done().Assoc(kwAllocations, allocs)
	type jobTask struct{ job, task value.Value }
	prevAt := map[value.Value]jobTask{} // allocations->peers of the input
	s.allocs.Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, ps value.Value) bool {
			for _, p := range items(ps) {
				if peerFastKeyCD(p) {
					prevAt[p] = jobTask{j, t}
				}
			}
			return true
		})
		return true
	})
	prev := func(p value.Value) (job, task value.Value, ok bool) {
		x, ok := prevAt[p]
		return x.job, x.task, ok
	}
	moved := func(p value.Value) bool {
		sl, ok := where[p]
		if !ok {
			return true
		}
		pj, pt, had := prev(p)
		return !had || !value.Equal(pj, plan[sl.job].id) || !value.Equal(pt, plan[sl.job].tasks[sl.task])
	}
	if !s.f.d { // change-peer-state: every peer not staying on its task is :idle
		ps := mapOf(r.Val(kwPeerState))
		for _, p := range order {
			if moved(p) {
				ps = ps.Assoc(p, kwIdle)
			}
		}
		r = r.Assoc(kwPeerState, ps)
	}
	// unassign-task-slot-ids, then assign-task-slot-ids, in peer->task order.
	slots := mapOf(r.Val(kwTaskSlotIDs))
	for _, p := range order {
		pj, pt, ok := prev(p)
		if !ok || !slots.Has(pj) {
			continue
		}
		if sl, placed := where[p]; placed && value.Equal(plan[sl.job].id, pj) && value.Equal(plan[sl.job].tasks[sl.task], pt) {
			continue
		}
		jm := mapOf(slots.Val(pj))
		if tm, ok := jm.Val(pt).(*value.Map); ok {
			jm = jm.Assoc(pt, tm.Dissoc(p))
		} else {
			jm = jm.Assoc(pt, nil) // (update-in … dissoc) on an absent task
		}
		slots = slots.Assoc(pj, jm)
	}
	for _, p := range order {
		sl, ok := where[p]
		if !ok {
			continue
		}
		j, t := plan[sl.job].id, plan[sl.job].tasks[sl.task]
		jm := mapOf(slots.Val(j))
		tm := mapOf(jm.Val(t))
		if tm.Has(p) && tm.Val(p) != nil {
			continue
		}
		used := map[int64]bool{}
		tm.Range(func(_, v value.Value) bool {
			if n, ok := v.(int64); ok {
				used[n] = true
			}
			return true
		})
		id := int64(0)
		for used[id] {
			id++
		}
		if tm == nil {
			tm = value.NewMap()
		}
		slots = slots.Assoc(j, jm.Assoc(t, tm.Assoc(p, id)))
	}
	return r.Assoc(kwTaskSlotIDs, slots)
}

// deallocateStarvedCD is deallocate-starved-jobs: a job with a task below its
// min-required loses its allocation (remove-job).
func deallocateStarvedCD(r *value.Map, f cdflags) *value.Map {
	for _, job := range items(r.Val(kwJobs)) {
		jm := mapOf(mapAt(r, kwAllocations).Val(job))
		starved := false
		for _, t := range items(mapAt(r, kwTasks).Val(job)) {
			need := cdNum(mapOf(mapAt(r, kwMinRequiredPeers).Val(job)).Val(t), 1)
			if float64(len(items(jm.Val(t)))) < need {
				starved = true
				break
			}
		}
		if starved {
			r = removeJobCD(r, f, job)
		}
	}
	return r
}

// removeJobCD is the scheduler's remove-job.
func removeJobCD(r *value.Map, f cdflags, job value.Value) *value.Map {
	var peers []value.Value
	mapOf(mapAt(r, kwAllocations).Val(job)).Range(func(_, ps value.Value) bool {
		peers = append(peers, items(ps)...)
		return true
	})
	r, _ = updateDissoc(r, kwAllocations, job)
	if f.d {
		r, _ = updateDissoc(r, kwCoordinators, job)
	}
	r, _ = updateDissoc(r, kwTaskSlotIDs, job)
	if !f.d {
		ps := mapOf(r.Val(kwPeerState))
		for _, p := range peers {
			ps = ps.Assoc(p, kwIdle)
		}
		r = r.Assoc(kwPeerState, ps)
	}
	return r
}

// assignCoordinators (0.10+): each job in :allocations keeps its coordinator
// while it is one of the job's peers, else gets the smallest of them (UUID
// order, §4.9); nil when the job has none.
func assignCoordinators(r *value.Map) *value.Map {
	coords := mapOf(r.Val(kwCoordinators))
	changed := false
	mapAt(r, kwAllocations).Range(func(job, tasks value.Value) bool {
		var peers []value.Value
		mapOf(tasks).Range(func(_, ps value.Value) bool {
			peers = append(peers, items(ps)...)
			return true
		})
		c, has := coords.Get(job)
		if c != nil && containsValue(peers, c) {
			return true
		}
		var best value.Value
		for _, p := range peers {
			if best == nil || value.Compare(p, best) < 0 {
				best = p
			}
		}
		if has && value.Equal(c, best) {
			return true
		}
		coords = coords.Assoc(job, best)
		changed = true
		return true
	})
	if !changed {
		return r
	}
	return r.Assoc(kwCoordinators, coords)
}

// addAllocationVersions (0.10+): a job in :jobs whose allocation differs from
// old's gets :allocation-version = :version.
func addAllocationVersions(r, old *value.Map) *value.Map {
	rp := newRepCD(r)
	addAllocationVersionsRep(rp, old, new(cdMapEdit))
	return rp.done()
}

// addAllocationVersionsRep is addAllocationVersions written into rp, with
// av's memory.
func addAllocationVersionsRep(rp *cdRep, old *value.Map, av *cdMapEdit) {
	na, oa := rp.mapAt(kwAllocations), mapAt(old, kwAllocations)
	if na == oa {
		return
	}
	var buf [16]value.Value
	differ := buf[:0] // the jobs whose allocation is not shared
	value.DiffKeys(oa, na, func(job, _, _ value.Value, _, _ bool) { differ = append(differ, job) })
	if len(differ) == 0 {
		return
	}
	av.reset(rp.mapAt(kwAllocationVersion))
	defer av.reset(nil)
	for _, job := range items(rp.Val(kwJobs)) {
		if !containsValue(differ, job) {
			continue
		}
		if a, b := na.Val(job), oa.Val(job); (a == nil && b == nil) || samePtrMap(a, b) || value.Equal(a, b) {
			continue
		}
		av.Assoc(job, rp.Val(kwCDVersion))
	}
	if len(av.ks) > 0 {
		rp.Set(kwAllocationVersion, av.done())
	}
}

// chooseAckersCD is choose-ackers (0.8.4 – 0.9.x): the first ⌈pct% × n⌉ of
// the job's peers in UUID order that are not on an exempt task (the
// colocation preference never reorders, as in era B).
func chooseAckersCD(r *value.Map, jobs []value.Value) *value.Map {
	return chooseAckersWith(r, jobs, ackersOfJobCD)
}

// chooseAckersWith is chooseAckersCD with the ackers of one job from of.
func chooseAckersWith(r *value.Map, jobs []value.Value, of func(r *value.Map, job, tasks value.Value) value.Vector) *value.Map {
	allocs := mapAt(r, kwAllocations)
	ackers := mapOf(r.Val(kwAckers))
	for _, job := range jobs {
		out := of(r, job, allocs.Val(job))
		if was, ok := ackers.Get(job); ok && value.Equal(was, out) {
			continue // the same ackers: assoc would change nothing
		}
		ackers = ackers.Assoc(job, out)
	}
	if r.Has(kwAckers) && ackers == mapOf(r.Val(kwAckers)) {
		return r
	}
	return r.Assoc(kwAckers, ackers)
}

// ackersOfJobCD is the ackers of job whose allocation is tasks.
func ackersOfJobCD(r *value.Map, job, tasks value.Value) value.Vector {
	return ackersOfJobAt(func(k value.Keyword) *value.Map { return mapAt(r, k) }, job, tasks)
}

// ackersOfJobAt is ackersOfJobCD reading the replica's maps with at.
func ackersOfJobAt(at func(value.Keyword) *value.Map, job, tasks value.Value) value.Vector {
	n := 0
	mapOf(tasks).Range(func(_, ps value.Value) bool {
		n += len(items(ps))
		return true
	})
	peers := make([]value.Value, 0, n)
	onTask := make([]value.Value, 0, n)
	mapOf(tasks).Range(func(t, ps value.Value) bool {
		for _, p := range items(ps) {
			peers = append(peers, p)
			onTask = append(onTask, t)
		}
		return true
	})
	idx := make([]int, len(peers))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return value.Compare(peers[a], peers[b]) })
	return appendAckersCD(value.Vector{}, at, job, peers, onTask, idx)
}

// exemptTasksCD is whether a task of job takes no ackers: an exempt task,
// or an input (output) task when the job excludes inputs (outputs).
// appendAckersCD appends to out the ackers of job: the first of peers in
// the order idx gives, up to :acker-percentage of them, that are not on an
// exempt task (onTask[i] is the task of peers[i]).
func appendAckersCD(out value.Vector, at func(value.Keyword) *value.Map, job value.Value, peers, onTask []value.Value, idx []int) value.Vector {
	n := ackerCountCD(at, job, len(peers))
	ex := exemptTasksCD(at, job)
	for _, i := range idx {
		if len(out) >= n {
			break
		}
		if !ex(onTask[i]) {
			out = append(out, peers[i])
		}
	}
	return out
}

func exemptTasksCD(at func(value.Keyword) *value.Map, job value.Value) func(task value.Value) bool {
	seq := func(k value.Keyword) []value.Value {
		xs, _ := seqOf(at(k).Val(job))
		return xs
	}
	exempt := seq(kwCDExempt)
	var ins, outs []value.Value
	if truthy(at(kwCDExclIn).Val(job)) {
		ins = seq(kwInputTasks)
	}
	if truthy(at(kwCDExclOut).Val(job)) {
		outs = seq(kwOutputTasks)
	}
	return func(task value.Value) bool {
		return containsValue(exempt, task) || containsValue(ins, task) || containsValue(outs, task)
	}
}

// samePtrMap reports whether a and b are the same map object.
func samePtrMap(a, b value.Value) bool {
	x, ok1 := a.(*value.Map)
	y, ok2 := b.(*value.Map)
	return ok1 && ok2 && x == y
}
