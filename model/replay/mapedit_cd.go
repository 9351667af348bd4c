package replay

import "onyx-dashboard/model/value"

// cdMapEdit is a run of assocs into one map, made when the run ends: a
// single change is one Assoc, more go through a transient. Most runs of an
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
	switch len(e.ks) {
	case 0:
		return e.base
	case 1:
		return e.base.Assoc(e.ks[0], e.vs[0])
	}
	t := e.base.AsTransient()
	for i, k := range e.ks {
		t.Assoc(k, e.vs[i])
	}
	return t.Persistent()
}
