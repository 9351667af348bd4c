package replay

import (
	"math"
	"slices"

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
	for _, t := range s.tasks(job) {
		if s.groupedInUse(job, t) {
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

func (s *bsched) upper(job value.Value) (float64, error) {
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

func (s *bsched) lower(job value.Value) (float64, error) {
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

// jobCount is one entry of a Clojure map job → number, kept in map order.
type jobCount struct {
	job value.Value
	n   float64
}

// bMapOrder returns keys in the order a map built by assoc in this order iterates.
func bMapOrder(keys []value.Value) []value.Value {
	if len(keys) <= 8 {
		return keys
	}
	m := value.NewMap()
	for _, k := range keys {
		m = m.Assoc(k, nil)
	}
	return m.Keys()
}

func bOrdered(keys []value.Value, n map[value.Value]float64) []jobCount {
	out := make([]jobCount, 0, len(keys))
	for _, k := range bMapOrder(keys) {
		out = append(out, jobCount{k, n[k]})
	}
	return out
}

func (s *bsched) offers() ([]jobCount, error) {
	n := float64(len(s.peers))
	m := map[value.Value]float64{}
	var keys []value.Value
	switch s.js {
	case kwBJobSchedGreedy:
		for i, j := range s.jobs {
			if i == 0 {
				m[j] = n
			} else {
				m[j] = 0
			}
			keys = append(keys, j)
		}
	case kwBJobSchedBalanced:
		if len(s.jobs) == 0 {
			return nil, nil
		}
		k := float64(len(s.jobs))
		minP := math.Floor(n / k)
		r := int(n) % len(s.jobs)
		for i, j := range s.jobs {
			if i < r {
				m[j] = minP + 1
			} else {
				m[j] = minP
			}
			keys = append(keys, j)
		}
	case kwBJobSchedPercentage:
		type pj struct {
			job value.Value
			pct float64
			pos int
		}
		var all []pj
		for i := range s.jobs {
			j := s.jobs[len(s.jobs)-1-i]
			p, ok := bNum(mapOf(s.r.Val(kwPercentages)).Val(j))
			if !ok {
				return nil, errNPE
			}
			all = append(all, pj{j, p, i})
		}
		slices.SortStableFunc(all, func(a, b pj) int {
			if a.pct != b.pct {
				return -cmpF(a.pct, b.pct)
			}
			return b.pos - a.pos
		})
		sum := 0.0
		for _, x := range all {
			if sum+x.pct > 100 {
				break
			}
			sum += x.pct
			m[x.job] = math.Floor(0.01 * x.pct * n)
			keys = append(keys, x.job)
		}
	default:
		return nil, crash("job scheduler %s not recognized", value.PrStr(s.js))
	}
	return bOrdered(keys, m), nil
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *bsched) claims(offers []jobCount) ([]jobCount, float64, error) {
	out := make([]jobCount, len(offers))
	spare := 0.0
	for i, o := range offers {
		lo, err := s.lower(o.job)
		if err != nil {
			return nil, 0, err
		}
		c := 0.0
		if o.n >= lo {
			up, err := s.upper(o.job)
			if err != nil {
				return nil, 0, err
			}
			c = math.Min(up, o.n)
		}
		out[i] = jobCount{o.job, c}
		spare += o.n - c
	}
	return out, spare, nil
}

func (s *bsched) jobPeerCount(r *value.Map, job value.Value) float64 {
	n := 0
	mapOf(mapOf(r.Val(kwAllocations)).Val(job)).Range(func(_, ps value.Value) bool {
		n += len(items(ps))
		return true
	})
	return float64(n)
}

func (s *bsched) jobIndex(job value.Value) int {
	for i, j := range s.jobs {
		if value.Equal(j, job) {
			return i
		}
	}
	return -1
}

// claimSpare is claim-spare-peers: one spare peer at a time to the job that
// select-job-requiring-peer picks.
func (s *bsched) claimSpare(claims []jobCount, spare float64) ([]jobCount, error) {
	if s.js == kwBJobSchedGreedy || spare <= 0 {
		return claims, nil
	}
	pct := s.js == kwBJobSchedPercentage && s.f.v08
	type cand struct {
		i          int
		k1, k2, k3 float64
	}
	lows := make([]float64, len(claims))
	ups := make([]float64, len(claims))
	desired := make([]float64, len(claims))
	for i, c := range claims {
		var err error
		if lows[i], err = s.lower(c.job); err != nil {
			return nil, err
		}
		if ups[i], err = s.upper(c.job); err != nil {
			return nil, err
		}
		if pct {
			p, ok := bNum(mapOf(s.r.Val(kwPercentages)).Val(c.job))
			if !ok {
				return nil, errNPE
			}
			desired[i] = s.jobPeerCount(s.r, c.job) - float64(len(s.peers))*0.01*p
		}
	}
	out := slices.Clone(claims)
	cs := make([]cand, len(out))
	for ; spare > 0; spare-- {
		for i, c := range out {
			idx := -1.0 // 0.6–0.7 take .indexOf of the map entry: always -1
			if s.f.v08 {
				idx = float64(s.jobIndex(c.job))
			}
			k2 := c.n
			if pct {
				k2 = desired[i]
			}
			cs[i] = cand{i, math.Max(0, lows[i]-c.n), k2, idx}
		}
		sorted := slices.Clone(cs)
		slices.SortStableFunc(sorted, func(a, b cand) int {
			if c := cmpF(a.k1, b.k1); c != 0 {
				return c
			}
			if c := cmpF(a.k2, b.k2); c != 0 {
				return c
			}
			return cmpF(a.k3, b.k3)
		})
		pick := -1
		for _, c := range sorted {
			if out[c.i].n < ups[c.i] {
				pick = c.i
				break
			}
		}
		if pick < 0 {
			if s.f.v08 {
				break
			}
			return nil, crash("claim-spare-peers: no job can take a spare peer (NullPointerException)")
		}
		out[pick].n++
	}
	return out, nil
}

// reconfigureB is reconfigure-cluster-workload.
func reconfigureB(r *value.Map, f bflags) (*value.Map, error) {
	s := &bsched{f: f, r: r, jobs: items(r.Val(kwJobs)), peers: items(r.Val(kwPeers)), js: r.Val(kwJobScheduler)}
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
	mu := make(map[value.Value]float64, len(maxUtil))
	for _, c := range maxUtil {
		mu[c.job] = c.n
	}
	displaced, err := s.displaced(mu)
	if err != nil {
		return nil, err
	}
	out, err := s.reallocate(displaced, mu)
	if err != nil {
		return nil, err
	}
	out, err = s.chooseAckers(out)
	if err != nil {
		return nil, err
	}
	out = s.deallocateStarved(out)
	if s.js == kwBJobSchedBalanced && s.equivalent(r, out) {
		return r, nil
	}
	return out, nil
}

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

// --- task schedulers ---------------------------------------------------------

type taskPeers struct {
	task  value.Value
	peers []value.Value
}

func (s *bsched) jobAllocs(r *value.Map, job value.Value) []taskPeers {
	var out []taskPeers
	mapOf(mapOf(r.Val(kwAllocations)).Val(job)).Range(func(t, ps value.Value) bool {
		out = append(out, taskPeers{t, items(ps)})
		return true
	})
	return out
}

// dropPeers is cts/drop-peers of the job's task scheduler.
func (s *bsched) dropPeers(job value.Value, n int) ([]value.Value, error) {
	allocs := s.jobAllocs(s.r, job)
	switch mapOf(s.r.Val(kwTaskSchedulers)).Val(job) {
	case kwBTaskSchedBalanced:
		// filter-grouped-tasks looks up [:flux-policies replica job k] and so
		// filters nothing: grouped tasks are dropped from like any other.
		var out []value.Value
		for range n {
			most := 0
			for _, a := range allocs {
				most = max(most, len(a.peers))
			}
			pick := -1
			for i, a := range allocs {
				if len(a.peers) == most {
					pick = i
					break
				}
			}
			if pick < 0 {
				out = append(out, nil)
				continue
			}
			ps := allocs[pick].peers
			if len(ps) == 0 {
				out = append(out, nil)
				continue
			}
			out = append(out, ps[len(ps)-1])
			allocs[pick].peers = ps[:len(ps)-1]
		}
		return out, nil
	case kwBTaskSchedPct:
		return s.pctDropPeers(job, n)
	}
	return nil, crash("task scheduler %s not recognized", value.PrStr(mapOf(s.r.Val(kwTaskSchedulers)).Val(job)))
}

type taskCount struct {
	task value.Value
	n    float64
}

// distribute is cts/task-distribute-peer-count on the input replica.
func (s *bsched) distribute(job value.Value, n float64) (map[value.Value]float64, error) {
	tasks := s.tasks(job)
	out := make(map[value.Value]float64, len(tasks))
	lo, err := s.lower(job)
	if err != nil {
		return nil, err
	}
	if n < lo {
		for _, t := range tasks {
			out[t] = 0
		}
		return out, nil
	}
	switch mapOf(s.r.Val(kwTaskSchedulers)).Val(job) {
	case kwBTaskSchedBalanced:
		sum := 0.0
		for _, t := range tasks {
			if s.groupedInUse(job, t) {
				out[t] = float64(len(s.taskAlloc(s.r, job, t)))
			} else {
				sat, ok := bNum(s.in(kwTaskSaturation, job).Val(t))
				if !ok {
					sat = math.Inf(1)
				}
				mr, ok := bNum(s.in(kwMinRequiredPeers, job).Val(t))
				if !ok {
					mr = math.Inf(1)
					if s.f.v08 {
						mr = 1
					}
				}
				out[t] = math.Min(sat, mr)
			}
			sum += out[t]
		}
		capacity := n - sum
		live := slices.Clone(tasks)
		for capacity > 0 && len(live) > 0 {
			best := 0
			for i := 1; i < len(live); i++ {
				if out[live[i]] < out[live[best]] {
					best = i
				}
			}
			t := live[best]
			sat, ok := bNum(s.in(kwTaskSaturation, job).Val(t))
			if !ok {
				sat = math.Inf(1)
			}
			if out[t] < sat && !s.groupedInUse(job, t) {
				out[t]++
				capacity--
			} else {
				live = slices.Delete(live, best, best+1)
			}
		}
		return out, nil
	case kwBTaskSchedPct:
		return s.pctDistribute(job, n)
	}
	return nil, crash("task scheduler %s not recognized", value.PrStr(mapOf(s.r.Val(kwTaskSchedulers)).Val(job)))
}

// bRescale is rescale-task-percentages as doubles: pct / (Σpct / 100) with
// Clojure's number tower (longs give exact ratios, any double makes doubles).
func bRescale(pcts []value.Value) ([]float64, error) {
	out := make([]float64, len(pcts))
	allLong := true
	var isum int64
	fsum := 0.0
	for i, p := range pcts {
		switch x := p.(type) {
		case int64:
			isum += x
			fsum += float64(x)
		default:
			allLong = false
			f, _ := bNum(x)
			fsum = fsum + f
		}
		_ = i
	}
	if !allLong {
		total := fsum / 100
		for i, p := range pcts {
			f, _ := bNum(p)
			out[i] = f / total
		}
		return out, nil
	}
	if len(pcts) > 0 && isum == 0 {
		return nil, crash("rescale-task-percentages: divide by zero (ArithmeticException)")
	}
	for i, p := range pcts {
		num := p.(int64) * 100
		if num%isum == 0 {
			out[i] = float64(num / isum)
			continue
		}
		out[i] = bRatioDouble(num, isum)
	}
	return out, nil
}

// --- reallocation, ackers, starvation ---------------------------------------------

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
