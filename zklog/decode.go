package zklog

import (
	"fmt"
	"slices"
	"strings"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/value"
)

var (
	kwMessageID     = value.Kw("message-id")
	kwReplica       = value.Kw("replica")
	kwJobScheduler  = value.Kw("job-scheduler")
	kwMessaging     = value.Kw("messaging")
	kwLogParameters = value.Kw("log-version")
)

// EntryName is the znode name of entry seq: "entry-" and ten digits, as
// ZooKeeper's sequential counter and Onyx's pad-sequential-id make it.
func EntryName(seq int64) string { return fmt.Sprintf("entry-%010d", seq) }

// DecodeEntry decodes a raw entry read from the znode at path. A znode that
// does not decode gives an entry flagged with the error, naming path.
func DecodeEntry(path string, r RawEntry) Entry {
	e := Entry{Entry: value.Entry{Seq: r.Seq, Created: r.Created}}
	v, _, err := codec.Decode(r.Data)
	if err != nil {
		e.Err = fmt.Errorf("decode %s: %w", path, err)
		return e
	}
	ve, err := value.EntryFromValue(v, r.Seq, r.Created)
	if err != nil {
		e.Err = fmt.Errorf("decode %s: %w", path, err)
		return e
	}
	e.Entry = ve
	return e
}

// DecodeOrigin decodes the origin znode's bytes, read from path. Absent
// bytes (nil) give the origin of a fresh tenancy: message-id -1, empty replica.
func DecodeOrigin(path string, b []byte) (Origin, error) {
	if b == nil {
		return Origin{MessageID: -1, Replica: value.NewMap()}, nil
	}
	v, _, err := codec.Decode(b)
	if err != nil {
		return Origin{}, fmt.Errorf("decode %s: %w", path, err)
	}
	m, ok := v.(*value.Map)
	if !ok {
		return Origin{}, fmt.Errorf("decode %s: origin is a %s, want a map", path, value.TypeName(v))
	}
	id, ok := m.Val(kwMessageID).(int64)
	if !ok {
		return Origin{}, fmt.Errorf("decode %s: origin :message-id is a %s, want a long", path, value.TypeName(m.Val(kwMessageID)))
	}
	return Origin{MessageID: id, Replica: m.Val(kwReplica), Raw: b}, nil
}

// Parameter znodes, relative to the tenancy.
const (
	ParamJobScheduler  = "job-scheduler/scheduler"
	ParamMessaging     = "messaging/messaging"
	ParamLogParameters = "log-parameters/log-parameters"
)

// DecodeParams decodes the parameter znodes present in raw (keyed by the
// Param* paths); root prefixes the paths in errors.
func DecodeParams(root string, raw map[string][]byte) (Params, error) {
	p := Params{Raw: raw}
	for _, name := range []string{ParamJobScheduler, ParamMessaging, ParamLogParameters} {
		b, ok := raw[name]
		if !ok {
			continue
		}
		v, _, err := codec.Decode(b)
		if err != nil {
			return p, fmt.Errorf("decode %s/%s: %w", root, name, err)
		}
		m, ok := v.(*value.Map)
		if !ok {
			return p, fmt.Errorf("decode %s/%s: a %s, want a map", root, name, value.TypeName(v))
		}
		switch name {
		case ParamJobScheduler:
			p.JobScheduler = m.Val(kwJobScheduler)
		case ParamMessaging:
			p.Messaging = m.Val(kwMessaging)
		case ParamLogParameters:
			p.LogParameters = m
		}
	}
	return p, nil
}

// LogVersion returns :log-version of the log parameters, or "".
func (p Params) LogVersion() string {
	if p.LogParameters == nil {
		return ""
	}
	s, _ := p.LogParameters.Val(kwLogParameters).(string)
	return s
}

// DecodeJob decodes a job's znodes, keyed by their path relative to the
// tenancy ("catalog/<job>", "task/<job>/<task>", "task/<task>"); root (the
// tenancy's path or file) prefixes the paths in errors.
func DecodeJob(root, jobID string, raw map[string][]byte) Job {
	j := Job{ID: jobID}
	rels := make([]string, 0, len(raw))
	for rel := range raw {
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	for _, rel := range rels {
		v, _, err := codec.Decode(raw[rel])
		if err != nil {
			j.Errs = append(j.Errs, fmt.Errorf("decode %s/%s: %w", root, rel, err))
			continue
		}
		part, rest, _ := strings.Cut(rel, "/")
		if part == "task" {
			if j.Tasks == nil {
				j.Tasks = map[string]value.Value{}
			}
			j.Tasks[rest[strings.LastIndexByte(rest, '/')+1:]] = v
			continue
		}
		j.Set(part, v)
	}
	return j
}
