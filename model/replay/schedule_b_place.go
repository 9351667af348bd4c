package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// Placing peers in era B's reconfigure-cluster-workload: the displaced
// peers, reallocate-peers, choose-ackers, deallocate-starved-jobs and the
// balanced job scheduler's "nothing changed" test.

func (s *bsched) displaced(mu map[value.Value]float64) ([]value.Value, error) {
	var usedList []value.Value
	mapOf(s.r.Val(kwAllocations)).Range(func(_, tasks value.Value) bool {
		mapOf(tasks).Range(func(_, ps value.Value) bool {
			usedList = append(usedList, items(ps)...)
			return true
		})
		return true
	})
	var out []value.Value
	seen := newPeerSet(len(s.peers))
	add := func(p value.Value) {
		if !seen.has(p) {
			seen.add(p)
			out = append(out, p)
		}
	}
	used := newPeerSet(len(usedList))
	for _, p := range usedList {
		used.add(p)
	}
	var unused, drops []value.Value
	for _, p := range s.peers {
		if !used.has(p) {
			unused = append(unused, p)
		}
	}
	if len(unused) > 1 {
		// (set peers) minus the used ones iterates in hash-set order; a
		// subset keeps the relative order of the full set.
		unused = value.NewSet(unused...).Items()
	}
	for _, j := range s.jobs {
		cur := 0.0
		mapOf(mapOf(s.r.Val(kwAllocations)).Val(j)).Range(func(_, ps value.Value) bool {
			for _, p := range items(ps) {
				if p != nil {
					cur++
				}
			}
			return true
		})
		m, ok := mu[j]
		if !ok && !s.f.v08 {
			return nil, errNPE
		}
		if over := cur - m; over > 0 {
			ds, err := s.dropPeers(j, int(over))
			if err != nil {
				return nil, err
			}
			for _, p := range ds {
				if p != nil {
					drops = append(drops, p)
				}
			}
		}
	}
	for _, p := range unused {
		add(p)
	}
	for _, p := range drops {
		add(p)
	}
	return out, nil
}

func (s *bsched) priority(r *value.Map) []value.Value {
	jobs := slices.Clone(s.jobs)
	switch {
	case s.js == kwBJobSchedBalanced || (s.js == kwBJobSchedPercentage && s.f.v08):
		counts := make(map[value.Value]float64, len(jobs))
		for _, j := range jobs {
			counts[j] = s.jobPeerCount(r, j)
		}
		slices.SortStableFunc(jobs, func(a, b value.Value) int {
			if c := cmpF(counts[a], counts[b]); c != 0 {
				return c
			}
			return s.jobIndex(a) - s.jobIndex(b)
		})
	}
	return jobs
}

// reallocate is reallocate-peers: each displaced peer, in order, goes to the
// first (job, task) of the priority order still below its desired count.
func (s *bsched) reallocate(pool []value.Value, mu map[value.Value]float64) (*value.Map, error) {
	cur := s.r
	desired := map[value.Value]map[value.Value]float64{}
	for len(pool) > 0 {
		var job, task value.Value
		found := false
		for _, j := range s.priority(cur) {
			d, ok := desired[j]
			if !ok {
				n, has := mu[j]
				if !has && !s.f.v08 {
					return nil, errNPE
				}
				var err error
				if d, err = s.distribute(j, n); err != nil {
					return nil, err
				}
				desired[j] = d
			}
			for _, t := range s.tasks(j) {
				want, ok := d[t]
				if !ok {
					return nil, errNPE
				}
				have := 0
				for _, p := range s.taskAlloc(cur, j, t) {
					if p != nil && p != false {
						have++
					}
				}
				if float64(have) < want {
					job, task, found = j, t, true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			break
		}
		peer := pool[0]
		pool = pool[1:]
		before := cur
		cur = bRemovePeer(cur, s.f, peer)
		st := kwBWarmingUp
		if s.f.v07 {
			st = kwIdle
		}
		cur = bUpdAssoc(cur, kwPeerState, peer, st)
		if s.f.v08 {
			sites := mapOf(before.Val(kwPeerSites))
			site := sites.Val(peer)
			res, err := bTaskResources(before, peer, task, site, sites)
			if err != nil {
				return nil, err
			}
			cur = cur.Assoc(kwPeerSites, mapOf(cur.Val(kwPeerSites)).Assoc(peer, bMerge(site, res)))
		}
		cur = value.AssocIn(cur, []value.Value{kwAllocations, job, task}, bConjVec(value.GetIn(cur, kwAllocations, job, task), peer))
		if s.f.v074 {
			slots := mapOf(value.GetIn(cur, kwTaskSlotIDs, job, task))
			used := map[int64]bool{}
			slots.Range(func(_, v value.Value) bool {
				if i, ok := v.(int64); ok {
					used[i] = true
				}
				return true
			})
			var id int64
			for used[id] {
				id++
			}
			cur = value.AssocIn(cur, []value.Value{kwTaskSlotIDs, job, task}, slots.Assoc(peer, id))
		}
	}
	return cur, nil
}

func (s *bsched) exempt(r *value.Map, job, task value.Value) bool {
	if task == nil {
		return false
	}
	if bContains(items(mapOf(r.Val(kwBExemptTasks)).Val(job)), task) {
		return true
	}
	if bTruthy(mapOf(r.Val(kwBAckerExcludeInputs)).Val(job)) && bContains(items(mapOf(r.Val(kwInputTasks)).Val(job)), task) {
		return true
	}
	return bTruthy(mapOf(r.Val(kwBAckerExcludeOutput)).Val(job)) && bContains(items(mapOf(r.Val(kwOutputTasks)).Val(job)), task)
}

func bTruthy(v value.Value) bool { return v != nil && v != false }

// chooseAckers is choose-ackers: ⌈pct% × peers⌉ of the job's sorted peers,
// exempt ones removed. 0.7+ also sort-by "shares a host with an exempt
// peer", as (some #{true} statuses) — but exempt-from-acker? returns the
// task, never true, so that sort never moves a peer (the fixtures agree).
func (s *bsched) chooseAckers(r *value.Map) (*value.Map, error) {
	type place struct{ job, task value.Value }
	where := map[value.Value]place{}
	mapOf(r.Val(kwAllocations)).Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, ps value.Value) bool {
			for _, p := range items(ps) {
				where[p] = place{j, t}
			}
			return true
		})
		return true
	})
	for _, job := range s.jobs {
		peers := slices.Clone(bJobPeers(r, job))
		slices.SortStableFunc(peers, value.Compare)
		pct := 10.0
		if p, ok := bNum(mapOf(r.Val(kwBAckerPercentage)).Val(job)); ok {
			pct = p
		}
		n := int(math.Ceil(0.01 * pct * float64(len(peers))))
		var cands []value.Value
		for _, p := range peers {
			pl := where[p]
			if !s.exempt(r, pl.job, pl.task) {
				cands = append(cands, p)
			}
		}
		if n > len(cands) {
			n = len(cands)
		}
		if n < 0 {
			n = 0
		}
		r = bUpdAssoc(r, kwAckers, job, value.Vector(slices.Clone(cands[:n])))
	}
	return r, nil
}

// deallocateStarved is deallocate-starved-jobs: a job with a task below its
// minimum loses its allocation (0.7+: and its peers go :idle).
func (s *bsched) deallocateStarved(r *value.Map) *value.Map {
	for _, job := range s.jobs {
		starved := false
		for _, t := range s.tasks(job) {
			mr, ok := bNum(mapOf(mapOf(r.Val(kwMinRequiredPeers)).Val(job)).Val(t))
			if !ok {
				mr = 1
			}
			if float64(len(s.taskAlloc(r, job, t))) < mr {
				starved = true
				break
			}
		}
		if !starved {
			continue
		}
		peers := bJobPeers(r, job)
		r = bUpdDissoc(r, kwAllocations, job)
		if s.f.v07 {
			if s.f.v074 {
				r = bUpdDissoc(r, kwTaskSlotIDs, job)
			}
			// remove-job's update-in reduces assoc over the peers: no
			// peers and no :peer-state leaves :peer-state nil.
			if len(peers) > 0 {
				r = r.Assoc(kwPeerState, bMerge(r.Val(kwPeerState), bPeerStates(peers, kwIdle)))
			} else if r.Val(kwPeerState) == nil {
				r = r.Assoc(kwPeerState, nil)
			}
		}
	}
	return r
}

func (s *bsched) equivalent(a, b *value.Map) bool {
	counts := func(r *value.Map) []float64 {
		var out []float64
		mapOf(r.Val(kwAllocations)).Range(func(j, _ value.Value) bool {
			out = append(out, s.jobPeerCount(r, j))
			return true
		})
		slices.Sort(out)
		return out
	}
	return slices.Equal(counts(a), counts(b))
}

// peerSet is a set of peers by Clojure equality: a Go map for the comparable
// ids peers have (UUIDs, keywords, strings, longs), a value.Set otherwise.
type peerSet struct {
	fast map[value.Value]struct{}
	slow *value.Set
}

func newPeerSet(n int) *peerSet {
	return &peerSet{fast: make(map[value.Value]struct{}, n), slow: value.NewSet()}
}

func peerFastKey(p value.Value) bool {
	switch p.(type) {
	case value.UUID, value.Keyword, string, int64:
		return true
	}
	return false
}

func (s *peerSet) add(p value.Value) {
	if peerFastKey(p) {
		s.fast[p] = struct{}{}
		return
	}
	s.slow = s.slow.Conj(p)
}

func (s *peerSet) has(p value.Value) bool {
	if peerFastKey(p) {
		_, ok := s.fast[p]
		return ok
	}
	return s.slow.Has(p)
}
