package replay

import "onyx-dashboard/model/value"

// Replica keys and other keywords the commands and accessors use, interned
// once so that the hot paths compare pointers (onyx-log-format.md §4.1).
// Every era's code shares them; add a key here rather than calling value.Kw
// per entry.
var (
	kwJobScheduler      = value.Kw("job-scheduler")
	kwMessaging         = value.Kw("messaging")
	kwLogVersion        = value.Kw("log-version")
	kwPeers             = value.Kw("peers")
	kwPeerState         = value.Kw("peer-state")
	kwPeerSites         = value.Kw("peer-sites")
	kwPrepared          = value.Kw("prepared")
	kwAccepted          = value.Kw("accepted")
	kwPairs             = value.Kw("pairs")
	kwJobs              = value.Kw("jobs")
	kwTasks             = value.Kw("tasks")
	kwTaskSchedulers    = value.Kw("task-schedulers")
	kwAllocations       = value.Kw("allocations")
	kwSaturation        = value.Kw("saturation")
	kwTaskSaturation    = value.Kw("task-saturation")
	kwPercentages       = value.Kw("percentages")
	kwTaskPercentages   = value.Kw("task-percentages")
	kwCompletions       = value.Kw("completions")
	kwSealingTask       = value.Kw("sealing-task")
	kwSealingTasks      = value.Kw("sealing-tasks")
	kwKilledJobs        = value.Kw("killed-jobs")
	kwCompletedJobs     = value.Kw("completed-jobs")
	kwGroups            = value.Kw("groups")
	kwCoordinators      = value.Kw("coordinators")
	kwAckers            = value.Kw("ackers")
	kwInputTasks        = value.Kw("input-tasks")
	kwOutputTasks       = value.Kw("output-tasks")
	kwExhaustedInputs   = value.Kw("exhausted-inputs")
	kwSealedOutputs     = value.Kw("sealed-outputs")
	kwMinRequiredPeers  = value.Kw("min-required-peers")
	kwFluxPolicies      = value.Kw("flux-policies")
	kwTaskSlotIDs       = value.Kw("task-slot-ids")
	kwTaskMetadata      = value.Kw("task-metadata")
	kwAllocationVersion = value.Kw("allocation-version")

	kwIdle   = value.Kw("idle")
	kwActive = value.Kw("active")

	// entry arguments
	kwID               = value.Kw("id")
	kwJoiner           = value.Kw("joiner")
	kwObserver         = value.Kw("observer")
	kwSubject          = value.Kw("subject")
	kwAcceptedObserver = value.Kw("accepted-observer")
	kwAcceptedJoiner   = value.Kw("accepted-joiner")
	kwJob              = value.Kw("job")
	kwTask             = value.Kw("task")
	kwTaskScheduler    = value.Kw("task-scheduler")
	kwPercentage       = value.Kw("percentage")
)

// The accessors below are what views read. They return the replica's own
// values: never modify a map, set or slice you get from them.

// Peers is :peers, the fully joined peers in join order.
func (r Replica) Peers() []value.Value { return items(r.Get(kwPeers)) }

// PeerState is the state keyword of peer p (:idle, :active, …); the zero
// Keyword when the replica has none for p.
func (r Replica) PeerState(p value.Value) value.Keyword {
	k, _ := mapOf(r.Get(kwPeerState)).Val(p).(value.Keyword)
	return k
}

// PeerStates is :peer-state, peer → state keyword.
func (r Replica) PeerStates() *value.Map { return mapOf(r.Get(kwPeerState)) }

// PeerSites is :peer-sites, peer → messaging site map (eras B–D).
func (r Replica) PeerSites() *value.Map { return mapOf(r.Get(kwPeerSites)) }

// Jobs is :jobs. In era A it keeps completed and killed jobs until a :gc.
func (r Replica) Jobs() []value.Value { return items(r.Get(kwJobs)) }

// KilledJobs is :killed-jobs.
func (r Replica) KilledJobs() []value.Value { return items(r.Get(kwKilledJobs)) }

// CompletedJobs is :completed-jobs (eras B–D; era A has :completions instead).
func (r Replica) CompletedJobs() []value.Value { return items(r.Get(kwCompletedJobs)) }

// Tasks is :tasks of job, its task ids in topological order.
func (r Replica) Tasks(job value.Value) []value.Value {
	return items(mapOf(r.Get(kwTasks)).Val(job))
}

// Completions is :completions of job (era A): the tasks that finished.
func (r Replica) Completions(job value.Value) []value.Value {
	return items(mapOf(r.Get(kwCompletions)).Val(job))
}

// Allocations is :allocations as job → task → peers, in the replica's map
// order. A job may map to no tasks, and a task to no peers.
func (r Replica) Allocations() map[value.Value]map[value.Value][]value.Value {
	out := map[value.Value]map[value.Value][]value.Value{}
	mapOf(r.Get(kwAllocations)).Range(func(job, tasks value.Value) bool {
		byTask := map[value.Value][]value.Value{}
		mapOf(tasks).Range(func(task, peers value.Value) bool {
			byTask[task] = items(peers)
			return true
		})
		out[job] = byTask
		return true
	})
	return out
}

// AllocationsMap is :allocations as the replica holds it (iteration order kept).
func (r Replica) AllocationsMap() *value.Map { return mapOf(r.Get(kwAllocations)) }

// PeerAllocation returns the job and task peer p is allocated to, and whether
// it is allocated at all.
func (r Replica) PeerAllocation(p value.Value) (job, task value.Value, ok bool) {
	return findPeerAllocation(mapOf(r.Get(kwAllocations)), p)
}

// JobScheduler is :job-scheduler (zero Keyword when absent).
func (r Replica) JobScheduler() value.Keyword {
	k, _ := r.Get(kwJobScheduler).(value.Keyword)
	return k
}

// TaskScheduler is the task scheduler of job (zero Keyword when absent).
func (r Replica) TaskScheduler(job value.Value) value.Keyword {
	k, _ := mapOf(r.Get(kwTaskSchedulers)).Val(job).(value.Keyword)
	return k
}

// Pairs is :pairs, watcher → watched (the failure-detection ring).
func (r Replica) Pairs() *value.Map { return mapOf(r.Get(kwPairs)) }

// Prepared is :prepared, watcher → joiner (join phase 1).
func (r Replica) Prepared() *value.Map { return mapOf(r.Get(kwPrepared)) }

// Accepted is :accepted, watcher → joiner (join phase 2).
func (r Replica) Accepted() *value.Map { return mapOf(r.Get(kwAccepted)) }

// Saturation is :saturation of job: its peer cap (int64, or +Inf as float64).
func (r Replica) Saturation(job value.Value) value.Value {
	return mapOf(r.Get(kwSaturation)).Val(job)
}

// items returns the elements of a vector or list (nil for anything else).
func items(v value.Value) []value.Value {
	switch x := v.(type) {
	case value.Vector:
		return x
	case value.List:
		return x
	}
	return nil
}

// mapOf returns v as a map; nil (which reads as empty) for anything else.
func mapOf(v value.Value) *value.Map {
	m, _ := v.(*value.Map)
	return m
}

// findPeerAllocation finds the job and task whose vector holds p. Like Onyx's
// allocations->peers, a peer listed twice resolves to the last place in map
// iteration order.
func findPeerAllocation(allocs *value.Map, p value.Value) (job, task value.Value, ok bool) {
	allocs.Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, peers value.Value) bool {
			for _, x := range items(peers) {
				if value.Equal(x, p) {
					job, task, ok = j, t, true
					break
				}
			}
			return true
		})
		return true
	})
	return job, task, ok
}

// Groups is :groups, the joined peer groups in join order (0.9.7+).
func (r Replica) Groups() []value.Value { return items(r.Get(kwGroups)) }

// GroupPeers is :groups-index of group g: its virtual peers (0.9.7+).
func (r Replica) GroupPeers(g value.Value) []value.Value {
	s, _ := mapOf(r.Get(kwCDGroupsIndex)).Val(g).(*value.Set)
	return s.Items()
}

// PeerGroup is the group of virtual peer p, nil when none (0.9.7+).
func (r Replica) PeerGroup(p value.Value) value.Value {
	return mapOf(r.Get(kwCDGroupsRev)).Val(p)
}

// OrphanedPeers is :orphaned-peers, group → peers announced before the group
// finished joining (0.9.7+).
func (r Replica) OrphanedPeers() *value.Map { return mapOf(r.Get(kwCDOrphaned)) }

// Coordinators is :coordinators, job → the peer running its barrier
// coordinator (0.10+). From 0.8.4 placement is estimated, and so are they.
func (r Replica) Coordinators() *value.Map { return mapOf(r.Get(kwCoordinators)) }

// Coordinator is the coordinator peer of job (nil when none).
func (r Replica) Coordinator(job value.Value) value.Value {
	return mapOf(r.Get(kwCoordinators)).Val(job)
}

// AllocationVersion is :allocation-version of job: the message-id of the
// entry that last changed its allocation (0.10+), and whether there is one.
func (r Replica) AllocationVersion(job value.Value) (int64, bool) {
	n, ok := mapOf(r.Get(kwAllocationVersion)).Val(job).(int64)
	return n, ok
}

// LogVersion is :version, the message-id of the last applied entry (0.10+);
// -1 in a fresh base-replica, and false when the replica has none.
func (r Replica) LogVersion() (int64, bool) {
	n, ok := r.Get(kwCDVersion).(int64)
	return n, ok
}
