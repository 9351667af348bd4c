package replay

import (
	"math"
	"slices"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The plan of eras C and D (offers, claims, spare peers, per-task counts) is
// plain arithmetic over the jobs' requirements and the number of peers. When
// no job of :jobs has flux policies, required tags or the colocated task
// scheduler, and the job scheduler is greedy or balanced, nothing else goes
// in: the plan is kept per count of peers for as long as :jobs and the
// per-job maps it reads are the same values (by identity: replicas are
// immutable). A busy log adds and removes peers around a steady count, so
// most entries find their plan here.

// cdPlanParts are the replica keys a simple plan reads besides :jobs and
// the count of peers.
var cdPlanParts = [...]value.Keyword{kwJobScheduler, kwTasks, kwSaturation, kwTaskSaturation,
	kwMinRequiredPeers, kwFluxPolicies, kwCDRequired, kwTaskSchedulers, kwPercentages, kwTaskPercentages}

// cdPlan is one computed plan.
type cdPlan struct {
	plan []*cdJob
	util []cdCount
	buf  *cdPlanBuf // where plan and util live (nil: their own)
}

// cdPlanBuf is the memory of one memoized plan. A memo drops its plans
// whenever :jobs changes (every few entries of a busy log) and keeps their
// buffers for the next ones; the reconfiguration that holds the memo is the
// only one reading its plans, so a buffer is free once its plan is dropped.
type cdPlanBuf struct {
	offers []cdCount
	cj     []cdJob
	plan   []*cdJob
	all    []int
}

// dropPlans empties pm.plans, keeping their buffers and the map.
func (pm *cdPlanMemo) dropPlans() {
	for _, p := range pm.plans {
		if p.buf != nil && len(pm.free) < 64 {
			pm.free = append(pm.free, p.buf)
		}
	}
	clear(pm.plans)
}

// takeBuf is a plan buffer of pm, a new one when none is free.
func (pm *cdPlanMemo) takeBuf() *cdPlanBuf {
	if n := len(pm.free); n > 0 {
		b := pm.free[n-1]
		pm.free[n-1] = nil
		pm.free = pm.free[:n-1]
		return b
	}
	return new(cdPlanBuf)
}

type cdPlanMemo struct {
	f     cdflags
	parts [len(cdPlanParts)]value.Value
	// per job, while its cdJobSrc is the same: no flux policies, tags or
	// colocation (simple), and what planCD reads of a simple job (static);
	// kept across memos, a job's entries change rarely
	simple map[value.Value]cdSimpleMemo
	static map[value.Value]*cdJobMemo
	jobs   []value.Value // the :jobs plans is for
	easy   bool          // every job of jobs is simple, without repeats
	order  []int         // jobs in map order (cdMapOrder), when easy
	// statics are the static memos of jobs, when easy
	statics []*cdJobMemo
	plans   map[int]cdPlan // by count of peers
	free    []*cdPlanBuf   // the buffers of dropped plans
}

// cdJobSrcKeys are the replica keys whose entry for a job decide whether
// the job is simple and what planCD reads of it.
var cdJobSrcKeys = [...]value.Keyword{kwTasks, kwSaturation, kwTaskSaturation, kwMinRequiredPeers,
	kwFluxPolicies, kwCDRequired, kwTaskSchedulers}

// cdJobSrc is a job's entries of cdJobSrcKeys.
type cdJobSrc [len(cdJobSrcKeys)]value.Value

func jobSrcCD(r *cdRep, j value.Value) cdJobSrc {
	var src cdJobSrc
	for i, k := range cdJobSrcKeys {
		src[i] = r.mapAt(k).Val(j)
	}
	return src
}

// cdSimpleMemo is whether a job is simple, and the entries that decided it.
type cdSimpleMemo struct {
	ok  bool
	src cdJobSrc
}

// lastPlanCD is taken by a reconfiguration and put back after it, so no two
// goroutines share its maps.
var lastPlanCD atomic.Pointer[cdPlanMemo]

// planCD computes the plan of jobs (all of :jobs) for s, or takes it from
// the memo. simple reports that the plan depends on nothing but the memo's
// parts: no flux policies, no required tags. The plan lives in pm, which the
// caller hands back with lastPlanCD.Store once it is done with the plan.
func planCD(s *cdsched, jobs []value.Value) (p cdPlan, simple bool, pm *cdPlanMemo, err error) {
	pm = lastPlanCD.Swap(nil)
	var parts [len(cdPlanParts)]value.Value
	for i, k := range cdPlanParts {
		parts[i] = s.r.Val(k)
	}
	fresh := pm == nil || pm.f != s.f
	for i := range parts {
		fresh = fresh || !value.SameRef(pm.parts[i], parts[i])
	}
	if fresh {
		last := pm
		if last == nil {
			pm = &cdPlanMemo{}
		} else { // the memo is ours alone: reuse it, its maps and buffers
			last.dropPlans()
			if last.f != s.f || len(last.static) > 64 || len(last.simple) > 64 {
				last.simple, last.static = nil, nil
			}
			*last = cdPlanMemo{simple: last.simple, static: last.static, plans: last.plans, free: last.free}
		}
		pm.f, pm.parts = s.f, parts
		if pm.simple == nil {
			pm.simple, pm.static = map[value.Value]cdSimpleMemo{}, map[value.Value]*cdJobMemo{}
		}
	}
	if fresh || !sameBackingCD(pm.jobs, jobs) {
		pm.dropPlans()
		pm.jobs, pm.order, pm.statics = jobs, nil, nil
		pm.easy = pm.isEasy(s, jobs)
		if pm.easy && len(jobs) > 8 {
			pm.order = make([]int, 0, len(jobs))
			for _, k := range cdMapOrder(jobs) {
				pm.order = append(pm.order, slices.Index(jobs, k))
			}
		}
	}
	if pm.easy {
		if len(jobs) <= 32 {
			if pm.statics == nil { // a new slice: runs may still read the last
				pm.statics = make([]*cdJobMemo, len(jobs))
				for i, j := range jobs {
					pm.statics[i] = pm.staticJob(s.r, j)
				}
			}
			s.statics = pm.statics
		}
		s.jobOrder = pm.order
		if p, ok := pm.plans[len(s.peers)]; ok {
			return p, true, pm, nil
		}
	}
	var buf *cdPlanBuf
	if pm.easy {
		buf = pm.takeBuf()
	}
	p, err = computePlanCD(s, jobs, buf)
	if err != nil {
		if buf != nil {
			pm.free = append(pm.free, buf)
		}
		return cdPlan{}, false, pm, err
	}
	if pm.easy {
		if pm.plans == nil {
			pm.plans = map[int]cdPlan{}
		}
		pm.plans[len(s.peers)] = p
	}
	return p, pm.easy, pm, nil
}

func (pm *cdPlanMemo) isEasy(s *cdsched, jobs []value.Value) bool {
	if js := s.r.Val(kwJobScheduler); js != kwCDJobGreedy && js != kwCDJobBalanced {
		return false
	}
	for i, j := range jobs {
		if !cdFastKey(j) {
			return false
		}
		for _, k := range jobs[:i] {
			if k == j {
				return false
			}
		}
		src := jobSrcCD(s.r, j)
		sm, known := pm.simple[j]
		ok := sm.ok
		if !known || !sameRefsCD(sm.src[:], src[:]) {
			ok = s.in(kwFluxPolicies, j).Len() == 0 && s.in(kwCDRequired, j).Len() == 0 &&
				s.r.mapAt(kwTaskSchedulers).Val(j) != kwCDTaskColoc
			pm.simple[j] = cdSimpleMemo{ok, src}
		}
		if !ok {
			return false
		}
	}
	return true
}

// computePlanCD is the arithmetic of reconfigure-cluster-workload for all of
// jobs: job offers, claims, spare peers and the per-task counts. The plan is
// written into buf when it is not nil.
func computePlanCD(s *cdsched, jobs []value.Value, buf *cdPlanBuf) (cdPlan, error) {
	if buf == nil {
		buf = new(cdPlanBuf)
	}
	offers, err := s.offersInto(jobs, buf.offers)
	if err != nil {
		return cdPlan{}, err
	}
	buf.offers = offers
	claims, spare := s.claims(offers)
	util := s.claimSpare(claims, spare)
	nTasks := 0
	for _, j := range jobs {
		nTasks += len(s.tasks(j))
	}
	buf.cj = slices.Grow(buf.cj[:0], len(jobs))[:len(jobs)]
	buf.plan = slices.Grow(buf.plan[:0], len(jobs))[:len(jobs)]
	buf.all = slices.Grow(buf.all[:0], nTasks)[:nTasks]
	cj, plan, all := buf.cj, buf.plan, buf.all // every job's counts, one after the other
	for i, j := range jobs {
		n, _ := cdGet(util, j)
		k := len(s.tasks(j))
		counts, err := s.distributeInto(j, n, all[:k:k])
		all = all[k:]
		if err != nil {
			return cdPlan{}, err
		}
		cj[i] = cdJob{id: j, tasks: s.tasks(j), util: n, planned: counts}
		plan[i] = &cj[i]
	}
	return cdPlan{plan, util, buf}, nil
}

// staticJob is what the scheduler reads of a simple job: with no flux
// policy no task is a grouped task in use, so job-upper-bound is the
// :saturation and job-lower-bound the sum of :min-required-peers (as upperOf
// and lowerOf compute them then), for as long as the memo's parts are the same.
func (pm *cdPlanMemo) staticJob(r *cdRep, j value.Value) *cdJobMemo {
	src := jobSrcCD(r, j)
	if m := pm.static[j]; m != nil && sameRefsCD(m.src[:], src[:]) {
		return m
	}
	tasks := items(r.mapAt(kwTasks).Val(j))
	minReq := mapOf(r.mapAt(kwMinRequiredPeers).Val(j))
	taskSat := mapOf(r.mapAt(kwTaskSaturation).Val(j))
	m := &cdJobMemo{job: j, tasks: tasks, simple: true, hasLower: true, hasUpper: true,
		hasSched: true, sched: r.mapAt(kwTaskSchedulers).Val(j), src: src,
		upper: cdNum(r.mapAt(kwSaturation).Val(j), math.Inf(1)),
		sat:   make([]float64, len(tasks)), minReq: make([]float64, len(tasks))}
	minReq.Range(func(_, n value.Value) bool {
		m.lower += cdNum(n, 0)
		return true
	})
	for i, t := range tasks {
		m.sat[i] = cdNum(taskSat.Val(t), math.Inf(1))
		m.minReq[i] = cdNum(minReq.Val(t), 1)
	}
	pm.static[j] = m
	return m
}
