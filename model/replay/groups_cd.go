package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Peer groups and virtual peers (0.9.7 – 0.14.6, onyx-log-format.md §4.7):
// a group joins the ring through the join protocol; its virtual peers are
// announced with :add-virtual-peer and become :peers once the group is in
// :groups (until then they wait in :orphaned-peers). Era C adds :peer-state.

// setOf returns v as a set (nil reads as empty).
func setOf(v value.Value) *value.Set {
	s, _ := v.(*value.Set)
	return s
}

// conjSet is ((fnil conj #{}) s x).
func conjSet(v value.Value, x value.Value) *value.Set {
	s := setOf(v)
	if s == nil {
		return value.NewSet(x)
	}
	return s.Conj(x)
}

// promoteOrphans appends group g's orphaned peers to :peers.
func promoteOrphans(r *value.Map, g value.Value) *value.Map {
	orph := mapAt(r, kwCDOrphaned)
	ps := items(orph.Val(g))
	peers := slices.Clone(items(r.Val(kwPeers)))
	r = r.Assoc(kwPeers, append(value.Vector(peers), ps...))
	return r.Assoc(kwCDOrphaned, orph.Dissoc(g))
}

func applyPrepareJoinGroup(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	g, ok := e.Args.Get(kwJoiner)
	if !ok || g == nil {
		return nil, badArgs(":joiner is missing")
	}
	old := r
	groups := items(r.Val(kwGroups))
	if len(groups) == 0 {
		r = r.Assoc(kwGroups, conjVec(groups, g))
		r = r.Assoc(kwCDAborted, setOf(r.Val(kwCDAborted)).Disj(g))
		r = promoteOrphans(r, g)
		return reconfigureCD(r, old, f)
	}
	prepared, accepted, pairs := mapAt(r, kwPrepared), mapAt(r, kwAccepted), mapAt(r, kwPairs)
	if containsValue(groups, g) || containsValue(prepared.Vals(), g) || containsValue(accepted.Vals(), g) {
		return r, nil
	}
	watcher, ok := chooseWatcher(pairs, prepared, accepted, groups, g, e.Seq)
	if !ok {
		return r.Assoc(kwCDAborted, conjSet(r.Val(kwCDAborted), g)), nil
	}
	r = r.Assoc(kwPrepared, prepared.Assoc(watcher, g))
	return r.Assoc(kwCDAborted, setOf(r.Val(kwCDAborted)).Disj(g)), nil
}

func applyNotifyJoinGroup(r *value.Map, e value.Entry) (*value.Map, error) {
	g, ok := e.Args.Get(kwObserver)
	if !ok {
		return nil, badArgs(":observer is missing")
	}
	w := invertGet(mapAt(r, kwPrepared), g)
	if w == nil || containsValue(items(r.Val(kwGroups)), g) {
		return r, nil
	}
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Assoc(w, g))
	return r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(w)), nil
}

func applyAcceptJoinGroup(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	w, g, target, pairs, err := acceptJoinArgs(r, e)
	if err != nil {
		return nil, err
	}
	groups := items(r.Val(kwGroups))
	if !value.Equal(mapAt(r, kwAccepted).Val(w), g) || containsValue(groups, g) || !containsValue(groups, target) {
		return r, nil
	}
	old := r
	r = r.Assoc(kwPairs, pairs.Assoc(w, g).Assoc(g, target))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(w))
	r = r.Assoc(kwGroups, conjVec(groups, g))
	r = promoteOrphans(r, g)
	return reconfigureCD(r, old, f)
}

func applyAbortJoinGroup(r *value.Map, e value.Entry) (*value.Map, error) {
	g, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	if containsValue(items(r.Val(kwPeers)), g) { // sic: a group id never is a peer
		return r, nil
	}
	r = r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(invertGet(mapAt(r, kwPrepared), g)))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(invertGet(mapAt(r, kwAccepted), g)))
	return r.Assoc(kwCDAborted, conjSet(r.Val(kwCDAborted), g)), nil
}

func applyAddVirtualPeer(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	p, ok1 := e.Args.Get(kwID)
	g, ok2 := e.Args.Get(kwCDGroupID)
	if !ok1 || !ok2 || p == nil {
		return nil, badArgs(":id or :group-id is missing")
	}
	if setOf(r.Val(kwCDLeft)).Has(g) {
		return r, nil
	}
	old := r
	x := newRepStampCD(r, f)
	gi := x.mapAt(kwCDGroupsIndex)
	x.Set(kwCDGroupsIndex, gi.Assoc(g, conjSet(gi.Val(g), p)))
	x.Set(kwCDGroupsRev, x.mapAt(kwCDGroupsRev).Assoc(p, g))
	x.Set(kwPeerSites, x.mapAt(kwPeerSites).Assoc(p, e.Args.Val(kwCDPeerSite)))
	x.Set(kwCDPeerTags, x.mapAt(kwCDPeerTags).Assoc(p, e.Args.Val(kwCDTags)))
	if !f.d {
		x.Set(kwPeerState, x.mapAt(kwPeerState).Assoc(p, kwIdle))
	}
	if !containsValue(items(x.Val(kwGroups)), g) {
		orph := x.mapAt(kwCDOrphaned)
		x.Set(kwCDOrphaned, orph.Assoc(g, conjVec(items(orph.Val(g)), p)))
		return x.done(), nil
	}
	x.Set(kwPeers, conjPeersCD(items(x.Val(kwPeers)), p))
	return reconfigureRepCD(x, old, f)
}

// removePeerCD is common/remove-peers: p leaves its task vector, its slot id
// and (0.10+) the coordinator entry it held.
func removePeerCD(r *value.Map, f cdflags, p value.Value) *value.Map {
	x := newRepStampCD(r, f)
	removePeerRepCD(x, f, p)
	return x.done()
}

// removePeerRepCD is removePeerCD written into x.
func removePeerRepCD(x *cdRep, f cdflags, p value.Value) {
	allocs := x.mapAt(kwAllocations)
	job, task, ok := peerPlaceCD(allocs, p)
	if !ok || job == nil || task == nil {
		return
	}
	jm := mapOf(allocs.Val(job))
	x.Set(kwAllocations, allocs.Assoc(job, jm.Assoc(task, removeValue(items(jm.Val(task)), p))))
	if f.d {
		coords := x.mapAt(kwCoordinators)
		if n := coords.Dissoc(invertGet(coords, p)); n != coords || !x.Has(kwCoordinators) {
			x.Set(kwCoordinators, n)
		}
	}
	if value.GetIn(x.Val(kwTaskSlotIDs), job, task, p) != nil {
		slots, ok1 := x.Val(kwTaskSlotIDs).(*value.Map)
		jslots, ok2 := slots.Val(job).(*value.Map)
		tslots, ok3 := jslots.Val(task).(*value.Map)
		if ok1 && ok2 && ok3 {
			x.Set(kwTaskSlotIDs, slots.Assoc(job, jslots.Assoc(task, tslots.Dissoc(p))))
			return
		}
		// a vector on the way: assoc-in as Clojure does
		tm := mapOf(value.GetIn(x.Val(kwTaskSlotIDs), job, task)).Dissoc(p)
		in := value.AssocIn(value.NewMap(kwTaskSlotIDs, x.Val(kwTaskSlotIDs)), []value.Value{kwTaskSlotIDs, job, task}, tm)
		x.Set(kwTaskSlotIDs, in.Val(kwTaskSlotIDs))
	}
}

// enforceFluxPolicy kills the job of a peer on a :kill task.
func enforceFluxPolicy(r *value.Map, f cdflags, p value.Value) (*value.Map, error) {
	job, task, ok := peerPlaceCD(mapAt(r, kwAllocations), p)
	if !ok || mapOf(mapAt(r, kwFluxPolicies).Val(job)).Val(task) != kwCDKill {
		return r, nil
	}
	return killJobCD(r, f, job)
}

// applyLeaveVirtualPeer is :leave-cluster of a virtual peer (0.9.7+).
func applyLeaveVirtualPeer(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	p, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	g := e.Args.Val(kwCDGroupID)
	if g == nil {
		g = mapAt(r, kwCDGroupsRev).Val(p)
	}
	old := r
	r, err := enforceFluxPolicy(r, f, p)
	if err != nil {
		return nil, err
	}
	x := newRepStampCD(r, f)
	x.Set(kwPeers, removePeersCD(items(x.Val(kwPeers)), p))
	orph := x.mapAt(kwCDOrphaned)
	if ps, ok := orph.Val(g).(value.Vector); ok {
		x.Set(kwCDOrphaned, orph.Assoc(g, removeValue(ps, p)))
	}
	if !f.d {
		x.Set(kwPeerState, x.mapAt(kwPeerState).Dissoc(p))
	}
	x.Set(kwPeerSites, x.mapAt(kwPeerSites).Dissoc(p))
	x.Set(kwCDPeerTags, x.mapAt(kwCDPeerTags).Dissoc(p))
	gi := x.mapAt(kwCDGroupsIndex)
	if idx := setOf(gi.Val(g)); idx != nil {
		x.Set(kwCDGroupsIndex, gi.Assoc(g, idx.Disj(p)))
	}
	x.Set(kwCDGroupsRev, x.mapAt(kwCDGroupsRev).Dissoc(p))
	leavePeerRepCD(x, f, p)
	return reconfigureRepCD(x, old, f)
}

func applyGroupLeaveCluster(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	g, ok := e.Args.Get(kwID)
	if !ok {
		return nil, badArgs(":id is missing")
	}
	old := r
	pairs, prepared, accepted := mapAt(r, kwPairs), mapAt(r, kwPrepared), mapAt(r, kwAccepted)
	observer, transitive := invertGet(pairs, g), pairs.Val(g)
	prepObs, accObs := invertGet(prepared, g), invertGet(accepted, g)
	activePrep, activeAcc := prepared.Val(g), accepted.Val(g)
	peers := setOf(mapAt(r, kwCDGroupsIndex).Val(g)).Items()
	r, err := enforceFluxPolicy(r, f, g) // the group id is never on a task
	if err != nil {
		return nil, err
	}
	r = r.Assoc(kwGroups, removeValue(items(r.Val(kwGroups)), g))
	kept := value.Vector{}
	for _, p := range items(r.Val(kwPeers)) {
		if !containsValue(peers, p) {
			kept = append(kept, p)
		}
	}
	r = r.Assoc(kwPeers, kept)
	r = r.Assoc(kwCDOrphaned, mapAt(r, kwCDOrphaned).Dissoc(g))
	r = r.Assoc(kwPrepared, mapAt(r, kwPrepared).Dissoc(g).Dissoc(prepObs))
	r = r.Assoc(kwAccepted, mapAt(r, kwAccepted).Dissoc(g).Dissoc(accObs))
	ab := setOf(r.Val(kwCDAborted))
	if ab == nil {
		ab = value.NewSet()
	}
	for _, x := range []value.Value{activePrep, activeAcc} {
		if x != nil {
			ab = ab.Conj(x)
		}
	}
	r = r.Assoc(kwCDAborted, ab)
	pm := mapAt(r, kwPairs)
	if value.Equal(observer, transitive) {
		pm = pm.Dissoc(g).Dissoc(observer)
	} else {
		pm = pm.Assoc(observer, transitive).Dissoc(g)
	}
	r = r.Assoc(kwPairs, pm)
	r = r.Assoc(kwCDLeft, conjSet(r.Val(kwCDLeft), g))
	r = r.Assoc(kwCDGroupsIndex, mapAt(r, kwCDGroupsIndex).Dissoc(g))
	for _, k := range []value.Keyword{kwCDGroupsRev, kwPeerSites, kwCDPeerTags} {
		m := mapAt(r, k)
		for _, p := range peers {
			m = m.Dissoc(p)
		}
		r = r.Assoc(k, m)
	}
	if !f.d {
		ps := mapAt(r, kwPeerState)
		for _, p := range peers {
			ps = ps.Dissoc(p)
		}
		r = r.Assoc(kwPeerState, ps)
	}
	for _, p := range peers {
		r = removePeerCD(r, f, p)
	}
	return reconfigureCD(r, old, f)
}
