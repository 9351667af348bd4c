package replay

import (
	"cmp"
	"slices"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The incremental placement of eras C and D. Almost every entry of a busy
// log adds or removes one peer or one job, and the sticky placement of
// placement_cd.go then moves a few peers at most. cdIndex keeps, for the
// last replica reconfigureCD produced, where each member peer is; the next
// reconfiguration updates it by what the command changed (peers appended or
// removed, jobs whose allocation or slot ids changed) and touches only the
// tasks whose membership changes, leaving every other task vector and job
// allocation shared. The result is the one place and apply compute: the
// fast path runs only where it can show that (no required tags, UUID peers
// without repeats in hash order, the first plan is solved), and hands
// everything else to the general code.

// cdPeerAt is where a member peer is: its hash-order key and its task (job
// nil when it is on none).
type cdPeerAt struct {
	ck        uint64
	job, task value.Value
}

// cdUUID is peer p of an index (a UUID, checked when it was indexed).
func cdUUID(p value.Value) value.UUID { return p.(value.UUID) }

// cdIndex describes the replica whose :peers, :allocations and
// :task-slot-ids are peers, allocs and slots. Every allocated peer is a
// member, on one task, has a slot id, and each task vector is in
// peer->vm (hash) order.
type cdIndex struct {
	peers  []value.Value
	allocs *value.Map
	slots  *value.Map
	at     map[value.UUID]cdPeerAt
	free   map[value.UUID]value.Value // the free members, boxed as in :peers
	nAlloc int
	// era C ackers by job, with the task map they were chosen from
	ackers   map[value.Value]cdAckers
	ack      cdAckerScratch
	ackCarry cdAckCarry
	coCarry  cdCoordCarry
	// scratch space of one reconfiguration (the index's holder owns it)
	tps      []cdTaskPlace
	jobTM    []*value.Map
	dropped  []value.Value
	filled   []value.Value
	pool     []cdPoolPeer
	jobOuts  []cdJobOut
	taskOuts []cdTaskOut
	kvs      []value.Value
	ops      []cdSlotOp
	ops2     []cdSlotOp
	groups   cdSlotGroups
	prev     map[value.UUID]cdPrevAt // where applyFast's dropped peers were
	edit     cdMapEdit
	fills    []value.Value // the peers placeFast gives the tasks short of peers
	slotJobs cdSlotJobs
	slotEdit cdMapEdit // one task's slot map (assignSlotsCD)
}

// cdPrevAt is the task a peer left.
type cdPrevAt struct{ job, task value.Value }

// cdPoolPeer is a peer free to take a task during a fast placement.
type cdPoolPeer struct {
	p      value.Value
	u      value.UUID
	tagged bool
}

// cdJobOut and cdTaskOut are a job's new task map and a task's new vector
// during applyFast, with the hash-order key of their first peer.
type (
	cdJobOut struct {
		job value.Value
		tm  *value.Map
		ck  uint64
	}
	cdTaskOut struct {
		task value.Value
		vec  value.Value // a value.Vector, boxed once
		ck   uint64
	}
)

// lastIndexCD is the index of the last replica reconfigureCD produced. A
// reconfiguration takes it (so no two goroutines share its maps) and puts
// back the index of its own result.
var lastIndexCD atomic.Pointer[cdIndex]

func sameBackingCD(x, y []value.Value) bool {
	return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}

func sameMapCD(a, b value.Value) bool {
	x, ok1 := a.(*value.Map)
	y, ok2 := b.(*value.Map)
	return ok1 && ok2 && x == y || a == nil && b == nil
}

// takeIndexCD returns an index of r, whose command started from old: the
// last index updated by the command's changes when it describes old, else a
// new one; nil when r is not one the fast path handles.
func takeIndexCD(r *cdRep, old *value.Map) *cdIndex {
	if ix := lastIndexCD.Swap(nil); ix != nil && ix.allocs == mapAt(old, kwAllocations) &&
		ix.slots == mapAt(old, kwTaskSlotIDs) && sameBackingCD(ix.peers, items(old.Val(kwPeers))) {
		if ix.forget(r) && ix.update(r) {
			return ix
		}
	}
	if r.gone.set { // its :allocations still hold the peer gone
		return nil
	}
	return buildIndexCD(r)
}

func buildIndexCD(r *cdRep) *cdIndex {
	peers := items(r.Val(kwPeers))
	if len(peers) <= 8 { // peer->vm is an array map: :peers order, left to place
		return nil
	}
	ix := &cdIndex{peers: peers, allocs: r.mapAt(kwAllocations), slots: r.mapAt(kwTaskSlotIDs),
		at: make(map[value.UUID]cdPeerAt, len(peers)+8), free: make(map[value.UUID]value.Value, len(peers)+8)}
	for _, p := range peers {
		if !ix.addMember(p) {
			return nil
		}
	}
	ok := true
	ix.allocs.Range(func(j, tm value.Value) bool {
		ok = ix.indexJob(j, tm)
		return ok
	})
	if !ok {
		return nil
	}
	return ix
}

func (ix *cdIndex) addMember(p value.Value) bool {
	u, ok := p.(value.UUID)
	if !ok {
		return false
	}
	if _, dup := ix.at[u]; dup {
		return false
	}
	ix.at[u] = cdPeerAt{ck: value.HashOrderKey(u)} // its place in PersistentHashMap order (cdMapOrder)
	ix.free[u] = p
	return true
}

// indexJob records job j's task map tm of ix.allocs, checking what cdIndex
// promises.
func (ix *cdIndex) indexJob(j, tm value.Value) bool {
	m, isMap := tm.(*value.Map)
	if !cdFastKey(j) || !isMap {
		return false
	}
	jslots := mapOf(ix.slots.Val(j))
	ok := true
	m.Range(func(t, ps value.Value) bool {
		vec, isVec := ps.(value.Vector)
		if !cdFastKey(t) || !isVec {
			ok = false
			return false
		}
		tslots := mapOf(jslots.Val(t))
		var last uint64
		for i, p := range vec {
			u, isU := p.(value.UUID)
			at, member := ix.at[u]
			if !isU || !member || at.job != nil || (i > 0 && at.ck <= last) || tslots.Val(p) == nil {
				ok = false
				return false
			}
			last = at.ck
			at.job, at.task = j, t
			ix.at[u] = at
			delete(ix.free, u)
			ix.nAlloc++
		}
		return true
	})
	return ok
}

// unindexJob frees the peers of job j's task map tm.
func (ix *cdIndex) unindexJob(tm value.Value) {
	mapOf(tm).Range(func(_, ps value.Value) bool {
		for _, p := range items(ps) {
			u := p.(value.UUID)
			at := ix.at[u]
			at.job, at.task = nil, nil
			ix.at[u] = at
			ix.free[u] = p
			ix.nAlloc--
		}
		return true
	})
}

// update moves the index from the replica it describes to r; false when r
// cannot be indexed that way (the caller then builds a new one).
func (ix *cdIndex) update(r *cdRep) bool {
	na, ns := r.mapAt(kwAllocations), r.mapAt(kwTaskSlotIDs)
	// The jobs whose allocation or slot ids are not the values indexed:
	// their peers are freed, then indexed again from r.
	var touched []value.Value
	touch := func(j, _, _ value.Value, _, _ bool) {
		if !containsValue(touched, j) {
			touched = append(touched, j)
		}
	}
	value.DiffKeys(ix.allocs, na, touch)
	value.DiffKeys(ix.slots, ns, touch)
	var redo []value.Value
	for _, j := range touched {
		if otm, ok := ix.allocs.Get(j); ok {
			ix.unindexJob(otm)
		}
		if na.Has(j) {
			redo = append(redo, j)
		}
	}
	if peers := items(r.Val(kwPeers)); !sameBackingCD(ix.peers, peers) {
		if len(peers) <= 8 {
			return false
		}
		// Commands remove peers and append them; any other change still
		// leaves the right members (a peer seen again is re-added free).
		j := 0
		for _, p := range ix.peers {
			if j < len(peers) {
				if u, ok := peers[j].(value.UUID); ok && u == p.(value.UUID) {
					j++
					continue
				}
			}
			u := p.(value.UUID)
			if ix.at[u].job != nil {
				return false // gone, yet still on a task
			}
			delete(ix.at, u)
			delete(ix.free, u)
		}
		for _, p := range peers[j:] {
			if !ix.addMember(p) {
				return false
			}
		}
		ix.peers = peers
	}
	ix.allocs, ix.slots = na, ns
	for _, j := range redo {
		if !ix.indexJob(j, na.Val(j)) {
			return false
		}
	}
	return true
}

// sortByChunkCD puts peers into hash order; false when two share a key
// (their order would depend on :peers, which the fast path does not track).
func (ix *cdIndex) sortByChunkCD(ps []value.Value) bool {
	if len(ps) < 2 {
		return true
	}
	tie := false
	slices.SortFunc(ps, func(a, b value.Value) int {
		u, w := cdUUID(a), cdUUID(b)
		x, y := ix.at[u].ck, ix.at[w].ck
		if x == y && u != w {
			tie = true
		}
		return cmp.Compare(x, y)
	})
	return !tie
}

// cdTaskPlace is one task's new peers during a fast placement.
type cdTaskPlace struct {
	job, task value.Value
	cur       value.Vector // its vector in the input
	curV      value.Value  // cur as the input holds it (boxed)
	keep      int          // cur[:keep] stays
	gone      bool         // cur is the input's without the peer rp owes the removal of
	cap       int
	filled    []value.Value
}

// placeFast is place and apply for a plan whose tasks require no tags, on
// the peers ix indexes; actual reports that the plan is the current usage
// (plannedIsActual), and then nothing is placed. simple says that no job
// has flux policies or required tags (planCD). ok is false when the general
// code must decide (unsolved or partial plans, anything the index cannot
// vouch for).
func (ix *cdIndex) placeFast(s *cdsched, rp *cdRep, plan []*cdJob, util []cdCount, simple bool) (actual, ok bool) {
	nTasks := 0
	for _, j := range plan {
		nTasks += len(j.tasks)
	}
	tps := slices.Grow(ix.tps[:0], nTasks)
	jobTM := slices.Grow(ix.jobTM[:0], len(plan))[:len(plan)]
	defer func() { ix.tps, ix.jobTM = tps[:0], jobTM[:0] }()
	sumCur, sumCap, deficit := 0, 0, 0
	actual = true
	g := &rp.gone
	goneAt := 0 // tasks that are the one g.p leaves
	for ji, j := range plan {
		if !simple {
			if !cdFastKey(j.id) || s.in(kwCDRequired, j.id).Len() != 0 {
				return false, false
			}
			for _, k := range plan[:ji] {
				if k.id == j.id {
					return false, false
				}
			}
		}
		tm, _ := s.allocs.Val(j.id).(*value.Map)
		jobTM[ji] = tm
		actual = actual && tm.Len() != 0 && tm.Len() == len(j.tasks)
		for ti, t := range j.tasks {
			if !cdFastKey(t) || slices.Contains(j.tasks[:ti], t) {
				return false, false
			}
			v, has := tm.Get(t)
			isGone := g.set && j.id == g.job && t == g.task
			if isGone {
				v = g.vecV
				goneAt++
			}
			cur, _ := v.(value.Vector)
			actual = actual && has && len(cur) == j.planned[ti]
			c := j.planned[ti]
			if j.util == 0 {
				c = 0
			} else if !simple {
				c = s.capacity(j, ti)
			}
			tp := cdTaskPlace{job: j.id, task: t, cur: cur, curV: v, keep: min(c, len(cur)), cap: c, gone: isGone}
			sumCur += len(cur)
			sumCap += c
			deficit += c - tp.keep
			tps = append(tps, tp)
		}
	}
	if sumCur != ix.nAlloc || g.set && goneAt != 1 {
		return false, false // peers on tasks the plan does not have
	}
	if actual {
		if g.set {
			rp.writeGone()
		}
		return true, true
	}
	// Free peers (and the ones above their task's capacity) fill the
	// deficits in task order: untagged peers first, each kind in UUID order.
	dropped := ix.dropped[:0]
	defer func() { ix.dropped = dropped[:0] }()
	for i := range tps {
		dropped = append(dropped, tps[i].cur[tps[i].keep:]...)
	}
	if deficit > 0 {
		type poolPeer = cdPoolPeer
		pool := slices.Grow(ix.pool[:0], len(ix.free)+len(dropped))
		defer func() { clear(pool); ix.pool = pool[:0] }()
		tags := s.r.mapAt(kwCDPeerTags)
		add := func(p value.Value) {
			xs, _ := seqOf(tags.Val(p))
			pool = append(pool, poolPeer{p, cdUUID(p), len(xs) > 0})
		}
		for _, p := range ix.free {
			add(p)
		}
		for _, p := range dropped {
			add(p)
		}
		cmp := func(a, b poolPeer) int {
			if a.tagged != b.tagged {
				if a.tagged {
					return 1
				}
				return -1
			}
			return a.u.Compare(b.u)
		}
		if deficit < 8 { // only the first deficit peers are taken: select them
			for i := 0; i < min(deficit, len(pool)); i++ {
				best := i
				for k := i + 1; k < len(pool); k++ {
					if cmp(pool[k], pool[best]) < 0 {
						best = k
					}
				}
				pool[i], pool[best] = pool[best], pool[i]
			}
		} else {
			slices.SortFunc(pool, cmp)
		}
		next := 0
		fills := slices.Grow(ix.fills[:0], min(deficit, len(pool))) // every task's filled, one after the other
		defer func() { clear(fills); ix.fills = fills[:0] }()
		for i := range tps {
			n := min(tps[i].cap-tps[i].keep, len(pool)-next)
			if n <= 0 {
				continue
			}
			for k := range n {
				fills = append(fills, pool[next+k].p)
			}
			tps[i].filled = fills[len(fills)-n : len(fills) : len(fills)]
			next += n
		}
	}
	short := false
	k := 0
	for _, j := range plan {
		_, inUtil := cdGet(util, j.id)
		for ti := range j.tasks {
			tp := &tps[k]
			k++
			got := tp.keep + len(tp.filled)
			short = short || got < tp.cap
			if inUtil && got != j.planned[ti] {
				return false, false // not a full allocation
			}
		}
	}
	if short {
		return false, false
	}
	return false, ix.applyFast(s, rp, plan, tps, jobTM, dropped)
}

// applyFast writes the placement tps into rp (whose replica is s.r) as
// apply does; false when the general code must decide.
func (ix *cdIndex) applyFast(s *cdsched, rp *cdRep, plan []*cdJob, tps []cdTaskPlace, jobTM []*value.Map, dropped []value.Value) bool {
	if !rp.Has(kwTaskSlotIDs) || (!s.f.d && !rp.Has(kwPeerState)) {
		return false
	}
	// The index moves to the new placement.
	type prevAt = cdPrevAt
	if ix.prev == nil {
		ix.prev = make(map[value.UUID]prevAt, 16)
	}
	prev := ix.prev
	defer clear(prev)
	for _, p := range dropped {
		u := cdUUID(p)
		at := ix.at[u]
		prev[u] = prevAt{at.job, at.task}
		at.job, at.task = nil, nil
		ix.at[u] = at
		ix.free[u] = p
		ix.nAlloc--
	}
	filled := ix.filled[:0]
	defer func() { ix.filled = filled[:0] }()
	for i := range tps {
		for _, p := range tps[i].filled {
			u := cdUUID(p)
			at := ix.at[u]
			at.job, at.task = tps[i].job, tps[i].task
			ix.at[u] = at
			delete(ix.free, u)
			ix.nAlloc++
			filled = append(filled, p)
		}
	}
	// :allocations: each task's peers in hash order, tasks and (up to 8)
	// jobs in the order of their first peer; unchanged maps are shared.
	type jobOut = cdJobOut
	jobs := slices.Grow(ix.jobOuts[:0], len(plan))
	type taskOut = cdTaskOut
	tasks, kvs := ix.taskOuts[:0], ix.kvs[:0] // scratch of each job in turn
	defer func() {
		clear(jobs)
		clear(tasks[:cap(tasks)])
		clear(kvs[:cap(kvs)])
		ix.jobOuts, ix.taskOuts, ix.kvs = jobs[:0], tasks[:0], kvs[:0]
	}()
	k := 0
	for ji, j := range plan {
		first := k
		k += len(j.tasks)
		changed := false
		for i := first; i < k; i++ {
			changed = changed || len(tps[i].filled) > 0 || tps[i].keep < len(tps[i].cur) || tps[i].gone
		}
		was := jobTM[ji]
		if !changed && was.Len() > 0 {
			clean := true
			ck := uint64(1<<64 - 1)
			was.Range(func(_, ps value.Value) bool {
				vec := ps.(value.Vector)
				if len(vec) == 0 {
					clean = false
					return false
				}
				ck = min(ck, ix.at[cdUUID(vec[0])].ck)
				return true
			})
			if clean {
				jobs = append(jobs, jobOut{j.id, was, ck})
				continue
			}
		}
		tasks = tasks[:0]
		for i := first; i < k; i++ {
			tp := &tps[i]
			vec, boxed := tp.cur, tp.curV
			if len(tp.filled) > 0 || tp.keep < len(tp.cur) {
				var ok bool
				vec, ok = ix.mergeByChunkCD(make(value.Vector, 0, tp.keep+len(tp.filled)), tp.cur[:tp.keep], tp.filled)
				if !ok {
					return false
				}
				boxed = vec
			}
			if len(vec) > 0 {
				tasks = append(tasks, taskOut{tp.task, boxed, ix.at[cdUUID(vec[0])].ck})
			}
		}
		if len(tasks) == 0 {
			continue
		}
		tie := false
		slices.SortFunc(tasks, func(a, b taskOut) int {
			tie = tie || a.ck == b.ck && a.task != b.task
			return cmp.Compare(a.ck, b.ck)
		})
		if tie {
			return false
		}
		kvs = kvs[:0]
		for _, t := range tasks {
			kvs = append(kvs, t.task, t.vec)
		}
		var tm *value.Map
		if len(tasks) <= 8 {
			tm = value.NewMap(kvs...)
		} else { // assoc one by one: more than 8 tasks turn hashed as Onyx's do
			tm = value.NewMap()
			for i := 0; i < len(kvs); i += 2 {
				tm = tm.Assoc(kvs[i], kvs[i+1])
			}
		}
		if value.Equal(was, tm) {
			tm = was
		}
		jobs = append(jobs, jobOut{j.id, tm, tasks[0].ck})
	}
	tie := false
	slices.SortFunc(jobs, func(a, b jobOut) int {
		tie = tie || a.ck == b.ck && a.job != b.job
		return cmp.Compare(a.ck, b.ck)
	})
	if tie {
		return false
	}
	var allocs *value.Map
	if len(jobs) > 8 && s.allocs.IsHashMap() && distinctHashesCD(jobs, func(x jobOut) value.Value { return x.job }) {
		// A hash map of keys with distinct hashes iterates in hash order
		// however it was built: assoc what changed into the input's.
		ed := &ix.edit // the assocs at once
		ed.reset(s.allocs)
		present := 0
		for _, x := range jobs {
			was, ok := s.allocs.Get(x.job)
			if ok {
				present++
			}
			if !ok || !sameMapCD(was, x.tm) {
				ed.Assoc(x.job, x.tm)
			}
		}
		allocs = ed.done()
		ed.reset(nil)
		var at *value.TransientMap
		if present != s.allocs.Len() {
			s.allocs.Range(func(j, _ value.Value) bool {
				if !slices.ContainsFunc(jobs, func(x jobOut) bool { return x.job == j }) {
					if at == nil {
						at = allocs.AsTransient()
					}
					at.Dissoc(j)
				}
				return true
			})
		}
		if at != nil {
			allocs = at.Persistent()
		}
	} else {
		allocs = value.NewMap()
		for _, x := range jobs {
			allocs = allocs.Assoc(x.job, x.tm)
		}
	}
	if allocs != s.allocs {
		rp.Set(kwAllocations, allocs)
	}
	if !s.f.d { // change-peer-state: :idle for every peer not staying on its task
		ps := rp.mapAt(kwPeerState)
		var idle []value.Value
		for _, p := range ix.free {
			if v, had := ps.Get(p); !had || v != kwIdle {
				idle = append(idle, p)
			}
		}
		for _, p := range filled {
			if v, had := ps.Get(p); !had || v != kwIdle {
				idle = append(idle, p)
			}
		}
		if len(idle) > 0 {
			if !ix.sortByChunkCD(idle) {
				return false
			}
			for _, u := range idle {
				ps = ps.Assoc(u, kwIdle)
			}
			rp.Set(kwPeerState, ps)
		}
	}
	// unassign-task-slot-ids of the peers that left their task, then
	// assign-task-slot-ids of the ones that came, in peer->task order.
	st := &ix.edit // the slots' changes, made at once
	st.reset(rp.mapAt(kwTaskSlotIDs))
	defer st.reset(nil)
	sj := &ix.slotJobs // each job's slot map changes, made at once (writeSlotJobsCD)
	sj.reset()
	defer sj.reset()
	if g := &rp.gone; len(dropped) > 0 || g.set {
		if !ix.sortByChunkCD(dropped) {
			return false
		}
		ops := slices.Grow(ix.ops[:0], len(dropped)+1)
		defer func() { clear(ops); ix.ops = ops[:0] }()
		if g.set { // the peer gone first, as its removal came first
			ops = append(ops, cdSlotOp{g.job, g.task, g.p})
		}
		for _, u := range dropped {
			pa := prev[cdUUID(u)]
			ops = append(ops, cdSlotOp{pa.job, pa.task, u})
		}
		// One peer after the other, grouped by job and task (first
		// touched first): the same maps, with each path copied once.
		groupSlotOpsCD(&ix.groups, ops, func(job value.Value, tasks [][]cdSlotOp) {
			v, has := st.Get(job)
			if !has {
				return
			}
			js := sj.of(job, v)
			for _, ops := range tasks {
				t := ops[0].task
				cur, _ := js.jm.Get(t)
				if tm, ok := cur.(*value.Map); ok {
					js.jm.Assoc(t, dissocAllCD(tm, ops))
				} else {
					js.jm.Assoc(t, nil)
				}
			}
			js.set = true
		})
	}
	if len(filled) > 0 {
		if !ix.sortByChunkCD(filled) {
			return false
		}
		ops := slices.Grow(ix.ops2[:0], len(filled))[:len(filled)]
		defer func() { clear(ops); ix.ops2 = ops[:0] }()
		for i, u := range filled {
			at := ix.at[cdUUID(u)]
			ops[i] = cdSlotOp{at.job, at.task, u}
		}
		groupSlotOpsCD(&ix.groups, ops, func(job value.Value, tasks [][]cdSlotOp) {
			js := sj.find(job)
			if js == nil {
				v, _ := st.Get(job)
				js = sj.of(job, v)
			}
			for _, ops := range tasks {
				t := ops[0].task
				cur, _ := js.jm.Get(t)
				tm, changed := assignSlotsCD(&ix.slotEdit, mapOf(cur), ops)
				if changed {
					js.jm.Assoc(t, tm)
					js.set = true
				}
			}
		})
	}
	for i := range sj.n {
		if js := &sj.jobs[i]; js.set {
			st.Assoc(js.job, js.jm.done())
		}
	}
	rp.Set(kwTaskSlotIDs, st.done())
	rp.gone = cdGone{} // written: its job's allocation and its slot id
	return true
}

// cdSlotOp is a peer's slot id to drop or give on a job's task.
type cdSlotOp struct{ job, task, peer value.Value }

// groupSlotOpsCD calls fn for each job of ops in the order jobs are first
// met, with its ops grouped by task in the order tasks are first met; within
// a task the ops keep their order. Applying the groups one after the other
// gives the maps applying ops one by one does: only a new key's place
// depends on the order, and it is the place of its first op either way.
func groupSlotOpsCD(g *cdSlotGroups, ops []cdSlotOp, fn func(job value.Value, tasks [][]cdSlotOp)) {
	done := slices.Grow(g.done[:0], len(ops))[:len(ops)]
	clear(done)
	grouped := slices.Grow(g.ops[:0], len(ops)) // ops in group order: no group moves
	tasks := g.tasks[:0]
	defer func() {
		clear(grouped)
		clear(tasks)
		g.done, g.ops, g.tasks = done[:0], grouped[:0], tasks[:0]
	}()
	for i := range ops {
		if done[i] {
			continue
		}
		job := ops[i].job
		tasks = tasks[:0]
		for k := i; k < len(ops); k++ {
			if done[k] || ops[k].job != job {
				continue
			}
			first := len(grouped)
			for m := k; m < len(ops); m++ {
				if !done[m] && ops[m].job == job && ops[m].task == ops[k].task {
					grouped = append(grouped, ops[m])
					done[m] = true
				}
			}
			tasks = append(tasks, grouped[first:len(grouped):len(grouped)])
		}
		fn(job, tasks)
	}
}

// cdSlotGroups is groupSlotOpsCD's scratch space.
type cdSlotGroups struct {
	done  []bool
	ops   []cdSlotOp
	tasks [][]cdSlotOp
}

// deallocateStarvedFast is deallocateStarvedCD on an indexed replica,
// written into rp. With a simple plan every job got its planned counts
// (placeFast checks that the allocation is full, or that the plan is the
// current usage), so these decide without reading :allocations. false when
// the general code must decide.
func (ix *cdIndex) deallocateStarvedFast(s *cdsched, rp *cdRep, plan []*cdJob, simple bool) bool {
	if simple {
		for _, j := range plan {
			m := s.jobMemo(j.id)
			if m == nil || !m.simple || len(m.minReq) != len(j.planned) {
				return ix.deallocateStarvedRead(s, rp, plan)
			}
		}
		for _, j := range plan {
			m := s.jobMemo(j.id)
			for ti, n := range j.planned {
				if float64(n) < m.minReq[ti] {
					ix.unindexJob(rp.mapAt(kwAllocations).Val(j.id))
					if removeJobRepCD(rp, s.f, j.id) != nil {
						return false
					}
					break
				}
			}
		}
		return true
	}
	return ix.deallocateStarvedRead(s, rp, plan)
}

func (ix *cdIndex) deallocateStarvedRead(s *cdsched, rp *cdRep, plan []*cdJob) bool {
	minReq := rp.mapAt(kwMinRequiredPeers)
	for _, j := range plan {
		job := j.id
		jm := mapOf(rp.mapAt(kwAllocations).Val(job))
		mr := mapOf(minReq.Val(job))
		for _, t := range s.tasks(job) {
			if float64(len(items(jm.Val(t)))) < cdNum(mr.Val(t), 1) {
				ix.unindexJob(jm)
				if removeJobRepCD(rp, s.f, job) != nil {
					return false
				}
				break
			}
		}
	}
	return true
}

// removeJobRepCD is removeJobCD written into rp; an error where removeJobCD
// would give a broken replica (a per-job key that is not a map).
func removeJobRepCD(rp *cdRep, f cdflags, job value.Value) error {
	var peers []value.Value
	mapOf(rp.mapAt(kwAllocations).Val(job)).Range(func(_, ps value.Value) bool {
		peers = append(peers, items(ps)...)
		return true
	})
	if err := rp.updateDissoc(kwAllocations, job); err != nil {
		return err
	}
	if f.d {
		if err := rp.updateDissoc(kwCoordinators, job); err != nil {
			return err
		}
	}
	if err := rp.updateDissoc(kwTaskSlotIDs, job); err != nil {
		return err
	}
	if !f.d {
		ps := rp.mapAt(kwPeerState)
		for _, p := range peers {
			ps = ps.Assoc(p, kwIdle)
		}
		rp.Set(kwPeerState, ps)
	}
	return nil
}

// fastPathCD turns the index and the plan memo off when false: the tests
// compare both ways.
var fastPathCD atomic.Bool

func init() { fastPathCD.Store(true) }

// reconfigureFastCD is reconfigureCD through the index; ok is false when the
// general code must run instead.
func reconfigureFastCD(x *cdRep, old *value.Map, f cdflags) (out *value.Map, ok bool) {
	jobs := items(x.Val(kwJobs))
	if len(jobs) == 0 || !fastPathCD.Load() {
		return nil, false
	}
	ix := takeIndexCD(x, old)
	if ix == nil {
		return nil, false
	}
	sv := cdsched{r: x, f: f, peers: items(x.Val(kwPeers)), allocs: x.mapAt(kwAllocations)}
	sv.f.stamp, sv.f.seq = false, nil // as newCDSchedRep: the rules only
	s := &sv
	p, simple, pm, err := planCD(s, jobs)
	defer lastPlanCD.Store(pm) // after the last read of p
	if err != nil {
		return nil, false
	}
	actual, ok := ix.placeFast(s, x, p.plan, p.util, simple)
	if !ok || x.gone.set {
		return nil, false
	}
	if !f.d {
		if !actual { // 0.9.x returns before choose-ackers when actual
			ix.chooseAckersRep(x, jobs)
			if !ix.deallocateStarvedFast(s, x, p.plan, simple) {
				return nil, false
			}
		}
		cur := x.done()
		ix.store(cur)
		return cur, true
	}
	if !ix.deallocateStarvedFast(s, x, p.plan, simple) {
		return nil, false
	}
	ix.assignCoordinatorsFast(x)
	addAllocationVersionsRep(x, old, &ix.edit)
	cur := x.done()
	ix.store(cur)
	return cur, true
}

// store makes ix the index of r and the one the next reconfiguration takes.
func (ix *cdIndex) store(r *value.Map) {
	ix.allocs, ix.slots = mapAt(r, kwAllocations), mapAt(r, kwTaskSlotIDs)
	lastIndexCD.Store(ix)
}

// firstFreeSlotCD is the smallest slot id not used in tm (slot → id).
func firstFreeSlotCD(tm *value.Map) int64 {
	var low uint64 // ids 0–63, the common case
	var high map[int64]bool
	tm.Range(func(_, v value.Value) bool {
		if n, ok := v.(int64); ok {
			if n >= 0 && n < 64 {
				low |= 1 << uint(n)
			} else {
				if high == nil {
					high = map[int64]bool{}
				}
				high[n] = true
			}
		}
		return true
	})
	id := int64(0)
	for id < 64 && low&(1<<uint(id)) != 0 {
		id++
	}
	for high[id] {
		id++
	}
	return id
}

// distinctHashesCD reports whether the keys of xs have distinct hasheqs.
func distinctHashesCD[T any](xs []T, key func(T) value.Value) bool {
	var buf [32]int32
	hs := buf[:0]
	if len(xs) > len(buf) {
		hs = make([]int32, 0, len(xs))
	}
	hs = hs[:len(xs)]
	for i, x := range xs {
		hs[i] = value.Hash(key(x))
	}
	slices.Sort(hs)
	for i := 1; i < len(hs); i++ {
		if hs[i] == hs[i-1] {
			return false
		}
	}
	return true
}

// peerPlaceCD is findPeerAllocation, answered by the last index when it
// describes allocs (its peers are on one task at most, so "the last place"
// is the only one).
func peerPlaceCD(allocs *value.Map, p value.Value) (job, task value.Value, ok bool) {
	if u, isU := p.(value.UUID); isU && fastPathCD.Load() {
		if ix := lastIndexCD.Swap(nil); ix != nil {
			known := ix.allocs == allocs
			at := ix.at[u]
			lastIndexCD.CompareAndSwap(nil, ix)
			if known {
				return at.job, at.task, at.job != nil
			}
		}
	}
	return findPeerAllocation(allocs, p)
}

// cdAckerParts are the replica keys choose-ackers reads besides :allocations.
var cdAckerParts = [...]value.Keyword{kwCDAckerPct, kwCDExempt, kwCDExclIn, kwCDExclOut, kwInputTasks, kwOutputTasks}

// sameRefsCD reports whether a and b hold the same references, one by one.
func sameRefsCD(a, b []value.Value) bool {
	for i := range a {
		if !value.SameRef(a[i], b[i]) || !sameKindCD(a[i], b[i]) {
			return false
		}
	}
	return true
}
