package timeline

import (
	"slices"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// simApply is a stand-in for replay.Apply while the real Era B commands are
// being written: a simplified 0.8.3 (prepare/notify/accept/abort/leave with
// Onyx's watcher choice, submit/kill/signal-ready/exhaust/seal/backpressure/
// gc, and a balanced reconfigure that keeps peers in place where it can). It
// copies only what it changes, as replay does, so the timeline's identity
// short-cuts are exercised as with the real thing.
func simApply(_ replay.Version, r replay.Replica, e value.Entry) (replay.Replica, error) {
	m := r.Map()
	cmd := simCommands[e.Fn]
	if cmd == nil {
		return r, &replay.ApplyError{Seq: e.Seq, Fn: e.Fn, Reason: "not a command of the simulator", Err: replay.ErrUnknownCommand}
	}
	out, ok := cmd(m, e)
	if !ok {
		return r, nil
	}
	return replay.FromMap(out), nil
}

var simCommands map[value.Keyword]func(*value.Map, value.Entry) (*value.Map, bool)

func init() {
	simCommands = map[value.Keyword]func(*value.Map, value.Entry) (*value.Map, bool){
		kPrepareJoin: simPrepare, kNotifyJoin: simNotify, kAcceptJoin: simAccept,
		kAbortJoin: simAbort, kLeaveCluster: simLeave, kSubmitJob: simSubmit, kKillJob: simKill,
		kSignalReady: simSignalReady, kExhaustInput: simExhaust, kSealOutput: simSeal,
		kBackpressureOn: simBackpressure(kActive, kBackpressure), kBackpressureOf: simBackpressure(kBackpressure, kActive),
		kGC: simGC,
	}
}

var (
	kIdle        = value.Kw("idle")
	kActive      = value.Kw("active")
	kOutputTasks = value.Kw("output-tasks")
)

func kw(s string) value.Keyword { return value.Kw(s) }

func vecWithout(v value.Value, x value.Value) value.Vector {
	var out value.Vector
	for _, it := range value.Items(v) {
		if !value.Equal(it, x) {
			out = append(out, it)
		}
	}
	return out
}

func simPrepare(m *value.Map, e value.Entry) (*value.Map, bool) {
	p := e.Arg("joiner")
	peers := value.Items(m.Val(kPeers))
	if len(peers) == 0 {
		m = m.Assoc(kPeers, value.Vector{p})
		return m.Assoc(kPeerState, asMap(m.Val(kPeerState)).Assoc(p, kIdle)), true
	}
	pairs, prepared, accepted := asMap(m.Val(kPairs)), asMap(m.Val(kPrepared)), asMap(m.Val(kAccepted))
	cand := map[value.Value]struct{}{}
	for _, c := range append(pairs.Keys(), peers...) {
		if isID(c) {
			cand[c] = struct{}{}
		}
	}
	for _, k := range prepared.Keys() {
		delete(cand, k)
		delete(cand, invert(pairs, k))
	}
	for _, k := range accepted.Keys() {
		delete(cand, k)
	}
	var cs []value.Value
	for c := range cand {
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return m, false
	}
	slices.SortFunc(cs, value.Compare)
	w := cs[e.Seq%int64(len(cs))]
	return m.Assoc(kPrepared, prepared.Assoc(w, p)), true
}

func simNotify(m *value.Map, e value.Entry) (*value.Map, bool) {
	prepared := asMap(m.Val(kPrepared))
	w := invert(prepared, e.Arg("observer"))
	if w == nil {
		return m, false
	}
	m = m.Assoc(kAccepted, asMap(m.Val(kAccepted)).Assoc(w, e.Arg("observer")))
	return m.Assoc(kPrepared, prepared.Dissoc(w)), true
}

func simAccept(m *value.Map, e value.Entry) (*value.Map, bool) {
	w, p := e.Arg("accepted-observer"), e.Arg("accepted-joiner")
	accepted := asMap(m.Val(kAccepted))
	if !value.Equal(accepted.Val(w), p) {
		return m, false
	}
	pairs := asMap(m.Val(kPairs))
	target := pairs.Val(w)
	if target == nil {
		target = w
	}
	m = m.Assoc(kPairs, pairs.Assoc(w, p).Assoc(p, target))
	m = m.Assoc(kAccepted, accepted.Dissoc(w))
	m = m.Assoc(kPeers, value.Vector(value.Items(m.Val(kPeers))).Conj(p))
	m = m.Assoc(kPeerState, asMap(m.Val(kPeerState)).Assoc(p, kIdle))
	return reconfigure(m), true
}

func simAbort(m *value.Map, e value.Entry) (*value.Map, bool) {
	p := e.Arg("id")
	prepared, accepted := asMap(m.Val(kPrepared)), asMap(m.Val(kAccepted))
	if w := invert(prepared, p); w != nil {
		m = m.Assoc(kPrepared, prepared.Dissoc(w))
	}
	if w := invert(accepted, p); w != nil {
		m = m.Assoc(kAccepted, accepted.Dissoc(w))
	}
	return m, true
}

func simLeave(m *value.Map, e value.Entry) (*value.Map, bool) {
	p := e.Arg("id")
	if !setOf(value.Items(m.Val(kPeers))).has(p) {
		return m, false
	}
	pairs := asMap(m.Val(kPairs))
	o, t := invert(pairs, p), pairs.Val(p)
	pairs = pairs.Dissoc(p)
	if o != nil {
		if t == nil || value.Equal(o, t) {
			pairs = pairs.Dissoc(o)
		} else {
			pairs = pairs.Assoc(o, t)
		}
	}
	m = m.Assoc(kPairs, pairs)
	m = m.Assoc(kPeers, vecWithout(m.Val(kPeers), p))
	for _, k := range []value.Keyword{kPrepared, kAccepted} {
		if mm := asMap(m.Val(k)); mm.Has(p) {
			m = m.Assoc(k, mm.Dissoc(p))
		}
	}
	m = m.Assoc(kPeerState, asMap(m.Val(kPeerState)).Dissoc(p))
	m = m.Assoc(kAllocations, removePeer(asMap(m.Val(kAllocations)), p))
	return reconfigure(m), true
}

func removePeer(allocs *value.Map, p value.Value) *value.Map {
	out := allocs
	allocs.Range(func(j, tasks value.Value) bool {
		tm := asMap(tasks)
		tm.Range(func(t, ps value.Value) bool {
			if setOf(value.Items(ps)).has(p) {
				tm = tm.Assoc(t, vecWithout(ps, p))
			}
			return true
		})
		if tm != asMap(tasks) {
			out = out.Assoc(j, tm)
		}
		return true
	})
	return out
}

func simSubmit(m *value.Map, e value.Entry) (*value.Map, bool) {
	j := e.Arg("id")
	if setOf(value.Items(m.Val(kJobs))).has(j) {
		return m, false
	}
	m = m.Assoc(kJobs, value.Vector(value.Items(m.Val(kJobs))).Conj(j))
	m = m.Assoc(kTasks, asMap(m.Val(kTasks)).Assoc(j, value.Vector(value.Items(e.Arg("tasks")))))
	m = m.Assoc(kOutputTasks, asMap(m.Val(kOutputTasks)).Assoc(j, value.Vector(value.Items(e.Arg("outputs")))))
	m = m.Assoc(kAllocations, asMap(m.Val(kAllocations)).Assoc(j, value.NewMap()))
	return reconfigure(m), true
}

// retire takes job j out of :jobs into listKey and frees its peers.
func retire(m *value.Map, j value.Value, listKey value.Keyword) *value.Map {
	m = m.Assoc(kJobs, vecWithout(m.Val(kJobs), j))
	m = m.Assoc(listKey, value.Vector(value.Items(m.Val(listKey))).Conj(j))
	allocs := asMap(m.Val(kAllocations))
	ps := asMap(m.Val(kPeerState))
	for _, p := range jobPeers(allocs.Val(j)) {
		ps = ps.Assoc(p, kIdle)
	}
	m = m.Assoc(kPeerState, ps)
	m = m.Assoc(kAllocations, allocs.Dissoc(j))
	for _, k := range []value.Keyword{kExhausted, kSealed} {
		if mm := asMap(m.Val(k)); mm.Has(j) {
			m = m.Assoc(k, mm.Dissoc(j))
		}
	}
	return reconfigure(m)
}

func simKill(m *value.Map, e value.Entry) (*value.Map, bool) {
	j := e.Arg("job")
	if !setOf(value.Items(m.Val(kJobs))).has(j) {
		return m, false
	}
	return retire(m, j, kKilledJobs), true
}

func simSignalReady(m *value.Map, e value.Entry) (*value.Map, bool) {
	p := e.Arg("id")
	ps := asMap(m.Val(kPeerState))
	if ps.Val(p) != value.Value(kIdle) {
		return m, false
	}
	return m.Assoc(kPeerState, ps.Assoc(p, kActive)), true
}

func simBackpressure(from, to value.Keyword) func(*value.Map, value.Entry) (*value.Map, bool) {
	return func(m *value.Map, e value.Entry) (*value.Map, bool) {
		p := e.Arg("peer")
		ps := asMap(m.Val(kPeerState))
		if ps.Val(p) != value.Value(from) {
			return m, false
		}
		return m.Assoc(kPeerState, ps.Assoc(p, to)), true
	}
}

func simExhaust(m *value.Map, e value.Entry) (*value.Map, bool) {
	j, t := e.Arg("job"), e.Arg("task")
	ex := asMap(m.Val(kExhausted))
	s, _ := ex.Val(j).(*value.Set)
	return m.Assoc(kExhausted, ex.Assoc(j, s.Conj(t))), true
}

func simSeal(m *value.Map, e value.Entry) (*value.Map, bool) {
	j, t := e.Arg("job"), e.Arg("task")
	if !setOf(value.Items(m.Val(kJobs))).has(j) {
		return m, false
	}
	sealed := asMap(m.Val(kSealed))
	s, _ := sealed.Val(j).(*value.Set)
	s = s.Conj(t)
	m = m.Assoc(kSealed, sealed.Assoc(j, s))
	for _, o := range value.Items(asMap(m.Val(kOutputTasks)).Val(j)) {
		if !s.Has(o) {
			return m, true
		}
	}
	return retire(m, j, kCompletedJobs), true
}

func simGC(m *value.Map, _ value.Entry) (*value.Map, bool) {
	victims := append(value.Items(m.Val(kKilledJobs)), value.Items(m.Val(kCompletedJobs))...)
	m = m.Assoc(kKilledJobs, value.Vector{}).Assoc(kCompletedJobs, value.Vector{})
	for _, k := range []value.Keyword{kTasks, kAllocations, kOutputTasks} {
		mm := asMap(m.Val(k))
		for _, j := range victims {
			mm = mm.Dissoc(j)
		}
		m = m.Assoc(k, mm)
	}
	return m, true
}

// reconfigure spreads :peers over the live jobs' tasks, balanced, keeping
// peers where they are when their task is not over its share; a job that
// cannot give each task a peer starves (no allocation).
func reconfigure(m *value.Map) *value.Map {
	peers := value.Items(m.Val(kPeers))
	jobs := value.Items(m.Val(kJobs))
	tasks := asMap(m.Val(kTasks))
	allocs := asMap(m.Val(kAllocations))
	live := setOf(peers)
	want := map[slot]int{}
	for i, j := range jobs {
		n := len(peers) / max(len(jobs), 1)
		if i < len(peers)%max(len(jobs), 1) {
			n++
		}
		ts := value.Items(tasks.Val(j))
		if n < len(ts) {
			n = 0
		}
		for k, t := range ts {
			c := n / len(ts)
			if k < n%len(ts) {
				c++
			}
			want[slot{j, t}] = c
		}
	}
	placed := map[value.Value]bool{}
	cur := map[slot][]value.Value{}
	var pool []value.Value
	for _, j := range jobs {
		for _, t := range value.Items(tasks.Val(j)) {
			s := slot{j, t}
			for _, p := range value.Items(asMap(allocs.Val(j)).Val(t)) {
				switch {
				case !live.has(p) || placed[p]:
				case len(cur[s]) < want[s]:
					cur[s] = append(cur[s], p)
					placed[p] = true
				default:
					pool = append(pool, p)
					placed[p] = true
				}
			}
		}
	}
	var free []value.Value
	for _, p := range peers {
		if !placed[p] {
			free = append(free, p)
		}
	}
	pool = append(free, pool...)
	ps := asMap(m.Val(kPeerState))
	for _, j := range jobs {
		for _, t := range value.Items(tasks.Val(j)) {
			s := slot{j, t}
			for len(cur[s]) < want[s] && len(pool) > 0 {
				cur[s] = append(cur[s], pool[0])
				ps = ps.Assoc(pool[0], kIdle)
				pool = pool[1:]
			}
		}
	}
	for _, p := range pool {
		if v := ps.Val(p); v != nil && v != value.Value(kIdle) {
			ps = ps.Assoc(p, kIdle)
		}
	}
	out := allocs
	for _, j := range jobs {
		old := asMap(allocs.Val(j))
		nm := old
		total := 0
		for _, t := range value.Items(tasks.Val(j)) {
			nv := value.Vector(cur[slot{j, t}])
			total += len(nv)
			if !value.Equal(old.Val(t), nv) && !(len(nv) == 0 && !old.Has(t)) {
				nm = nm.Assoc(t, nv)
			}
		}
		if total == 0 {
			nm = value.NewMap()
			if old.Len() == 0 {
				nm = old
			}
		}
		if nm != old {
			out = out.Assoc(j, nm)
		}
	}
	if !value.SameRef(ps, m.Val(kPeerState)) {
		m = m.Assoc(kPeerState, ps)
	}
	if out != allocs {
		m = m.Assoc(kAllocations, out)
	}
	return m
}
