package timeline

import (
	"onyx-dashboard/model/value"
)

// Metric is a number charted over the log.
type Metric uint8

const (
	MetricPeers         Metric = iota // peers in :peers
	MetricJobsWaiting                 // live jobs without peers
	MetricJobsRunning                 // live jobs with peers
	MetricJobsCompleted               // completed jobs the replica still lists
	MetricJobsKilled                  // killed jobs the replica still lists
	MetricJobPeers                    // peers of one job (Series' job argument)
	numMetrics
)

var metricNames = [numMetrics]string{"peers", "jobs-waiting", "jobs-running", "jobs-completed", "jobs-killed", "job-peers"}

func (m Metric) String() string {
	if m < numMetrics {
		return metricNames[m]
	}
	return "metric?"
}

// Point is a step of a series: Value holds from Pos until the next point.
// Pos -1 is the origin.
type Point struct {
	Pos   int
	Seq   int64
	Time  int64 // the entry's ctime in epoch ms; 0 for the origin or unknown
	Value int
}

type step struct{ pos, val int32 }

// series keeps each metric as its change points, computed while appending.
type series struct {
	global  [MetricJobPeers][]step
	perJob  map[int32][]step
	present map[int32]bool // jobs the last replica listed
}

func newSeries() series { return series{perJob: map[int32][]step{}} }

func push(s []step, pos, val int) []step {
	if len(s) > 0 && s[len(s)-1].val == int32(val) {
		return s
	}
	if len(s) > 0 && s[len(s)-1].pos == int32(pos) {
		s[len(s)-1].val = int32(val)
		return s
	}
	return append(s, step{int32(pos), int32(val)})
}

// addOrigin records the metrics of the origin replica m (pos -1).
func (s *series) addOrigin(m *value.Map, ids *ids) {
	s.global[MetricPeers] = push(s.global[MetricPeers], -1, len(value.Items(m.Val(kPeers))))
	s.addFull(-1, m, ids)
}

// add records the metrics after pos when the keys they read changed (dx).
// bv and av are the job views of before and after; inc says av was made
// from bv (jobview.go), so that only the jobs the entry touched are looked
// at.
func (s *series) add(pos int, dx *entryDiff, ids *ids, bv, av *jobView, inc bool) {
	if !dx.same(rPeers) {
		s.global[MetricPeers] = push(s.global[MetricPeers], pos, len(value.Items(dx.afterVal(rPeers))))
	}
	if !dx.jobsChanged() {
		return
	}
	if !inc {
		s.addFull(pos, dx.after, ids)
		return
	}
	var counts [numMetrics]int
	counts[MetricJobsWaiting], counts[MetricJobsRunning], counts[MetricJobsCompleted], counts[MetricJobsKilled] = av.counts()
	for m := MetricJobsWaiting; m <= MetricJobsKilled; m++ {
		s.global[m] = push(s.global[m], pos, counts[m])
	}
	// A job's peer count changes only with its allocation, and it enters or
	// leaves the replica only through the lists the views compare.
	_, aal := dx.vals(rAllocations)
	aallocs := asMap(aal)
	var touched []value.Value
	for _, c := range dx.sub(kAllocations) {
		touched = append(touched, c.k)
	}
	for _, list := range [][]value.Value{av.live, bv.live, av.tailC, av.tailK, touched} {
		for _, j := range list {
			if _, ok := av.status(j); ok {
				id := ids.intern(j)
				s.present[id] = true
				s.perJob[id] = push(s.perJob[id], pos, jobPeerCount(aallocs.Val(j)))
			} else if id := ids.lookup(j); id >= 0 && s.present[id] {
				delete(s.present, id)
				s.perJob[id] = push(s.perJob[id], pos, 0)
			}
		}
	}
}

// addFull records the job metrics from every job's status.
func (s *series) addFull(pos int, after *value.Map, ids *ids) {
	var counts [numMetrics]int
	order, st := jobStatuses(after)
	allocs := asMap(after.Val(kAllocations))
	for _, j := range order {
		switch st[j] {
		case statusWaiting:
			counts[MetricJobsWaiting]++
		case statusRunning:
			counts[MetricJobsRunning]++
		case statusCompleted:
			counts[MetricJobsCompleted]++
		case statusKilled:
			counts[MetricJobsKilled]++
		}
	}
	for m := MetricJobsWaiting; m <= MetricJobsKilled; m++ {
		s.global[m] = push(s.global[m], pos, counts[m])
	}
	seen := make(map[int32]bool, len(order))
	for _, j := range order {
		id := ids.intern(j)
		seen[id] = true
		s.perJob[id] = push(s.perJob[id], pos, jobPeerCount(allocs.Val(j)))
	}
	for id := range s.present { // jobs gone from the replica drop to 0
		if !seen[id] {
			s.perJob[id] = push(s.perJob[id], pos, 0)
		}
	}
	s.present = seen
}

// Series returns metric m over the log as change points; job selects the job
// of MetricJobPeers and is ignored otherwise.
func (t *Timeline) Series(m Metric, job value.Value) []Point {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var steps []step
	switch {
	case m < MetricJobPeers:
		steps = t.series.global[m]
	case m == MetricJobPeers:
		if id := t.ids.lookup(job); id >= 0 {
			steps = t.series.perJob[id]
		}
	}
	out := make([]Point, len(steps))
	for i, s := range steps {
		p := Point{Pos: int(s.pos), Seq: t.originSeq, Value: int(s.val)}
		if s.pos >= 0 {
			p.Seq, p.Time = t.entries.seq(int(s.pos)), t.entries.createdAt(int(s.pos))
		}
		out[i] = p
	}
	return out
}
