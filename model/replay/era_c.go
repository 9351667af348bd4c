package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Era C (Onyx 0.8.4 – 0.9.16): era B's commands (onyx-log-format.md §4.4,
// §4.6) with the scheduler of schedule_cd.go and an estimated placement;
// peers join one by one up to 0.9.6, as peer groups with virtual peers from
// 0.9.7 (groups_cd.go). :peer-state, ackers, exhaust/seal and the
// bookkeeper entries are still here.
func init() {
	registerCommands(EraC, map[value.Keyword]command{
		value.Kw("prepare-join-cluster"):       applyPrepareJoinC,
		value.Kw("notify-join-cluster"):        applyNotifyJoinC,
		value.Kw("accept-join-cluster"):        applyAcceptJoinC,
		value.Kw("abort-join-cluster"):         applyAbortJoinC,
		value.Kw("leave-cluster"):              applyLeaveClusterC,
		value.Kw("add-virtual-peer"):           cdGroupsOnly(applyAddVirtualPeer),
		value.Kw("group-leave-cluster"):        cdGroupsOnly(applyGroupLeaveCluster),
		value.Kw("submit-job"):                 cdCmd(applySubmitJobCD),
		value.Kw("kill-job"):                   cdCmd(applyKillJobCD),
		value.Kw("gc"):                         cdCmd(applyGCCD),
		value.Kw("signal-ready"):               cdPlain(applySignalReadyC),
		value.Kw("exhaust-input"):              cdPlain(applyExhaustInputC),
		value.Kw("seal-output"):                cdCmd(applySealOutputC),
		value.Kw("backpressure-on"):            cdPlain(applyBackpressureC(kwActive, kwCDBackpressure)),
		value.Kw("backpressure-off"):           cdPlain(applyBackpressureC(kwCDBackpressure, kwActive)),
		value.Kw("set-replica!"):               cdPlain(applySetReplicaCD),
		value.Kw("assign-bookkeeper-log-id"):   cdPlain(applyAssignBookkeeperLogIDC),
		value.Kw("compact-bookkeeper-log-ids"): cdPlain(applyCompactBookkeeperLogIDsC),
		value.Kw("deleted-bookkeeper-log-ids"): cdPlain(applyDeletedBookkeeperLogIDsC),
	})
}

var (
	kwCDBackpressure = value.Kw("backpressure")
	kwCDPeer         = value.Kw("peer")
	kwCDStateLogs    = value.Kw("state-logs")
	kwCDLogsMarked   = value.Kw("state-logs-marked")
	kwCDTaskID       = value.Kw("task-id")
	kwCDSlotID       = value.Kw("slot-id")
	kwCDLedgerID     = value.Kw("ledger-id")
	kwCDPrevLedgers  = value.Kw("prev-ledger-ids")
	kwCDNewLedgers   = value.Kw("new-ledger-ids")
	kwCDLogs         = value.Kw("logs")
)

// cdGroupsOnly is a command that exists from 0.9.7 on.
func cdGroupsOnly(fn func(*value.Map, value.Entry, cdflags) (*value.Map, error)) command {
	return func(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
		f := flagsCD(v)
		if !f.groups {
			return nil, badArgs("not a command before onyx 0.9.7")
		}
		return fn(r, e, f)
	}
}

// --- join protocol: peers up to 0.9.6, groups from 0.9.7 -------------------

func applyPrepareJoinC(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsCD(v)
	if f.groups {
		return applyPrepareJoinGroup(r, e, f)
	}
	joiner, ok := e.Args.Get(kwJoiner)
	if !ok || joiner == nil {
		return nil, badArgs(":joiner is missing")
	}
	site := e.Args.Val(kwCDPeerSite)
	old := r
	peers := items(r.Val(kwPeers))
	if len(peers) == 0 {
		r = r.Assoc(kwPeers, conjVec(peers, joiner))
		r = r.Assoc(kwPeerState, mapAt(r, kwPeerState).Assoc(joiner, kwIdle))
		r = r.Assoc(kwPeerSites, mapAt(r, kwPeerSites).Assoc(joiner, site))
		if f.tags && e.Args.Has(kwCDTags) {
			r = r.Assoc(kwCDPeerTags, mapAt(r, kwCDPeerTags).Assoc(joiner, e.Args.Val(kwCDTags)))
		}
		return reconfigureCD(r, old, f)
	}
	prepared := mapAt(r, kwPrepared)
	watcher, ok := chooseWatcher(mapAt(r, kwPairs), prepared, mapAt(r, kwAccepted), peers, nil, e.Seq)
	if !ok {
		return r, nil
	}
	r = r.Assoc(kwPrepared, prepared.Assoc(watcher, joiner))
	r = r.Assoc(kwPeerSites, mapAt(r, kwPeerSites).Assoc(joiner, site))
	if f.tags && e.Args.Has(kwCDTags) {
		r = r.Assoc(kwCDPeerTags, mapAt(r, kwCDPeerTags).Assoc(joiner, e.Args.Val(kwCDTags)))
	}
	return reconfigureCD(r, old, f)
}

func applyNotifyJoinC(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if flagsCD(v).groups {
		return applyNotifyJoinGroup(r, e)
	}
	obs, ok := e.Args.Get(kwObserver)
	if !ok {
		return nil, badArgs(":observer is missing")
	}
	w := invertGet(mapAt(r, kwPrepared), obs)
	if w == nil {
		return r, nil
	}
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Assoc(w, obs))
	return r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(w)), nil
}

func applyAcceptJoinC(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsCD(v)
	if f.groups {
		return applyAcceptJoinGroup(r, e, f)
	}
	w, joiner, target, pairs, err := acceptJoinArgs(r, e)
	if err != nil {
		return nil, err
	}
	peers := items(r.Val(kwPeers))
	if !truthy(mapAt(r, kwAccepted).Val(w)) || containsValue(peers, joiner) || !containsValue(peers, target) {
		return r, nil
	}
	old := r
	r = r.Assoc(kwPairs, pairs.Assoc(w, joiner).Assoc(joiner, target))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(w))
	r = r.Assoc(kwPeers, conjVec(peers, joiner))
	r = r.Assoc(kwPeerState, mapAt(r, kwPeerState).Assoc(joiner, kwIdle))
	return reconfigureCD(r, old, f)
}

func applyAbortJoinC(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	if flagsCD(v).groups {
		return applyAbortJoinGroup(r, e)
	}
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	r = r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(invertGet(mapAt(r, kwPrepared), id)))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(invertGet(mapAt(r, kwAccepted), id)))
	return r.Assoc(kwPeerSites, mapAt(r, kwPeerSites).Dissoc(id)), nil
}

func applyLeaveClusterC(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsCD(v)
	if f.groups {
		return applyLeaveVirtualPeer(r, e, f)
	}
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	old := r
	pairs := mapAt(r, kwPairs)
	observer, transitive := invertGet(pairs, id), pairs.Val(id)
	prepObs := invertGet(mapAt(r, kwPrepared), id)
	accObs := invertGet(mapAt(r, kwAccepted), id)
	r, err := enforceFluxPolicy(r, f, id)
	if err != nil {
		return nil, err
	}
	r = r.Assoc(kwPeers, removeValue(items(r.Val(kwPeers)), id))
	r = r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(id).Dissoc(prepObs))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(id).Dissoc(accObs))
	pm := mapAt(r, kwPairs)
	if value.Equal(observer, transitive) {
		pm = pm.Dissoc(id).Dissoc(observer)
	} else {
		pm = pm.Assoc(observer, transitive).Dissoc(id)
	}
	r = r.Assoc(kwPairs, pm)
	r = r.Assoc(kwPeerState, mapAt(r, kwPeerState).Dissoc(id))
	r = r.Assoc(kwPeerSites, mapAt(r, kwPeerSites).Dissoc(id))
	if f.tags {
		r = r.Assoc(kwCDPeerTags, mapAt(r, kwCDPeerTags).Dissoc(id))
	}
	r = removePeerCD(r, f, id)
	return reconfigureCD(r, old, f)
}

// --- peer state, job completion, backpressure -------------------------------

func applySignalReadyC(r *value.Map, e value.Entry) (*value.Map, error) {
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	if _, _, ok := findPeerAllocation(mapAt(r, kwAllocations), id); ok && mapAt(r, kwPeerState).Val(id) == kwIdle {
		return r.Assoc(kwPeerState, mapAt(r, kwPeerState).Assoc(id, kwActive)), nil
	}
	return r, nil
}

// unionIn is (update-in r [k job] union #{task}).
func unionIn(r *value.Map, k value.Keyword, job, task value.Value) *value.Map {
	m := mapAt(r, k)
	return r.Assoc(k, m.Assoc(job, conjSet(m.Val(job), task)))
}

func jobTaskArgsCD(e value.Entry) (job, task value.Value, err error) {
	job, ok1 := e.Args.Get(kwJob)
	task, ok2 := e.Args.Get(kwTask)
	if !ok1 || !ok2 {
		return nil, nil, badArgs(":job or :task is missing")
	}
	return job, task, nil
}

func applyExhaustInputC(r *value.Map, e value.Entry) (*value.Map, error) {
	job, task, err := jobTaskArgsCD(e)
	if err != nil {
		return nil, err
	}
	return unionIn(r, kwExhaustedInputs, job, task), nil
}

func applySealOutputC(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	job, task, err := jobTaskArgsCD(e)
	if err != nil {
		return nil, err
	}
	old := r
	x := newRepStampCD(r, f) // the command's assocs, made at once
	sealed := x.mapAt(kwSealedOutputs)
	x.Set(kwSealedOutputs, sealed.Assoc(job, conjSet(sealed.Val(job), task)))
	outs := value.NewSet(items(x.mapAt(kwOutputTasks).Val(job))...)
	if !value.Equal(outs, x.mapAt(kwSealedOutputs).Val(job)) {
		out := x.done()
		x.release()
		return out, nil
	}
	var peers []value.Value
	mapOf(x.mapAt(kwAllocations).Val(job)).Range(func(_, ps value.Value) bool {
		peers = append(peers, items(ps)...)
		return true
	})
	x.Set(kwExhaustedInputs, x.mapAt(kwExhaustedInputs).Dissoc(job))
	x.Set(kwSealedOutputs, x.mapAt(kwSealedOutputs).Dissoc(job))
	x.Set(kwJobs, removeValue(items(x.Val(kwJobs)), job))
	x.Set(kwCompletedJobs, conjVec(items(x.Val(kwCompletedJobs)), job))
	x.Set(kwAllocations, x.mapAt(kwAllocations).Dissoc(job))
	ps := x.mapAt(kwPeerState)
	for _, p := range peers {
		ps = ps.Assoc(p, kwIdle)
	}
	x.Set(kwPeerState, ps)
	return reconfigureRepCD(x, old, f)
}

func applyBackpressureC(from, to value.Keyword) func(*value.Map, value.Entry) (*value.Map, error) {
	return func(r *value.Map, e value.Entry) (*value.Map, error) {
		p, ok := e.Args.Get(kwCDPeer)
		if !ok {
			return nil, badArgs(":peer is missing")
		}
		if mapAt(r, kwPeerState).Val(p) == from {
			return r.Assoc(kwPeerState, mapAt(r, kwPeerState).Assoc(p, to)), nil
		}
		return r, nil
	}
}

// --- bookkeeper (0.8.x – 0.9.x) ---------------------------------------------

func stateLogPathCD(e value.Entry) []value.Value {
	return []value.Value{kwCDStateLogs, e.Args.Val(kwCDJobID), e.Args.Val(kwCDTaskID), e.Args.Val(kwCDSlotID)}
}

func applyAssignBookkeeperLogIDC(r *value.Map, e value.Entry) (*value.Map, error) {
	return value.UpdateIn(r, stateLogPathCD(e), func(logs value.Value) value.Value {
		return conjVec(items(logs), e.Args.Val(kwCDLedgerID))
	}), nil
}

func applyCompactBookkeeperLogIDsC(r *value.Map, e value.Entry) (*value.Map, error) {
	prev := items(e.Args.Val(kwCDPrevLedgers))
	next := items(e.Args.Val(kwCDNewLedgers))
	return value.UpdateIn(r, stateLogPathCD(e), func(logs value.Value) value.Value {
		ls := items(logs)
		if len(ls) < len(prev) || !value.Equal(value.List(ls[:len(prev)]), value.List(prev)) {
			return logs // not swappable: the replica keeps its ledgers
		}
		return append(value.Vector(slices.Clone(next)), ls[len(prev):]...)
	}), nil
}

func applyDeletedBookkeeperLogIDsC(r *value.Map, e value.Entry) (*value.Map, error) {
	marked := setOf(r.Val(kwCDLogsMarked))
	if marked == nil {
		return r.Assoc(kwCDLogsMarked, nil), nil
	}
	del, _ := seqOf(e.Args.Val(kwCDLogs))
	for _, l := range del {
		marked = marked.Disj(l)
	}
	return r.Assoc(kwCDLogsMarked, marked), nil
}
