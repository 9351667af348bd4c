package replay

import "onyx-dashboard/model/value"

// Writing the fast reallocation (reallocate_b.go) into the replica: each
// changed map written once, its keys in the order the moves first touch
// them.

// write puts the moves into the replica as bsched.place and bsched.write do,
// each changed map written once, its keys in first-touch order.
func (p *fastPlacing) write() (*value.Map, error) {
	s := p.s
	if len(p.moves) == 0 {
		return s.r, nil
	}
	st := kwBWarmingUp
	if s.f.v07 {
		st = kwIdle
	}
	states := mapOf(s.r.Val(kwPeerState)).AsTransient()
	x := s.scratch()
	slotMaps := x.slots[:0] // in first-touch order
	defer func() { x.slots = slotMaps }()
	slotMap := func(k bTaskKey) (*value.Map, error) {
		for _, c := range slotMaps {
			if c.k == k {
				return c.m, nil
			}
		}
		v := mapOf(p.slots.Val(k.job)).Val(k.task)
		m, ok := v.(*value.Map)
		if !ok && v != nil {
			return nil, errSlowB
		}
		return m, nil
	}
	setSlotMap := func(k bTaskKey, m *value.Map) {
		for i := range slotMaps {
			if slotMaps[i].k == k {
				slotMaps[i].m = m
				return
			}
		}
		slotMaps = append(slotMaps, taskSlots{k, m})
	}
	if !p.eager {
		p.sites = mapOf(s.r.Val(kwPeerSites))
	}
	for _, m := range p.moves {
		if m.left && s.f.v074 {
			slots, err := slotMap(m.from)
			if err != nil {
				return nil, err
			}
			if slots.Val(m.peer) != nil {
				setSlotMap(m.from, slots.Dissoc(m.peer))
			}
		}
		states.Assoc(m.peer, st)
		if s.f.v08 && !p.eager {
			if err := p.placeSite(m.peer, m.at.task, p.sites); err != nil {
				return nil, err
			}
		}
		if s.f.v074 {
			slots, err := slotMap(m.at)
			if err != nil {
				return nil, err
			}
			setSlotMap(m.at, slots.Assoc(m.peer, firstFreeSlot(slots)))
		}
	}
	r := s.r.AsTransient()
	r.Assoc(kwPeerState, states.Persistent())
	if s.f.v08 {
		r.Assoc(kwPeerSites, p.sites)
	}
	allocs := p.allocs.AsTransient()
	for i, c := range p.changed {
		if firstOfJob(p.changed, i) {
			jm := assocTasks(mapOf(allocs.Val(c.k.job)), p.changed[i:], c.k.job)
			allocs.Assoc(c.k.job, jm)
		}
	}
	r.Assoc(kwAllocations, allocs.Persistent())
	if s.f.v074 {
		slots := p.slots.AsTransient()
		for i, c := range slotMaps {
			if firstOfJob(slotMaps, i) {
				slots.Assoc(c.k.job, assocTasks(mapOf(slots.Val(c.k.job)), slotMaps[i:], c.k.job))
			}
		}
		r.Assoc(kwTaskSlotIDs, slots.Persistent())
	}
	return r.Persistent(), nil
}

// taskSlots is a changed slot map.
type taskSlots struct {
	k bTaskKey
	m *value.Map
}

// keyed is a changed task vector or slot map.
type keyed interface {
	key() bTaskKey
	val() value.Value
}

func (c taskVec) key() bTaskKey      { return c.k }
func (c taskSlots) key() bTaskKey    { return c.k }
func (c taskVec) val() value.Value   { return value.Vector(c.v) }
func (c taskSlots) val() value.Value { return c.m }

// assocTasks is jm with the task of each of xs that is job's assoc-ed to its
// value, in order: one assoc as it is, more through a transient (the same
// map, without a copy of jm for each).
func assocTasks[T keyed](jm *value.Map, xs []T, job value.Value) *value.Map {
	n := 0
	for _, x := range xs {
		if x.key().job == job {
			n++
		}
	}
	if n <= 1 {
		for _, x := range xs {
			if x.key().job == job {
				jm = jm.Assoc(x.key().task, x.val())
			}
		}
		return jm
	}
	t := jm.AsTransient()
	for _, x := range xs {
		if x.key().job == job {
			t.Assoc(x.key().task, x.val())
		}
	}
	return t.Persistent()
}

// firstOfJob reports whether xs[i] is the first of its job: the jobs are
// written in first-touch order, each with its tasks in first-touch order.
func firstOfJob[T keyed](xs []T, i int) bool {
	job := xs[i].key().job
	for _, x := range xs[:i] {
		if x.key().job == job {
			return false
		}
	}
	return true
}
