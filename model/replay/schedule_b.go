package replay

import (
	"math"

	"onyx-dashboard/model/value"
)

// reconfigure-cluster-workload of era B (onyx-log-format.md §4.5), following
// src/onyx/scheduling/*.clj of 0.6.0, 0.7.14 and 0.8.3, quirks included.
// A Clojure exception in the original is returned as a crash error.

var errNPE = crash("NullPointerException in reconfigure-cluster-workload")

func bNum(v value.Value) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

// bsched holds what one reconfigure reads from its input replica.
type bsched struct {
	f     bflags
	r     *value.Map // the input replica
	jobs  []value.Value
	peers []value.Value
	js    value.Value
	// scr is the room the reconfigure works in (scratch_b.go); given back
	// by release.
	scr *bScratch
	// infos is the definition of each job of jobs (jobs_memo_b.go), nil
	// where not known.
	infos []*bJobInfo
	// places indexes the input's allocated peers; made by peerPlaces,
	// given back by release.
	places *peerIndex
	// carried is places when it is carried to the next reconfigure
	// (peers_carry_b.go); moved is the fast placing written, if any.
	carried *carriedIndex
	moved   *fastPlacing
}

// bound returns the cached lower (or upper) bound of job, or computes and
// caches it; only comparable ids are cached.
func (s *bsched) bound(upper bool, job value.Value, f func(value.Value) (float64, error)) (float64, error) {
	if !comparableID(job) {
		return f(job)
	}
	if info := s.info(job); info != nil && info.boundsOK {
		if upper {
			return info.up, nil
		}
		return info.lo, nil
	}
	x := s.scratch()
	at := -1
	for i := range x.bounds {
		if x.bounds[i].job == job {
			at = i
			break
		}
	}
	if at >= 0 {
		b := &x.bounds[at]
		if upper && b.hasUp {
			return b.up, nil
		}
		if !upper && b.hasLo {
			return b.lo, nil
		}
	}
	n, err := f(job)
	if err != nil {
		return 0, err
	}
	if at < 0 {
		x.bounds = append(x.bounds, jobBounds{job: job})
		at = len(x.bounds) - 1
	}
	b := &x.bounds[at]
	if upper {
		b.up, b.hasUp = n, true
	} else {
		b.lo, b.hasLo = n, true
	}
	return n, nil
}

func (s *bsched) in(k value.Keyword, job value.Value) *value.Map {
	return mapOf(mapOf(s.r.Val(k)).Val(job))
}

func (s *bsched) tasks(job value.Value) []value.Value { return items(mapOf(s.r.Val(kwTasks)).Val(job)) }

func (s *bsched) taskAlloc(r *value.Map, job, task value.Value) []value.Value {
	return items(mapOf(mapOf(r.Val(kwAllocations)).Val(job)).Val(task))
}

func (s *bsched) groupedInUse(job, task value.Value) bool {
	return s.in(kwFluxPolicies, job).Val(task) != nil && len(s.taskAlloc(s.r, job, task)) > 0
}

func (s *bsched) anyGroupedInUse(job value.Value) bool {
	flux := s.in(kwFluxPolicies, job)
	if flux.Len() == 0 { // no flux policy: no grouped task
		return false
	}
	allocs := mapOf(mapOf(s.r.Val(kwAllocations)).Val(job))
	for _, t := range s.tasks(job) {
		if flux.Val(t) != nil && len(items(allocs.Val(t))) > 0 {
			return true
		}
	}
	return false
}

func (s *bsched) minRequired(job, task value.Value) (float64, error) {
	v, ok := bNum(s.in(kwMinRequiredPeers, job).Val(task))
	if !ok {
		if s.f.v08 {
			return 1, nil
		}
		return 0, errNPE
	}
	return v, nil
}

// upper is job-upper-bound of the input replica.
func (s *bsched) upper(job value.Value) (float64, error) { return s.bound(true, job, s.upperOf) }

// lower is job-lower-bound of the input replica.
func (s *bsched) lower(job value.Value) (float64, error) { return s.bound(false, job, s.lowerOf) }

func (s *bsched) upperOf(job value.Value) (float64, error) {
	if s.anyGroupedInUse(job) {
		sum := 0.0
		for _, t := range s.tasks(job) {
			if s.in(kwFluxPolicies, job).Val(t) != nil {
				sum += float64(len(s.taskAlloc(s.r, job, t)))
				continue
			}
			n, ok := bNum(s.in(kwTaskSaturation, job).Val(t))
			if !ok {
				return 0, errNPE
			}
			sum += n
		}
		return sum, nil
	}
	sat, present := mapOf(s.r.Val(kwSaturation)).Get(job)
	if !present {
		return math.Inf(1), nil
	}
	n, ok := bNum(sat)
	if !ok {
		return 0, errNPE
	}
	return n, nil
}

func (s *bsched) lowerOf(job value.Value) (float64, error) {
	if s.anyGroupedInUse(job) {
		sum := 0.0
		for _, t := range s.tasks(job) {
			if s.in(kwFluxPolicies, job).Val(t) != nil {
				sum += float64(len(s.taskAlloc(s.r, job, t)))
				continue
			}
			n, err := s.minRequired(job, t)
			if err != nil {
				return 0, err
			}
			sum += n
		}
		return sum, nil
	}
	sum := 0.0
	var err error
	s.in(kwMinRequiredPeers, job).Range(func(_, v value.Value) bool {
		n, ok := bNum(v)
		if !ok {
			err = errNPE
			return false
		}
		sum += n
		return true
	})
	return sum, err
}

// reconfigureB is reconfigure-cluster-workload.
func reconfigureB(r *value.Map, f bflags) (*value.Map, error) {
	key, memo := reconfKeyB(r, f)
	if memo && key.same(lastUnchangedB.Load()) {
		return r, nil
	}
	s := &bsched{f: f, r: r, jobs: items(r.Val(kwJobs)), peers: items(r.Val(kwPeers)), js: r.Val(kwJobScheduler)}
	defer s.release()
	s.loadJobInfos()
	offers, err := s.offers()
	if err != nil {
		return nil, err
	}
	claims, spare, err := s.claims(offers)
	if err != nil {
		return nil, err
	}
	maxUtil, err := s.claimSpare(claims, spare)
	if err != nil {
		return nil, err
	}
	mu := s.scratch().mu
	for _, c := range maxUtil {
		mu[c.job] = c.n
	}
	displaced, unallocated, err := s.displaced(mu)
	if err != nil {
		return nil, err
	}
	out, known, err := s.reallocateFastOrSlow(displaced, unallocated, mu)
	if err == errUnchangedB {
		if memo {
			key.keep()
		}
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	// Onyx chooses the ackers before it deallocates starved jobs, but neither
	// step reads what the other writes: deallocating first lets the balanced
	// scheduler's "nothing changed" answer skip the ackers.
	starved := out
	if !known.noneStarved {
		starved = s.deallocateStarved(out)
	}
	if s.js == kwBJobSchedBalanced && !known.changed && s.equivalent(r, starved) {
		if memo {
			key.keep()
		}
		return r, nil
	}
	res := s.chooseAckers(out, starved)
	if c := s.carried; c != nil && s.moved != nil {
		if a := mapOf(res.Val(kwAllocations)); a == mapOf(out.Val(kwAllocations)) && a != c.allocs {
			c.moved(s.moved.moves, s.moved.changed, a)
		}
	}
	return res, nil
}
