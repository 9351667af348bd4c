package replay

import "onyx-dashboard/model/value"

// cdCoordCarry is what the index's last assign-coordinators read and wrote:
// every job of allocs has in out a coordinator that assignCoordinators
// keeps (one of its peers, or nil for a job without peers). Whether it
// keeps it depends on the job's task map alone, so while :coordinators is
// still out, only the jobs whose task map is not the one in allocs need
// looking at again.
type cdCoordCarry struct {
	allocs, out *value.Map
}

// assignCoordinatorsFast is assignCoordinators with membership from ix.
func (ix *cdIndex) assignCoordinatorsFast(rp *cdRep) {
	coords := rp.mapAt(kwCoordinators)
	allocs := rp.mapAt(kwAllocations)
	cc := &ix.coCarry
	carry := coords != nil && coords == cc.out && rp.Has(kwCoordinators)
	var buf [8]value.Value
	moved := buf[:0] // with carry, the jobs whose task map changed
	if carry {
		value.DiffKeys(cc.allocs, allocs, func(job, _, _ value.Value, _, inB bool) {
			if inB {
				moved = append(moved, job)
			}
		})
	}
	changed := false
	allocs.Range(func(job, tasks value.Value) bool {
		if carry && !containsValue(moved, job) {
			return true
		}
		c, has := coords.Get(job)
		if u, ok := c.(value.UUID); ok {
			if at, member := ix.at[u]; member && at.job == job {
				return true
			}
		}
		var best value.Value
		mapOf(tasks).Range(func(_, ps value.Value) bool {
			for _, p := range items(ps) {
				if best == nil || value.Compare(p, best) < 0 {
					best = p
				}
			}
			return true
		})
		if has && value.Equal(c, best) {
			return true
		}
		coords = coords.Assoc(job, best)
		changed = true
		return true
	})
	if changed {
		rp.Set(kwCoordinators, coords)
	}
	*cc = cdCoordCarry{allocs: allocs, out: rp.mapAt(kwCoordinators)}
}
