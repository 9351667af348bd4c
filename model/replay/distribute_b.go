package replay

import (
	"onyx-dashboard/model/value"
)

// distinctFastKeys reports whether the ids all have comparable keys
// (comparableID) and no two are equal.
func distinctFastKeys(ids []value.Value) bool {
	for i, x := range ids {
		if !comparableID(x) {
			return false
		}
		for _, y := range ids[:i] {
			if x == y {
				return false
			}
		}
	}
	return true
}

// bSpreadCapacity is the capacity loop of the balanced task scheduler's
// task-distribute-peer-count on task positions (distinct tasks): one peer
// at a time to the first live task with the fewest, until it is saturated
// or grouped and leaves. out holds each task's starting count and gets the
// result.
func bSpreadCapacity(tasks []value.Value, out map[value.Value]float64, sats []float64, grouped []bool, capacity float64) {
	var buf [16]float64
	cnt := buf[:0]
	for _, t := range tasks {
		cnt = append(cnt, out[t])
	}
	bSpreadAt(cnt, sats, grouped, capacity)
	for i, t := range tasks {
		out[t] = cnt[i]
	}
}

// bSpreadAt is bSpreadCapacity on the counts by position.
func bSpreadAt(cnt, sats []float64, grouped []bool, capacity float64) {
	var lbuf [16]int
	live := lbuf[:0]
	for i := range cnt {
		live = append(live, i)
	}
	for capacity > 0 && len(live) > 0 {
		best := 0
		for i := 1; i < len(live); i++ {
			if cnt[live[i]] < cnt[live[best]] {
				best = i
			}
		}
		ti := live[best]
		if cnt[ti] < sats[ti] && !grouped[ti] {
			cnt[ti]++
			capacity--
		} else {
			live = append(live[:best], live[best+1:]...)
		}
	}
}

// distributeAt is distribute as counts by position in tasks (the job's
// s.tasks): want[i] is the count of tasks[i], has[i] whether distribute's
// map has it. The balanced task scheduler on distinct comparable tasks
// works on positions; anything else goes through distribute.
func (s *bsched) distributeAt(job value.Value, n float64, tasks []value.Value, want []float64, has []bool) error {
	if info := s.info(job); info != nil && info.balanced && len(info.starts) == len(tasks) {
		return s.distributeStatic(info, n, want, has)
	}
	if mapOf(s.r.Val(kwTaskSchedulers)).Val(job) != kwBTaskSchedBalanced || !distinctFastKeys(tasks) {
		d, err := s.distribute(job, n)
		if err != nil {
			return err
		}
		for i, t := range tasks {
			want[i], has[i] = d[t]
		}
		return nil
	}
	if below, err := s.belowLower(job, n, want, has); below || err != nil {
		return err
	}
	flux, tsat, minReq := s.in(kwFluxPolicies, job), s.in(kwTaskSaturation, job), s.in(kwMinRequiredPeers, job)
	allocs := mapOf(mapOf(s.r.Val(kwAllocations)).Val(job))
	var sbuf [16]float64
	var gbuf [16]bool
	sats, grouped := sbuf[:0], gbuf[:0]
	sum := 0.0
	for i, t := range tasks {
		sat, g, w := s.balancedStart(t, flux, tsat, minReq, allocs)
		sats, grouped, want[i] = append(sats, sat), append(grouped, g), w
		sum += w
	}
	bSpreadAt(want, sats, grouped, n-sum)
	return nil
}

// belowLower marks every task of job as split and, when n peers are fewer
// than the job's lower bound, gives each none and reports it: then the
// split is done.
func (s *bsched) belowLower(job value.Value, n float64, want []float64, has []bool) (bool, error) {
	lo, err := s.lower(job)
	if err != nil {
		return false, err
	}
	for i := range has {
		has[i] = true
	}
	if n < lo {
		clear(want)
		return true, nil
	}
	return false, nil
}

// distributeStatic is distributeAt for a job with no flux policy under the
// balanced task scheduler: each task's start and saturation come from its
// definition (bJobInfo), read once.
func (s *bsched) distributeStatic(info *bJobInfo, n float64, want []float64, has []bool) error {
	if below, err := s.belowLower(info.job, n, want, has); below || err != nil {
		return err
	}
	var gbuf [16]bool
	grouped := gbuf[:0] // a task with no flux policy is never grouped
	if len(want) > len(gbuf) {
		grouped = make([]bool, 0, len(want))
	}
	grouped = grouped[:len(want)]
	sum := 0.0
	for i, w := range info.starts {
		want[i] = w
		sum += w
	}
	bSpreadAt(want, info.sats, grouped, n-sum)
	return nil
}
