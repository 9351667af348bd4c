package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The percentage task scheduler of era B (percentage_task_scheduler.clj),
// as the fixtures computed by the real 0.6.0, 0.7.14 and 0.8.3 show it —
// the same in all three:
//
//   - percentage-balanced-taskload: tasks sorted by (percentage, position);
//     a largest-remainder split of n by the rescaled percentages, equal
//     remainders going to the earlier task; a grouped task in use keeps its
//     count and a task with a flux policy gets at least its min-required;
//     no reduction when that over-allocates, no check that the split adds up
//     to n; tasks above their saturation are clamped and the rest re-split.
//   - task-distribute-peer-count: 0 everywhere below the job's lower bound;
//     else grouped tasks in use keep their count and the others split the
//     remaining peers.
//   - drop-peers: the split of the peers that stay is the target; one peer
//     at a time, the last peer of the task furthest above its target (ties:
//     the later task) goes. 0.7 and 0.8 pair the split with the tasks by
//     position (highest percentage first against allocation-map order), so
//     a clamped task's share can land on another task; 0.6.0 pairs by task.

// pctAlloc is one task of percentage-balanced-taskload's result map.
type pctAlloc struct {
	task value.Value
	pct  value.Value
	n    float64
}

// pctOrdered puts allocations in the iteration order of the Clojure map
// built by assoc'ing their tasks in this order.
func pctOrdered(as []pctAlloc) []pctAlloc {
	if len(as) <= 8 {
		return as
	}
	keys := make([]value.Value, len(as))
	for i, a := range as {
		keys[i] = a.task
	}
	out := make([]pctAlloc, 0, len(as))
	for _, k := range bMapOrder(keys) {
		for _, a := range as {
			if value.Equal(a.task, k) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

func (s *bsched) taskPct(job, task value.Value) (value.Value, error) {
	p := s.in(kwTaskPercentages, job).Val(task)
	if _, ok := bNum(p); !ok {
		return nil, errNPE
	}
	return p, nil
}

// pctLoad is percentage-balanced-taskload of 0.7–0.8.3: a largest-remainder
// split, saturated tasks clamped and the others re-split.
func (s *bsched) pctLoad(job value.Value, tasks []value.Value, n float64) ([]pctAlloc, error) {
	if n < 0 {
		return nil, crash("percentage-balanced-taskload: negative peer count (AssertionError)")
	}
	all := s.tasks(job)
	pos := func(t value.Value) int {
		return slices.IndexFunc(all, func(x value.Value) bool { return value.Equal(x, t) })
	}
	as := make([]pctAlloc, len(tasks))
	for i, t := range tasks {
		p, err := s.taskPct(job, t)
		if err != nil {
			return nil, err
		}
		as[i] = pctAlloc{task: t, pct: p}
	}
	slices.SortStableFunc(as, func(a, b pctAlloc) int {
		if c := value.Compare(a.pct, b.pct); c != 0 {
			return c
		}
		return pos(a.task) - pos(b.task)
	})
	pcts := make([]value.Value, len(as))
	for i, a := range as {
		pcts[i] = a.pct
	}
	scaled, err := bRescale(pcts)
	if err != nil {
		return nil, err
	}
	unrounded := make([]float64, len(as))
	taken := 0.0
	for i, a := range as {
		u := 0.01 * scaled[i] * n
		if s.groupedInUse(job, a.task) {
			u = float64(len(s.taskAlloc(s.r, job, a.task)))
		} else if s.in(kwFluxPolicies, job).Val(a.task) != nil {
			u = math.Max(s.numOr(kwMinRequiredPeers, job, a.task, math.Inf(1)), u)
		}
		unrounded[i] = u
		as[i].n = math.Trunc(u)
		taken += as[i].n
	}
	remaining := n - taken
	// (->> remainders (sort-by …) reverse (take remaining))
	order := make([]int, len(as))
	for i := range order {
		order[i] = i
	}
	frac := func(i int) float64 { return unrounded[i] - math.Trunc(unrounded[i]) }
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmpF(frac(a), frac(b)); c != 0 {
			return c
		}
		return pos(as[b].task) - pos(as[a].task) // position in the reversed tasks
	})
	slices.Reverse(order)
	for k := 0; float64(k) < remaining && k < len(order); k++ {
		as[order[k]].n++
	}
	var over []pctAlloc
	for _, a := range as {
		sat, ok := bNum(s.in(kwTaskSaturation, job).Val(a.task))
		if !ok {
			return nil, errNPE
		}
		if a.n > sat {
			over = append(over, pctAlloc{a.task, a.pct, sat})
		}
	}
	if len(over) == 0 {
		return pctOrdered(as), nil
	}
	over = pctOrdered(over)
	var rest []value.Value
	full := 0.0
	for _, o := range over {
		full += o.n
	}
	for _, t := range tasks {
		if !slices.ContainsFunc(over, func(o pctAlloc) bool { return value.Equal(o.task, t) }) {
			rest = append(rest, t)
		}
	}
	sub, err := s.pctLoad(job, rest, n-full)
	if err != nil {
		return nil, err
	}
	return pctOrdered(append(sub, over...)), nil
}

// pctDropPeers is drop-peers of the percentage task scheduler.
func (s *bsched) pctDropPeers(job value.Value, n int) ([]value.Value, error) {
	return s.pctDropToTarget(job, s.jobAllocs(s.r, job), n)
}

// pctDistribute is task-distribute-peer-count of the percentage scheduler.
func (s *bsched) pctDistribute(job value.Value, n float64) (map[value.Value]float64, error) {
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
	spare := n
	var rest []value.Value
	for _, t := range tasks {
		if !s.groupedInUse(job, t) {
			rest = append(rest, t)
			continue
		}
		out[t] = float64(len(s.taskAlloc(s.r, job, t)))
		spare -= out[t]
	}
	bal, err := s.pctLoad(job, rest, spare)
	if err != nil {
		return nil, err
	}
	for _, b := range bal {
		out[b.task] += b.n
	}
	return out, nil
}

// numOr is (get-in replica [k job task] dflt) as a number.
func (s *bsched) numOr(k value.Keyword, job, task value.Value, dflt float64) float64 {
	if v, ok := bNum(s.in(k, job).Val(task)); ok {
		return v
	}
	return dflt
}

// pctDropToTarget: the split of the peers that stay is the target; n times,
// the task furthest above its target (ties: the later task) drops its last
// peer.
func (s *bsched) pctDropToTarget(job value.Value, allocs []taskPeers, n int) ([]value.Value, error) {
	tasks := make([]value.Value, len(allocs))
	have := 0
	for i, a := range allocs {
		tasks[i] = a.task
		have += len(a.peers)
	}
	bal, err := s.pctLoad(job, tasks, float64(have-n))
	if err != nil {
		return nil, err
	}
	target := make([]float64, len(allocs))
	if s.f.v07 {
		// 0.7 and 0.8 pair the split, highest percentage first, with the
		// job's allocated tasks by position, not by task (the fixtures of
		// 0.7.14 and 0.8.3 sim-22 show it).
		byPct := slices.Clone(bal)
		slices.SortStableFunc(byPct, func(a, b pctAlloc) int { return value.Compare(b.pct, a.pct) })
		for i := range min(len(allocs), len(byPct)) {
			target[i] = byPct[i].n
		}
	} else {
		for i, a := range allocs {
			for _, b := range bal {
				if value.Equal(b.task, a.task) {
					target[i] = b.n
				}
			}
		}
	}
	var out []value.Value
	for range n {
		pick := -1
		for i, a := range allocs {
			if pick < 0 || float64(len(a.peers))-target[i] >= float64(len(allocs[pick].peers))-target[pick] {
				pick = i
			}
		}
		if pick < 0 || len(allocs[pick].peers) == 0 {
			break
		}
		ps := allocs[pick].peers
		out = append(out, ps[len(ps)-1])
		allocs[pick].peers = ps[:len(ps)-1]
	}
	return out, nil
}
