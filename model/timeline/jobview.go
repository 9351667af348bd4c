package timeline

import (
	"cmp"
	"slices"

	"onyx-dashboard/model/value"
)

// jobView is what jobStatuses says of a replica, kept from entry to entry
// so that an entry costs what it changed, not what the cluster ever ran.
// Onyx keeps every completed and killed job in :completed-jobs and
// :killed-jobs until a gc (0.9+ logs often have none), and jobStatuses
// walks them all: computed for every entry that touched a job key, that made
// loading a 1M-entry 0.14.6 log quadratic (20,000 entries took 22 s, 75 %
// of it there).
//
// The live part (:jobs, a handful) is computed again for each replica; the
// completed and killed lists are kept as prefixes of append-only logs shared
// from view to view, since replay only ever appends to them between gcs. A
// change that is not an append (a gc, a list rewritten) makes a view from
// scratch, and the callers then take the full path (jobStatuses).
// Writer-only, like the deriver that holds it.
type jobView struct {
	src          []value.Value             // the replica's job keys it was made from, in jobKeys order
	live         []value.Value             // ids in :jobs, first occurrences, in order
	liveSt       map[value.Value]jobStatus // their status from :jobs alone
	comp         termPrefix                // :completed-jobs
	kill         termPrefix                // :killed-jobs
	compOnly     int                       // ids in comp and not in kill
	tailC, tailK []value.Value             // ids this view's lists added to its predecessor's
}

// termLog is the distinct ids of a terminal job list in order of first
// appearance; views see prefixes of it.
type termLog struct {
	items []value.Value
	at    map[value.Value]int
}

type termPrefix struct {
	log  *termLog
	n    int         // the view sees log.items[:n]
	list value.Value // the replica's list it stands for
}

func (p termPrefix) has(j value.Value) bool {
	i, ok := p.log.at[j]
	return ok && i < p.n
}

// add appends j to the log if it is a new id; it reports whether it was.
func (p *termPrefix) add(j value.Value) bool {
	if !isID(j) {
		return false
	}
	if _, ok := p.log.at[j]; ok {
		return false
	}
	p.log.at[j] = len(p.log.items)
	p.log.items = append(p.log.items, j)
	p.n = len(p.log.items)
	return true
}

func newTermPrefix(list value.Value) termPrefix {
	p := termPrefix{log: &termLog{at: map[value.Value]int{}}, list: list}
	for _, j := range value.Items(list) {
		p.add(j)
	}
	return p
}

// extend is p for list, which must be p's list with items appended; ok is
// false when it is not, or when the log already grew past p (another view
// extended it), and the caller must start from scratch.
func (p termPrefix) extend(list value.Value) (next termPrefix, tail []value.Value, ok bool) {
	if value.SameRef(list, p.list) {
		return p, nil, true
	}
	old, items := value.Items(p.list), value.Items(list)
	if p.n != len(p.log.items) || !hasPrefix(items, old) {
		return p, nil, false
	}
	next = p
	next.list = list
	for _, j := range items[len(old):] {
		if next.add(j) {
			tail = append(tail, j)
		}
	}
	return next, tail, true
}

// setLive computes the live part of r, as jobStatuses' first loop does.
func (v *jobView) setLive(r *value.Map) {
	allocs := asMap(r.Val(kAllocations))
	tasks := asMap(r.Val(kTasks))
	completions := asMap(r.Val(kCompletions))
	v.live, v.liveSt = nil, map[value.Value]jobStatus{}
	for _, j := range value.Items(r.Val(kJobs)) {
		if !isID(j) {
			continue
		}
		s := statusWaiting
		if jobPeerCount(allocs.Val(j)) > 0 {
			s = statusRunning
		}
		if c := value.Items(completions.Val(j)); len(c) > 0 && len(c) >= len(value.Items(tasks.Val(j))) {
			s = statusCompleted // era A keeps finished jobs in :jobs until gc
		}
		if _, seen := v.liveSt[j]; !seen {
			v.live = append(v.live, j)
		}
		v.liveSt[j] = s
	}
	v.src = make([]value.Value, len(jobKeys))
	for i, k := range jobKeys {
		v.src[i] = r.Val(k)
	}
}

// newJobView makes the view of r from scratch.
func newJobView(r *value.Map) *jobView {
	v := &jobView{comp: newTermPrefix(r.Val(kCompletedJobs)), kill: newTermPrefix(r.Val(kKilledJobs))}
	v.setLive(r)
	for _, j := range v.comp.log.items {
		if !v.kill.has(j) {
			v.compOnly++
		}
	}
	return v
}

// isOf reports whether v was made from the job keys of the replica whose
// value of jobKeys[i] is val(i).
func (v *jobView) isOf(val func(i int) value.Value) bool {
	for i := range jobKeys {
		if !value.SameRef(v.src[i], val(i)) {
			return false
		}
	}
	return true
}

// next is the view of r, the replica after the one v is of, whose keys val
// reads; incremental reports whether it was made from v (else from scratch).
func (v *jobView) next(r *value.Map, val func(i int) value.Value) (out *jobView, incremental bool) {
	if v.isOf(val) {
		return v, true
	}
	comp, tailC, okC := v.comp.extend(r.Val(kCompletedJobs))
	kill, tailK, okK := v.kill.extend(r.Val(kKilledJobs))
	if !okC || !okK {
		return newJobView(r), false
	}
	out = &jobView{comp: comp, kill: kill, compOnly: v.compOnly, tailC: tailC, tailK: tailK}
	out.setLive(r)
	for _, j := range tailC {
		if !kill.has(j) {
			out.compOnly++
		}
	}
	for _, j := range tailK {
		if v.comp.has(j) && !v.kill.has(j) {
			out.compOnly-- // was counted as completed before
		}
	}
	return out, true
}

// status is jobStatuses(r)[j]: ok is false for a job r does not know.
func (v *jobView) status(j value.Value) (jobStatus, bool) {
	switch {
	case !isID(j): // not a map key jobStatuses would have (nor a comparable one)
		return statusNone, false
	case v.kill.has(j):
		return statusKilled, true
	case v.comp.has(j):
		return statusCompleted, true
	}
	s, ok := v.liveSt[j]
	return s, ok
}

// orderKey is where jobStatuses' order puts j: :jobs first, then the jobs
// only :completed-jobs lists, then those only :killed-jobs lists.
func (v *jobView) orderKey(j value.Value, livePos map[value.Value]int) (int, int) {
	if i, ok := livePos[j]; ok {
		return 0, i
	}
	if v.comp.has(j) {
		return 1, v.comp.log.at[j]
	}
	return 2, v.kill.log.at[j]
}

// touched lists, in jobStatuses' order, the jobs of v whose status may
// differ from prev's: every live job of either, and the ids the lists
// added. prev is the view v was made from by next.
func (v *jobView) touched(prev *jobView) []value.Value {
	livePos := make(map[value.Value]int, len(v.live))
	for i, j := range v.live {
		livePos[j] = i
	}
	seen := map[value.Value]bool{}
	var out []value.Value
	for _, list := range [][]value.Value{v.live, prev.live, v.tailC, v.tailK} {
		for _, j := range list {
			if _, ok := v.status(j); ok && !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
	}
	slices.SortFunc(out, func(a, b value.Value) int {
		sa, ia := v.orderKey(a, livePos)
		sb, ib := v.orderKey(b, livePos)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ia, ib))
	})
	return out
}

// counts is how many jobs v knows by status.
func (v *jobView) counts() (waiting, running, completed, killed int) {
	completed, killed = v.compOnly, v.kill.n
	for _, j := range v.live {
		if v.comp.has(j) || v.kill.has(j) {
			continue
		}
		switch v.liveSt[j] {
		case statusWaiting:
			waiting++
		case statusRunning:
			running++
		case statusCompleted:
			completed++
		}
	}
	return waiting, running, completed, killed
}
