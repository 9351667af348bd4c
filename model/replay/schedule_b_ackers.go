package replay

import (
	"math"
	"slices"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// choose-ackers of era B (onyx-log-format.md §4.5 step 9): per job, the
// first ⌈pct% × peers⌉ of its sorted peers that are not on an exempt task,
// with the last choice kept per job task map.

func (s *bsched) exempt(r *value.Map, job, task value.Value) bool {
	if task == nil {
		return false
	}
	if containsValue(items(mapOf(r.Val(kwBExemptTasks)).Val(job)), task) {
		return true
	}
	if truthy(mapOf(r.Val(kwBAckerExcludeInputs)).Val(job)) && containsValue(items(mapOf(r.Val(kwInputTasks)).Val(job)), task) {
		return true
	}
	return truthy(mapOf(r.Val(kwBAckerExcludeOutput)).Val(job)) && containsValue(items(mapOf(r.Val(kwOutputTasks)).Val(job)), task)
}

// chooseAckers is choose-ackers: ⌈pct% × peers⌉ of the job's sorted peers,
// exempt ones removed. 0.7+ also sort-by "shares a host with an exempt
// peer", as (some #{true} statuses) — but exempt-from-acker? returns the
// task, never true, so that sort never moves a peer (the fixtures agree).
// The peers are read from src's allocations; the ackers are written into dst
// in one :ackers assoc, left untouched where a job keeps its ackers.
func (s *bsched) chooseAckers(src, dst *value.Map) *value.Map {
	if len(s.jobs) == 0 {
		return dst
	}
	var where map[value.Value]peerPlace
	if s.anyExempt(src) {
		where = map[value.Value]peerPlace{}
		mapOf(src.Val(kwAllocations)).Range(func(j, tasks value.Value) bool {
			mapOf(tasks).Range(func(t, ps value.Value) bool {
				for _, p := range items(ps) {
					where[p] = peerPlace{j, t}
				}
				return true
			})
			return true
		})
	}
	pcts := mapOf(src.Val(kwBAckerPercentage))
	allocs := mapOf(src.Val(kwAllocations))
	old := mapOf(dst.Val(kwAckers))
	var ackers *value.TransientMap // made on the first change
	prev := lastAckersB.Load()
	memo := &ackersMemoB{jobs: make([]ackersOfJobB, 0, len(s.jobs))}
	for _, job := range s.jobs {
		jm, pct := mapOf(allocs.Val(job)), pcts.Val(job)
		chosen, known := prev.lookup(jm, pct)
		if !known || where != nil {
			chosen = s.jobAckers(src, job, pct, where)
		}
		if jm != nil && where == nil {
			memo.jobs = append(memo.jobs, ackersOfJobB{jm, pct, chosen})
		}
		var cur value.Value
		if ackers != nil {
			cur = ackers.Val(job)
		} else {
			cur = old.Val(job)
		}
		if cur, ok := cur.(value.Vector); ok && value.Equal(cur, chosen) {
			continue
		}
		if ackers == nil {
			ackers = old.AsTransient()
		}
		ackers.Assoc(job, chosen)
	}
	lastAckersB.Store(memo)
	if ackers == nil {
		if old != nil {
			return dst
		}
		return dst.Assoc(kwAckers, old)
	}
	return dst.Assoc(kwAckers, ackers.Persistent())
}

// jobAckers is one job's choice: the first ⌈pct% × peers⌉ of its sorted
// peers, the exempt ones (where is nil when none can be) left out.
func (s *bsched) jobAckers(src *value.Map, job, pctV value.Value, where map[value.Value]peerPlace) value.Vector {
	if where == nil {
		if out, ok := jobAckersUUID(src, job, pctV); ok {
			return out
		}
	}
	peers := bJobPeers(src, job)
	slices.SortStableFunc(peers, value.Compare)
	pct := 10.0
	if p, ok := bNum(pctV); ok {
		pct = p
	}
	n := int(math.Ceil(0.01 * pct * float64(len(peers))))
	cands := peers
	if where != nil {
		cands = nil
		for _, p := range peers {
			pl := where[p]
			if !s.exempt(src, pl.job, pl.task) {
				cands = append(cands, p)
			}
		}
	}
	n = max(0, min(n, len(cands)))
	return value.Vector(slices.Clone(cands[:n]))
}

// peerPlace is the job and task a peer is allocated to.
type peerPlace struct{ job, task value.Value }

// The ackers of a job depend only on its task map of :allocations and its
// :acker-percentage when no task is exempt; a reconfigure changes one or two
// jobs' task maps, so the others' ackers are kept from the last choice (by
// the identity of the immutable task map). Shared by goroutines through an
// atomic pointer to an immutable record.
type ackersOfJobB struct {
	tasks  *value.Map
	pct    value.Value
	ackers value.Vector
}

type ackersMemoB struct{ jobs []ackersOfJobB }

var lastAckersB atomic.Pointer[ackersMemoB]

func (m *ackersMemoB) lookup(tasks *value.Map, pct value.Value) (value.Vector, bool) {
	if m == nil || tasks == nil {
		return nil, false
	}
	for _, a := range m.jobs {
		if a.tasks == tasks && value.Equal(a.pct, pct) {
			return a.ackers, true
		}
	}
	return nil, false
}

// anyExempt reports whether exempt-from-acker? can be true for a task of a
// job in r's allocations: some job lists exempt tasks or excludes its
// non-empty inputs or outputs.
func (s *bsched) anyExempt(r *value.Map) bool {
	known := len(s.infos) > 0 // the jobs' infos hold the answer for r's maps too
	for _, k := range bExemptKeys {
		known = known && value.SameRef(r.Val(k), s.r.Val(k))
	}
	if known {
		found := false
		mapOf(r.Val(kwAllocations)).Range(func(j, _ value.Value) bool {
			if info := s.info(j); info != nil {
				found = info.exempt
			} else {
				found = s.exemptJob(r, j)
			}
			return !found
		})
		return found
	}
	found := false
	mapOf(r.Val(kwAllocations)).Range(func(j, _ value.Value) bool {
		found = s.exemptJob(r, j)
		return !found
	})
	return found
}

// exemptJob is anyExempt's test of one job of r.
func (s *bsched) exemptJob(r *value.Map, j value.Value) bool {
	exempt, inputs, outputs := mapOf(r.Val(kwBExemptTasks)), mapOf(r.Val(kwInputTasks)), mapOf(r.Val(kwOutputTasks))
	exIn, exOut := mapOf(r.Val(kwBAckerExcludeInputs)), mapOf(r.Val(kwBAckerExcludeOutput))
	return len(items(exempt.Val(j))) > 0 ||
		(truthy(exIn.Val(j)) && len(items(inputs.Val(j))) > 0) ||
		(truthy(exOut.Val(j)) && len(items(outputs.Val(j))) > 0)
}
