package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// ErrNotResumable: the simulator cannot continue a tenancy of this era.
var ErrNotResumable = errors.New("cannot be continued")

// Resume rebuilds a simulated cluster from a tenancy a previous run wrote
// (l, read with zklog.Load and cfg.Version as the override), so that Next
// continues it with cfg.Entries more entries: the members are the
// replica's :peers, the jobs its :jobs with their :tasks, the next seq the
// last seq + 1 and the clock the last entry's created time. Only eras A and
// B (0.5.2–0.8.x), whose replica replay.Apply keeps, can be resumed. What
// the replica does not say is settled by the protocol: a join in flight is
// aborted by its joiner (abort-join-cluster), idle peers of era A
// volunteer again, a seal in progress completes, and era B peers placed on
// a task but not active signal ready. Queued reactions of the previous run
// that it never wrote are otherwise lost.
func Resume(cfg Config, l *zklog.Loaded) (*Sim, error) {
	if l == nil || l.Log == nil {
		return nil, fmt.Errorf("resume: no log")
	}
	cfg.Tenancy = l.Log.TenancyID
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if !s.Replayed() {
		return nil, fmt.Errorf("resume %s: onyx %s: %w (the simulator keeps no replica for eras C and D)", s.id, s.v, ErrNotResumable)
	}
	if len(l.Undecodable) > 0 {
		e := l.Undecodable[0]
		return nil, fmt.Errorf("resume %s: entry %d does not decode: %w", s.id, e.Seq, e.Err)
	}
	// The previous run's parameters and origin stay as they are.
	s.params = map[string][]byte{}
	if k, ok := l.Header.Params.JobScheduler.(value.Keyword); ok {
		s.jobSch = k
	}
	if m, ok := l.Header.Params.Messaging.(*value.Map); ok {
		if k, ok := m.Val(kw("onyx.messaging/impl")).(value.Keyword); ok {
			s.msg = k
		}
	}
	s.origin = l.Header.Origin.Raw
	r := l.Start.Replica
	next := l.Start.FromSeq
	var last value.Entry
	for _, e := range l.Log.Entries {
		if e.Seq != next {
			return nil, fmt.Errorf("resume %s: entry %d follows %d: the log has a gap", s.id, e.Seq, next-1)
		}
		if r, err = replay.Apply(s.v, r, e); err != nil {
			return nil, fmt.Errorf("resume %s: entry %d: %w", s.id, e.Seq, err)
		}
		next, last = e.Seq+1, e
	}
	s.r = r
	s.seq = next
	s.limit = next + int64(s.cfg.Entries)
	if last.Created > s.clock {
		s.clock = last.Created
	}
	// A new stream, so the new ids do not repeat those of the first run.
	s.rng = rand.New(rand.NewPCG(cfg.Seed^uint64(next), cfg.Seed^0x9e3779b97f4a7c15^uint64(next)<<17))
	for _, p := range rvec(r, "peers") {
		if u, ok := p.(value.UUID); ok {
			s.peers = append(s.peers, u)
		}
	}
	s.hosts = len(s.peers)
	rmap(r, "task-schedulers").Range(func(_, ts value.Value) bool {
		if k, ok := ts.(value.Keyword); ok {
			s.taskSch = k
		}
		return false
	})
	for _, jid := range rvec(r, "jobs") {
		u, ok := jid.(value.UUID)
		if !ok {
			continue
		}
		s.jobs = append(s.jobs, &job{id: u, tasks: vals(rmap(r, "tasks").Val(jid))})
	}
	s.settle()
	return s, nil
}

// settle queues what the processes of a resumed cluster do first.
func (s *Sim) settle() {
	r := s.r
	// A join in flight: its joiner gives up, and another join waits for that.
	var joiners []value.UUID
	for _, k := range []string{"prepared", "accepted"} {
		rmap(r, k).Range(func(_, j value.Value) bool {
			if u, ok := j.(value.UUID); ok && !contains(rvec(r, "peers"), j) {
				joiners = append(joiners, u)
			}
			return true
		})
	}
	for _, j := range joiners {
		if s.joining == nil {
			s.joining = &join{p: j}
		}
		s.enqueue(j, s.immediate(entry("abort-join-cluster", kw("id"), j)))
	}
	switch s.gen.(type) {
	case eraA:
		// A seal in progress completes.
		rmap(r, "sealing-task").Range(func(t, p value.Value) bool {
			u, ok := p.(value.UUID)
			if !ok {
				return true
			}
			for _, j := range runningA(r) {
				if contains(vals(rmap(r, "tasks").Val(j)), t) && !contains(vals(rmap(r, "completions").Val(j)), t) {
					s.enqueue(u, entry("complete-task", kw("id"), u, kw("job"), j, kw("task"), t))
				}
			}
			return true
		})
		if len(runningA(r)) > 0 {
			for _, p := range rvec(r, "peers") {
				if st := rmap(r, "peer-state").Val(p); st == nil || st == kw("idle") {
					if u, ok := p.(value.UUID); ok {
						s.enqueue(u, entry("volunteer-for-task", kw("id"), u))
					}
				}
			}
		}
	case eraB:
		eraB{}.react(s, value.Entry{Fn: kw("resume")}, r, r)
	}
}
