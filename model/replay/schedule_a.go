package replay

import (
	"math"

	"onyx-dashboard/model/value"
)

// Era A scheduling: :volunteer-for-task places the one volunteering peer
// (onyx-log-format.md §4.3, Corrections 5–6). The job scheduler picks a job
// among the executable ones, the job's task scheduler a task, and the peer
// moves there, as 0.5.3's onyx.log.commands.volunteer-for-task does.

var (
	jobSchedulerGreedy      = value.Kw("onyx.job-scheduler/greedy")
	jobSchedulerRoundRobin  = value.Kw("onyx.job-scheduler/round-robin")
	jobSchedulerPercentage  = value.Kw("onyx.job-scheduler/percentage")
	taskSchedulerGreedy     = value.Kw("onyx.task-scheduler/greedy")
	taskSchedulerRoundRobin = value.Kw("onyx.task-scheduler/round-robin")
	taskSchedulerPercentage = value.Kw("onyx.task-scheduler/percentage")
)

func applyVolunteerForTaskA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	peer, err := requireArg(e, kwID)
	if err != nil {
		return nil, err
	}
	var at allocationsA
	allocs := mapAt(r, kwAllocations)
	loadAllocationsA(&at, allocs, peer)
	vol := volunteerOfA(r)
	var job value.Value
	var found bool
	switch js := vol.js; js {
	case jobSchedulerGreedy:
		if jobs := vol.exec.jobs; len(jobs) > 0 {
			job, found = jobs[0], true
		}
	case jobSchedulerRoundRobin:
		job, found, err = roundRobinJobOfA(r, vol, &at)
	case jobSchedulerPercentage:
		job, found, err = percentageJobA(r, &at)
	default:
		return nil, crash("job scheduler %s not recognized", show(js))
	}
	if err != nil || !found {
		return r, err
	}
	task, err := selectTaskOfA(r, vol, allocs, job, peer)
	if err != nil {
		return nil, err
	}
	next, err := allocatePeerA(r, allocs, job, task, peer, &at)
	if err == nil && next != r {
		vol.carry(next)
	}
	return next, err
}

// allocationsA is what volunteer-for-task reads of :allocations:
// common/job->peers counted (the peer count of each job, in map order) and
// where the volunteer is (the last place in map order, as remove-peers finds
// it). It comes from the map's index (alloc_index_a.go) when there is one,
// else from one scan.
type allocationsA struct {
	jobs      []value.Value
	counts    []int32 // after a scan, or from an index of many jobs; else buf[:n]
	buf       [24]int32
	n         int
	index     valueIndex // first position of a job in jobs
	job, task value.Value
	placed    bool
	idx       *allocIndexA // the index read, nil after a scan
	layout    *jobLayoutA  // with idx: its layout when read
	from      *value.Map   // with idx: the map read
	pos       int32        // with idx: the place of job in idx's layout
	dst       int32        // with idx: the place of the chosen job, -1 if unknown
}

func allocationsOfA(allocs *value.Map, peer value.Value) allocationsA {
	var at allocationsA
	loadAllocationsA(&at, allocs, peer)
	return at
}

// loadAllocationsA fills at, by the index of allocs when it has one.
func loadAllocationsA(at *allocationsA, allocs *value.Map, peer value.Value) {
	if comparableID(peer) {
		for range 2 { // a cached index may move on under us: then one built afresh
			x := allocIndexOfA(allocs)
			if x == nil {
				break
			}
			if x.read(at, allocs, peer) {
				return
			}
			if x = buildAllocIndexA(allocs); x != nil {
				rememberAllocIndexA(x)
			}
		}
	}
	*at = scanAllocationsA(allocs, peer)
}

// setCounts copies counts into at.
func (at *allocationsA) setCounts(counts []int32) {
	if len(counts) > len(at.buf) {
		at.counts = append([]int32(nil), counts...)
		return
	}
	at.n = copy(at.buf[:], counts)
}

// countList is the peer count of each job, in the order of jobs.
func (at *allocationsA) countList() []int32 {
	if at.counts != nil {
		return at.counts
	}
	return at.buf[:at.n]
}

func scanAllocationsA(allocs *value.Map, peer value.Value) allocationsA {
	at := allocationsA{jobs: make([]value.Value, 0, allocs.Len()), counts: make([]int32, 0, allocs.Len())}
	allocs.Range(func(j, tasks value.Value) bool {
		n := 0
		mapOf(tasks).Range(func(t, peers value.Value) bool {
			n += countOf(peers)
			for _, x := range items(peers) {
				if value.Equal(x, peer) {
					at.job, at.task, at.placed = j, t, true
					break
				}
			}
			return true
		})
		at.jobs, at.counts = append(at.jobs, j), append(at.counts, int32(n))
		return true
	})
	at.index = newValueIndex(at.jobs, false)
	return at
}

// count is the peer count of job j (0 when it has no allocation).
func (at *allocationsA) count(j value.Value) int {
	if i, ok := at.index.find(j); ok {
		return int(at.countList()[i])
	}
	return 0
}

// allocatePeerA moves peer from where at found it to (job, task) and marks it
// :active. A nil task is kept as a nil key, as 0.5 does when it found a job
// but no task. A move that changes nothing returns r itself.
func allocatePeerA(r, allocs *value.Map, job, task, peer value.Value, at *allocationsA) (*value.Map, error) {
	if allocs == nil { // absent, or not a map: Onyx throws on the latter
		var err error
		if allocs, err = mapOrNil(r, kwAllocations); err != nil {
			return nil, err
		}
	}
	states, err := mapOrNil(r, kwPeerState)
	if err != nil {
		return nil, err
	}
	s, ok := states.Get(peer)
	active := ok && s == value.Value(kwActive)
	// jobAllocs: the job map peer joins; left: the one it leaves, if another
	var jobAllocs, left *value.Map
	if at.placed && truthy(at.job) && truthy(at.task) { // remove-peers
		from := mapOf(allocs.Val(at.job))
		fromPeers := from.Val(at.task)
		if active && value.Equal(at.job, job) && value.Equal(at.task, task) && lastOnlyA(fromPeers, peer) {
			return r, nil // taken out and put back where it was
		}
		from = from.Assoc(at.task, removedA(items(fromPeers), peer))
		if value.Equal(at.job, job) { // one :allocations assoc for a move within the job
			jobAllocs = from
		} else {
			left = from
		}
	}
	if jobAllocs == nil {
		var ok bool
		if jobAllocs, ok = allocs.Val(job).(*value.Map); !ok && allocs.Val(job) != nil {
			return nil, crash(":allocations of %s is a %s", show(job), value.TypeName(allocs.Val(job)))
		}
	}
	cur := jobAllocs.Val(task)
	xs, ok := seqOf(cur)
	if !ok {
		return nil, crash(":allocations of %s %s is a %s", show(job), show(task), value.TypeName(cur))
	}
	joined := jobAllocs.Assoc(task, conjVecRaw(cur, xs, peer))
	var next *value.Map
	if left != nil {
		next = assoc2A(allocs, at.job, left, job, joined)
	} else {
		next = allocs.Assoc(job, joined)
	}
	if at.idx != nil {
		at.idx.moved(at.from, next, peer, at, job, task)
	}
	if active { // assoc'ing the same state changes nothing
		return r.Assoc(kwAllocations, next), nil
	}
	return assoc2A(r, kwAllocations, next, kwPeerState, states.Assoc(peer, kwActive)), nil
}

// assoc2A is m.Assoc(k1, v1).Assoc(k2, v2); a hash map goes through a
// transient, which copies the path the two keys share once.
func assoc2A(m *value.Map, k1, v1, k2, v2 value.Value) *value.Map {
	if !m.IsHashMap() {
		return m.Assoc(k1, v1).Assoc(k2, v2)
	}
	t := m.AsTransient()
	t.Assoc(k1, v1)
	t.Assoc(k2, v2)
	return t.Persistent()
}

// lastOnlyA reports whether peers is a vector holding peer once, last.
func lastOnlyA(peers value.Value, peer value.Value) bool {
	xs, ok := peers.(value.Vector)
	if !ok || len(xs) == 0 || !value.Equal(xs[len(xs)-1], peer) {
		return false
	}
	return !containsValue(xs[:len(xs)-1], peer)
}

// executableJobsA: incomplete jobs, not killed, with a task not being sealed.
func executableJobsA(r *value.Map) []value.Value {
	killed := items(r.Val(kwKilledJobs))
	completions, tasks, sealing := mapAt(r, kwCompletions), mapAt(r, kwTasks), mapAt(r, kwSealingTask)
	var out []value.Value
	for _, j := range items(r.Val(kwJobs)) {
		ts := tasks.Val(j)
		if countOf(completions.Val(j)) >= countOf(ts) || containsValue(killed, j) {
			continue
		}
		for _, t := range items(ts) {
			if sealing.Val(t) == nil {
				out = append(out, j)
				break
			}
		}
	}
	return out
}

// share is a number of peers as balance-jobs computes it; dbl marks a Java
// double (a finite double saturation), which Clojure's = never finds equal to
// a peer count.
type share struct {
	n   float64
	dbl bool
}

// numberOf reads a Clojure number; ok is false for anything else.
func numberOf(v value.Value) (n float64, dbl, ok bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), false, true
	case float64:
		return x, true, true
	}
	return 0, false, false
}

// balanceWorkload splits p peers over n jobs: the first p mod n get one more.
func balanceWorkload(p float64, n int) []float64 {
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	lo := math.Trunc(p / float64(n))
	extra := math.Mod(p, float64(n))
	for i := range out {
		out[i] = lo
		if float64(i) < extra {
			out[i] = lo + 1
		}
	}
	return out
}

// balanceJobsA is common/balance-jobs: every job of :jobs gets an even share
// of the peers, capped at its :saturation, the excess re-split over the
// unbounded jobs.
func balanceJobsA(r *value.Map) ([]value.Value, []share, error) {
	jobs := items(r.Val(kwJobs))
	sat := mapAt(r, kwSaturation)
	even := balanceWorkload(float64(countOf(r.Val(kwPeers))), len(jobs))
	shares := make([]share, len(jobs))
	var overflow float64
	var unbounded []int
	for i, j := range jobs {
		s := math.Inf(1)
		sdbl := true
		if v, present := sat.Get(j); present {
			var ok bool
			if s, sdbl, ok = numberOf(v); !ok {
				return nil, nil, crash(":saturation of %s is %s, not a number", show(j), show(v))
			}
		}
		if extra := even[i] - s; extra > 0 {
			overflow += extra
			shares[i] = share{s, sdbl}
		} else {
			shares[i] = share{even[i], false}
		}
		if math.IsInf(s, 1) && sdbl {
			unbounded = append(unbounded, i)
		}
	}
	add := balanceWorkload(overflow, len(unbounded))
	for k, i := range unbounded {
		shares[i].n += add[k]
	}
	// into {} keeps the last of duplicate job ids
	return jobs, shares, nil
}

// roundRobinJobA: nothing when the cluster is saturated; else the first
// executable job below its balanced share, or the least-allocated one.
func roundRobinJobA(r *value.Map, at *allocationsA) (value.Value, bool, error) {
	return roundRobinJobOfA(r, volunteerOfA(r), at)
}

// roundRobinJobOfA is roundRobinJobA with the records of r.
func roundRobinJobOfA(r *value.Map, vol *volunteerA, at *allocationsA) (value.Value, bool, error) {
	sh := vol.sh
	if sh.err != nil {
		return nil, false, sh.err
	}
	if at.idx != nil {
		p := at.layout.planOf(sh, vol.exec)
		counts := at.countList()
		if p.saturated(counts) {
			return nil, false, nil
		}
		j, pos, ok := p.choose(counts)
		at.dst = int32(pos)
		return j, ok, nil
	}
	if saturatedClusterA(r, sh, at) {
		return nil, false, nil
	}
	cands := vol.exec.jobs
	for _, j := range cands {
		want := 0.0
		if s, ok := sh.shareOf(j); ok {
			want = s.n
		}
		if float64(at.count(j)) < want {
			return j, true, nil
		}
	}
	if len(cands) == 0 {
		return nil, false, nil
	}
	best, bestN := cands[0], at.count(cands[0])
	for _, j := range cands[1:] {
		if n := at.count(j); n < bestN {
			best, bestN = j, n
		}
	}
	return best, true, nil
}

// saturatedClusterA: the balanced shares equal the current per-job counts
// (as maps, by Clojure =) and add up to the number of peers.
func saturatedClusterA(r *value.Map, sh *sharesA, at *allocationsA) bool {
	if len(sh.distinct) != at.index.distinct() {
		return false
	}
	sum, dbl := 0.0, false
	for _, j := range sh.distinct {
		s, _ := sh.shareOf(j)
		i, ok := at.index.find(j)
		if !ok || s.dbl || s.n != float64(at.countList()[i]) {
			return false
		}
		sum += s.n
		dbl = dbl || s.dbl
	}
	return !dbl && sum == float64(countOf(r.Val(kwPeers)))
}

// taskCandidatesA: the job's tasks not completed (position by position, as
// clojure.data/diff compares the vectors) and not being sealed, in task order.
func taskCandidatesA(r *value.Map, job value.Value) []value.Value {
	return appendTaskCandidatesA(nil, r, job)
}

// appendTaskCandidatesA appends job's candidate tasks to out.
func appendTaskCandidatesA(out []value.Value, r *value.Map, job value.Value) []value.Value {
	tasksV := mapAt(r, kwTasks).Val(job)
	tasks, tasksSeq := seqOf(tasksV)
	doneV := mapAt(r, kwCompletions).Val(job)
	done, doneSeq := seqOf(doneV)
	sealing := mapAt(r, kwSealingTask)
	for i, t := range tasks {
		if !truthy(t) || !tasksSeq || tasksV == nil {
			continue
		}
		if doneSeq && doneV != nil && i < len(done) && value.Equal(done[i], t) {
			continue
		}
		if sealing.Val(t) == nil {
			out = append(out, t)
		}
	}
	return out
}

// selectTaskOfA picks the task by the job's task scheduler, with the
// records of r.
func selectTaskOfA(r *value.Map, vol *volunteerA, allocs *value.Map, job, peer value.Value) (value.Value, error) {
	tj := vol.tasks.job(r, job)
	switch ts := tj.sched; ts {
	case taskSchedulerGreedy:
		if len(tj.cands) == 0 {
			return nil, nil
		}
		return tj.cands[0], nil
	case taskSchedulerRoundRobin:
		return roundRobinTaskA(allocs, tj)
	case taskSchedulerPercentage:
		return percentageTaskA(r, job, peer, tj.cands)
	default:
		return nil, crash("task scheduler %s not recognized", show(ts))
	}
}

// roundRobinTaskA: the unsaturated candidate with the fewest peers, the
// volunteering peer still counted where it is (so it hops, Corrections 6).
func roundRobinTaskA(allocations *value.Map, tj *taskJobA) (value.Value, error) {
	if tj.limitErr != nil {
		return nil, tj.limitErr
	}
	allocs := mapAt(allocations, tj.job)
	var best value.Value
	bestN := -1
	for i, t := range tj.cands {
		n := countOf(allocs.Val(t))
		if !(float64(n) < tj.limits[i]) {
			continue
		}
		if bestN < 0 || n < bestN {
			best, bestN = t, n
		}
	}
	return best, nil
}
