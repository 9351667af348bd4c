package sim

import (
	"fmt"
	"slices"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// eraCD drives 0.9.x and 0.10+ by the protocol rules alone: replay does not
// apply these eras yet, so it keeps its own model of the ring (members and
// pairs, §4.7) and of the jobs, and writes no gc (the origin would need the
// replica). From 0.9.7 the members are peer groups whose virtual peers
// announce themselves with add-virtual-peer.
type eraCD struct {
	members []value.UUID
	pairs   map[value.UUID]value.UUID
	vpeers  map[value.UUID][]value.UUID
	jobs    []*job
	sealed  map[value.UUID]int // 0.9.x: inputs exhausted (1), outputs sealed (2)
	joining *join
}

func (g *eraCD) groups(s *Sim) bool { return s.v.AtLeast("0.9.7") }

// target is how many members the cluster keeps.
func (g *eraCD) target(s *Sim) int {
	if g.groups(s) {
		return max(1, (s.cfg.Peers+1)/2)
	}
	return s.cfg.Peers
}

func (g *eraCD) spontaneous(s *Sim) *value.Map {
	if g.pairs == nil {
		g.pairs, g.vpeers, g.sealed = map[value.UUID]value.UUID{}, map[value.UUID][]value.UUID{}, map[value.UUID]int{}
	}
	if g.joining == nil && len(g.members) < g.target(s) && (len(g.members) == 0 || s.rng.IntN(3) == 0) {
		p := s.uuid()
		g.joining = &join{p: p}
		if g.groups(s) {
			return entry("prepare-join-cluster", kw("joiner"), p)
		}
		return entry("prepare-join-cluster", kw("joiner"), p, kw("peer-site"), s.peerSite())
	}
	if len(g.jobs) > 0 && len(s.queue) == 0 && s.rng.IntN(30) == 0 {
		j := g.jobs[s.rng.IntN(len(g.jobs))]
		if s.v.Era() == replay.EraD {
			return entry("complete-job", kw("job-id"), j.id)
		}
		if g.sealed[j.id] == 0 {
			return entry("exhaust-input", kw("job"), j.id, kw("task"), j.input())
		}
		return entry("seal-output", kw("job"), j.id, kw("task"), j.output())
	}
	if len(g.jobs) > 0 && s.rng.IntN(400) == 0 {
		return entry("kill-job", kw("job"), g.jobs[s.rng.IntN(len(g.jobs))].id)
	}
	if s.v.Era() == replay.EraC && s.rng.IntN(15) == 0 {
		if ps := g.allPeers(s); len(ps) > 0 {
			return entry(pick(s, "backpressure-on", "backpressure-off"), kw("peer"), ps[s.rng.IntN(len(ps))])
		}
	}
	if g.joining == nil && len(g.members) >= 2 && len(g.members) == g.target(s) && s.rng.IntN(400) == 0 {
		m := g.members[s.rng.IntN(len(g.members))]
		if g.groups(s) {
			return entry("group-leave-cluster", kw("id"), m)
		}
		return entry("leave-cluster", kw("id"), m)
	}
	if g.groups(s) && len(g.members) > 0 && s.rng.IntN(12) == 0 { // a virtual peer restarts
		gr := g.members[s.rng.IntN(len(g.members))]
		if vs := g.vpeers[gr]; len(vs) > 0 {
			p := vs[0]
			g.vpeers[gr] = vs[1:]
			return entry("leave-cluster", kw("id"), p, kw("group-id"), gr).Assoc(kw("peer-parent"), p)
		}
	}
	return nil
}

func (g *eraCD) allPeers(s *Sim) []value.UUID {
	if !g.groups(s) {
		return g.members
	}
	var out []value.UUID
	for _, m := range g.members {
		out = append(out, g.vpeers[m]...)
	}
	return out
}

func (g *eraCD) react(s *Sim, e value.Entry, _, _ replay.Replica) {
	j := g.joining
	switch e.Fn.Name() {
	case "prepare-join-cluster":
		if j == nil || e.Arg("joiner") != j.p {
			return
		}
		if len(g.members) == 0 {
			g.joined(s, j.p)
			return
		}
		cands := slices.Clone(g.members)
		slices.SortFunc(cands, func(a, b value.UUID) int { return a.Compare(b) })
		j.watcher = cands[e.Seq%int64(len(cands))]
		j.subject = j.watcher
		if t, ok := g.pairs[j.watcher]; ok {
			j.subject = t
		}
		s.enqueue(j.watcher, entry("notify-join-cluster", kw("observer"), j.p))
	case "notify-join-cluster":
		if j != nil && e.Arg("observer") == j.p {
			s.enqueue(j.p, entry("accept-join-cluster", kw("observer"), j.p, kw("subject"), j.subject,
				kw("accepted-observer"), j.watcher, kw("accepted-joiner"), j.p))
		}
	case "accept-join-cluster":
		if j != nil && e.Arg("accepted-joiner") == j.p {
			w := j.watcher
			target, ok := g.pairs[w]
			if !ok {
				target = w
			}
			g.pairs[w], g.pairs[j.p] = j.p, target
			g.joined(s, j.p)
		}
	case "group-leave-cluster", "leave-cluster":
		id, _ := e.Arg("id").(value.UUID)
		if slices.Contains(g.members, id) {
			g.leave(s, id)
		} else if gr, ok := e.Arg("group-id").(value.UUID); ok && slices.Contains(g.members, gr) {
			p := s.uuid() // the restarted virtual peer comes back under a new id
			g.vpeers[gr] = append(g.vpeers[gr], p)
			s.enqueue(p, g.addVirtualPeer(s, gr, p))
		}
	case "submit-job":
		if jb := s.job(e.Arg("id")); jb != nil {
			g.jobs = append(g.jobs, jb)
		}
	case "complete-job", "kill-job":
		id := e.Arg("job-id")
		if e.Fn.Name() == "kill-job" {
			id = e.Arg("job")
		}
		g.jobs = slices.DeleteFunc(g.jobs, func(x *job) bool { return x.id == id })
	case "exhaust-input":
		g.sealed[e.Arg("job").(value.UUID)] = 1
	case "seal-output":
		id := e.Arg("job")
		g.jobs = slices.DeleteFunc(g.jobs, func(x *job) bool { return x.id == id })
	}
}

func (g *eraCD) joined(s *Sim, m value.UUID) {
	g.joining = nil
	g.members = append(g.members, m)
	if !g.groups(s) {
		return
	}
	n := max(1, s.cfg.Peers/g.target(s))
	for range n {
		p := s.uuid()
		g.vpeers[m] = append(g.vpeers[m], p)
		s.enqueue(p, g.addVirtualPeer(s, m, p))
	}
}

func (g *eraCD) addVirtualPeer(s *Sim, gr, p value.UUID) *value.Map {
	s.hosts++
	site := value.NewMap(kw("address"), fmt.Sprintf("10.0.0.%d", s.hosts%3+1), kw("port"), int64(40200))
	if s.v.Era() == replay.EraC {
		site = value.NewMap(kw("aeron/external-addr"), fmt.Sprintf("10.0.0.%d", s.hosts%3+1), kw("aeron/port"), int64(40200))
	}
	return entry("add-virtual-peer", kw("id"), p, kw("group-id"), gr, kw("peer-site"), site, kw("tags"), nil).Assoc(kw("peer-parent"), p)
}

// leave repairs the ring as the leave commands do (§4.2, §4.7).
func (g *eraCD) leave(s *Sim, m value.UUID) {
	var o value.UUID
	hasO := false
	for k, v := range g.pairs {
		if v == m {
			o, hasO = k, true
		}
	}
	t, hasT := g.pairs[m]
	delete(g.pairs, m)
	if hasO {
		if hasT && t != o {
			g.pairs[o] = t
		} else {
			delete(g.pairs, o)
		}
	}
	g.members = slices.DeleteFunc(g.members, func(x value.UUID) bool { return x == m })
	for _, p := range g.vpeers[m] {
		s.forget(p)
	}
	delete(g.vpeers, m)
	s.forget(m)
}
