package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// A vpeer leaving its task (leave-cluster) changed :allocations and
// :task-slot-ids, and the reconfiguration that follows at once changed
// them again for the same job, as a free peer takes the place: every map on
// both paths was copied twice. leavePeerRepCD leaves that removal to the
// reconfiguration instead (cdGone): the fast placement reads the task's
// vector without the peer, writes the job's allocation once and drops the
// peer's slot id with the others it drops; any other way (the general code,
// a plan equal to the usage) writes the removal first, as it was.

// deferLeaveCD turns the deferred removal off when false: the tests compare
// both ways.
var deferLeaveCD atomic.Bool

func init() { deferLeaveCD.Store(true) }

// cdGone is a peer's removal from its task, owed by a cdRep: job's task
// vector without p is vec (boxed as vecV), and p has a slot id there.
type cdGone struct {
	set          bool
	p, job, task value.Value
	vecV         value.Value
}

// leavePeerRepCD is removePeerRepCD for a peer that leaves, owing the
// removal when the fast placement can take it over.
func leavePeerRepCD(x *cdRep, f cdflags, p value.Value) {
	allocs := x.mapAt(kwAllocations)
	if !fastPathCD.Load() || !deferLeaveCD.Load() || !x.base.IsHashMap() || !allocs.IsHashMap() {
		removePeerRepCD(x, f, p)
		return
	}
	job, task, ok := peerPlaceCD(allocs, p)
	if !ok || job == nil || task == nil {
		return
	}
	vec, isVec := mapOf(allocs.Val(job)).Val(task).(value.Vector)
	slots, ok1 := x.Val(kwTaskSlotIDs).(*value.Map)
	jslots, ok2 := slots.Val(job).(*value.Map)
	tslots, ok3 := jslots.Val(task).(*value.Map)
	if !isVec || !ok1 || !ok2 || !ok3 || tslots.Val(p) == nil || !cdFastKey(job) || !cdFastKey(task) {
		removePeerRepCD(x, f, p)
		return
	}
	if f.d {
		coords := x.mapAt(kwCoordinators)
		if n := coords.Dissoc(invertGet(coords, p)); n != coords || !x.Has(kwCoordinators) {
			x.Set(kwCoordinators, n)
		}
	}
	x.gone = cdGone{set: true, p: p, job: job, task: task, vecV: removeValue(vec, p)}
}

// writeGone writes the removal x owes, as removePeerRepCD does.
func (x *cdRep) writeGone() {
	g := x.gone
	x.gone = cdGone{}
	allocs := x.mapAt(kwAllocations)
	jm := mapOf(allocs.Val(g.job))
	x.Set(kwAllocations, allocs.Assoc(g.job, jm.Assoc(g.task, g.vecV)))
	slots := x.mapAt(kwTaskSlotIDs)
	jslots := mapOf(slots.Val(g.job))
	x.Set(kwTaskSlotIDs, slots.Assoc(g.job, jslots.Assoc(g.task, mapOf(jslots.Val(g.task)).Dissoc(g.p))))
}

// forget takes the peer r owes the removal of off its task in the index
// (which describes the replica before the command); false when the index
// does not have it there.
func (ix *cdIndex) forget(r *cdRep) bool {
	g := &r.gone
	if !g.set {
		return true
	}
	u, ok := g.p.(value.UUID)
	if !ok {
		return false
	}
	at, member := ix.at[u]
	if !member || at.job != g.job || at.task != g.task {
		return false
	}
	at.job, at.task = nil, nil
	ix.at[u] = at
	ix.nAlloc--
	return true
}
