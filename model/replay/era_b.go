package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Era B (Onyx 0.6.0 – 0.8.3): the commands of apply-log-entry, each as the
// release's src/onyx/log/commands/*.clj does it (onyx-log-format.md §4.4),
// with reconfigure-cluster-workload (schedule_b.go) run inside the commands
// that change membership or jobs.
func init() {
	registerCommands(EraB, map[value.Keyword]command{
		value.Kw("prepare-join-cluster"):       applyPrepareJoinClusterB,
		value.Kw("notify-join-cluster"):        applyNotifyJoinClusterB,
		value.Kw("accept-join-cluster"):        applyAcceptJoinClusterB,
		value.Kw("abort-join-cluster"):         applyAbortJoinClusterB,
		value.Kw("leave-cluster"):              applyLeaveClusterB,
		value.Kw("submit-job"):                 applySubmitJobB,
		value.Kw("kill-job"):                   applyKillJobCmdB,
		value.Kw("gc"):                         applyGCB,
		value.Kw("signal-ready"):               applySignalReadyB,
		value.Kw("exhaust-input"):              applyExhaustInputB,
		value.Kw("seal-output"):                applySealOutputB,
		value.Kw("backpressure-on"):            applyBackpressureOnB,
		value.Kw("backpressure-off"):           applyBackpressureOffB,
		value.Kw("set-replica!"):               applySetReplicaB,
		value.Kw("assign-bookkeeper-log-id"):   applyAssignBookkeeperLogIDB,
		value.Kw("compact-bookkeeper-log-ids"): applyCompactBookkeeperLogIDsB,
		value.Kw("deleted-bookkeeper-log-ids"): applyDeletedBookkeeperLogIDsB,
	})
}

// Keywords of era B beyond the shared ones in accessors.go.
var (
	kwBWarmingUp          = value.Kw("warming-up")
	kwBBackpressure       = value.Kw("backpressure")
	kwBPeerSite           = value.Kw("peer-site")
	kwBPeer               = value.Kw("peer")
	kwBReplica            = value.Kw("replica")
	kwBInputs             = value.Kw("inputs")
	kwBOutputs            = value.Kw("outputs")
	kwBExemptTasks        = value.Kw("exempt-tasks")
	kwBAckerPercentage    = value.Kw("acker-percentage")
	kwBAckerExcludeInputs = value.Kw("acker-exclude-inputs")
	kwBAckerExcludeOutput = value.Kw("acker-exclude-outputs")
	kwBKill               = value.Kw("kill")
	kwBStateLogs          = value.Kw("state-logs")
	kwBStateLogsMarked    = value.Kw("state-logs-marked")
	kwBJobID              = value.Kw("job-id")
	kwBTaskID             = value.Kw("task-id")
	kwBSlotID             = value.Kw("slot-id")
	kwBLedgerID           = value.Kw("ledger-id")
	kwBPrevLedgerIDs      = value.Kw("prev-ledger-ids")
	kwBNewLedgerIDs       = value.Kw("new-ledger-ids")
	kwBLogs               = value.Kw("logs")
	kwBMessagingImpl      = value.Kw("onyx.messaging/impl")

	kwBJobSchedGreedy     = value.Kw("onyx.job-scheduler/greedy")
	kwBJobSchedBalanced   = value.Kw("onyx.job-scheduler/balanced")
	kwBJobSchedPercentage = value.Kw("onyx.job-scheduler/percentage")
	kwBTaskSchedBalanced  = value.Kw("onyx.task-scheduler/balanced")
	kwBTaskSchedPct       = value.Kw("onyx.task-scheduler/percentage")
)

// bflags are the per-version rules of era B, computed once per entry.
type bflags struct {
	v07  bool // 0.7.0+: merges, :idle on reallocation, backpressure, signal-ready guard
	v073 bool // 0.7.3+: :task-metadata
	v074 bool // 0.7.4+: :task-slot-ids
	v08  bool // 0.8.0+: fixed claim-spare-peers, task resources, default min-required 1
}

var (
	bV070 = MustVersion("0.7.0")
	bV073 = MustVersion("0.7.3")
	bV074 = MustVersion("0.7.4")
	bV080 = MustVersion("0.8.0")
)

func flagsB(v Version) bflags {
	return bflags{v07: v.Cmp(bV070) >= 0, v073: v.Cmp(bV073) >= 0, v074: v.Cmp(bV074) >= 0, v08: v.Cmp(bV080) >= 0}
}

// --- small Clojure emulations -------------------------------------------

// bUpdDissoc is (update-in r [k] dissoc x): an absent or nil k becomes nil.
func bUpdDissoc(r *value.Map, k value.Keyword, xs ...value.Value) *value.Map {
	cur := r.Val(k)
	m, ok := cur.(*value.Map)
	if !ok {
		if cur == nil {
			return r.Assoc(k, nil)
		}
		return r
	}
	out := m
	for _, x := range xs {
		out = out.Dissoc(x)
	}
	if out == m {
		return r
	}
	return r.Assoc(k, out)
}

// bUpdAssoc is (update-in r [k] assoc key val).
func bUpdAssoc(r *value.Map, k value.Keyword, key, val value.Value) *value.Map {
	return r.Assoc(k, mapOf(r.Val(k)).Assoc(key, val))
}

// bInvGet is (get (map-invert m) v): the last key in iteration order whose
// value is v.
func bInvGet(m *value.Map, v value.Value) value.Value {
	var out value.Value
	m.Range(func(k, x value.Value) bool {
		if value.Equal(x, v) {
			out = k
		}
		return true
	})
	return out
}

// bMerge is (merge a b) of two maps.
func bMerge(a value.Value, b *value.Map) value.Value {
	am, ok := a.(*value.Map)
	if !ok {
		if a == nil && b == nil {
			return nil
		}
		am = value.NewMap()
		if a == nil {
			return b
		}
	}
	b.Range(func(k, v value.Value) bool {
		am = am.Assoc(k, v)
		return true
	})
	return am
}

func bRemove(xs []value.Value, x value.Value) value.Vector {
	out := make(value.Vector, 0, len(xs))
	for _, y := range xs {
		if !value.Equal(y, x) {
			out = append(out, y)
		}
	}
	return out
}

func bContains(xs []value.Value, x value.Value) bool {
	for _, y := range xs {
		if value.Equal(y, x) {
			return true
		}
	}
	return false
}

func bConjVec(v value.Value, x value.Value) value.Vector {
	return value.Vector(items(v)).Conj(x)
}

// bJobPeers is (apply concat (vals (get-in r [:allocations job]))).
func bJobPeers(r *value.Map, job value.Value) []value.Value {
	var out []value.Value
	mapOf(mapOf(r.Val(kwAllocations)).Val(job)).Range(func(_, ps value.Value) bool {
		out = append(out, items(ps)...)
		return true
	})
	return out
}

func bPeerStates(peers []value.Value, st value.Keyword) *value.Map {
	m := value.NewMap()
	for _, p := range peers {
		m = m.Assoc(p, st)
	}
	return m
}

// --- join protocol --------------------------------------------------------

func applyPrepareJoinClusterB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	joiner, ok := e.Args.Get(kwJoiner)
	if !ok || joiner == nil {
		return nil, badArgs(":joiner is missing")
	}
	site := e.Args.Val(kwBPeerSite)
	peers := items(r.Val(kwPeers))
	if len(peers) == 0 {
		if f.v07 && r.Val(kwMessaging) == nil {
			return r, nil
		}
		sm, err := bSiteWithResources(r, f, joiner, site)
		if err != nil {
			return nil, err
		}
		r = r.Assoc(kwPeers, bConjVec(r.Val(kwPeers), joiner))
		r = bUpdAssoc(r, kwPeerState, joiner, kwIdle)
		r = bUpdAssoc(r, kwPeerSites, joiner, sm)
		return reconfigureB(r, f)
	}
	pairs := mapOf(r.Val(kwPairs))
	prepared := mapOf(r.Val(kwPrepared))
	accepted := mapOf(r.Val(kwAccepted))
	// the watchers of the prepared peers, looked up once
	var watching []value.Value
	prepared.Range(func(d, _ value.Value) bool {
		watching = append(watching, bInvGet(pairs, d))
		return true
	})
	excluded := func(p value.Value) bool {
		return prepared.Has(p) || accepted.Has(p) || bContains(watching, p)
	}
	var cands []value.Value
	seen := newPeerSet()
	defer seen.release()
	add := func(p value.Value) {
		if p == nil || seen.has(p) || excluded(p) {
			return
		}
		seen.add(p)
		cands = append(cands, p)
	}
	pairs.Range(func(k, _ value.Value) bool { add(k); return true })
	for _, p := range peers {
		add(p)
	}
	if len(cands) == 0 {
		return r, nil
	}
	slices.SortStableFunc(cands, value.Compare)
	idx := e.Seq % int64(len(cands))
	if idx < 0 {
		idx += int64(len(cands))
	}
	sm, err := bSiteWithResources(r, f, joiner, site)
	if err != nil {
		return nil, err
	}
	r = bUpdAssoc(r, kwPrepared, cands[idx], joiner)
	r = bUpdAssoc(r, kwPeerSites, joiner, sm)
	return reconfigureB(r, f)
}

func applyNotifyJoinClusterB(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	obs, ok := e.Args.Get(kwObserver)
	if !ok {
		return nil, badArgs(":observer is missing")
	}
	w := bInvGet(mapOf(r.Val(kwPrepared)), obs)
	r = bUpdAssoc(r, kwAccepted, w, obs)
	return bUpdDissoc(r, kwPrepared, w), nil
}

func applyAcceptJoinClusterB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	w, ok1 := e.Args.Get(kwAcceptedObserver)
	joiner, ok2 := e.Args.Get(kwAcceptedJoiner)
	if !ok1 || !ok2 {
		return nil, badArgs(":accepted-observer or :accepted-joiner is missing")
	}
	f := flagsB(v)
	pairs := mapOf(r.Val(kwPairs))
	target := pairs.Val(w)
	if target == nil {
		target = w
	}
	if f.v07 {
		// 0.7+: no change unless the observer accepted someone, the joiner
		// is not a member yet and the observer's target still is.
		peers := items(r.Val(kwPeers))
		if !bTruthy(mapOf(r.Val(kwAccepted)).Val(w)) || bContains(peers, joiner) || !bContains(peers, target) {
			return r, nil
		}
	} else if bInvGet(mapOf(r.Val(kwAccepted)), joiner) == nil {
		return r, nil
	}
	r = r.Assoc(kwPairs, pairs.Assoc(w, joiner).Assoc(joiner, target))
	r = bUpdDissoc(r, kwAccepted, w)
	r = r.Assoc(kwPeers, bConjVec(r.Val(kwPeers), joiner))
	r = bUpdAssoc(r, kwPeerState, joiner, kwIdle)
	return reconfigureB(r, f)
}

func applyAbortJoinClusterB(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	r = bUpdDissoc(r, kwPrepared, bInvGet(mapOf(r.Val(kwPrepared)), id))
	r = bUpdDissoc(r, kwAccepted, bInvGet(mapOf(r.Val(kwAccepted)), id))
	return bUpdDissoc(r, kwPeerSites, id), nil
}

func applyLeaveClusterB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	pairs := mapOf(r.Val(kwPairs))
	observer := bInvGet(pairs, id)
	transitive := pairs.Val(id)
	samePair := value.Equal(observer, transitive)
	prepObs := bInvGet(mapOf(r.Val(kwPrepared)), id)
	accObs := bInvGet(mapOf(r.Val(kwAccepted)), id)

	// enforce-flux-policy: a :kill task loses its whole job first.
	if job, task, ok := findPeerAllocation(mapOf(r.Val(kwAllocations)), id); ok {
		pol := mapOf(mapOf(r.Val(kwFluxPolicies)).Val(job)).Val(task)
		if pol == kwBKill {
			var err error
			if r, err = bKillJob(r, f, job); err != nil {
				return nil, err
			}
		}
	}
	r = r.Assoc(kwPeers, bRemove(items(r.Val(kwPeers)), id))
	r = bUpdDissoc(r, kwPrepared, id)
	r = bUpdDissoc(r, kwPrepared, prepObs)
	r = bUpdDissoc(r, kwAccepted, id)
	r = bUpdDissoc(r, kwAccepted, accObs)
	var pair *value.Map
	if !samePair {
		pair = value.NewMap(observer, transitive)
	} else {
		pair = value.NewMap()
	}
	r = r.Assoc(kwPairs, bMerge(r.Val(kwPairs), pair))
	r = bUpdDissoc(r, kwPairs, id)
	if samePair {
		r = bUpdDissoc(r, kwPairs, observer)
	}
	r = bUpdDissoc(r, kwPeerState, id)
	r = bUpdDissoc(r, kwPeerSites, id)
	r = bRemovePeer(r, f, id)
	return reconfigureB(r, f)
}

// bRemovePeer is common/remove-peers: p leaves the task vector it is in.
func bRemovePeer(r *value.Map, f bflags, p value.Value) *value.Map {
	allocs := mapOf(r.Val(kwAllocations))
	job, task, ok := findPeerAllocation(allocs, p)
	if !ok || job == nil || task == nil {
		return r
	}
	jm := mapOf(allocs.Val(job))
	r = r.Assoc(kwAllocations, allocs.Assoc(job, jm.Assoc(task, bRemove(items(jm.Val(task)), p))))
	if f.v074 && value.GetIn(r, kwTaskSlotIDs, job, task, p) != nil {
		slots := mapOf(value.GetIn(r, kwTaskSlotIDs, job, task))
		r = value.AssocIn(r, []value.Value{kwTaskSlotIDs, job, task}, slots.Dissoc(p))
	}
	return r
}

// --- jobs -------------------------------------------------------------------

func applySubmitJobB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	a := e.Args
	id, ok := a.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	tasks := a.Val(kwTasks)
	if tasks != nil && items(tasks) == nil {
		return nil, badArgs(":tasks is a %s, want a sequence", value.TypeName(tasks))
	}
	in := r
	r = r.Assoc(kwJobs, bConjVec(r.Val(kwJobs), id))
	r = bUpdAssoc(r, kwTaskSchedulers, id, a.Val(kwTaskScheduler))
	r = bUpdAssoc(r, kwTasks, id, value.Vector(slices.Clone(items(tasks))))
	r = bUpdAssoc(r, kwAllocations, id, value.NewMap())
	r = bUpdAssoc(r, kwSaturation, id, a.Val(kwSaturation))
	r = bUpdAssoc(r, kwTaskSaturation, id, a.Val(kwTaskSaturation))
	r = bUpdAssoc(r, kwFluxPolicies, id, a.Val(kwFluxPolicies))
	r = bUpdAssoc(r, kwMinRequiredPeers, id, a.Val(kwMinRequiredPeers))
	r = bUpdAssoc(r, kwInputTasks, id, value.Vector(slices.Clone(items(a.Val(kwBInputs)))))
	r = bUpdAssoc(r, kwOutputTasks, id, value.Vector(slices.Clone(items(a.Val(kwBOutputs)))))
	r = bUpdAssoc(r, kwBExemptTasks, id, value.Vector(slices.Clone(items(a.Val(kwBExemptTasks)))))
	r = bUpdAssoc(r, kwBAckerPercentage, id, a.Val(kwBAckerPercentage))
	r = bUpdAssoc(r, kwBAckerExcludeInputs, id, a.Val(kwBAckerExcludeInputs))
	r = bUpdAssoc(r, kwBAckerExcludeOutput, id, a.Val(kwBAckerExcludeOutput))
	if r.Val(kwJobScheduler) == kwBJobSchedPercentage {
		r = bUpdAssoc(r, kwPercentages, id, a.Val(kwPercentage))
	}
	if a.Val(kwTaskScheduler) == kwBTaskSchedPct {
		r = bUpdAssoc(r, kwTaskPercentages, id, a.Val(kwTaskPercentages))
	}
	out, err := reconfigureB(r, f)
	if err != nil {
		// submit-job catches everything the scheduler throws and keeps the replica.
		return in, nil
	}
	return out, nil
}

// bKillJob is kill-job's apply-kill-job.
func bKillJob(r *value.Map, f bflags, job value.Value) (*value.Map, error) {
	peers := bJobPeers(r, job)
	r = r.Assoc(kwJobs, bRemove(items(r.Val(kwJobs)), job))
	r = r.Assoc(kwKilledJobs, bConjVec(r.Val(kwKilledJobs), job))
	r = bUpdDissoc(r, kwAllocations, job)
	r = bUpdDissoc(r, kwAckers, job)
	if f.v073 {
		r = bUpdDissoc(r, kwTaskMetadata, job)
	}
	if f.v074 {
		r = bUpdDissoc(r, kwTaskSlotIDs, job)
	}
	if f.v07 {
		r = r.Assoc(kwPeerState, bMerge(r.Val(kwPeerState), bPeerStates(peers, kwIdle)))
	} else { // 0.6.0 replaces the whole map, as its kill-job does
		r = r.Assoc(kwPeerState, bPeerStates(peers, kwIdle))
	}
	return reconfigureB(r, f)
}

func applyKillJobCmdB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	job, ok := e.Args.Get(kwJob)
	if !ok {
		return nil, badArgs(":job is missing")
	}
	if bContains(items(r.Val(kwKilledJobs)), job) {
		return r, nil
	}
	return bKillJob(r, flagsB(v), job)
}

func applyGCB(r *value.Map, _ value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	done := append(slices.Clone(items(r.Val(kwCompletedJobs))), items(r.Val(kwKilledJobs))...)
	r = r.Assoc(kwKilledJobs, value.Vector{}).Assoc(kwCompletedJobs, value.Vector{})
	keys := []value.Keyword{kwTasks, kwAllocations, kwTaskSchedulers, kwPercentages, kwTaskPercentages, kwSaturation, kwInputTasks, kwOutputTasks}
	if f.v073 {
		keys = append(keys, kwTaskMetadata)
	}
	if f.v074 {
		keys = append(keys, kwTaskSlotIDs)
	}
	for _, j := range done { // gc's reduce over the gone jobs: no job, no nil keys
		for _, k := range keys {
			r = bUpdDissoc(r, k, j)
		}
	}
	return r, nil
}

func applySignalReadyB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	if !flagsB(v).v07 {
		if bContains(items(r.Val(kwPeers)), id) {
			return bUpdAssoc(r, kwPeerState, id, kwActive), nil
		}
		return r, nil
	}
	if _, _, ok := findPeerAllocation(mapOf(r.Val(kwAllocations)), id); ok &&
		mapOf(r.Val(kwPeerState)).Val(id) == kwIdle {
		return bUpdAssoc(r, kwPeerState, id, kwActive), nil
	}
	return r, nil
}

// bUnion is (update-in r [k job] union #{task}).
func bUnionIn(r *value.Map, k value.Keyword, job, task value.Value) *value.Map {
	m := mapOf(r.Val(k))
	s, _ := m.Val(job).(*value.Set)
	if s == nil {
		s = value.NewSet(task)
	} else {
		s = s.Conj(task)
	}
	return r.Assoc(k, m.Assoc(job, s))
}

func jobTaskArgs(e value.Entry) (job, task value.Value, err error) {
	job, ok1 := e.Args.Get(kwJob)
	task, ok2 := e.Args.Get(kwTask)
	if !ok1 || !ok2 {
		return nil, nil, badArgs(":job or :task is missing")
	}
	return job, task, nil
}

func applyExhaustInputB(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	job, task, err := jobTaskArgs(e)
	if err != nil {
		return nil, err
	}
	return bUnionIn(r, kwExhaustedInputs, job, task), nil
}

func applySealOutputB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	job, task, err := jobTaskArgs(e)
	if err != nil {
		return nil, err
	}
	r = bUnionIn(r, kwSealedOutputs, job, task)
	outs := value.NewSet(items(mapOf(r.Val(kwOutputTasks)).Val(job))...)
	sealed, _ := mapOf(r.Val(kwSealedOutputs)).Val(job).(*value.Set)
	if !value.Equal(outs, sealed) {
		return r, nil
	}
	peers := bJobPeers(r, job)
	r = bUpdDissoc(r, kwExhaustedInputs, job)
	r = bUpdDissoc(r, kwSealedOutputs, job)
	r = r.Assoc(kwJobs, bRemove(items(r.Val(kwJobs)), job))
	r = r.Assoc(kwCompletedJobs, bConjVec(r.Val(kwCompletedJobs), job))
	r = bUpdDissoc(r, kwAllocations, job)
	r = r.Assoc(kwPeerState, bMerge(r.Val(kwPeerState), bPeerStates(peers, kwIdle)))
	return reconfigureB(r, f)
}

func bFlipState(r *value.Map, e value.Entry, from, to value.Keyword) (*value.Map, error) {
	p, ok := e.Args.Get(kwBPeer)
	if !ok {
		return nil, badArgs(":peer is missing")
	}
	if mapOf(r.Val(kwPeerState)).Val(p) == from {
		return bUpdAssoc(r, kwPeerState, p, to), nil
	}
	return r, nil
}

func applyBackpressureOnB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if !flagsB(v).v07 {
		return nil, badArgs("not a command before onyx 0.7.0")
	}
	return bFlipState(r, e, kwActive, kwBBackpressure)
}

func applyBackpressureOffB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if !flagsB(v).v07 {
		return nil, badArgs("not a command before onyx 0.7.0")
	}
	return bFlipState(r, e, kwBBackpressure, kwActive)
}

func applySetReplicaB(_ *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	m, ok := e.Args.Val(kwBReplica).(*value.Map)
	if !ok {
		return nil, badArgs(":replica is a %s, want a map", value.TypeName(e.Args.Val(kwBReplica)))
	}
	return m, nil
}

// --- bookkeeper (0.8.x) -----------------------------------------------------

func bStateLogPath(e value.Entry) []value.Value {
	return []value.Value{kwBStateLogs, e.Args.Val(kwBJobID), e.Args.Val(kwBTaskID), e.Args.Val(kwBSlotID)}
}

func applyAssignBookkeeperLogIDB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if !flagsB(v).v08 {
		return nil, badArgs("not a command before onyx 0.8.0")
	}
	return value.UpdateIn(r, bStateLogPath(e), func(logs value.Value) value.Value {
		return bConjVec(logs, e.Args.Val(kwBLedgerID))
	}), nil
}

func applyCompactBookkeeperLogIDsB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if !flagsB(v).v08 {
		return nil, badArgs("not a command before onyx 0.8.0")
	}
	prev := items(e.Args.Val(kwBPrevLedgerIDs))
	next := items(e.Args.Val(kwBNewLedgerIDs))
	return value.UpdateIn(r, bStateLogPath(e), func(logs value.Value) value.Value {
		ls := items(logs)
		if len(ls) < len(prev) || !value.Equal(value.List(ls[:len(prev)]), value.List(prev)) {
			return logs // not swappable: the replica keeps its ledgers
		}
		out := value.Vector(slices.Clone(next))
		return append(out, ls[len(prev):]...)
	}), nil
}

func applyDeletedBookkeeperLogIDsB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if !flagsB(v).v08 {
		return nil, badArgs("not a command before onyx 0.8.0")
	}
	marked, _ := r.Val(kwBStateLogsMarked).(*value.Set)
	var del []value.Value
	switch x := e.Args.Val(kwBLogs).(type) {
	case *value.Set:
		del = x.Items()
	default:
		del = items(x)
	}
	if marked == nil {
		return r.Assoc(kwBStateLogsMarked, nil), nil
	}
	for _, l := range del {
		marked = marked.Disj(l)
	}
	return r.Assoc(kwBStateLogsMarked, marked), nil
}
