package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The percentage task scheduler of era B (percentage_task_scheduler.clj).
// It changed in every release of the era, so each release has its variant:
//
//	pctV060: a floor split, the leftover to the task with the largest
//	         percentage; spare peers handed out round-robin in task order.
//	pctV07:  a largest-remainder split (ties: the later task) with
//	         saturated tasks clamped and the rest re-split; distribution
//	         starts each task at min(saturation, min-required) and splits
//	         the spare peers over the tasks (0.7.x).
//	pctV08:  as pctV07, but grouped tasks in use keep their count and the
//	         others split all remaining peers (0.8.x).
type pctVariant int

const (
	pctV060 pctVariant = iota
	pctV07
	pctV08
)

// pctRules are the knobs in which the releases differ.
type pctRules struct {
	dist       pctVariant // task-distribute-peer-count
	load060    bool       // 0.6.0-style floor split in drop-peers
	sortTasks  bool       // tasks-by-pct sorts by (pct, task position)
	tieEarlier bool       // equal remainders: the earlier task first
	groupedMin bool       // grouped tasks keep their count, flux tasks ≥ min-required
	post       bool       // :post (= n (sum allocations))
	cycle      bool       // drop-peers cycles over the tasks n times
	overalloc  bool       // reduce-overallocated-peers
	dropTarget bool       // drop-peers drops towards the split of the peers that stay
}

// The fixtures pin these down: the same split in every release of era B
// (0.6.0's own floor split is not what the real 0.6.0 jar computes).
var pctRulesByEra = map[string]pctRules{
	"0.6": {dist: pctV08, sortTasks: true, tieEarlier: true, groupedMin: true, overalloc: true, dropTarget: true},
	"0.7": {dist: pctV08, sortTasks: true, tieEarlier: true, groupedMin: true, overalloc: true, dropTarget: true},
	"0.8": {dist: pctV08, sortTasks: true, tieEarlier: true, groupedMin: true, overalloc: true, dropTarget: true},
}

func (s *bsched) pctRules() pctRules {
	switch {
	case s.f.v08:
		return pctRulesByEra["0.8"]
	case s.f.v07:
		return pctRulesByEra["0.7"]
	}
	return pctRulesByEra["0.6"]
}

func (s *bsched) pctVariant() pctVariant { return s.pctRules().dist }

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

// pctLoad060 is 0.6.0's percentage-balanced-taskload: tasks by percentage
// (highest first, ties: the earlier task), ⌊pct% × n⌋ each, the leftover to
// the first.
func (s *bsched) pctLoad060(job value.Value, tasks []value.Value, n float64) ([]pctAlloc, error) {
	as := make([]pctAlloc, len(tasks))
	for i, t := range tasks {
		p, err := s.taskPct(job, t)
		if err != nil {
			return nil, err
		}
		as[i] = pctAlloc{task: t, pct: p}
	}
	// (reverse (sort-by (juxt :pct :position) (map-indexed … (reverse tasks))))
	slices.Reverse(as)
	slices.SortStableFunc(as, func(a, b pctAlloc) int { return value.Compare(a.pct, b.pct) })
	slices.Reverse(as)
	used := 0.0
	for i := range as {
		p, _ := bNum(as[i].pct)
		as[i].n = math.Floor(0.01 * p * n)
		used += as[i].n
	}
	if len(as) == 0 {
		return nil, errNPE // (update-in [] [0 :allocation] + left-over)
	}
	as[0].n += n - used
	return pctOrdered(as), nil
}

// pctLoad is percentage-balanced-taskload of 0.7–0.8.3: a largest-remainder
// split, saturated tasks clamped and the others re-split.
func (s *bsched) pctLoad(job value.Value, tasks []value.Value, n float64) ([]pctAlloc, error) {
	rules := s.pctRules()
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
	if rules.sortTasks {
		slices.SortStableFunc(as, func(a, b pctAlloc) int {
			if c := value.Compare(a.pct, b.pct); c != 0 {
				return c
			}
			return pos(a.task) - pos(b.task)
		})
	}
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
		if rules.groupedMin {
			if s.groupedInUse(job, a.task) {
				u = float64(len(s.taskAlloc(s.r, job, a.task)))
			} else if s.in(kwFluxPolicies, job).Val(a.task) != nil {
				u = math.Max(s.numOr(kwMinRequiredPeers, job, a.task, math.Inf(1)), u)
			}
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
		if c := cmpF(frac(a), frac(b)); c != 0 || !rules.tieEarlier {
			return c
		}
		return pos(as[b].task) - pos(as[a].task) // position in the reversed tasks
	})
	slices.Reverse(order)
	if remaining < 0 && rules.overalloc && len(as) > 0 {
		// reduce-overallocated-peers: the task with the most peers (the
		// last of equals) gives one back, once.
		most := 0
		for i := range as {
			if as[i].n >= as[most].n {
				most = i
			}
		}
		as[most].n--
	}
	for k := 0; float64(k) < remaining && k < len(order); k++ {
		as[order[k]].n++
	}
	var over []pctAlloc
	sum := 0.0
	for _, a := range as {
		sat, ok := bNum(s.in(kwTaskSaturation, job).Val(a.task))
		if !ok {
			return nil, errNPE
		}
		if a.n > sat {
			over = append(over, pctAlloc{a.task, a.pct, sat})
		}
		sum += a.n
	}
	if len(over) == 0 {
		if rules.post && sum != n {
			return nil, crash("percentage-balanced-taskload: allocation does not add up (AssertionError)")
		}
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
	out := pctOrdered(append(sub, over...))
	if rules.post {
		sum = 0
		for _, a := range out {
			sum += a.n
		}
		if sum != n {
			return nil, crash("percentage-balanced-taskload: allocation does not add up (AssertionError)")
		}
	}
	return out, nil
}

func (s *bsched) pctLoadFor(job value.Value, tasks []value.Value, n float64) ([]pctAlloc, error) {
	if s.pctRules().load060 {
		return s.pctLoad060(job, tasks, n)
	}
	return s.pctLoad(job, tasks, n)
}

// pctDropPeers is drop-peers of the percentage task scheduler: the split of
// n over the job's allocated tasks, and for each task (0.7+: cycling through
// the tasks n times) all of its peers but the last `allocation`.
func (s *bsched) pctDropPeers(job value.Value, n int) ([]value.Value, error) {
	allocs := s.jobAllocs(s.r, job)
	if s.pctRules().dropTarget {
		return s.pctDropToTarget(job, allocs, n)
	}
	tasks := make([]value.Value, len(allocs))
	for i, a := range allocs {
		tasks[i] = a.task
	}
	bal, err := s.pctLoadFor(job, tasks, float64(n))
	if err != nil {
		return nil, err
	}
	pick := bal
	if s.pctRules().cycle {
		pick = nil
		for i := 0; i < n && len(bal) > 0; i++ {
			pick = append(pick, bal[i%len(bal)])
		}
	}
	var out []value.Value
	for _, b := range pick {
		ps := s.taskAlloc(s.r, job, b.task)
		if k := len(ps) - int(math.Ceil(b.n)); k > 0 {
			out = append(out, ps[:k]...)
		}
	}
	return out, nil
}

// pctDistribute is task-distribute-peer-count of the percentage scheduler.
func (s *bsched) pctDistribute(job value.Value, n float64) (map[value.Value]float64, error) {
	tasks := s.tasks(job)
	out := make(map[value.Value]float64, len(tasks))
	if s.pctVariant() == pctV060 {
		return s.pctDistribute060(job, tasks, n, out)
	}
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
		switch {
		case s.groupedInUse(job, t):
			out[t] = float64(len(s.taskAlloc(s.r, job, t)))
		case s.pctVariant() == pctV07:
			out[t] = math.Min(s.numOr(kwTaskSaturation, job, t, math.Inf(1)), s.numOr(kwMinRequiredPeers, job, t, math.Inf(1)))
			rest = append(rest, t)
		default:
			rest = append(rest, t)
			continue
		}
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

// pctDistribute060: ⌊n × pct%⌋ per task capped at its saturation, then the
// spare peers one at a time round-robin over the tasks in order, a task
// leaving the round once saturated.
func (s *bsched) pctDistribute060(job value.Value, tasks []value.Value, n float64, out map[value.Value]float64) (map[value.Value]float64, error) {
	spare := n
	for _, t := range tasks {
		p, err := s.taskPct(job, t)
		if err != nil {
			return nil, err
		}
		f, _ := bNum(p)
		out[t] = math.Min(s.numOr(kwTaskSaturation, job, t, math.Inf(1)), math.Trunc(n*f*0.01))
		spare -= out[t]
	}
	queue := slices.Clone(tasks)
	for spare > 0 && len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if out[t] < s.numOr(kwTaskSaturation, job, t, math.Inf(1)) {
			out[t]++
			spare--
			queue = append(queue, t)
		}
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
	for i, a := range allocs {
		for _, b := range bal {
			if value.Equal(b.task, a.task) {
				target[i] = b.n
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
