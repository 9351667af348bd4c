package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The balanced task scheduler of era B (balanced_task_scheduler.clj):
// drop-peers and task-distribute-peer-count, and the percentage rescaling
// the percentage task scheduler (schedule_b_pct.go) shares.

type taskPeers struct {
	task  value.Value
	peers []value.Value
}

func (s *bsched) jobAllocs(r *value.Map, job value.Value) []taskPeers {
	return s.jobAllocsInto(nil, r, job)
}

// jobAllocsInto is jobAllocs appended to buf.
func (s *bsched) jobAllocsInto(buf []taskPeers, r *value.Map, job value.Value) []taskPeers {
	jm := mapOf(mapOf(r.Val(kwAllocations)).Val(job))
	out := slices.Grow(buf[:0], jm.Len())
	jm.Range(func(t, ps value.Value) bool {
		out = append(out, taskPeers{t, items(ps)})
		return true
	})
	return out
}

// dropPeers is cts/drop-peers of the job's task scheduler.
func (s *bsched) dropPeers(job value.Value, n int) ([]value.Value, error) {
	var buf [8]taskPeers
	allocs := s.jobAllocsInto(buf[:0], s.r, job)
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

// balancedStart is where the balanced task scheduler starts task t of a job:
// its saturation, whether its flux policy keeps the peers it has (grouped),
// and the peers it wants before the rest is spread (those it has when
// grouped, else the least of its saturation and its minimum).
func (s *bsched) balancedStart(t value.Value, flux, tsat, minReq, allocs *value.Map) (sat float64, grouped bool, want float64) {
	sat, ok := bNum(tsat.Val(t))
	if !ok {
		sat = math.Inf(1)
	}
	if flux.Val(t) != nil && len(items(allocs.Val(t))) > 0 {
		return sat, true, float64(len(items(allocs.Val(t))))
	}
	mr, ok := bNum(minReq.Val(t))
	if !ok {
		mr = math.Inf(1)
		if s.f.v08 {
			mr = 1
		}
	}
	return sat, false, math.Min(sat, mr)
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
		flux, tsat, minReq := s.in(kwFluxPolicies, job), s.in(kwTaskSaturation, job), s.in(kwMinRequiredPeers, job)
		allocs := mapOf(mapOf(s.r.Val(kwAllocations)).Val(job))
		sats := make([]float64, len(tasks))
		grouped := make([]bool, len(tasks)) // groupedInUse of each task
		sum := 0.0
		for i, t := range tasks {
			sats[i], grouped[i], out[t] = s.balancedStart(t, flux, tsat, minReq, allocs)
			sum += out[t]
		}
		capacity := n - sum
		if distinctFastKeys(tasks) {
			bSpreadCapacity(tasks, out, sats, grouped, capacity)
			return out, nil
		}
		live := slices.Clone(tasks)
		for capacity > 0 && len(live) > 0 {
			best := 0
			for i := 1; i < len(live); i++ {
				if out[live[i]] < out[live[best]] {
					best = i
				}
			}
			t := live[best]
			if out[t] < sats[best] && !grouped[best] {
				out[t]++
				capacity--
			} else {
				live = slices.Delete(live, best, best+1)
				sats = slices.Delete(sats, best, best+1)
				grouped = slices.Delete(grouped, best, best+1)
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
