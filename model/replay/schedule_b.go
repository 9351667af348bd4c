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
	// lower and upper bounds already computed, by job (comparable ids only)
	lows, ups map[value.Value]float64
}

// bound returns the cached bound of job, or computes and caches it.
func (s *bsched) bound(cache *map[value.Value]float64, job value.Value, f func(value.Value) (float64, error)) (float64, error) {
	if !peerFastKey(job) {
		return f(job)
	}
	if n, ok := (*cache)[job]; ok {
		return n, nil
	}
	n, err := f(job)
	if err != nil {
		return 0, err
	}
	if *cache == nil {
		*cache = map[value.Value]float64{}
	}
	(*cache)[job] = n
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

// upper is job-upper-bound of the input replica.
func (s *bsched) upper(job value.Value) (float64, error) { return s.bound(&s.ups, job, s.upperOf) }

// lower is job-lower-bound of the input replica.
func (s *bsched) lower(job value.Value) (float64, error) { return s.bound(&s.lows, job, s.lowerOf) }

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

// jobCount is one entry of a Clojure map job → number, kept in map order.
type jobCount struct {
	job value.Value
	n   float64
}

// bMapOrder returns keys in the order a map built by assoc in this order
// iterates: insertion order up to 8 keys, else PersistentHashMap order (a nil
// key first, then by hash in 5-bit chunks from the low bits, equal hashes in
// insertion order); a repeated key keeps its first place.
func bMapOrder(keys []value.Value) []value.Value {
	if len(keys) <= 8 {
		return keys
	}
	hs := make([]hashedKey, 0, len(keys))
	for _, k := range keys {
		if !slices.ContainsFunc(hs, func(x hashedKey) bool { return value.Equal(x.k, k) }) {
			hs = append(hs, hashedKey{k, bChunkKey(value.Hash(k))})
		}
	}
	if len(hs) > 8 {
		slices.SortStableFunc(hs, byHashOrder)
	}
	out := make([]value.Value, len(hs))
	for i, x := range hs {
		out[i] = x.k
	}
	return out
}

// hashedKey is a key with its position key in PersistentHashMap order.
type hashedKey struct {
	k  value.Value
	ck uint64
}

func byHashOrder(a, b hashedKey) int {
	switch {
	case a.k == nil && b.k != nil:
		return -1
	case b.k == nil && a.k != nil:
		return 1
	case a.ck < b.ck:
		return -1
	case a.ck > b.ck:
		return 1
	}
	return 0
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
	displaced, unallocated, err := s.displaced(mu)
	if err != nil {
		return nil, err
	}
	out, err := s.reallocate(displaced, unallocated, mu)
	if err != nil {
		return nil, err
	}
	// Onyx chooses the ackers before it deallocates starved jobs, but neither
	// step reads what the other writes: deallocating first lets the balanced
	// scheduler's "nothing changed" answer skip the ackers.
	starved := s.deallocateStarved(out)
	if s.js == kwBJobSchedBalanced && s.equivalent(r, starved) {
		return r, nil
	}
	return s.chooseAckers(out, starved), nil
}
