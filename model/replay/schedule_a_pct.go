package replay

import (
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// The percentage schedulers of era A (0.5.3's percentage job and task
// schedulers, onyx-log-format.md §4.3, Corrections 5): jobs and tasks sorted
// by percentage, each given ⌊pct% × peers⌋.

// pctItem is one job or task in percentage order.
type pctItem struct {
	id  value.Value
	pct value.Value
	pos int // index in the original order
}

// sortByPct orders ids by percentage, highest first, ties in original order:
// (reverse (sort-by (juxt :pct :position) …)) over the reversed, indexed ids.
func sortByPct(ids []value.Value, pcts *value.Map) []pctItem {
	out := make([]pctItem, len(ids))
	for i, id := range ids {
		out[i] = pctItem{id: id, pct: pcts.Val(id), pos: i}
	}
	slices.SortStableFunc(out, func(a, b pctItem) int {
		if c := value.Compare(b.pct, a.pct); c != 0 {
			return c
		}
		return a.pos - b.pos
	})
	return out
}

// floorPct is (int (Math/floor (* (* 0.01 pct) n))).
func floorPct(pct value.Value, n int) (float64, error) {
	p, _, ok := numberOf(pct)
	if !ok {
		return 0, crash("percentage %s is not a number (NullPointerException)", show(pct))
	}
	return math.Floor(0.01 * p * float64(n)), nil
}

// percentageJobA is the 0.5.3 percentage job scheduler. Jobs are sorted by
// percentage; the longest prefix summing to ≤ 100 gets ⌊pct% × peers⌋ each, the
// rest to the first. The first executable job below its share wins. Onyx
// throws (NPE) when the scan reaches a job without a share, and when no job
// is kept at all (Corrections 5).
func percentageJobA(r *value.Map, at *allocationsA) (value.Value, bool, error) {
	sorted := sortByPct(items(r.Val(kwJobs)), mapAt(r, kwPercentages))
	nPeers := countOf(r.Val(kwPeers))
	var kept []pctItem
	sum := 0.0
	for _, it := range sorted {
		p, _, ok := numberOf(it.pct)
		if !ok {
			return nil, false, crash("percentage of job %s is %s (NullPointerException)", show(it.id), show(it.pct))
		}
		if sum+p > 100 {
			break
		}
		sum += p
		kept = append(kept, it)
	}
	if len(kept) == 0 {
		return nil, false, crash("percentage job scheduler: no job fits in 100%% (NullPointerException)")
	}
	alloc := make([]float64, len(kept))
	used := 0.0
	for i, it := range kept {
		a, err := floorPct(it.pct, nPeers)
		if err != nil {
			return nil, false, err
		}
		alloc[i], used = a, used+a
	}
	alloc[0] += float64(nPeers) - used
	for _, j := range executableOf(r) {
		want, ok := 0.0, false
		for i, it := range kept {
			if value.Equal(it.id, j) {
				want, ok = alloc[i], true
			}
		}
		if !ok {
			return nil, false, crash("percentage job scheduler: job %s has no share (NullPointerException)", show(j))
		}
		if float64(at.count(j)) < want {
			return j, true, nil
		}
	}
	return nil, false, nil
}

// percentageTaskA: with total = distinct peers on the job plus the volunteer,
// the first candidate (by percentage) below ⌊total × pct%⌋, else the first.
func percentageTaskA(r *value.Map, job, peer value.Value, cands []value.Value) (value.Value, error) {
	if len(cands) == 0 {
		return nil, crash("percentage task scheduler: no candidate task (NullPointerException)")
	}
	allocs := mapAt(mapAt(r, kwAllocations), job)
	var onJob []value.Value
	allocs.Range(func(_, peers value.Value) bool {
		for _, p := range items(peers) {
			if !containsValue(onJob, p) {
				onJob = append(onJob, p)
			}
		}
		return true
	})
	if !containsValue(onJob, peer) {
		onJob = append(onJob, peer)
	}
	total := len(onJob)
	sorted := sortByPct(cands, mapAt(mapAt(r, kwTaskPercentages), job))
	required := make([]float64, len(sorted))
	for i, it := range sorted {
		n, err := floorPct(it.pct, total)
		if err != nil {
			return nil, err
		}
		required[i] = n
	}
	for i, it := range sorted {
		if float64(countOf(allocs.Val(it.id))) < required[i] {
			return it.id, nil
		}
	}
	return sorted[0].id, nil
}
