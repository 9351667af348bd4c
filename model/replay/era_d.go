package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Era D (Onyx 0.10.0 – 0.14.6): the commands of apply-log-entry
// (onyx-log-format.md §4.7). Apply sets :version to the message-id before
// each command; reconfigureCD (placement_cd.go) runs inside the commands
// that change membership or jobs, with an estimated placement.
func init() {
	registerCommands(EraD, map[value.Keyword]command{
		value.Kw("prepare-join-cluster"): cdCmdD(applyPrepareJoinGroup),
		value.Kw("notify-join-cluster"):  cdPlainD(applyNotifyJoinGroup),
		value.Kw("accept-join-cluster"):  cdCmdD(applyAcceptJoinGroup),
		value.Kw("abort-join-cluster"):   cdPlainD(applyAbortJoinGroup),
		value.Kw("add-virtual-peer"):     cdCmdD(applyAddVirtualPeer),
		value.Kw("leave-cluster"):        cdCmdD(applyLeaveVirtualPeer),
		value.Kw("group-leave-cluster"):  cdCmdD(applyGroupLeaveCluster),
		value.Kw("submit-job"):           cdCmdD(applySubmitJobCD),
		value.Kw("complete-job"):         cdCmdD(applyCompleteJobD),
		value.Kw("kill-job"):             cdCmdD(applyKillJobCD),
		value.Kw("gc"):                   cdCmdD(applyGCCD),
		value.Kw("set-replica!"):         cdPlainD(applySetReplicaCD),
	})
}

// cdCmdD adapts an era D command: Onyx 0.10+ sets :version to the entry's
// seq before applying (§4.7). When the replica has the key already, the
// command gets the replica as it is and sets :version in the first rep it
// opens (newRepStampCD), so the root is copied once for both; the result is
// the same map, as assoc on a key present keeps the key's place. A result
// that missed the stamp (an early return) gets it here.
func cdCmdD(fn func(*value.Map, value.Entry, cdflags) (*value.Map, error)) command {
	return func(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
		f := flagsCD(v)
		if !r.Has(kwCDVersion) {
			return fn(r.Assoc(kwCDVersion, e.Seq), e, f)
		}
		f.stamp, f.seq = true, e.Seq
		out, err := fn(r, e, f)
		if err != nil || out == nil {
			return out, err
		}
		switch cur, ok := out.Get(kwCDVersion); {
		case !ok: // never: no command dissocs :version; the plain way then
			f.stamp, f.seq = false, nil
			return fn(r.Assoc(kwCDVersion, e.Seq), e, f)
		default:
			if n, isInt := cur.(int64); !isInt || n != e.Seq {
				out = out.Assoc(kwCDVersion, f.seq)
			}
		}
		return out, nil
	}
}

// cdPlainD is cdPlain of era D: :version set before the command.
func cdPlainD(fn func(*value.Map, value.Entry) (*value.Map, error)) command {
	return func(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
		return fn(r.Assoc(kwCDVersion, e.Seq), e)
	}
}

// cdCmd adapts a command that needs the version's flags.
func cdCmd(fn func(*value.Map, value.Entry, cdflags) (*value.Map, error)) command {
	return func(r *value.Map, e value.Entry, v Version) (*value.Map, error) { return fn(r, e, flagsCD(v)) }
}

// cdPlain adapts a command that is the same in every release of C and D.
func cdPlain(fn func(*value.Map, value.Entry) (*value.Map, error)) command {
	return func(r *value.Map, e value.Entry, _ Version) (*value.Map, error) { return fn(r, e) }
}

var (
	kwCDInputs   = value.Kw("inputs")
	kwCDOutputs  = value.Kw("outputs")
	kwCDReducers = value.Kw("reducers")
	kwCDState    = value.Kw("state")
	kwCDGroupedA = value.Kw("grouped")
	kwCDReplica  = value.Kw("replica")
)

// applySubmitJobCD is submit-job of eras C and D. Anything the scheduler
// throws leaves the replica as it was, as the command's try/catch does.
func applySubmitJobCD(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	a := e.Args
	id, ok := a.Get(kwID)
	if !ok || id == nil {
		return nil, badArgs(":id is missing")
	}
	tasks := a.Val(kwTasks)
	if tasks != nil && items(tasks) == nil {
		return nil, badArgs(":tasks is a %s, want a sequence", value.TypeName(tasks))
	}
	if f.hash && (containsValue(items(r.Val(kwJobs)), id) || containsValue(items(r.Val(kwKilledJobs)), id) ||
		containsValue(items(r.Val(kwCompletedJobs)), id)) {
		return r, nil // a resubmission of the same job (0.9.10+)
	}
	old := r
	x := newRepStampCD(r, f)
	set := func(k value.Keyword, v value.Value) { x.Set(k, x.mapAt(k).Assoc(id, v)) }
	x.Set(kwJobs, conjVec(items(x.Val(kwJobs)), id))
	set(kwTaskSchedulers, a.Val(kwTaskScheduler))
	set(kwTasks, value.Vector(slices.Clone(items(tasks))))
	set(kwAllocations, value.NewMap())
	set(kwSaturation, a.Val(kwSaturation))
	set(kwTaskSaturation, a.Val(kwTaskSaturation))
	set(kwFluxPolicies, a.Val(kwFluxPolicies))
	set(kwMinRequiredPeers, a.Val(kwMinRequiredPeers))
	if f.d {
		set(kwCDInOut, a.Val(kwCDInOut))
		set(kwInputTasks, value.NewSet(items(a.Val(kwCDInputs))...))
		set(kwOutputTasks, value.NewSet(items(a.Val(kwCDOutputs))...))
		set(kwCDReduceTasks, value.NewSet(items(a.Val(kwCDReducers))...))
		set(kwCDStateTasks, value.NewSet(items(a.Val(kwCDState))...))
		set(kwCDGrouped, value.NewSet(items(a.Val(kwCDGroupedA))...))
	} else {
		set(kwInputTasks, value.Vector(slices.Clone(items(a.Val(kwCDInputs)))))
		set(kwOutputTasks, value.Vector(slices.Clone(items(a.Val(kwCDOutputs)))))
		set(kwCDExempt, value.Vector(slices.Clone(items(a.Val(kwCDExempt)))))
		set(kwCDAckerPct, a.Val(kwCDAckerPct))
		set(kwCDExclIn, a.Val(kwCDExclIn))
		set(kwCDExclOut, a.Val(kwCDExclOut))
	}
	if f.tags {
		set(kwCDRequired, a.Val(kwCDRequired))
	}
	if x.Val(kwJobScheduler) == kwCDJobPct {
		set(kwPercentages, a.Val(kwPercentage))
	}
	if a.Val(kwTaskScheduler) == kwCDTaskPct {
		set(kwTaskPercentages, a.Val(kwTaskPercentages))
	}
	out, err := reconfigureRepCD(x, old, f)
	if err != nil {
		return old, nil
	}
	return out, nil
}

// applyCompleteJobD is complete-job (0.10+): args {:job-id J}.
func applyCompleteJobD(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	job, ok := e.Args.Get(kwCDJobID)
	if !ok {
		return nil, badArgs(":job-id is missing")
	}
	if !containsValue(items(r.Val(kwJobs)), job) {
		return r, nil
	}
	old := r
	x := newRepStampCD(r, f)
	x.Set(kwJobs, removeValue(items(x.Val(kwJobs)), job))
	x.Set(kwCompletedJobs, conjVec(items(x.Val(kwCompletedJobs)), job))
	for _, k := range completeKeysD {
		if err := x.updateDissoc(k, job); err != nil {
			return nil, err
		}
	}
	return reconfigureRepCD(x, old, f)
}

var completeKeysD = []value.Keyword{kwCoordinators, kwCDInOut, kwTaskMetadata, kwTaskSlotIDs, kwAllocationVersion, kwAllocations}

// killJobCD is apply-kill-job: no change for a job already killed.
func killJobCD(r *value.Map, f cdflags, job value.Value) (*value.Map, error) {
	if containsValue(items(r.Val(kwKilledJobs)), job) {
		return r, nil
	}
	old := r
	var peers []value.Value
	mapOf(mapAt(r, kwAllocations).Val(job)).Range(func(_, ps value.Value) bool {
		peers = append(peers, items(ps)...)
		return true
	})
	x := newRepStampCD(r, f)
	x.Set(kwJobs, removeValue(items(x.Val(kwJobs)), job))
	x.Set(kwKilledJobs, conjVec(items(x.Val(kwKilledJobs)), job))
	keys := killKeysD
	if !f.d {
		keys = killKeysC
	}
	for _, k := range keys {
		if err := x.updateDissoc(k, job); err != nil {
			return nil, err
		}
	}
	if !f.d {
		ps := x.mapAt(kwPeerState)
		for _, p := range peers {
			ps = ps.Assoc(p, kwIdle)
		}
		x.Set(kwPeerState, ps)
	}
	return reconfigureRepCD(x, old, f)
}

var (
	killKeysD = []value.Keyword{kwAllocations, kwCoordinators, kwTaskMetadata, kwTaskSlotIDs, kwCDInOut}
	killKeysC = []value.Keyword{kwAllocations, kwAckers, kwTaskMetadata, kwTaskSlotIDs}
)

func applyKillJobCD(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	job, ok := e.Args.Get(kwJob)
	if !ok {
		return nil, badArgs(":job is missing")
	}
	out, err := killJobCD(r, f, job)
	if err != nil && f.d {
		return r, nil // 0.10+ catches what the kill throws
	}
	return out, err
}

// gc's per-job keys (§4.7; era C as era B 0.8 plus the keys it added).
var (
	gcKeysD = []value.Keyword{kwTasks, kwAllocations, kwCoordinators, kwTaskMetadata, kwTaskSlotIDs,
		kwFluxPolicies, kwTaskSchedulers, kwPercentages, kwTaskPercentages, kwSaturation,
		kwMinRequiredPeers, kwCDInOut, kwCDRequired, kwAllocationVersion, kwTaskSaturation,
		kwInputTasks, kwCDGrouped, kwCDStateTasks, kwOutputTasks}
	gcKeysC = []value.Keyword{kwTasks, kwAllocations, kwTaskSchedulers, kwPercentages, kwTaskPercentages,
		kwSaturation, kwInputTasks, kwOutputTasks, kwTaskMetadata, kwTaskSlotIDs}
)

func applyGCCD(r *value.Map, _ value.Entry, f cdflags) (*value.Map, error) {
	done := append(slices.Clone(items(r.Val(kwCompletedJobs))), items(r.Val(kwKilledJobs))...)
	x := newRepStampCD(r, f)
	x.Set(kwKilledJobs, value.Vector{})
	x.Set(kwCompletedJobs, value.Vector{})
	keys := gcKeysC
	if f.d {
		keys = gcKeysD
	}
	if len(done) == 0 {
		return x.done(), nil
	}
	// Key by key rather than job by job: the same maps (each dissoc
	// touches one key's map) and the same first error (a key that is not
	// a map fails for the first job as for any).
	for _, k := range keys {
		cur, present := x.Get(k)
		switch m := cur.(type) {
		case nil:
			if !present {
				x.Set(k, nil)
			}
		case *value.Map:
			var t *value.TransientMap
			for _, j := range done {
				if !m.Has(j) {
					continue
				}
				if t == nil {
					t = m.AsTransient()
				}
				t.Dissoc(j)
			}
			if t != nil {
				x.Set(k, t.Persistent())
			}
		default:
			return nil, crash("replica %s is a %s, not a map", k, value.TypeName(cur))
		}
	}
	return x.done(), nil
}

// applySetReplicaCD replaces the replica. The 0.10+ subscriber wraps the
// whole origin ({:message-id … :replica …}); the inner replica is taken
// (§4.7: the sane thing, not Onyx's bug).
func applySetReplicaCD(_ *value.Map, e value.Entry) (*value.Map, error) {
	m, ok := e.Args.Val(kwCDReplica).(*value.Map)
	if !ok {
		return nil, badArgs(":replica is a %s, want a map", value.TypeName(e.Args.Val(kwCDReplica)))
	}
	if inner, ok := m.Val(kwCDReplica).(*value.Map); ok && m.Has(kwMessageID) {
		return inner, nil
	}
	return m, nil
}
