package sim

import (
	"fmt"
	"slices"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Replica accessors.
func rmap(r replay.Replica, k string) *value.Map {
	m, _ := r.Get(kw(k)).(*value.Map)
	if m == nil {
		return value.NewMap()
	}
	return m
}

func rvec(r replay.Replica, k string) []value.Value {
	switch x := r.Get(kw(k)).(type) {
	case value.Vector:
		return x
	case value.List:
		return x
	}
	return nil
}

func vals(x value.Value) []value.Value {
	switch t := x.(type) {
	case value.Vector:
		return t
	case value.List:
		return t
	case *value.Set:
		return t.Items()
	}
	return nil
}

func contains(xs []value.Value, x value.Value) bool {
	return slices.ContainsFunc(xs, func(y value.Value) bool { return value.Equal(x, y) })
}

// invert finds the key of m whose value is x.
func invert(m *value.Map, x value.Value) (value.Value, bool) {
	var k value.Value
	found := false
	m.Range(func(kk, vv value.Value) bool {
		if value.Equal(vv, x) {
			k, found = kk, true
			return false
		}
		return true
	})
	return k, found
}

// running is the number of jobs submitted and neither done nor killed.
func (s *Sim) running() int {
	switch g := s.gen.(type) {
	case *eraCD:
		return len(g.jobs)
	case eraA:
		return len(runningA(s.r))
	}
	return len(rvec(s.r, "jobs"))
}

func (s *Sim) members() int {
	if c, ok := s.gen.(*eraCD); ok {
		return len(c.members)
	}
	return len(rvec(s.r, "peers"))
}

// immediate marks join reactions as 0.5.0–0.7.x wrote them (§3).
func (s *Sim) immediate(m *value.Map) *value.Map {
	if s.v.Before("0.8.0") {
		return m.Assoc(kw("immediate?"), true)
	}
	return m
}

// peerSite is a starting peer's site: netty gives each peer its own host
// (three ports each), aeron shares three hosts.
func (s *Sim) peerSite() *value.Map {
	s.hosts++
	if s.msg == kw("netty") {
		return value.NewMap(kw("netty/ports"), value.Vector{int64(40200), int64(40201), int64(40202)},
			kw("netty/external-addr"), fmt.Sprintf("10.0.%d.%d", s.hosts/250, s.hosts%250+1))
	}
	return value.NewMap(kw("aeron/external-addr"), fmt.Sprintf("10.0.0.%d", s.hosts%3+1), kw("aeron/port"), int64(40200))
}

// startPeer starts a virtual peer that prepares to join (one join at a time).
func (s *Sim) startPeer() *value.Map {
	if s.joining != nil || len(s.peers) >= s.cfg.Peers || (len(s.peers) > 0 && s.rng.IntN(3) != 0) {
		return nil
	}
	p := s.uuid()
	s.peers = append(s.peers, p)
	s.joining = &join{p: p}
	if s.v.Era() == replay.EraA {
		return entry("prepare-join-cluster", kw("joiner"), p)
	}
	return entry("prepare-join-cluster", kw("joiner"), p, kw("peer-site"), s.peerSite())
}

// reactJoin follows the join protocol of eras A–C on the replica:
// the watcher Onyx chose notifies, the joiner accepts (§4.2).
func (s *Sim) reactJoin(e value.Entry, cur replay.Replica) (joined value.Value) {
	j := s.joining
	if j == nil {
		return nil
	}
	switch e.Fn.Name() {
	case "prepare-join-cluster":
		if e.Arg("joiner") != j.p {
			return nil
		}
		if contains(rvec(cur, "peers"), j.p) {
			s.joining = nil
			return j.p
		}
		w, ok := invert(rmap(cur, "prepared"), j.p)
		if !ok {
			s.enqueue(j.p, s.immediate(entry("abort-join-cluster", kw("id"), j.p)))
			return nil
		}
		j.watcher = w.(value.UUID)
		j.subject = j.watcher
		if t, ok := rmap(cur, "pairs").Val(w).(value.UUID); ok {
			j.subject = t
		}
		args := []value.Value{kw("observer"), j.p, kw("subject"), j.subject}
		if s.v.AtLeast("0.9.0") {
			args = args[:2]
		}
		s.enqueue(j.watcher, s.immediate(entry("notify-join-cluster", args...)))
	case "notify-join-cluster":
		if e.Arg("observer") == j.p {
			s.enqueue(j.p, s.immediate(entry("accept-join-cluster", kw("observer"), j.p, kw("subject"), j.subject,
				kw("accepted-observer"), j.watcher, kw("accepted-joiner"), j.p)))
		}
	case "accept-join-cluster":
		if e.Arg("accepted-joiner") == j.p {
			s.joining = nil
			if contains(rvec(cur, "peers"), j.p) {
				return j.p
			}
			s.dropPeer(j.p)
		}
	case "abort-join-cluster":
		if e.Arg("id") == j.p {
			s.joining = nil
			s.dropPeer(j.p)
		}
	}
	return nil
}

func (s *Sim) dropPeer(p value.UUID) {
	s.peers = slices.DeleteFunc(s.peers, func(x value.UUID) bool { return x == p })
	s.forget(p)
}

// fail is a peer dying: its watcher writes leave-cluster (§1.4).
func (s *Sim) fail() *value.Map {
	peers := rvec(s.r, "peers")
	if s.joining != nil || len(peers) < 2 || len(peers) < s.cfg.Peers || s.rng.IntN(400) != 0 {
		return nil
	}
	p := peers[s.rng.IntN(len(peers))].(value.UUID)
	s.dropPeer(p)
	return entry("leave-cluster", kw("id"), p)
}

// kill is a client killing a running job.
func (s *Sim) kill(running []value.Value) *value.Map {
	if len(running) == 0 || s.rng.IntN(400) != 0 {
		return nil
	}
	return entry("kill-job", kw("job"), running[s.rng.IntN(len(running))])
}

// gc is a client collecting garbage now and then.
func (s *Sim) gc() *value.Map {
	if s.seq < 200 || s.rng.IntN(1500) != 0 {
		return nil
	}
	return entry("gc", kw("id"), s.uuid())
}

// eraA drives 0.5.x: peers volunteer for tasks and seal them (§4.2, §4.3).
type eraA struct{}

// runningA are the jobs not killed and not complete.
func runningA(r replay.Replica) []value.Value {
	var out []value.Value
	killed := rvec(r, "killed-jobs")
	for _, j := range rvec(r, "jobs") {
		if contains(killed, j) {
			continue
		}
		if len(vals(rmap(r, "completions").Val(j))) < len(vals(rmap(r, "tasks").Val(j))) {
			out = append(out, j)
		}
	}
	return out
}

func (eraA) spontaneous(s *Sim) *value.Map {
	running := runningA(s.r)
	if m := s.startPeer(); m != nil {
		return m
	}
	if len(s.queue) == 0 && len(running) > 0 && s.rng.IntN(6) == 0 {
		j := running[s.rng.IntN(len(running))]
		tasks := vals(rmap(s.r, "tasks").Val(j))
		done := len(vals(rmap(s.r, "completions").Val(j)))
		t := tasks[done]
		ps := vals(rmap(s.r, "allocations").Val(j).(*value.Map).Val(t))
		if len(ps) > 0 {
			return entry("seal-task", kw("id"), ps[0], kw("job"), j, kw("task"), t)
		}
	}
	if m := s.fail(); m != nil {
		return m
	}
	if m := s.kill(running); m != nil {
		return m
	}
	return s.gc()
}

func (eraA) react(s *Sim, e value.Entry, old, cur replay.Replica) {
	volunteer := func(p value.Value) {
		if u, ok := p.(value.UUID); ok && contains(rvec(cur, "peers"), p) {
			s.enqueue(u, entry("volunteer-for-task", kw("id"), u))
		}
	}
	idle := func() {
		if len(runningA(cur)) == 0 {
			return
		}
		for _, p := range rvec(cur, "peers") {
			if st := rmap(cur, "peer-state").Val(p); st == nil || st == kw("idle") {
				volunteer(p)
			}
		}
	}
	if p := s.reactJoin(e, cur); p != nil && len(runningA(cur)) > 0 {
		volunteer(p)
	}
	switch e.Fn.Name() {
	case "submit-job", "leave-cluster":
		idle()
	case "seal-task":
		p := e.Arg("id")
		if !value.Equal(rmap(cur, "sealing-task").Val(e.Arg("task")), p) {
			volunteer(p)
			return
		}
		if u, ok := p.(value.UUID); ok {
			s.enqueue(u, entry("complete-task", kw("id"), p, kw("job"), e.Arg("job"), kw("task"), e.Arg("task")))
		}
	case "complete-task":
		if am, ok := rmap(old, "allocations").Val(e.Arg("job")).(*value.Map); ok {
			for _, p := range vals(am.Val(e.Arg("task"))) {
				volunteer(p)
			}
		}
		idle()
	case "kill-job":
		if am, ok := rmap(old, "allocations").Val(e.Arg("job")).(*value.Map); ok {
			am.Range(func(_, ps value.Value) bool {
				for _, p := range vals(ps) {
					volunteer(p)
				}
				return true
			})
		}
	}
}

// eraB drives 0.6.0–0.8.3: the replica reallocates peers, which signal
// ready; inputs exhaust and outputs seal (§4.4).
type eraB struct{}

// readyB are jobs whose every task has peers, all of them active.
func readyB(r replay.Replica) []value.Value {
	var out []value.Value
	states := rmap(r, "peer-state")
	for _, j := range rvec(r, "jobs") {
		am, _ := rmap(r, "allocations").Val(j).(*value.Map)
		ok := am != nil
		for _, t := range vals(rmap(r, "tasks").Val(j)) {
			ps := vals(am.Val(t))
			if len(ps) == 0 {
				ok = false
			}
			for _, p := range ps {
				if states.Val(p) != kw("active") {
					ok = false
				}
			}
		}
		if ok {
			out = append(out, j)
		}
	}
	return out
}

func (eraB) spontaneous(s *Sim) *value.Map {
	jobs := rvec(s.r, "jobs")
	if m := s.startPeer(); m != nil {
		return m
	}
	if ready := readyB(s.r); len(ready) > 0 && len(s.queue) == 0 && s.rng.IntN(10) == 0 {
		j := ready[s.rng.IntN(len(ready))]
		ins, outs := vals(rmap(s.r, "input-tasks").Val(j)), vals(rmap(s.r, "output-tasks").Val(j))
		exhausted := vals(rmap(s.r, "exhausted-inputs").Val(j))
		for _, t := range ins {
			if !contains(exhausted, t) {
				return entry("exhaust-input", kw("job"), j, kw("task"), t)
			}
		}
		sealed := vals(rmap(s.r, "sealed-outputs").Val(j))
		for _, t := range outs {
			if !contains(sealed, t) {
				return entry("seal-output", kw("job"), j, kw("task"), t)
			}
		}
	}
	if s.v.AtLeast("0.7.0") && s.rng.IntN(12) == 0 {
		var on, off []value.Value
		rmap(s.r, "peer-state").Range(func(p, st value.Value) bool {
			switch st {
			case kw("active"):
				on = append(on, p)
			case kw("backpressure"):
				off = append(off, p)
			}
			return true
		})
		if len(off) > 0 && s.rng.IntN(2) == 0 {
			return entry("backpressure-off", kw("peer"), off[s.rng.IntN(len(off))])
		}
		if len(on) > 0 {
			return entry("backpressure-on", kw("peer"), on[s.rng.IntN(len(on))])
		}
	}
	if m := s.fail(); m != nil {
		return m
	}
	if m := s.kill(jobs); m != nil {
		return m
	}
	return s.gc()
}

func (eraB) react(s *Sim, e value.Entry, old, cur replay.Replica) {
	s.reactJoin(e, cur)
	// A peer placed on a task starts its lifecycle and signals ready.
	now, before := s.allocations(cur), s.allocations(old)
	states := rmap(cur, "peer-state")
	for _, p := range rvec(cur, "peers") {
		u, isU := p.(value.UUID)
		if !isU {
			continue
		}
		a, ok := now[u]
		if !ok {
			continue
		}
		b, was := before[u]
		st := states.Val(p)
		moved := !was || !value.Equal(a.job, b.job) || !value.Equal(a.task, b.task)
		if (moved || st == kwIdle || st == kwWarmingUp) && st != kwActive && st != kwBackpressure {
			s.enqueue(u, entry("signal-ready", kw("id"), u))
		}
	}
}

var (
	kwIdle         = kw("idle")
	kwWarmingUp    = kw("warming-up")
	kwActive       = kw("active")
	kwBackpressure = kw("backpressure")
)

// placement is the job and task a peer is allocated to.
type placement struct{ job, task value.Value }

// allocCache keeps the last two allocations maps indexed: most entries
// leave the replica's :allocations as they were.
type allocCache [2]struct {
	m   *value.Map
	idx map[value.UUID]placement
}

// allocations maps every peer (a UUID) the replica allocates to its job and
// task, the first in the replica's order when it is listed twice. The
// result is shared: callers must not modify it.
func (s *Sim) allocations(r replay.Replica) map[value.UUID]placement {
	m := rmap(r, "allocations")
	for _, c := range s.allocs {
		if c.m == m && c.idx != nil {
			return c.idx
		}
	}
	idx := indexAllocations(m)
	s.allocs[1] = s.allocs[0]
	s.allocs[0].m, s.allocs[0].idx = m, idx
	return idx
}

func indexAllocations(allocs *value.Map) map[value.UUID]placement {
	out := map[value.UUID]placement{}
	allocs.Range(func(j, tm value.Value) bool {
		m, _ := tm.(*value.Map)
		m.Range(func(t, ps value.Value) bool {
			for _, p := range vals(ps) {
				if u, ok := p.(value.UUID); ok {
					if _, dup := out[u]; !dup {
						out[u] = placement{j, t}
					}
				}
			}
			return true
		})
		return true
	})
	return out
}
