package sim

import (
	"fmt"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/archive"
)

// pipelines are the workflows jobs are drawn from: task names in order,
// the first an input, the last an output.
var pipelines = [][]string{
	{"in", "inc", "out"},
	{"read-lines", "parse-log", "enrich", "write-db"},
	{"kafka-in", "split-words", "count-words", "out"},
	{"datomic-tx", "diff", "notify"},
	{"in", "out"},
}

// job is a submitted job as its client knows it.
type job struct {
	id    value.UUID
	names []string
	tasks []value.Value // ids: UUIDs, or keywords from 0.9.7
}

func (j *job) input() value.Value  { return j.tasks[0] }
func (j *job) output() value.Value { return j.tasks[len(j.tasks)-1] }

// newJob makes a job with its tasks and the znodes its client writes
// before submit-job (§1.2), by relative path.
func (s *Sim) newJob() (*job, map[string][]byte) {
	names := pipelines[s.rng.IntN(len(pipelines))]
	j := &job{id: s.uuid(), names: names}
	for _, n := range names {
		if s.v.AtLeast("0.9.7") {
			j.tasks = append(j.tasks, kw(n))
		} else {
			j.tasks = append(j.tasks, s.uuid())
		}
	}
	jid := j.id.String()
	zn := map[string][]byte{}
	put := func(dir string, x value.Value) { zn[dir+"/"+jid] = s.encode(x) }
	put("catalog", s.catalog(names))
	wf := value.Vector{}
	for i := 1; i < len(names); i++ {
		wf = append(wf, value.Vector{kw(names[i-1]), kw(names[i])})
	}
	put("workflow", wf)
	if s.v.AtLeast("0.5.3") {
		put("flow", value.Vector{})
	}
	if s.v.AtLeast("0.6.0") {
		put("lifecycles", value.Vector{value.NewMap(kw("lifecycle/task"), kw(names[0]), kw("lifecycle/calls"), kw("my.app.lifecycles/in-calls"))})
	}
	if s.v.AtLeast("0.8.0") {
		put("windows", value.Vector{})
		put("triggers", value.Vector{})
	}
	if s.v.AtLeast("0.9.0") {
		put("job-metadata", value.NewMap(kw("job-id"), j.id))
	}
	if s.v.AtLeast("0.12.0") {
		put("job-name", jid)
	}
	for i, t := range j.tasks {
		rel := "task/" + archive.IDString(t)
		if s.v.AtLeast("0.9.7") {
			rel = "task/" + jid + "/" + archive.IDString(t)
		}
		zn[rel] = s.encode(s.taskMap(j, i))
	}
	return j, zn
}

func (s *Sim) catalog(names []string) value.Vector {
	cat := value.Vector{}
	for i, n := range names {
		var m *value.Map
		switch {
		case i == 0:
			m = value.NewMap(kw("onyx/name"), kw(n), kw("onyx/plugin"), kw("onyx.plugin.core-async/input"),
				kw("onyx/type"), kw("input"), kw("onyx/medium"), kw("core.async"),
				kw("onyx/batch-size"), int64(20), kw("onyx/max-peers"), int64(1),
				kw("onyx/doc"), "Reads segments from a core.async channel")
		case i == len(names)-1:
			m = value.NewMap(kw("onyx/name"), kw(n), kw("onyx/plugin"), kw("onyx.plugin.core-async/output"),
				kw("onyx/type"), kw("output"), kw("onyx/medium"), kw("core.async"),
				kw("onyx/batch-size"), int64(20), kw("onyx/max-peers"), int64(1))
		default:
			m = value.NewMap(kw("onyx/name"), kw(n), kw("onyx/fn"), value.NSKw("my.app.tasks", n),
				kw("onyx/type"), kw("function"), kw("onyx/batch-size"), int64(20),
				kw("my.app/db-uri"), fmt.Sprintf("datomic:sql://app?jdbc:postgresql://db%d.internal:5432/app", s.rng.IntN(3)+1))
		}
		cat = append(cat, m)
	}
	return cat
}

func (s *Sim) taskMap(j *job, i int) *value.Map {
	t := j.tasks[i]
	name := kw(j.names[i])
	switch {
	case s.v.Era() == replay.EraA:
		return value.NewMap(kw("id"), t, kw("name"), name, kw("ingress-queues"), value.NewMap(), kw("egress-queues"), value.NewMap(),
			kw("consumption"), kw("concurrent"), kw("phase"), int64(i))
	case s.v.AtLeast("0.10.0"):
		in, out := value.NewSet(), value.NewSet()
		if i > 0 {
			in = value.NewSet(j.tasks[i-1])
		}
		if i < len(j.tasks)-1 {
			out = value.NewSet(j.tasks[i+1])
		}
		return value.NewMap(kw("id"), t, kw("name"), name, kw("ingress-tasks"), in, kw("egress-tasks"), out, kw("egress-tasks-batch-sizes"), value.NewMap())
	}
	eg := value.NewMap()
	if i < len(j.tasks)-1 {
		eg = value.NewMap(kw(j.names[i+1]), j.tasks[i+1])
	}
	return value.NewMap(kw("id"), t, kw("name"), name, kw("egress-ids"), eg)
}

// submitArgs are submit-job's args for the era (§4.2, §4.4, §4.7).
func (s *Sim) submitArgs(j *job) *value.Map {
	sat := value.NewMap()
	minReq := value.NewMap()
	for i, t := range j.tasks {
		if i == 0 {
			sat = sat.Assoc(t, int64(1))
		} else {
			sat = sat.Assoc(t, inf)
		}
		minReq = minReq.Assoc(t, int64(1))
	}
	tasks := value.List(j.tasks)
	switch {
	case s.v.Era() == replay.EraA:
		return value.NewMap(kw("id"), j.id, kw("tasks"), value.Vector(j.tasks), kw("task-scheduler"), s.taskSch,
			kw("saturation"), inf, kw("task-saturation"), sat)
	case s.v.Era() == replay.EraD:
		inOut := value.NewMap()
		for i, t := range j.tasks {
			out := value.NewSet()
			if i < len(j.tasks)-1 {
				out = value.NewSet(j.tasks[i+1])
			}
			inOut = inOut.Assoc(t, out)
		}
		return value.NewMap(kw("id"), j.id, kw("tasks"), value.Vector(j.tasks), kw("task-scheduler"), s.taskSch,
			kw("saturation"), inf, kw("task-saturation"), sat, kw("min-required-peers"), minReq,
			kw("flux-policies"), value.NewMap(), kw("inputs"), value.Vector{j.input()}, kw("reducers"), value.Vector{},
			kw("outputs"), value.Vector{j.output()}, kw("grouped"), value.Vector{}, kw("state"), value.Vector{},
			kw("in->out"), inOut, kw("required-tags"), value.NewMap())
	}
	m := value.NewMap(kw("exempt-tasks"), value.List{}, kw("saturation"), inf, kw("acker-exclude-outputs"), false,
		kw("min-required-peers"), minReq, kw("task-scheduler"), s.taskSch, kw("tasks"), tasks,
		kw("inputs"), value.List{j.input()}, kw("flux-policies"), value.NewMap(), kw("id"), j.id,
		kw("outputs"), value.List{j.output()}, kw("acker-percentage"), int64(1), kw("acker-exclude-inputs"), false,
		kw("task-saturation"), sat)
	if s.v.AtLeast("0.9.0") {
		m = m.Assoc(kw("required-tags"), value.NewMap())
	}
	return m
}

// submit is a client submitting a new job.
func (s *Sim) submit() (*value.Map, map[string][]byte) {
	j, zn := s.newJob()
	s.jobs = append(s.jobs, j)
	return value.NewMap(value.KeyFn, kw("submit-job"), value.KeyArgs, s.submitArgs(j)), zn
}

func (s *Sim) job(id value.Value) *job {
	for _, j := range s.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}
