package replay

import (
	"onyx-dashboard/model/value"
)

// The join protocol of era B (onyx-log-format.md §4.4): prepare, notify,
// accept and abort join, and leave-cluster, each followed by
// reconfigure-cluster-workload where the release runs it.

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
	watcher, ok := chooseWatcher(pairs, mapOf(r.Val(kwPrepared)), mapOf(r.Val(kwAccepted)), peers, nil, e.Seq)
	if !ok {
		return r, nil
	}
	sm, err := bSiteWithResources(r, f, joiner, site)
	if err != nil {
		return nil, err
	}
	r = bUpdAssoc(r, kwPrepared, watcher, joiner)
	r = bUpdAssoc(r, kwPeerSites, joiner, sm)
	return reconfigureB(r, f)
}

func applyNotifyJoinClusterB(r *value.Map, e value.Entry, _ Version) (*value.Map, error) {
	obs, ok := e.Args.Get(kwObserver)
	if !ok {
		return nil, badArgs(":observer is missing")
	}
	w := invertGet(mapOf(r.Val(kwPrepared)), obs)
	r = bUpdAssoc(r, kwAccepted, w, obs)
	return bUpdDissoc(r, kwPrepared, w), nil
}

func applyAcceptJoinClusterB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	w, joiner, target, pairs, err := acceptJoinArgs(r, e)
	if err != nil {
		return nil, err
	}
	f := flagsB(v)
	if f.v07 {
		// 0.7+: no change unless the observer accepted someone, the joiner
		// is not a member yet and the observer's target still is.
		peers := items(r.Val(kwPeers))
		if !truthy(mapOf(r.Val(kwAccepted)).Val(w)) || containsValue(peers, joiner) || !containsValue(peers, target) {
			return r, nil
		}
	} else if invertGet(mapOf(r.Val(kwAccepted)), joiner) == nil {
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
	r = bUpdDissoc(r, kwPrepared, invertGet(mapOf(r.Val(kwPrepared)), id))
	r = bUpdDissoc(r, kwAccepted, invertGet(mapOf(r.Val(kwAccepted)), id))
	return bUpdDissoc(r, kwPeerSites, id), nil
}

func applyLeaveClusterB(r *value.Map, e value.Entry, v Version) (*value.Map, error) {
	f := flagsB(v)
	id, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	pairs := mapOf(r.Val(kwPairs))
	observer := invertGet(pairs, id)
	transitive := pairs.Val(id)
	samePair := value.Equal(observer, transitive)
	prepObs := invertGet(mapOf(r.Val(kwPrepared)), id)
	accObs := invertGet(mapOf(r.Val(kwAccepted)), id)

	// enforce-flux-policy: a :kill task loses its whole job first.
	if job, task, ok := bFindPeer(mapOf(r.Val(kwAllocations)), id); ok {
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
	job, task, ok := bFindPeer(allocs, p)
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
