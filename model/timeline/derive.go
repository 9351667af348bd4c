package timeline

import (
	"slices"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// deriver turns each entry and the replicas around it into events. It diffs
// only the replica keys whose values are not identical (replay copies what it
// changes), so an entry that touches one peer's state costs one small diff.
// It keeps the little state anomalies need. Writer-only.
type deriver struct {
	estimated bool // the version's placement is estimated (0.8.4+)
	patience  int
	ids       *ids

	started  map[value.Value]bool // jobs that ever had peers
	idle     []since              // live jobs without peers
	prepared []since              // joiners waiting to be accepted
	doubled  map[value.Value]bool // peers reported in two allocations
	saidEst  bool                 // placement-estimated reported
	where    map[value.Value]slot // twoAllocations' scratch
	dup      map[value.Value]bool
	held     heldPeers            // anyTwice's count
	lostFrom map[value.Value]slot // allocations' scratch
	gainedTo []gained
	refBuf   []ref

	// The job views (jobview.go) of the replicas before and after the entry
	// being derived; inc says after's was made from before's, so the
	// entry's job events come from what it changed.
	prev, view *jobView
	inc        bool
	viewOf     *value.Map // see viewsFor
	fastJobs   int        // entries whose job events took the incremental path

	out []pending
}

// since is an id tracked from a position on; said once reported.
type since struct {
	id, other value.Value
	pos       int
	said      bool
}

func newDeriver(v replay.Version, patience int, ids *ids) *deriver {
	return &deriver{
		estimated: v.PlacementEstimated(), patience: patience, ids: ids,
		started: map[value.Value]bool{}, doubled: map[value.Value]bool{},
	}
}

func (d *deriver) emit(k Kind, refs ...ref) { d.out = append(d.out, pending{kind: k, refs: refs}) }

// ref interns v in role; ok is false for values that are not ids.
func (d *deriver) ref(role uint32, v value.Value) (ref, bool) {
	if !isID(v) {
		return 0, false
	}
	return mkref(role, d.ids.intern(v)), true
}

// appendRefs appends the refs of the ids among vs to out.
func (d *deriver) appendRefs(out []ref, role uint32, vs ...value.Value) []ref {
	for _, v := range vs {
		if r, ok := d.ref(role, v); ok {
			out = append(out, r)
		}
	}
	return out
}

func (d *deriver) refs(role uint32, vs ...value.Value) []ref {
	out := make([]ref, 0, len(vs))
	for _, v := range vs {
		if r, ok := d.ref(role, v); ok {
			out = append(out, r)
		}
	}
	return out
}

// derive returns the events of entry e at pos; dx is what it changed in the
// replica, flag the entry's apply error. The result is valid until the next
// call.
func (d *deriver) derive(pos int, e value.Entry, dx *entryDiff, flag error) []pending {
	d.out = d.out[:0]
	d.viewsFor(e, dx)
	if flag != nil {
		d.emit(KindFlagged)
	}
	d.members(dx, rPeers, KindPeerJoined, KindPeerLeft, rolePeer)
	d.members(dx, rGroups, KindGroupJoined, KindGroupLeft, roleGroup)
	d.joins(pos, dx)
	d.jobs(e, dx)
	d.allocations(dx)
	d.taskSets(dx, rCompletions, KindTaskCompleted)
	d.taskSets(dx, rExhausted, KindInputExhausted)
	d.taskSets(dx, rSealed, KindOutputSealed)
	d.backpressure(dx)
	d.anomalies(pos, dx)
	return d.out
}

// members reports ids added to and removed from a vector key (:peers, :groups).
func (d *deriver) members(dx *entryDiff, key rootKey, added, removed Kind, role uint32) {
	b, a := dx.vals(key)
	if value.SameRef(b, a) {
		return
	}
	was := setOf(value.Items(b))
	is := setOf(value.Items(a))
	for _, p := range value.Items(a) {
		if was.has(p) {
			continue
		}
		refs := d.refs(role, p)
		if w := invert(asMap(dx.after.Val(kPairs)), p); w != nil && role == rolePeer {
			refs = append(refs, d.refs(rolePeer, w)...)
		}
		d.emit(added, refs...)
	}
	for _, p := range value.Items(b) {
		if !is.has(p) {
			d.emit(removed, d.refs(role, p)...)
		}
	}
}

// joins reports joiners that vanished from :prepared/:accepted without
// joining, and tracks how long each joiner waits.
func (d *deriver) joins(pos int, dx *entryDiff) {
	if dx.same(rPrepared) && dx.same(rAccepted) {
		return
	}
	before, after := dx.before, dx.after
	waiting := func(r *value.Map) map[value.Value]value.Value { // joiner → watcher
		out := map[value.Value]value.Value{}
		for _, k := range []value.Keyword{kPrepared, kAccepted} {
			asMap(r.Val(k)).Range(func(w, j value.Value) bool {
				if isID(j) {
					out[j] = w
				}
				return true
			})
		}
		return out
	}
	is := waiting(after)
	joined := setOf(value.Items(after.Val(kPeers)))
	for _, k := range []value.Keyword{kPrepared, kAccepted} {
		asMap(before.Val(k)).Range(func(_, j value.Value) bool {
			if _, still := is[j]; isID(j) && !still && !joined.has(j) {
				d.emit(KindJoinAborted, d.refs(rolePeer, j)...)
			}
			return true
		})
	}
	kept := d.prepared[:0]
	for _, s := range d.prepared {
		if _, ok := is[s.id]; ok {
			kept = append(kept, s)
			delete(is, s.id)
		}
	}
	d.prepared = kept
	for _, k := range []value.Keyword{kPrepared, kAccepted} { // in replica order
		asMap(after.Val(k)).Range(func(w, j value.Value) bool {
			if _, isNew := is[j]; isNew {
				d.prepared = append(d.prepared, since{id: j, other: w, pos: pos})
				delete(is, j)
			}
			return true
		})
	}
}

var jobKeys = []value.Keyword{kJobs, kKilledJobs, kCompletedJobs, kCompletions, kTasks, kAllocations}

// viewsFor sets the job views of before and after.
//
// d.viewOf is the replica the view was last found to be of (isOf): the
// after of one entry is the before of the next, so the view need not be
// checked against before's keys again.
func (d *deriver) viewsFor(e value.Entry, dx *entryDiff) {
	bv := d.view
	of := bv != nil && shareDiffs && d.viewOf == dx.before
	if bv != nil && !of {
		of = bv.isOf(dx.beforeJob)
	}
	if !of {
		bv = newJobView(dx.before)
	}
	d.prev = bv
	d.view, d.inc = bv.next(dx.after, dx.afterJob)
	d.viewOf = nil
	if d.view == bv && d.inc { // next found bv.isOf(after)
		d.viewOf = dx.after
	}
	d.inc = d.inc && e.Fn != kGC && !fullJobPath // a gc reports what it removed: the full path
}

// fullJobPath makes every entry take the full path, for the tests that
// compare both.
var fullJobPath = false

// jobs reports submitted, completed, killed, started, resumed and starved
// jobs, and what a gc removed.
func (d *deriver) jobs(e value.Entry, dx *entryDiff) {
	if e.Fn != kGC && !dx.jobsChanged() {
		return
	}
	if !d.inc {
		d.jobsFull(e, dx.before, dx.after)
		return
	}
	bv, av := d.prev, d.view
	d.fastJobs++
	cands := av.touched(bv)
	tasks := asMap(dx.afterVal(rTasks))
	for _, j := range cands {
		if _, ok := bv.status(j); !ok {
			d.jobSubmitted(j, tasks)
		}
	}
	bal, aal := dx.vals(rAllocations)
	ballocs, aallocs := asMap(bal), asMap(aal)
	for _, j := range cands {
		s, _ := av.status(j)
		was, _ := bv.status(j)
		d.jobChange(e, j, s, was, ballocs, aallocs)
	}
}

// jobsFull is jobs from every job's status, for gcs and lists that changed
// other than by appends.
func (d *deriver) jobsFull(e value.Entry, before, after *value.Map) {
	border, bst := jobStatuses(before)
	aorder, ast := jobStatuses(after)
	for _, j := range aorder {
		if _, ok := bst[j]; !ok {
			d.jobSubmitted(j, asMap(after.Val(kTasks)))
		}
	}
	ballocs, aallocs := asMap(before.Val(kAllocations)), asMap(after.Val(kAllocations))
	for _, j := range aorder {
		d.jobChange(e, j, ast[j], bst[j], ballocs, aallocs)
	}
	if e.Fn == kGC {
		var removed []value.Value
		for _, j := range border {
			if _, ok := ast[j]; !ok {
				removed = append(removed, j)
				delete(d.started, j)
			}
		}
		d.emit(KindGC, d.refs(roleJob, removed...)...)
	}
}

// jobSubmitted reports job j submitted, with its tasks.
func (d *deriver) jobSubmitted(j value.Value, tasks *value.Map) {
	d.emit(KindJobSubmitted, append(d.refs(roleJob, j), d.refs(roleTask, value.Items(tasks.Val(j))...)...)...)
}

// jobChange reports what became of job j, of status was before and s after:
// completed, killed, started, resumed or starved.
func (d *deriver) jobChange(e value.Entry, j value.Value, s, was jobStatus, ballocs, aallocs *value.Map) {
	switch {
	case s == statusCompleted && was != statusCompleted:
		if e.Fn == kSealOutput && value.Equal(e.Arg("job"), j) { // completing drops :sealed-outputs[J]
			d.emit(KindOutputSealed, append(d.refs(roleJob, j), d.refs(roleTask, e.Arg("task"))...)...)
		}
		d.emit(KindJobCompleted, d.refs(roleJob, j)...)
	case s == statusKilled && was != statusKilled:
		d.emit(KindJobKilled, d.refs(roleJob, j)...)
	}
	if s != statusWaiting && s != statusRunning {
		return
	}
	if value.SameRef(ballocs.Val(j), aallocs.Val(j)) {
		return
	}
	nb, na := jobPeerCount(ballocs.Val(j)), jobPeerCount(aallocs.Val(j))
	switch {
	case nb == 0 && na > 0:
		k := KindJobStarted
		if d.started[j] {
			k = KindJobResumed
		}
		d.started[j] = true
		d.emit(k, append(d.refs(roleJob, j), d.refs(rolePeer, jobPeers(aallocs.Val(j))...)...)...)
	case nb > 0 && na == 0:
		d.emit(KindJobStarved, d.refs(roleJob, j)...)
	}
}

// jobPeers lists the peers of a job's allocation map in task order.
func jobPeers(alloc value.Value) []value.Value {
	var out []value.Value
	asMap(alloc).Range(func(_, ps value.Value) bool {
		out = append(out, value.Items(ps)...)
		return true
	})
	return out
}

type slot struct{ job, task value.Value }

// gained is a peer a task gained.
type gained struct {
	p value.Value
	s slot
}

// allocations reports per task the peers gained and lost, and peers that
// moved from one task to another.
func (d *deriver) allocations(dx *entryDiff) {
	bal, aal := dx.vals(rAllocations)
	b, a := asMap(bal), asMap(aal)
	if b == a {
		return
	}
	if d.estimated && !d.saidEst {
		d.saidEst = true
		d.emit(KindPlacementEstimated)
	}
	// lostFrom, gainedTo and refs are the deriver's, reused: allocating
	// them for every task that changed was a fifth of what recording
	// allocated.
	if d.lostFrom == nil {
		d.lostFrom = map[value.Value]slot{}
	}
	lostFrom, gainedTo := d.lostFrom, d.gainedTo
	// The held peers counted for b are brought up to date here from the
	// tasks that changed; tasks diffKeys leaves out hold what they held
	// (SameRef or equal lists, nil for none).
	held := shareDiffs && d.held.of != nil && d.held.of == b
	var taskEvents []pending
	dx.subKeys(kAllocations, func(c *rawChange) {
		j, bj, aj := c.k, asMap(c.va), asMap(c.vb)
		diffKeys(bj, aj, func(t value.Value) {
			bv, av := bj.Val(t), aj.Val(t)
			if held {
				d.held.add(bv, -1)
				d.held.add(av, 1)
			}
			bp, ap := value.Items(bv), value.Items(av)
			bs, as := setOf(bp), setOf(ap)
			refs := d.appendRefs(d.appendRefs(d.refBuf[:0], roleJob, j), roleTask, t)
			n := len(refs)
			for _, p := range ap {
				if !bs.has(p) {
					refs = d.appendRefs(refs, rolePeer, p)
					gainedTo = append(gainedTo, gained{p, slot{j, t}})
				}
			}
			for _, p := range bp {
				if !as.has(p) {
					if r, ok := d.ref(rolePeer, p); ok {
						refs = append(refs, r|altBit)
					}
					if isID(p) { // only ids can be told apart (and hashed)
						lostFrom[p] = slot{j, t}
					}
				}
			}
			if len(refs) > n {
				taskEvents = append(taskEvents, pending{KindTaskPeers, slices.Clone(refs)})
			}
			d.refBuf = refs[:0]
		})
	})
	d.out = append(d.out, taskEvents...)
	for _, g := range gainedTo {
		if !isID(g.p) {
			continue
		}
		if from, ok := lostFrom[g.p]; ok {
			refs := d.refs(rolePeer, g.p)
			refs = append(refs, d.refs(roleJob, from.job)...)
			refs = append(refs, d.refs(roleTask, from.task)...)
			refs = append(refs, d.refs(roleJob, g.s.job)...)
			refs = append(refs, d.refs(roleTask, g.s.task)...)
			d.emit(KindPeerMoved, refs...)
		}
	}
	clear(gainedTo) // hold no replica's values
	clear(lostFrom)
	d.gainedTo = gainedTo[:0]
	if held {
		d.held.of = a
	}
	d.twoAllocations(a)
}

// twoAllocations reports peers newly found in more than one task.
func (d *deriver) twoAllocations(allocs *value.Map) {
	if shareDiffs && len(d.doubled) == 0 && !d.anyTwice(allocs) {
		return // nothing to report, nothing to forget
	}
	if d.where == nil {
		d.where, d.dup = map[value.Value]slot{}, map[value.Value]bool{}
	}
	where, dup := d.where, d.dup // reused: allocating them was a tenth of recording
	clear(where)
	clear(dup)
	allocs.Range(func(j, tasks value.Value) bool {
		asMap(tasks).Range(func(t, ps value.Value) bool {
			for _, p := range value.Items(ps) {
				if !isID(p) {
					continue
				}
				if first, ok := where[p]; ok {
					dup[p] = true
					if !d.doubled[p] {
						d.doubled[p] = true
						refs := d.refs(rolePeer, p)
						refs = append(refs, d.refs(roleJob, first.job)...)
						refs = append(refs, d.refs(roleTask, first.task)...)
						refs = append(refs, d.refs(roleJob, j)...)
						refs = append(refs, d.refs(roleTask, t)...)
						d.emit(KindPeerInTwoAllocations, refs...)
					}
					continue
				}
				where[p] = slot{j, t}
			}
			return true
		})
		return true
	})
	for p := range d.doubled {
		if !dup[p] {
			delete(d.doubled, p)
		}
	}
}

// anyTwice reports whether a peer may be in two allocations of allocs:
// whether a UUID is held twice, or an id that is not a UUID (a test's keyword
// ids) at all. It counts the peers afresh unless allocations brought the
// count of the allocations before up to date.
func (d *deriver) anyTwice(allocs *value.Map) bool {
	if d.held.of != allocs || allocs == nil {
		d.held.count(allocs)
	}
	return d.held.twice()
}

// heldPeers counts the peers of an allocations map {job {task [peer]}}.
type heldPeers struct {
	of    *value.Map // the allocations counted
	n     map[value.UUID]int32
	over  int // UUIDs held more than once
	other int // ids held that are not UUIDs
}

func (c *heldPeers) twice() bool { return c.over > 0 || c.other > 0 }

func (c *heldPeers) count(allocs *value.Map) {
	if c.n == nil {
		c.n = map[value.UUID]int32{}
	}
	clear(c.n)
	c.over, c.other, c.of = 0, 0, allocs
	allocs.Range(func(_, tasks value.Value) bool {
		asMap(tasks).Range(func(_, ps value.Value) bool {
			c.add(ps, 1)
			return true
		})
		return true
	})
}

// add counts the peers of one task's list d times (1 or -1).
func (c *heldPeers) add(ps value.Value, d int32) {
	for _, p := range value.Items(ps) {
		u, ok := p.(value.UUID)
		if !ok {
			if isID(p) {
				c.other += int(d)
			}
			continue
		}
		was := c.n[u]
		is := was + d
		if is == 0 {
			delete(c.n, u)
		} else {
			c.n[u] = is
		}
		switch {
		case was < 2 && is >= 2:
			c.over++
		case was >= 2 && is < 2:
			c.over--
		}
	}
}

// taskSets reports tasks added to a {job → coll of task} key.
func (d *deriver) taskSets(dx *entryDiff, key rootKey, k Kind) {
	bv, av := dx.vals(key)
	b, a := asMap(bv), asMap(av)
	if b == a {
		return
	}
	dx.subKeys(rootKeys[key], func(c *rawChange) {
		j, was := c.k, setOf(value.Items(c.va))
		for _, t := range value.Items(c.vb) {
			if !was.has(t) {
				d.emit(k, append(d.refs(roleJob, j), d.refs(roleTask, t)...)...)
			}
		}
	})
}

// backpressure reports peers whose state went to or from :backpressure.
func (d *deriver) backpressure(dx *entryDiff) {
	bv, av := dx.vals(rPeerState)
	b, a := asMap(bv), asMap(av)
	if b == a {
		return
	}
	dx.subKeys(kPeerState, func(c *rawChange) {
		p, was, is := c.k, c.va == value.Value(kBackpressure), c.vb == value.Value(kBackpressure)
		switch {
		case is && !was:
			d.emit(KindBackpressureOn, d.refs(rolePeer, p)...)
		case was && !is:
			d.emit(KindBackpressureOff, d.refs(rolePeer, p)...)
		}
	})
}

// anomalies tracks live jobs without peers and joiners never accepted, and
// reports each once it has lasted d.patience entries.
func (d *deriver) anomalies(pos int, dx *entryDiff) {
	if dx.jobsChanged() {
		after := dx.after
		allocs := asMap(after.Val(kAllocations))
		kept := d.idle[:0]
		waiting := map[value.Value]bool{}
		for _, j := range value.Items(after.Val(kJobs)) {
			if isID(j) && jobPeerCount(allocs.Val(j)) == 0 {
				waiting[j] = true
			}
		}
		st := func(j value.Value) jobStatus { s, _ := d.view.status(j); return s }
		for _, s := range d.idle {
			if waiting[s.id] && st(s.id) == statusWaiting {
				kept = append(kept, s)
				delete(waiting, s.id)
			}
		}
		d.idle = kept
		for _, j := range value.Items(after.Val(kJobs)) {
			if waiting[j] && st(j) == statusWaiting {
				d.idle = append(d.idle, since{id: j, pos: pos})
				delete(waiting, j)
			}
		}
	}
	for i := range d.idle {
		if s := &d.idle[i]; !s.said && pos-s.pos >= d.patience {
			s.said = true
			d.emit(KindJobWithoutPeers, d.refs(roleJob, s.id)...)
		}
	}
	for i := range d.prepared {
		if s := &d.prepared[i]; !s.said && pos-s.pos >= d.patience {
			s.said = true
			d.emit(KindJoinNeverAccepted, append(d.refs(rolePeer, s.id), d.refs(rolePeer, s.other)...)...)
		}
	}
}

// idset is a set of ids for membership tests: the ids of a short list are
// searched in place (a task's peers, a job's tasks), a longer one's put in a
// map.
type idset struct {
	small []value.Value
	m     map[value.Value]struct{}
}

// idsetScan is the longest list an idset searches in place.
const idsetScan = 16

func setOf(xs []value.Value) idset {
	if len(xs) <= idsetScan {
		return idset{small: xs}
	}
	m := make(map[value.Value]struct{}, len(xs))
	for _, x := range xs {
		if isID(x) {
			m[x] = struct{}{}
		}
	}
	return idset{m: m}
}

// has reports whether v is an id of the list (== on ids is what a map of
// them compares).
func (s idset) has(v value.Value) bool {
	if !isID(v) {
		return false
	}
	if s.m == nil {
		for _, x := range s.small {
			if isID(x) && x == v {
				return true
			}
		}
		return false
	}
	_, ok := s.m[v]
	return ok
}
