package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The last reconfigure of era B that kept its replica (the balanced job
// scheduler found nothing changed), by the identity of what decided it:
// another reconfigure whose inputs are the same references keeps its
// replica too (prepare-join-cluster after leave-cluster, for one).
//
// The decision reads the replica's keys below and nothing else: the peer
// states, task slot ids and ackers are only written, and the peer sites are
// read only by the messaging implementations whose assign-task-resources
// depends on them (aeron, unknown ones), which are never memoized. Shared
// by goroutines through an atomic pointer to an immutable record.
var lastUnchangedB atomic.Pointer[bReconfKey]

// bReconfKeys are the replica keys the decision reads.
var bReconfKeys = [...]value.Keyword{
	kwJobs, kwPeers, kwJobScheduler, kwAllocations, kwTasks, kwTaskSchedulers,
	kwSaturation, kwTaskSaturation, kwMinRequiredPeers, kwFluxPolicies,
	kwPercentages, kwTaskPercentages, kwMessaging,
}

type bReconfKey struct {
	f    bflags
	vals [len(bReconfKeys)]value.Value
}

// reconfKeyB is r's key, or false when its decision is not memoized. The
// key is a value, copied to the heap only when it is kept (keep).
func reconfKeyB(r *value.Map, f bflags) (bReconfKey, bool) {
	if r.Val(kwJobScheduler) != kwBJobSchedBalanced {
		return bReconfKey{}, false
	}
	switch bImpl(r) {
	case kwBDummyMessenger, kwBNetty, kwBCoreAsync:
	default:
		return bReconfKey{}, false
	}
	k := bReconfKey{f: f}
	for i, kw := range bReconfKeys {
		k.vals[i] = r.Val(kw)
	}
	return k, true
}

// keep makes k the last unchanged reconfigure's key.
func (k *bReconfKey) keep() {
	kept := *k
	lastUnchangedB.Store(&kept)
}

func (k *bReconfKey) same(o *bReconfKey) bool {
	if k == nil || o == nil || k.f != o.f {
		return false
	}
	for i := range k.vals {
		if !value.SameRef(k.vals[i], o.vals[i]) {
			return false
		}
	}
	return true
}
