package timeline

import (
	"onyx-dashboard/model/value"
)

// Replica keys the events and series read (onyx-log-format.md §4.1). These
// local readers stay tolerant of every era's shapes: a missing key is empty.
var (
	kPeers          = value.Kw("peers")
	kPeerState      = value.Kw("peer-state")
	kPrepared       = value.Kw("prepared")
	kAccepted       = value.Kw("accepted")
	kPairs          = value.Kw("pairs")
	kGroups         = value.Kw("groups")
	kJobs           = value.Kw("jobs")
	kKilledJobs     = value.Kw("killed-jobs")
	kCompletedJobs  = value.Kw("completed-jobs")
	kCompletions    = value.Kw("completions")
	kTasks          = value.Kw("tasks")
	kAllocations    = value.Kw("allocations")
	kExhausted      = value.Kw("exhausted-inputs")
	kSealed         = value.Kw("sealed-outputs")
	kBackpressure   = value.Kw("backpressure")
	kGC             = value.Kw("gc")
	kVersion        = value.Kw("version")
	kAbortJoin      = value.Kw("abort-join-cluster")
	kPrepareJoin    = value.Kw("prepare-join-cluster")
	kSubmitJob      = value.Kw("submit-job")
	kKillJob        = value.Kw("kill-job")
	kLeaveCluster   = value.Kw("leave-cluster")
	kAcceptJoin     = value.Kw("accept-join-cluster")
	kNotifyJoin     = value.Kw("notify-join-cluster")
	kSignalReady    = value.Kw("signal-ready")
	kExhaustInput   = value.Kw("exhaust-input")
	kSealOutput     = value.Kw("seal-output")
	kBackpressureOn = value.Kw("backpressure-on")
	kBackpressureOf = value.Kw("backpressure-off")
)

// asMap returns v as a map; anything else reads as the empty map.
func asMap(v value.Value) *value.Map {
	m, _ := v.(*value.Map)
	return m
}

// hasPrefix reports whether items begins with prefix's items (identical or
// Clojure-equal), at once when they share their backing array: replay's
// appends to a list copy or extend it.
func hasPrefix(items, prefix []value.Value) bool {
	if len(items) < len(prefix) {
		return false
	}
	if len(prefix) > 0 && &prefix[0] == &items[0] {
		return true
	}
	for i := range prefix {
		if !value.SameRef(prefix[i], items[i]) && !value.Equal(prefix[i], items[i]) {
			return false
		}
	}
	return true
}

// changed reports a real change: not identical and not Clojure-equal.
func changed(a, b value.Value) bool { return !value.SameRef(a, b) && !value.Equal(a, b) }

// isID reports values that can be interned as ids (comparable with ==).
func isID(v value.Value) bool {
	switch v.(type) {
	case value.UUID, value.Keyword, string, int64, value.Symbol, bool, value.Char:
		return true
	}
	return false
}

// jobStatus is where a job stands in a replica.
type jobStatus uint8

const (
	statusNone      jobStatus = iota
	statusWaiting             // in :jobs, no peers
	statusRunning             // in :jobs, with peers
	statusCompleted           // finished (era B: :completed-jobs; era A: completions cover its tasks)
	statusKilled              // in :killed-jobs
)

func (s jobStatus) String() string {
	return [...]string{"none", "waiting", "running", "completed", "killed"}[s]
}

// jobStatuses returns every job the replica knows with its status, in the
// order :jobs, :completed-jobs, :killed-jobs list them.
func jobStatuses(r *value.Map) (order []value.Value, st map[value.Value]jobStatus) {
	st = map[value.Value]jobStatus{}
	allocs := asMap(r.Val(kAllocations))
	tasks := asMap(r.Val(kTasks))
	completions := asMap(r.Val(kCompletions))
	add := func(j value.Value, s jobStatus) {
		if !isID(j) {
			return
		}
		if _, seen := st[j]; !seen {
			order = append(order, j)
		}
		st[j] = s
	}
	for _, j := range value.Items(r.Val(kJobs)) {
		s := statusWaiting
		if jobPeerCount(allocs.Val(j)) > 0 {
			s = statusRunning
		}
		if c := value.Items(completions.Val(j)); len(c) > 0 && len(c) >= len(value.Items(tasks.Val(j))) {
			s = statusCompleted // era A keeps finished jobs in :jobs until gc
		}
		add(j, s)
	}
	for _, j := range value.Items(r.Val(kCompletedJobs)) {
		add(j, statusCompleted)
	}
	for _, j := range value.Items(r.Val(kKilledJobs)) {
		add(j, statusKilled)
	}
	return order, st
}

// jobPeerCount counts the peers of one job's allocation map {task → [peer]}.
func jobPeerCount(alloc value.Value) int {
	n := 0
	asMap(alloc).Range(func(_, ps value.Value) bool {
		n += len(value.Items(ps))
		return true
	})
	return n
}

// invert finds the key whose value is v in m (Clojure map-invert then get).
func invert(m *value.Map, v value.Value) value.Value {
	var out value.Value
	m.Range(func(k, x value.Value) bool {
		if value.Equal(x, v) {
			out = k
			return false
		}
		return true
	})
	return out
}

// diffKeys calls f for each key whose value differs between a and b (present
// in one only, or changed; a key holding nil reads as absent). It walks only
// what the two maps do not share (value.DiffKeys), so comparing consecutive
// replicas costs what the entry changed. Keys come in a's iteration order,
// keys new in b where their hash puts them.
func diffKeys(a, b *value.Map, f func(k value.Value)) {
	value.DiffKeys(a, b, func(k, va, vb value.Value, inA, inB bool) {
		switch {
		case inA && inB:
			if changed(va, vb) {
				f(k)
			}
		case inA:
			if va != nil {
				f(k)
			}
		case vb != nil:
			f(k)
		}
	})
}
