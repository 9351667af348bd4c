package replay

import (
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
	ackers := &ix.edit // the jobs' new ackers, assoc-ed at once
	ackers.reset(mapOf(x.Val(kwAckers)))
	defer ackers.reset(nil)
	for _, job := range jobs {
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
	if us, ok := ix.uuidsCD(peers); ok { // value.Compare of UUIDs, without the boxes
		slices.SortStableFunc(idx, func(a, b int) int { return us[a].Compare(us[b]) })
	} else {
		slices.SortStableFunc(idx, func(a, b int) int { return value.Compare(peers[a], peers[b]) })
	}
	out := appendAckersCD(sc.out[:0], at, job, peers, onTask, idx)
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
