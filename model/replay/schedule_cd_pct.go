package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The percentage task scheduler of eras C and D
// (percentage_task_scheduler.clj): grouped tasks in use keep their count, the
// others share the rest by :task-percentages with a largest-remainder split;
// a task above its saturation is clamped and the others re-split.

type cdPctTask struct {
	idx   int // position in the job's tasks
	task  value.Value
	pct   float64
	alloc int
}

func (s *cdsched) pctDistribute(job value.Value, tasks []value.Value, n float64) ([]int, error) {
	out := make([]int, len(tasks))
	var rest []int
	spare := n
	for i, t := range tasks {
		if s.groupedInUse(job, t) {
			out[i] = s.count(job, t)
			spare -= float64(out[i])
		} else {
			rest = append(rest, i)
		}
	}
	got, err := s.pctLoad(job, tasks, rest, int(spare))
	if err != nil {
		return nil, err
	}
	for i, a := range got {
		out[i] = a
	}
	return out, nil
}

// pctLoad is percentage-balanced-taskload over the task positions cands.
func (s *cdsched) pctLoad(job value.Value, tasks []value.Value, cands []int, n int) (map[int]int, error) {
	out := map[int]int{}
	if len(cands) == 0 {
		return out, nil
	}
	ts := make([]cdPctTask, len(cands))
	total := 0.0
	for k, i := range cands {
		pv := s.in(kwTaskPercentages, job).Val(tasks[i])
		if pv == nil {
			return nil, crash("task %s of job %s has no percentage", show(tasks[i]), show(job))
		}
		ts[k] = cdPctTask{idx: i, task: tasks[i], pct: cdNum(pv, 0)}
		total += ts[k].pct
	}
	if total == 0 {
		return nil, crash("task percentages of job %s sum to zero", show(job))
	}
	slices.SortStableFunc(ts, func(a, b cdPctTask) int {
		if c := cmpF(a.pct, b.pct); c != 0 {
			return c
		}
		return a.idx - b.idx
	})
	s.largestRemainder(job, ts, n, total/100)
	over := map[int]int{}
	sum := 0
	for _, t := range ts {
		sat := cdNum(s.in(kwTaskSaturation, job).Val(t.task), math.Inf(1))
		if float64(t.alloc) > sat {
			over[t.idx] = int(sat)
			sum += int(sat)
		}
	}
	if len(over) == 0 {
		for _, t := range ts {
			out[t.idx] = t.alloc
		}
		return out, nil
	}
	var left []int
	for _, i := range cands {
		if _, ok := over[i]; !ok {
			left = append(left, i)
		}
	}
	sub, err := s.pctLoad(job, tasks, left, n-sum)
	if err != nil {
		return nil, err
	}
	for i, a := range sub {
		over[i] = a
	}
	return over, nil
}

// largestRemainder is largest-remainder-allocations: integer parts first,
// then one more to the largest fractional parts (ties: the earlier task).
func (s *cdsched) largestRemainder(job value.Value, ts []cdPctTask, n int, scale float64) {
	unrounded := make([]float64, len(ts))
	taken := 0
	for k := range ts {
		x := 0.01 * (ts[k].pct / scale) * float64(n)
		if s.in(kwFluxPolicies, job).Val(ts[k].task) != nil {
			x = math.Max(cdNum(s.in(kwMinRequiredPeers, job).Val(ts[k].task), math.Inf(1)), x)
		}
		unrounded[k] = x
		ts[k].alloc = int(x)
		taken += ts[k].alloc
	}
	remaining := n - taken
	if remaining < 0 { // reduce-overallocated-peers: one peer off the largest
		big := 0
		for k := range ts {
			if ts[k].alloc >= ts[big].alloc {
				big = k
			}
		}
		ts[big].alloc--
		return
	}
	order := make([]int, len(ts))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := unrounded[a]-math.Trunc(unrounded[a]), unrounded[b]-math.Trunc(unrounded[b])
		if c := cmpF(fb, fa); c != 0 {
			return c
		}
		return ts[a].idx - ts[b].idx
	})
	for _, k := range order[:min(remaining, len(order))] {
		ts[k].alloc++
	}
}
