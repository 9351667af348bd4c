package replay

import "onyx-dashboard/model/value"

// distinctFastKeys reports whether the ids all have comparable keys
// (peerFastKey) and no two are equal.
func distinctFastKeys(ids []value.Value) bool {
	for i, x := range ids {
		if !peerFastKey(x) {
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
	var lbuf [16]int
	cnt := buf[:0]
	live := lbuf[:0]
	for i, t := range tasks {
		cnt = append(cnt, out[t])
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
	for i, t := range tasks {
		out[t] = cnt[i]
	}
}
