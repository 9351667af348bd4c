package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Era A (Onyx 0.5.0 – 0.5.3): the join protocol, jobs and the pull scheduler
// (onyx-log-format.md §4.2–4.3). The commands follow the 0.5.3 sources of
// src/onyx/log/commands/*.clj form by form, quirks included: update-in … dissoc
// on an absent key writes a nil value, kill-job replaces :peer-state, and
// completions are compared with the tasks position by position. The 0.5.x
// releases share these rules; they differ only in the starting replica (§1.6).
func init() {
	registerCommands(EraA, map[value.Keyword]command{
		value.Kw("prepare-join-cluster"): applyPrepareJoinClusterA,
		value.Kw("notify-join-cluster"):  applyNotifyJoinClusterA,
		value.Kw("accept-join-cluster"):  applyAcceptJoinClusterA,
		value.Kw("abort-join-cluster"):   applyAbortJoinClusterA,
		value.Kw("leave-cluster"):        applyLeaveClusterA,
		value.Kw("submit-job"):           applySubmitJobA,
		value.Kw("kill-job"):             applyKillJobA,
		value.Kw("gc"):                   applyGCA,
		value.Kw("volunteer-for-task"):   applyVolunteerForTaskA,
		value.Kw("seal-task"):            applySealTaskA,
		value.Kw("complete-task"):        applyCompleteTaskA,
	})
}

// applyPrepareJoinClusterA: the first peer joins at once; any other joiner is
// given a watcher picked by message-id among the sorted free candidates.
func applyPrepareJoinClusterA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	joiner, err := requireArg(e, kwJoiner)
	if err != nil {
		return nil, err
	}
	peers, err := seqAt(r, kwPeers)
	if err != nil {
		return nil, err
	}
	if len(peers) == 0 {
		r = r.Assoc(kwPeers, conjVec(peers, joiner))
		return assocIn2(r, kwPeerState, joiner, kwIdle)
	}
	pairs, prepared, accepted := mapAt(r, kwPairs), mapAt(r, kwPrepared), mapAt(r, kwAccepted)
	var cands []value.Value
	add := func(x value.Value) {
		if x != nil && !containsValue(cands, x) {
			cands = append(cands, x)
		}
	}
	for _, k := range pairs.Keys() {
		add(k)
	}
	for _, p := range peers {
		add(p)
	}
	var excluded []value.Value
	for _, d := range prepared.Keys() {
		excluded = append(excluded, d, invertGet(pairs, d))
	}
	excluded = append(excluded, accepted.Keys()...)
	cands = slices.DeleteFunc(cands, func(c value.Value) bool { return containsValue(excluded, c) })
	if len(cands) == 0 {
		return r, nil // the joiner aborts by itself
	}
	slices.SortFunc(cands, value.Compare)
	n := int64(len(cands))
	watcher := cands[((e.Seq%n)+n)%n]
	return mergeInto(r, kwPrepared, watcher, joiner)
}

// applyNotifyJoinClusterA moves the joiner from :prepared to :accepted. There
// is no guard: a joiner no longer prepared writes a nil key into :accepted.
func applyNotifyJoinClusterA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	joiner, err := requireArg(e, kwObserver)
	if err != nil {
		return nil, err
	}
	watcher := invertGet(mapAt(r, kwPrepared), joiner)
	if r, err = mergeInto(r, kwAccepted, watcher, joiner); err != nil {
		return nil, err
	}
	return updateDissoc(r, kwPrepared, watcher)
}

// applyAcceptJoinClusterA stitches the joiner into the ring and makes it a
// member; 0.5 has no "still joining" guard.
func applyAcceptJoinClusterA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	watcher, err := requireArg(e, kwAcceptedObserver)
	if err != nil {
		return nil, err
	}
	joiner, err := requireArg(e, kwAcceptedJoiner)
	if err != nil {
		return nil, err
	}
	target := mapAt(r, kwPairs).Val(watcher)
	if !truthy(target) {
		target = watcher
	}
	if r, err = mergeInto(r, kwPairs, watcher, joiner); err != nil {
		return nil, err
	}
	if r, err = mergeInto(r, kwPairs, joiner, target); err != nil {
		return nil, err
	}
	if r, err = updateDissoc(r, kwAccepted, watcher); err != nil {
		return nil, err
	}
	peers, err := seqAt(r, kwPeers)
	if err != nil {
		return nil, err
	}
	r = r.Assoc(kwPeers, conjVec(peers, joiner))
	return assocIn2(r, kwPeerState, joiner, kwIdle)
}

// applyAbortJoinClusterA drops the joiner's pending :prepared and :accepted
// entries (writing nil for an absent map, as update-in does).
func applyAbortJoinClusterA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	id, err := requireArg(e, kwID)
	if err != nil {
		return nil, err
	}
	if r, err = updateDissoc(r, kwPrepared, invertGet(mapAt(r, kwPrepared), id)); err != nil {
		return nil, err
	}
	return updateDissoc(r, kwAccepted, invertGet(mapAt(r, kwAccepted), id))
}

// applyLeaveClusterA removes a dead peer: from :peers, the join maps, the ring
// (its watcher now watches whom it watched), :peer-state and its allocation.
func applyLeaveClusterA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	id, err := requireArg(e, kwID)
	if err != nil {
		return nil, err
	}
	pairs := mapAt(r, kwPairs)
	observer := invertGet(pairs, id)
	transitive := pairs.Val(id)
	samePair := value.Equal(observer, transitive)
	prepObserver := invertGet(mapAt(r, kwPrepared), id)
	accepObserver := invertGet(mapAt(r, kwAccepted), id)

	peers, err := seqAt(r, kwPeers)
	if err != nil {
		return nil, err
	}
	r = r.Assoc(kwPeers, removeValue(peers, id))
	for _, step := range []struct {
		k value.Keyword
		x value.Value
	}{{kwPrepared, id}, {kwPrepared, prepObserver}, {kwAccepted, id}, {kwAccepted, accepObserver}} {
		if r, err = updateDissoc(r, step.k, step.x); err != nil {
			return nil, err
		}
	}
	// (update-in [:pairs] merge pair): merge of nil with {} is {}.
	p, err := mapOrNil(r, kwPairs)
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = value.NewMap()
	}
	if !samePair {
		p = p.Assoc(observer, transitive)
	}
	p = p.Dissoc(id)
	if samePair {
		p = p.Dissoc(observer)
	}
	r = r.Assoc(kwPairs, p)
	if r, err = updateDissoc(r, kwPeerState, id); err != nil {
		return nil, err
	}
	// remove-sealing-tasks cleans :sealing-tasks (plural), which nothing else
	// writes; faithful all the same.
	if task := invertGet(mapAt(r, kwSealingTasks), id); truthy(task) {
		if r, err = updateDissoc(r, kwSealingTasks, task); err != nil {
			return nil, err
		}
	}
	return removePeerAllocation(r, id)
}

// applySubmitJobA records a job; no peer moves until peers volunteer.
func applySubmitJobA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	id, err := requireArg(e, kwID)
	if err != nil {
		return nil, err
	}
	tasks, ok := vecOf(e.Args.Val(kwTasks))
	if !ok {
		return nil, badArgs(":tasks is a %s, want a vector", value.TypeName(e.Args.Val(kwTasks)))
	}
	jobs, err := seqAt(r, kwJobs)
	if err != nil {
		return nil, err
	}
	before := mapAt(r, kwAllocations)
	r = r.Assoc(kwJobs, conjVecRaw(r.Val(kwJobs), jobs, id))
	steps := []struct {
		k value.Keyword
		v value.Value
	}{
		{kwTaskSchedulers, e.Args.Val(kwTaskScheduler)},
		{kwTasks, tasks},
		{kwAllocations, value.NewMap()},
		{kwSaturation, e.Args.Val(kwSaturation)},
		{kwTaskSaturation, e.Args.Val(kwTaskSaturation)},
	}
	if r.Val(kwJobScheduler) == jobSchedulerPercentage {
		steps = append(steps, struct {
			k value.Keyword
			v value.Value
		}{kwPercentages, e.Args.Val(kwPercentage)})
	}
	if e.Args.Val(kwTaskScheduler) == taskSchedulerPercentage {
		steps = append(steps, struct {
			k value.Keyword
			v value.Value
		}{kwTaskPercentages, e.Args.Val(kwTaskPercentages)})
	}
	for _, s := range steps {
		if r, err = assocIn2(r, s.k, id, s.v); err != nil {
			return nil, err
		}
	}
	carryIndexA(before, mapAt(r, kwAllocations))
	return r, nil
}

// applyKillJobA kills an incomplete job. As in 0.5 (fixed in 0.7.0) the whole
// :peer-state is replaced by {p :idle} for the job's peers; the job stays in
// :jobs until a :gc, and a job killed twice is listed twice.
func applyKillJobA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	job, err := requireArg(e, kwJob)
	if err != nil {
		return nil, err
	}
	if !containsValue(incompleteJobsA(r), job) {
		return r, nil
	}
	var kvs []value.Value
	mapAt(mapAt(r, kwAllocations), job).Range(func(_, peers value.Value) bool {
		for _, p := range items(peers) {
			kvs = append(kvs, p, kwIdle)
		}
		return true
	})
	killed, err := seqAt(r, kwKilledJobs)
	if err != nil {
		return nil, err
	}
	r = r.Assoc(kwKilledJobs, conjVecRaw(r.Val(kwKilledJobs), killed, job))
	before := mapAt(r, kwAllocations)
	if r, err = updateDissoc(r, kwAllocations, job); err != nil {
		return nil, err
	}
	carryIndexA(before, mapAt(r, kwAllocations))
	return r.Assoc(kwPeerState, value.NewMap(kvs...)), nil
}

// gcKeysA are the per-job maps a 0.5.3 :gc prunes; :task-saturation and
// :sealing-task are left behind.
var gcKeysA = []value.Keyword{kwTasks, kwAllocations, kwCompletions, kwTaskSchedulers, kwPercentages, kwTaskPercentages, kwSaturation}

// applyGCA drops completed and killed jobs. With no such job nothing changes;
// otherwise every pruned map that was absent becomes a nil-valued key.
func applyGCA(r *value.Map, _ value.Entry, _ Version) (*value.Map, error) {
	jobs, err := seqAt(r, kwJobs)
	if err != nil {
		return nil, err
	}
	killed, err := seqAt(r, kwKilledJobs)
	if err != nil {
		return nil, err
	}
	incomplete := incompleteJobsA(r)
	var victims []value.Value
	for _, j := range jobs {
		if !containsValue(incomplete, j) && !containsValue(victims, j) {
			victims = append(victims, j)
		}
	}
	victims = append(victims, killed...)
	if len(victims) == 0 {
		return r, nil
	}
	keep := func(xs []value.Value) value.Vector {
		out := value.Vector{}
		for _, x := range xs {
			if !containsValue(victims, x) {
				out = append(out, x)
			}
		}
		return out
	}
	r = r.Assoc(kwJobs, keep(jobs)).Assoc(kwKilledJobs, keep(killed))
	before := mapAt(r, kwAllocations)
	for _, k := range gcKeysA {
		for _, j := range victims {
			if r, err = updateDissoc(r, k, j); err != nil {
				return nil, err
			}
		}
	}
	carryIndexA(before, mapAt(r, kwAllocations))
	return r, nil
}

// applySealTaskA: the peer may seal the task when it is the task's only
// :active peer; otherwise the task is marked as sealing and the peer goes idle
// and leaves it.
func applySealTaskA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	id, err := requireArg(e, kwID)
	if err != nil {
		return nil, err
	}
	job, task := e.Args.Val(kwJob), e.Args.Val(kwTask)
	states := mapAt(r, kwPeerState)
	var buf [8]value.Value
	seen := buf[:0]
	active := 0
	for _, p := range items(value.GetIn(r, kwAllocations, job, task)) {
		if containsValue(seen, p) {
			continue
		}
		seen = append(seen, p)
		if s, ok := states.Get(p); ok && s == value.Value(kwActive) {
			active++
		}
	}
	if active == 1 && states.Val(id) == value.Value(kwActive) {
		return assocIn2(r, kwSealingTask, task, id)
	}
	sealer := mapAt(r, kwSealingTask).Val(task)
	if !truthy(sealer) {
		sealer = true
	}
	sealing, err := mapOrNil(r, kwSealingTask)
	if err != nil {
		return nil, err
	}
	states, err = mapOrNil(r, kwPeerState)
	if err != nil {
		return nil, err
	}
	allocs, moved := withoutPeerA(mapAt(r, kwAllocations), id)
	// three assocs into the replica: one transient copies its root once
	t := r.AsTransient()
	t.Assoc(kwSealingTask, sealing.Assoc(task, sealer))
	t.Assoc(kwPeerState, states.Assoc(id, kwIdle))
	if moved {
		t.Assoc(kwAllocations, allocs)
	}
	return t.Persistent(), nil
}

// applyCompleteTaskA records a finished task and idles its peers. Only :job
// and :task are read (Onyx's tests write entries without :id).
func applyCompleteTaskA(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	job, err := requireArg(e, kwJob)
	if err != nil {
		return nil, err
	}
	task := e.Args.Val(kwTask)
	peers := items(value.GetIn(r, kwAllocations, job, task))
	completions, err := mapOrNil(r, kwCompletions)
	if err != nil {
		return nil, err
	}
	done := completions.Val(job)
	doneItems, ok := seqOf(done)
	if !ok {
		return nil, crash(":completions of %s is a %s", show(job), value.TypeName(done))
	}
	if r, err = assocIn2(r, kwCompletions, job, conjVecRaw(done, doneItems, task)); err != nil {
		return nil, err
	}
	before := mapAt(r, kwAllocations)
	if r, err = updateInDissoc(r, kwAllocations, job, task); err != nil {
		return nil, err
	}
	completedTaskIndexA(before, mapAt(r, kwAllocations), job, task)
	kvs := make([]value.Value, 0, 2*len(peers))
	for _, p := range peers {
		kvs = append(kvs, p, kwIdle)
	}
	return mergeMap(r, kwPeerState, value.NewMap(kvs...))
}

// incompleteJobsA is common/incomplete-jobs: jobs with fewer completions than
// tasks, in :jobs order.
func incompleteJobsA(r *value.Map) []value.Value {
	var out []value.Value
	completions, tasks := mapAt(r, kwCompletions), mapAt(r, kwTasks)
	for _, j := range items(r.Val(kwJobs)) {
		if countOf(completions.Val(j)) < countOf(tasks.Val(j)) {
			out = append(out, j)
		}
	}
	return out
}

// removePeerAllocation is common/remove-peers: take p out of the task vector
// it is in, if any (a peer filed under a nil task stays).
func removePeerAllocation(r *value.Map, p value.Value) (*value.Map, error) {
	if allocs, moved := withoutPeerA(mapAt(r, kwAllocations), p); moved {
		return r.Assoc(kwAllocations, allocs), nil
	}
	return r, nil
}
