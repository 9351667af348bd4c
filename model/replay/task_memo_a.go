package replay

import (
	"math"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The task a volunteer gets depends, besides :allocations, on parts of the
// replica a run of volunteers leaves alone: :tasks, :completions,
// :sealing-task, :task-saturation and :task-schedulers. For the last such
// parts seen, each job's candidate tasks, its task scheduler and its tasks'
// saturation limits are kept as jobs are asked for; like the other era A
// memos this is a pure cache, shared through atomic pointers to records
// that are never changed once published.

// taskMemoA holds the jobs worked out for one set of parts. A seal-task
// changes only :sealing-task, which rarely changes a job's candidates, and a
// submit-job adds a job, which changes no other job's: the jobs of the memo
// it replaced are kept as stale, each to be reused when a check finds its
// scheduler and saturation map the same and its candidates the same (or
// fewer: then its limits are narrowed to them).
type taskMemoA struct {
	parts [5]value.Value
	jobs  atomic.Pointer[[]*taskJobA] // copy-on-write
	stale []*taskJobA                 // the memo before's jobs, to be checked
	// staleSame: the memo before had the same :task-saturation and
	// :task-schedulers, so only the stale jobs' candidates need a check
	staleSame bool
}

// taskJobA is one job's task choice inputs.
type taskJobA struct {
	job      value.Value
	sched    value.Value   // (get :task-schedulers job)
	satV     value.Value   // (get :task-saturation job), the limits' source
	cands    []value.Value // taskCandidatesA
	limits   []float64     // each candidate's :task-saturation, +Inf without one
	limitErr error         // the crash roundRobinTaskA reports for a bad limit
}

var lastTaskMemoA atomic.Pointer[taskMemoA]

func taskJobOfA(r *value.Map, job value.Value) *taskJobA {
	return taskMemoOfA(r).job(r, job)
}

// taskMemoOfA is the memo for r's parts, the last one or a new one.
func taskMemoOfA(r *value.Map) *taskMemoA {
	parts := [5]value.Value{r.Val(kwTasks), r.Val(kwCompletions), r.Val(kwSealingTask), r.Val(kwTaskSaturation), r.Val(kwTaskSchedulers)}
	m := lastTaskMemoA.Load()
	if m == nil || !sameValues(m.parts[:], parts[:]) {
		next := &taskMemoA{parts: parts}
		if m != nil {
			if list := m.jobs.Load(); list != nil {
				next.stale = *list
				next.staleSame = sameValues(m.parts[3:], parts[3:])
			}
		}
		m = next
		lastTaskMemoA.Store(m)
	}
	return m
}

// job is job's task choice inputs in r, whose parts are m's.
func (m *taskMemoA) job(r *value.Map, job value.Value) *taskJobA {
	if tj := findTaskJobA(m.jobs.Load(), job); tj != nil {
		return tj
	}
	tj := findTaskJobA(&m.stale, job)
	if tj != nil {
		tj = tj.reusedIn(r, m.staleSame)
	}
	if tj == nil {
		tj = newTaskJobA(r, job)
	}
	for {
		old := m.jobs.Load()
		var list []*taskJobA
		if old != nil {
			list = append(list, *old...)
		}
		list = append(list, tj)
		if m.jobs.CompareAndSwap(old, &list) {
			return tj
		}
	}
}

func findTaskJobA(list *[]*taskJobA, job value.Value) *taskJobA {
	if list == nil {
		return nil
	}
	for _, tj := range *list {
		if value.Equal(tj.job, job) {
			return tj
		}
	}
	return nil
}

// reusedIn is tj, a job of an earlier memo, for r: tj itself when its
// inputs are the same in r, tj narrowed to fewer candidates when only some
// of its tasks stopped being candidates, nil when it must be worked out anew.
// sameSat says r has the :task-saturation and :task-schedulers tj was
// worked out from.
func (tj *taskJobA) reusedIn(r *value.Map, sameSat bool) *taskJobA {
	if tj.limitErr != nil {
		return nil
	}
	if !sameSat && (!value.SameRef(mapAt(r, kwTaskSchedulers).Val(tj.job), tj.sched) ||
		!value.SameRef(mapAt(r, kwTaskSaturation).Val(tj.job), tj.satV)) {
		return nil
	}
	var buf [8]value.Value
	cands := appendTaskCandidatesA(buf[:0], r, tj.job)
	if sameIDsA(cands, tj.cands) {
		return tj
	}
	limits := make([]float64, len(cands))
	for i, c := range cands {
		k := -1
		if comparableID(c) {
			for j, t := range tj.cands {
				if t == c {
					k = j
					break
				}
			}
		}
		if k < 0 {
			return nil
		}
		limits[i] = tj.limits[k]
	}
	return &taskJobA{job: tj.job, sched: tj.sched, satV: tj.satV, cands: append([]value.Value(nil), cands...), limits: limits}
}

func newTaskJobA(r *value.Map, job value.Value) *taskJobA {
	satV := mapAt(r, kwTaskSaturation).Val(job)
	tj := &taskJobA{job: job, sched: mapAt(r, kwTaskSchedulers).Val(job), satV: satV, cands: taskCandidatesA(r, job)}
	sat := mapOf(satV)
	tj.limits = make([]float64, len(tj.cands))
	for i, t := range tj.cands {
		tj.limits[i] = math.Inf(1)
		if v := sat.Val(t); v != nil {
			l, _, ok := numberOf(v)
			if !ok {
				if tj.limitErr == nil {
					tj.limitErr = crash(":task-saturation of %s is %s, not a number", show(t), show(v))
				}
				continue
			}
			tj.limits[i] = l
		}
	}
	return tj
}
