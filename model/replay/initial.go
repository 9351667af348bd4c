package replay

import (
	"fmt"

	"onyx-dashboard/model/value"
)

// Params are the cluster parameters a subscriber merges into the origin
// replica before replaying (onyx-log-format.md §1.6), as read from ZooKeeper:
// JobScheduler from /job-scheduler/scheduler (0.5.2 – 0.9.10), Messaging from
// /messaging/messaging (0.6.0 – 0.9.10), LogParameters from
// /log-parameters/log-parameters (0.9.11+). Each may be the znode's whole map
// ({:job-scheduler kw}, {:messaging {…}}) or just its value; nil when absent.
type Params struct {
	JobScheduler  value.Value
	Messaging     value.Value
	LogParameters value.Value
}

var (
	kwMessageID = value.Kw("message-id")
	kwReplica   = value.Kw("replica")
)

// Initial is the replica replay starts from and the message-id of the first
// entry to apply (the origin's :message-id + 1). origin is the decoded
// /origin/origin map {:message-id N :replica R}; nil means a fresh tenancy
// (BaseReplica at -1).
func Initial(v Version, origin *value.Map, p Params) (Replica, int64, error) {
	if v.Era() == 0 {
		return Replica{}, 0, fmt.Errorf("starting replica: onyx %s is not supported", v)
	}
	seq := int64(-1)
	r := BaseReplica(v).Map()
	if origin != nil {
		id, ok := origin.Val(kwMessageID).(int64)
		if !ok {
			return Replica{}, 0, fmt.Errorf("origin: :message-id is %s, want a long", value.TypeName(origin.Val(kwMessageID)))
		}
		m, ok := origin.Val(kwReplica).(*value.Map)
		if !ok {
			return Replica{}, 0, fmt.Errorf("origin: :replica is %s, want a map", value.TypeName(origin.Val(kwReplica)))
		}
		seq, r = id, m
	}
	switch {
	case v.AtLeast("0.9.11"):
		lp, ok := p.LogParameters.(*value.Map)
		if p.LogParameters != nil && !ok {
			return Replica{}, 0, fmt.Errorf("log parameters: a %s, want a map", value.TypeName(p.LogParameters))
		}
		lp.Range(func(k, x value.Value) bool { // (merge replica log-parameters)
			r = r.Assoc(k, x)
			return true
		})
	case v.AtLeast("0.5.2"):
		if js := unwrapParam(p.JobScheduler, kwJobScheduler); js != nil {
			r = r.Assoc(kwJobScheduler, js)
		}
		if v.AtLeast("0.6.0") {
			if msg := unwrapParam(p.Messaging, kwMessaging); msg != nil {
				r = r.Assoc(kwMessaging, msg)
			}
		}
	default: // 0.5.0 – 0.5.1: the job scheduler is in the origin itself
		if js := unwrapParam(p.JobScheduler, kwJobScheduler); js != nil && r.Val(kwJobScheduler) == nil {
			r = r.Assoc(kwJobScheduler, js)
		}
	}
	return Replica{r}, seq + 1, nil
}

// unwrapParam takes {k x} to x; any other value is returned as it is.
func unwrapParam(v value.Value, k value.Keyword) value.Value {
	if m, ok := v.(*value.Map); ok && m.Len() == 1 && m.Has(k) {
		return m.Val(k)
	}
	return v
}

// BaseReplica is the replica of a fresh tenancy's origin for version v,
// without the cluster parameters (Initial adds them): {} up to 0.7.2 (0.5.0 –
// 0.5.1 stored the creating peer's :job-scheduler in it, which comes from
// Params here), and Onyx's base-replica from 0.7.3 on. The 0.7.3 – 0.8.3 key
// sets are those of the replay fixtures computed by the real Onyx.
func BaseReplica(v Version) Replica {
	var keys []baseKey
	switch {
	case v.Before("0.7.3"):
		return Replica{value.NewMap()}
	case v.Before("0.8.0"):
		keys = baseKeys073
		if v.AtLeast("0.7.4") {
			keys = append(keys[:len(keys):len(keys)], baseKey{"task-slot-ids", emptyMap})
		}
	case v.Before("0.8.4"):
		keys = append(append(keys, baseKeys073...), baseKeys080...)
	case v.Before("0.10.0"):
		// TODO: the 0.8.4 – 0.9.x base-replica is taken from the 0.8.3 one plus
		// the keys those releases introduced (§4.1); no fixture checks it.
		keys = append(append(append(keys, baseKeys073...), baseKeys080...), baseKeys09...)
		if v.AtLeast("0.9.7") {
			keys = append(keys, baseKeys097...)
		}
	default:
		keys = baseKeys10
	}
	kvs := make([]value.Value, 0, 2*len(keys))
	for _, k := range keys {
		kvs = append(kvs, value.Kw(k.name), k.empty())
	}
	return Replica{value.NewMap(kvs...)}
}

type baseKey struct {
	name  string
	empty func() value.Value
}

func emptyMap() value.Value { return value.NewMap() }
func emptyVec() value.Value { return value.Vector{} }
func emptySet() value.Value { return value.NewSet() }
func minusOne() value.Value { return int64(-1) }

// 0.7.3's base-replica (0.7.4 adds :task-slot-ids).
var baseKeys073 = []baseKey{
	{"peers", emptyVec}, {"peer-state", emptyMap}, {"peer-sites", emptyMap},
	{"prepared", emptyMap}, {"accepted", emptyMap}, {"pairs", emptyMap},
	{"jobs", emptyVec}, {"task-schedulers", emptyMap}, {"tasks", emptyMap},
	{"allocations", emptyMap}, {"saturation", emptyMap}, {"task-saturation", emptyMap},
	{"flux-policies", emptyMap}, {"min-required-peers", emptyMap},
	{"input-tasks", emptyMap}, {"output-tasks", emptyMap}, {"exempt-tasks", emptyMap},
	{"exhausted-inputs", emptyMap}, {"sealed-outputs", emptyMap}, {"ackers", emptyMap},
	{"acker-percentage", emptyMap}, {"acker-exclude-inputs", emptyMap},
	{"acker-exclude-outputs", emptyMap}, {"task-percentages", emptyMap},
	{"task-metadata", emptyMap}, {"percentages", emptyMap},
	{"completed-jobs", emptyVec}, {"killed-jobs", emptyVec},
}

// Keys 0.8.0 adds (0.7.4's :task-slot-ids and the BookKeeper state logs).
var baseKeys080 = []baseKey{
	{"task-slot-ids", emptyMap}, {"state-logs", emptyMap}, {"state-logs-marked", emptySet},
}

// Keys 0.9.0 adds (tags).
var baseKeys09 = []baseKey{{"required-tags", emptyMap}, {"peer-tags", emptyMap}}

// Keys 0.9.7 adds (peer groups).
var baseKeys097 = []baseKey{
	{"groups", emptyVec}, {"groups-index", emptyMap}, {"groups-reverse-index", emptyMap},
	{"orphaned-peers", emptyMap}, {"aborted", emptySet}, {"left", emptySet},
}

// The latest (0.14) base-replica; earlier era D releases differ in a few keys.
var baseKeys10 = []baseKey{
	{"peers", emptyVec}, {"orphaned-peers", emptyMap}, {"groups", emptyVec},
	{"groups-index", emptyMap}, {"groups-reverse-index", emptyMap}, {"peer-sites", emptyMap},
	{"prepared", emptyMap}, {"accepted", emptyMap}, {"aborted", emptySet}, {"left", emptySet},
	{"pairs", emptyMap}, {"jobs", emptyVec}, {"task-schedulers", emptyMap}, {"tasks", emptyMap},
	{"allocations", emptyMap}, {"task-saturation", emptyMap}, {"saturation", emptyMap},
	{"flux-policies", emptyMap}, {"min-required-peers", emptyMap}, {"input-tasks", emptyMap},
	{"output-tasks", emptyMap}, {"coordinators", emptyMap}, {"task-percentages", emptyMap},
	{"task-metadata", emptyMap}, {"percentages", emptyMap}, {"grouped-tasks", emptyMap},
	{"state-tasks", emptyMap}, {"reduce-tasks", emptyMap}, {"completed-jobs", emptyVec},
	{"killed-jobs", emptyVec}, {"in->out", emptyMap}, {"task-slot-ids", emptyMap},
	{"message-short-ids", emptyMap}, {"required-tags", emptyMap}, {"peer-tags", emptyMap},
	{"version", minusOne}, {"allocation-version", emptyMap},
}
