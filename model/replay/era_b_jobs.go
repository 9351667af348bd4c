package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// The job commands of era B (onyx-log-format.md §4.4): submit, kill and gc,
// signal-ready, exhaust-input and seal-output, backpressure and set-replica!.

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
	// one transient for the replica's sixteen assocs: the same map, without
	// copying its root for each
	t := r.AsTransient()
	upd := func(k value.Keyword, v value.Value) { t.Assoc(k, mapOf(t.Val(k)).Assoc(id, v)) }
	t.Assoc(kwJobs, bConjVec(t.Val(kwJobs), id))
	upd(kwTaskSchedulers, a.Val(kwTaskScheduler))
	upd(kwTasks, value.Vector(slices.Clone(items(tasks))))
	upd(kwAllocations, value.NewMap())
	upd(kwSaturation, a.Val(kwSaturation))
	upd(kwTaskSaturation, a.Val(kwTaskSaturation))
	upd(kwFluxPolicies, a.Val(kwFluxPolicies))
	upd(kwMinRequiredPeers, a.Val(kwMinRequiredPeers))
	upd(kwInputTasks, value.Vector(slices.Clone(items(a.Val(kwBInputs)))))
	upd(kwOutputTasks, value.Vector(slices.Clone(items(a.Val(kwBOutputs)))))
	upd(kwBExemptTasks, value.Vector(slices.Clone(items(a.Val(kwBExemptTasks)))))
	upd(kwBAckerPercentage, a.Val(kwBAckerPercentage))
	upd(kwBAckerExcludeInputs, a.Val(kwBAckerExcludeInputs))
	upd(kwBAckerExcludeOutput, a.Val(kwBAckerExcludeOutput))
	if t.Val(kwJobScheduler) == kwBJobSchedPercentage {
		upd(kwPercentages, a.Val(kwPercentage))
	}
	if a.Val(kwTaskScheduler) == kwBTaskSchedPct {
		upd(kwTaskPercentages, a.Val(kwTaskPercentages))
	}
	r = t.Persistent()
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
	if containsValue(items(r.Val(kwKilledJobs)), job) {
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
		if containsValue(items(r.Val(kwPeers)), id) {
			return bUpdAssoc(r, kwPeerState, id, kwActive), nil
		}
		return r, nil
	}
	if _, _, ok := bFindPeer(mapOf(r.Val(kwAllocations)), id); ok &&
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
