package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The job side of era B's reconfigure-cluster-workload (onyx-log-format.md
// §4.5 steps 1–5): the offers of each job scheduler, the claims, and
// claim-spare-peers, each a Clojure map job → peers kept in map order.

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
			hs = append(hs, hashedKey{k: k, ck: value.HashOrderKey(k)})
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
	i  int // where the key came from, for callers that need it
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

func (s *bsched) offers() ([]jobCount, error) {
	n := float64(len(s.peers))
	x := s.scratch()
	out := x.offers[:0]
	switch s.js {
	case kwBJobSchedGreedy:
		for i, j := range s.jobs {
			c := 0.0
			if i == 0 {
				c = n
			}
			out = append(out, jobCount{j, c})
		}
	case kwBJobSchedBalanced:
		if len(s.jobs) == 0 {
			return nil, nil
		}
		k := float64(len(s.jobs))
		minP := math.Floor(n / k)
		r := int(n) % len(s.jobs)
		for i, j := range s.jobs {
			c := minP
			if i < r {
				c = minP + 1
			}
			out = append(out, jobCount{j, c})
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
			out = append(out, jobCount{x.job, math.Floor(0.01 * x.pct * n)})
		}
	default:
		return nil, crash("job scheduler %s not recognized", value.PrStr(s.js))
	}
	infos := s.infos // the greedy and balanced offers are s.jobs in order
	if s.js == kwBJobSchedPercentage {
		infos = nil
	}
	out = x.mapOrder(out, infos)
	x.offers = out
	return out, nil
}

// mapOrder is bOrdered in place: the counts as the Clojure map built by
// assoc-ing them in this order iterates, each with the last count assoc-ed
// to its key (bMapOrder says which keys stay and in what order). infos[i],
// when there and of cs[i]'s job, has that job's hash-order key.
func (x *bScratch) mapOrder(cs []jobCount, infos []*bJobInfo) []jobCount {
	for i := range cs { // the last count of each key
		for j := len(cs) - 1; j > i; j-- {
			if sameKey(cs[j].job, cs[i].job) {
				cs[i].n = cs[j].n
				break
			}
		}
	}
	if len(cs) <= 8 {
		return cs
	}
	hs := x.ordered[:0]
	w := 0
	for i, c := range cs { // without repeats, the first kept
		if slices.ContainsFunc(cs[:w], func(d jobCount) bool { return value.Equal(d.job, c.job) }) {
			continue
		}
		cs[w] = c
		var ck uint64
		if i < len(infos) && infos[i] != nil && infos[i].job == c.job {
			ck = infos[i].hashKey
		} else {
			ck = value.HashOrderKey(c.job)
		}
		hs = append(hs, hashedKey{k: c.job, ck: ck})
		w++
	}
	cs = cs[:w]
	if len(hs) > 8 {
		for i := range hs {
			hs[i].i = i
		}
		slices.SortStableFunc(hs, byHashOrder)
		out := x.claims[:0] // room the claims take over later
		for _, h := range hs {
			out = append(out, cs[h.i])
		}
		copy(cs, out)
		clear(out)
	}
	x.ordered = hs
	return cs
}

// sameKey is whether two keys of a Go map keyed by ids are one: == for the
// comparable ids, Clojure = for the rest.
func sameKey(a, b value.Value) bool {
	if comparableID(a) && comparableID(b) {
		return a == b
	}
	return value.Equal(a, b)
}

// cmpF orders floats with < and >, so a NaN is equal to everything
// (cmp.Compare would put it first); eras B to D sort counts with it.
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
	x := s.scratch()
	out := grow(x.claims, len(offers))
	x.claims = out
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
