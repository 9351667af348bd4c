package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// Era C's choose-ackers runs after every placement for every job, and a
// job's ackers rarely change: the fewest UUIDs of its peers. The index keeps
// the ackers each job last got with the task map and settings they came
// from, and chooses again in scratch space, allocating a vector only for
// ackers that differ from the ones the replica holds.

// cdAckers is the ackers chosen for a job from task map tm, and the job's
// entries of cdAckerParts they were chosen with.
type cdAckers struct {
	tm    *value.Map
	out   value.Value
	parts [len(cdAckerParts)]value.Value
}

// cdAckerScratch is the scratch space of ackersOfJobFast.
type cdAckerScratch struct {
	peers, onTask, out []value.Value
	idx                []int
	uuids              []value.UUID
}

// cdAckCarry is what the index's last choose-ackers read and wrote: for
// every job of jobs, out (the :ackers it left) holds ackers equal to the
// ones chosen from allocs and maps. A choice over the same jobs, maps and
// :ackers then needs to look again only at the jobs whose allocation is not
// the one in allocs.
type cdAckCarry struct {
	jobs   []value.Value
	maps   [len(cdAckerParts)]*value.Map
	allocs *value.Map
	out    *value.Map
}

// chooseAckersRep is chooseAckersCD written into x.
func (ix *cdIndex) chooseAckersRep(x *cdRep, jobs []value.Value) {
	if ix.ackers == nil || len(ix.ackers) > 256 {
		ix.ackers = make(map[value.Value]cdAckers, 16)
	}
	var maps [len(cdAckerParts)]*value.Map
	for i, k := range cdAckerParts {
		maps[i] = x.mapAt(k)
	}
	allocs := x.mapAt(kwAllocations)
	in, _ := x.Val(kwAckers).(*value.Map)
	c := &ix.ackCarry
	carry := in != nil && c.out == in && c.maps == maps && sameBackingCD(c.jobs, jobs)
	var buf [8]value.Value
	moved := buf[:0] // with carry, the jobs whose allocation changed
	if carry {
		value.DiffKeys(c.allocs, allocs, func(job, _, _ value.Value, _, _ bool) { moved = append(moved, job) })
	}
	ackers := &ix.edit // the jobs' new ackers, assoc-ed at once
	ackers.reset(mapOf(x.Val(kwAckers)))
	defer ackers.reset(nil)
	defer func() { // what the next choice may carry over
		*c = cdAckCarry{jobs: jobs, maps: maps, allocs: allocs, out: x.mapAt(kwAckers)}
	}()
	for _, job := range jobs {
		if carry && !containsValue(moved, job) {
			continue // the ackers out holds, chosen from the same allocation
		}
		tasks := allocs.Val(job)
		was, had := ackers.Get(job)
		var out value.Value
		if tm, ok := tasks.(*value.Map); !ok || tm == nil || !cdFastKey(job) {
			out = ix.ackersOfJobFast(x.mapAt, job, tasks, was, had)
		} else {
			var parts [len(cdAckerParts)]value.Value
			for i, m := range maps {
				parts[i] = m.Val(job)
			}
			if a, ok := ix.ackers[job]; ok && a.tm == tm && sameRefsCD(a.parts[:], parts[:]) {
				out = a.out
			} else {
				out = ix.ackersOfJobFast(x.mapAt, job, tasks, was, had)
				if _, isVec := out.(value.Vector); isVec { // what ackersOfJobCD gives
					ix.ackers[job] = cdAckers{tm, out, parts}
				}
			}
		}
		if had && (value.SameRef(was, out) && sameKindCD(was, out) || value.Equal(was, out)) {
			continue // the same ackers: assoc would change nothing
		}
		ackers.Assoc(job, out)
	}
	if x.Has(kwAckers) && len(ackers.ks) == 0 {
		return
	}
	x.Set(kwAckers, ackers.done())
}

// ackersOfJobFast is ackersOfJobAt in ix's scratch space: was itself when
// had and was is equal to the ackers chosen, else a new vector.
func (ix *cdIndex) ackersOfJobFast(at func(value.Keyword) *value.Map, job, tasks, was value.Value, had bool) value.Value {
	sc := &ix.ack
	peers, onTask := sc.peers[:0], sc.onTask[:0]
	defer func() {
		clear(peers)
		clear(onTask)
		sc.peers, sc.onTask = peers[:0], onTask[:0]
	}()
	mapOf(tasks).Range(func(t, ps value.Value) bool {
		for _, p := range items(ps) {
			peers = append(peers, p)
			onTask = append(onTask, t)
		}
		return true
	})
	idx := slices.Grow(sc.idx[:0], len(peers))[:len(peers)]
	sc.idx = idx[:0]
	for i := range idx {
		idx[i] = i
	}
	var out value.Vector
	if us, ok := ix.uuidsCD(peers); ok { // value.Compare of UUIDs, without the boxes
		if n := ackerCountCD(at, job, len(peers)); n > 0 && n <= 4 {
			out = selectAckersCD(sc.out[:0], at, job, peers, onTask, us, n)
		} else {
			slices.SortStableFunc(idx, func(a, b int) int { return us[a].Compare(us[b]) })
			out = appendAckersCD(sc.out[:0], at, job, peers, onTask, idx)
		}
	} else {
		slices.SortStableFunc(idx, func(a, b int) int { return value.Compare(peers[a], peers[b]) })
		out = appendAckersCD(sc.out[:0], at, job, peers, onTask, idx)
	}
	defer func() {
		clear(out)
		sc.out = out[:0]
	}()
	if had && equalSeqCD(was, out) {
		return was
	}
	return append(make(value.Vector, 0, len(out)), out...)
}

// uuidsCD is peers as UUIDs in ix's scratch space; false when one is not.
func (ix *cdIndex) uuidsCD(peers []value.Value) ([]value.UUID, bool) {
	us := slices.Grow(ix.ack.uuids[:0], len(peers))
	for _, p := range peers {
		u, ok := p.(value.UUID)
		if !ok {
			return nil, false
		}
		us = append(us, u)
	}
	ix.ack.uuids = us[:0]
	return us, true
}

// equalSeqCD is (= was out) for a vector out.
func equalSeqCD(was value.Value, out []value.Value) bool {
	var xs []value.Value
	switch w := was.(type) {
	case value.Vector:
		xs = w
	case value.List:
		xs = w
	default:
		return false
	}
	if len(xs) != len(out) {
		return false
	}
	for i := range xs {
		if !value.Equal(xs[i], out[i]) {
			return false
		}
	}
	return true
}

// ackerCountCD is how many ackers appendAckersCD takes at most for a job of
// n peers: :acker-percentage of them, rounded up.
func ackerCountCD(at func(value.Keyword) *value.Map, job value.Value, n int) int {
	pct := cdNum(at(kwCDAckerPct).Val(job), 10)
	return int(math.Ceil(0.01 * pct * float64(n)))
}

// selectAckersCD is appendAckersCD over peers in UUID order (us holds them
// unboxed) without sorting them: the n ackers, fewer than a sort is worth,
// are picked one after the other as the smallest peer not yet taken and
// not on an exempt task, the first of equal ones as a stable sort puts it.
func selectAckersCD(out value.Vector, at func(value.Keyword) *value.Map, job value.Value, peers, onTask []value.Value, us []value.UUID, n int) value.Vector {
	ex := exemptTasksCD(at, job)
	var takenBuf [64]bool
	taken := takenBuf[:0]
	if len(peers) > len(takenBuf) {
		taken = make([]bool, 0, len(peers))
	}
	taken = taken[:len(peers)]
	for i := range peers {
		taken[i] = ex(onTask[i]) // an exempt peer is never taken
	}
	for len(out) < n {
		best := -1
		for i := range us {
			if !taken[i] && (best < 0 || us[i].Compare(us[best]) < 0) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		taken[best] = true
		out = append(out, peers[best])
	}
	return out
}
