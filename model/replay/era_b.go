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
	if b.Len() <= 1 {
		b.Range(func(k, v value.Value) bool {
			am = am.Assoc(k, v)
			return true
		})
		return am
	}
	t := am.AsTransient()
	b.Range(func(k, v value.Value) bool {
		t.Assoc(k, v)
		return true
	})
	return t.Persistent()
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

func bConjVec(v value.Value, x value.Value) value.Vector {
	return value.Vector(items(v)).Conj(x)
}

// bJobPeers is (apply concat (vals (get-in r [:allocations job]))).
func bJobPeers(r *value.Map, job value.Value) []value.Value {
	jm := mapOf(mapOf(r.Val(kwAllocations)).Val(job))
	n := 0
	jm.Range(func(_, ps value.Value) bool {
		n += len(items(ps))
		return true
	})
	if n == 0 {
		return nil
	}
	out := make([]value.Value, 0, n)
	jm.Range(func(_, ps value.Value) bool {
		out = append(out, items(ps)...)
		return true
	})
	return out
}

// bPeerStates is the map of peers to st built by assoc in order (through a
// transient, which gives what the assocs one by one give without a copy of
// the growing map for each).
func bPeerStates(peers []value.Value, st value.Keyword) *value.Map {
	if len(peers) <= 1 {
		m := value.NewMap()
		for _, p := range peers {
			m = m.Assoc(p, st)
		}
		return m
	}
	t := value.NewMap().AsTransient()
	for _, p := range peers {
		t.Assoc(p, st)
	}
	return t.Persistent()
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
