package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The peer index of era B's reconfigure (peerIndex) carried from one
// reconfigure to the next. Indexing every allocated peer, looking each
// member up and clearing the index again was a tenth of era B's replay,
// while a command changes one or two jobs' task maps and a reconfigure's
// moves are known one by one. The carried index says which allocations map
// it indexes and, per job, which task map; bringing it to another
// allocations map re-indexes only the jobs whose task maps are not the same
// (by identity). It is carried only while every allocated peer has one
// place (findPeerAllocation's last place in map order then is that place),
// and all ids are comparable; otherwise reconfigures index afresh.

// carriedIndex is a peer index with what it indexes. Whoever holds it owns
// it: lastPeerIndexB hands it to one reconfigure at a time (Swap).
type carriedIndex struct {
	x      *peerIndex
	allocs *value.Map                 // the allocations map x indexes
	jobs   map[value.Value]*value.Map // each job's task map as indexed
}

var lastPeerIndexB atomic.Pointer[carriedIndex]

// bNoCarriedIndex makes every reconfigure index its peers afresh: tests
// compare the two ways with it. Never set outside tests.
var bNoCarriedIndex = false

// takeCarriedIndex is the carried index brought to allocs, or nil when
// there is none or it cannot be brought there (the caller indexes afresh).
func takeCarriedIndex(allocs *value.Map) *carriedIndex {
	if bNoCarriedIndex {
		return nil
	}
	c := lastPeerIndexB.Swap(nil)
	if c == nil {
		return nil
	}
	if !c.bringTo(allocs) {
		c.discard()
		return nil
	}
	return c
}

// discard gives c's maps back to the pool of indexes.
func (c *carriedIndex) discard() {
	clear(c.x.uuids)
	clear(c.x.other)
	c.x.slow = nil
	peerIndexes.Put(c.x)
}

// newCarriedIndex indexes allocs afresh into x (empty), or reports false
// when the result could not be carried: x then holds the ordinary index.
func newCarriedIndex(x *peerIndex, allocs *value.Map) (*carriedIndex, bool) {
	c := &carriedIndex{x: x, jobs: map[value.Value]*value.Map{}}
	ok := true
	allocs.Range(func(j, tasks value.Value) bool {
		if !comparableID(j) {
			ok = false
			return false
		}
		jm := mapOf(tasks)
		c.jobs[j] = jm
		ok = c.add(j, jm)
		return ok
	})
	if !ok {
		return nil, false
	}
	c.allocs = allocs
	return c, true
}

// add indexes the peers of job's task map; false when a peer is already
// indexed or an id is not comparable.
func (c *carriedIndex) add(job value.Value, jm *value.Map) bool {
	ok := true
	jm.Range(func(t, ps value.Value) bool {
		if !comparableID(t) {
			ok = false
			return false
		}
		for _, p := range items(ps) {
			if !c.put(p, bTaskKey{job, t}) {
				ok = false
				return false
			}
		}
		return true
	})
	return ok
}

// put indexes p at k; false when p is indexed already or not comparable.
func (c *carriedIndex) put(p value.Value, k bTaskKey) bool {
	if u, isUUID := p.(value.UUID); isUUID {
		if _, dup := c.x.uuids[u]; dup {
			return false
		}
		c.x.uuids[u] = k
	} else {
		if !comparableID(p) {
			return false
		}
		if _, dup := c.x.other[p]; dup {
			return false
		}
		c.x.other[p] = k
	}
	return true
}

// drop forgets the peers of job's task map as indexed.
func (c *carriedIndex) drop(job value.Value, jm *value.Map) {
	jm.Range(func(t, ps value.Value) bool {
		for _, p := range items(ps) {
			if u, isUUID := p.(value.UUID); isUUID {
				if k, ok := c.x.uuids[u]; ok && k == (bTaskKey{job, t}) {
					delete(c.x.uuids, u)
				}
			} else if k, ok := c.x.other[p]; ok && k == (bTaskKey{job, t}) {
				delete(c.x.other, p)
			}
		}
		return true
	})
}

// bringTo makes c index allocs: the jobs whose task maps changed are
// dropped and added again, the jobs gone are dropped. False when the result
// could not be carried (c is then unusable).
func (c *carriedIndex) bringTo(allocs *value.Map) bool {
	if c.allocs == allocs {
		return true
	}
	var buf [16]value.Value
	changedJobs := buf[:0]
	seen, ok := 0, true
	allocs.Range(func(j, tasks value.Value) bool {
		if !comparableID(j) {
			ok = false
			return false
		}
		old, had := c.jobs[j]
		if had {
			seen++
		}
		if !had || old != mapOf(tasks) {
			changedJobs = append(changedJobs, j)
		}
		return true
	})
	if !ok {
		return false
	}
	if seen != len(c.jobs) { // some jobs are gone
		for j, jm := range c.jobs {
			if !allocs.Has(j) {
				c.drop(j, jm)
				delete(c.jobs, j)
			}
		}
	}
	for _, j := range changedJobs {
		if old, had := c.jobs[j]; had {
			c.drop(j, old)
		}
	}
	for _, j := range changedJobs {
		jm := mapOf(allocs.Val(j))
		c.jobs[j] = jm
		if !c.add(j, jm) {
			return false
		}
	}
	c.allocs = allocs
	return true
}

// moved brings c to out, the allocations the fast placing wrote from the
// ones c indexes by the moves: each moved peer's new place, each changed
// job's new task map.
func (c *carriedIndex) moved(moves []fastMove, changed []taskVec, out *value.Map) {
	for _, m := range moves {
		if u, isUUID := m.peer.(value.UUID); isUUID {
			c.x.uuids[u] = m.at
		} else {
			c.x.other[m.peer] = m.at
		}
	}
	for i, ch := range changed {
		if firstOfJob(changed, i) {
			c.jobs[ch.k.job] = mapOf(out.Val(ch.k.job))
		}
	}
	c.allocs = out
}

// bFindPeer is findPeerAllocation through the carried peer index when there
// is one and it can be brought to allocs: a lookup instead of a scan of
// every allocated peer (signal-ready and leave-cluster ask it of one peer).
// Where the index is carried every allocated peer is a comparable id with
// one place, so a comparable p is = only to itself there.
func bFindPeer(allocs *value.Map, p value.Value) (job, task value.Value, ok bool) {
	if comparableID(p) {
		if c := takeCarriedIndex(allocs); c != nil {
			k, found := c.x.place(p)
			lastPeerIndexB.Store(c)
			return k.job, k.task, found
		}
	}
	return findPeerAllocation(allocs, p)
}
