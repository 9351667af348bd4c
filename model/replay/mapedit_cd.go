package replay

import "onyx-dashboard/model/value"

// cdMapEdit is a run of assocs into one map, made when the run ends: a
// single change (or a few into an array map) is made with Assoc, more go
// through a transient. Most runs of an
// era C/D reconfiguration change one key (one job's allocation, slot ids or
// allocation version), and a transient for one change costs an allocation
// that Assoc does not make. The result is the map the same assocs made one
// by one give: a transient promises that.
type cdMapEdit struct {
	base *value.Map
	ks   []value.Value // keys in the order first set; vs their values
	vs   []value.Value
}

// reset starts a run over m, keeping the edit's memory.
func (e *cdMapEdit) reset(m *value.Map) {
	clear(e.ks)
	clear(e.vs)
	e.base, e.ks, e.vs = m, e.ks[:0], e.vs[:0]
}

// find is the position of k among the keys set, -1 when not set.
func (e *cdMapEdit) find(k value.Value) int {
	for i, x := range e.ks {
		if x == k || value.Equal(x, k) {
			return i
		}
	}
	return -1
}

// Get is the value of k after the assocs so far.
func (e *cdMapEdit) Get(k value.Value) (value.Value, bool) {
	if i := e.find(k); i >= 0 {
		return e.vs[i], true
	}
	return e.base.Get(k)
}

// Assoc sets k to v.
func (e *cdMapEdit) Assoc(k, v value.Value) {
	if i := e.find(k); i >= 0 {
		e.vs[i] = v
		return
	}
	e.ks = append(e.ks, k)
	e.vs = append(e.vs, v)
}

// done is the map with every assoc made. Setting a key again keeps the
// place its first assoc gave it, in an array map as in a hash map, so the
// last value of each key, assoc-ed in the order keys were first set, gives
// the map of all the assocs.
func (e *cdMapEdit) done() *value.Map {
	switch n := len(e.ks); {
	case n == 0:
		return e.base
	case n == 1 || n <= 3 && !e.base.IsHashMap():
		// an array map copies its few entries per assoc: less than a
		// transient's own copy and header
		m := e.base
		for i, k := range e.ks {
			m = m.Assoc(k, e.vs[i])
		}
		return m
	}
	t := e.base.AsTransient()
	for i, k := range e.ks {
		t.Assoc(k, e.vs[i])
	}
	return t.Persistent()
}

// cdSlotJobs are the jobs whose :task-slot-ids map a placement changes, in
// the order first changed, each with its task → slot map changes: applyFast
// drops slot ids, then gives them, and a job's map written once for both is
// the map written twice (cdMapEdit).
type cdSlotJobs struct {
	jobs []cdSlotJob
	n    int
}

// cdSlotJob is one job of cdSlotJobs; set says that the job's map is
// written (else its run of changes only read it).
type cdSlotJob struct {
	job value.Value
	jm  cdMapEdit
	set bool
}

// reset empties js, keeping its memory.
func (js *cdSlotJobs) reset() {
	for i := range js.n {
		j := &js.jobs[i]
		j.jm.reset(nil)
		j.job, j.set = nil, false
	}
	js.n = 0
}

// find is job's entry, nil when it has none.
func (js *cdSlotJobs) find(job value.Value) *cdSlotJob {
	for i := range js.n {
		if j := &js.jobs[i]; j.job == job || value.Equal(j.job, job) {
			return j
		}
	}
	return nil
}

// of is job's entry, a new one over job's map v when it has none. The
// pointer holds until the next call.
func (js *cdSlotJobs) of(job, v value.Value) *cdSlotJob {
	if j := js.find(job); j != nil {
		return j
	}
	if js.n == len(js.jobs) {
		js.jobs = append(js.jobs, cdSlotJob{})
	}
	j := &js.jobs[js.n]
	js.n++
	j.job = job
	j.jm.reset(mapOf(v))
	return j
}
