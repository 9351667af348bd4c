package archive

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"onyx-dashboard/model/codec/fressian"
	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// DefaultEvery is the least checkpoint interval written by Capture and the
// simulator: checkpoints are at least 4,096 entries apart, further when the
// replica is large (Writer.CheckpointDue), and one follows the last entry
// when the last checkpoint is DefaultEvery or more entries before it.
const DefaultEvery = 4096

// CaptureOptions tune Capture; the zero value is usable.
type CaptureOptions struct {
	Source     string // how Meta.Source names the source
	AppVersion string
	Every      int // least checkpoint interval; 0: DefaultEvery, <0: none
	// Progress, when not nil, is told what the capture is doing.
	Progress func(stage string, done, total int)
	// Now is the clock for Meta.CapturedAt; nil: time.Now.
	Now func() time.Time
}

// Capture writes tenancy id of src into a new archive at path: the origin,
// the parameters, every entry as stored (re-encoded with the version's codec
// when src is not a RawSource, e.g. an EDN file), every job's znodes, and
// replica checkpoints at least Every entries apart and, unless one is fewer
// than Every entries before it, after the last entry.
func Capture(ctx context.Context, src zklog.Source, id, path string, opts CaptureOptions) error {
	progress := func(stage string, done, total int) {
		if opts.Progress != nil {
			opts.Progress(stage, done, total)
		}
	}
	h, err := src.Open(ctx, id)
	if err != nil {
		return fmt.Errorf("capture %s: %w", id, err)
	}
	v := VersionOf(h.Version)
	raws, entries, err := readAll(ctx, src, id, v, func(d, t int) { progress("read", d, t) })
	if err != nil {
		return fmt.Errorf("capture %s: %w", id, err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	every := opts.Every
	if every == 0 {
		every = DefaultEvery
	}
	if !Replayable(v) {
		every = 0 // a release replay does not know: no checkpoints
	}
	meta := Meta{Tenancy: h.Tenancy, Source: opts.Source, CapturedAt: now().UTC(), AppVersion: opts.AppVersion, Version: h.Version, Every: max(every, 0)}
	w, err := Create(path, meta)
	if err != nil {
		return err
	}
	defer w.Abort()
	originRaw := h.Origin.Raw
	if originRaw == nil && h.Origin.MessageID >= 0 { // a decoded-only source
		if originRaw, err = Encode(v, value.NewMap(value.KeyMessageID, h.Origin.MessageID, kwReplica, h.Origin.Replica)); err != nil {
			return fmt.Errorf("capture %s: origin: %w", id, err)
		}
	}
	w.Origin(originRaw)
	for _, rel := range slices.Sorted(maps.Keys(h.Params.Raw)) {
		w.Param(rel, h.Params.Raw[rel])
	}
	r, next, err := replay.Initial(v, originMap(h.Origin), replayParams(h.Params))
	if err != nil {
		every = 0
	}
	applied, cpAt := int64(-1), int64(-1) // the seqs r and the last checkpoint are the replica after
	for i, raw := range raws {
		if err := w.Entry(raw); err != nil {
			return err
		}
		if every > 0 && raw.Seq >= next && entries[i].Err == nil {
			r, _ = replay.Apply(v, r, entries[i].Entry)
			applied = raw.Seq
			if w.CheckpointDue(every) {
				if err := w.Checkpoint(raw.Seq, r); err != nil {
					return err
				}
				cpAt = raw.Seq
			}
		}
		if (i+1)%65536 == 0 {
			progress("write", i+1, len(raws))
		}
	}
	if applied > cpAt && w.EndCheckpointDue(every) {
		if err := w.Checkpoint(applied, r); err != nil { // the replica at the end
			return err
		}
	}
	progress("write", len(raws), len(raws))
	if err := captureJobs(ctx, src, id, w, h.Origin, entries, progress); err != nil {
		return err
	}
	return w.Close()
}

var (
	kwReplica = value.Kw("replica")
	kwJobs    = value.Kw("jobs")
	kwTasks   = value.Kw("tasks")
	kwID      = value.Kw("id")
	kwSubmit  = value.Kw("submit-job")
	kwKilled  = value.Kw("killed-jobs")
	kwDone    = value.Kw("completed-jobs")
)

// readAll reads the raw and the decoded entries of id.
func readAll(ctx context.Context, src zklog.Source, id string, v replay.Version, progress zklog.Progress) ([]zklog.RawEntry, []zklog.Entry, error) {
	if rs, ok := src.(zklog.RawSource); ok {
		raws, err := rs.ReadRaw(ctx, id, -1, progress)
		if err != nil {
			return nil, nil, err
		}
		es := make([]zklog.Entry, len(raws))
		for i, r := range raws {
			es[i] = zklog.DecodeEntry(zklog.EntryName(r.Seq), r)
		}
		return raws, es, nil
	}
	es, err := src.Read(ctx, id, -1, progress)
	if err != nil {
		return nil, nil, err
	}
	raws := make([]zklog.RawEntry, 0, len(es))
	kept := es[:0]
	for _, e := range es {
		if e.Err != nil { // nothing to re-encode
			continue
		}
		b, err := Encode(v, e.Map)
		if err != nil {
			return nil, nil, fmt.Errorf("entry %d: %w", e.Seq, err)
		}
		raws = append(raws, zklog.RawEntry{Seq: e.Seq, Created: e.Created, Data: b})
		kept = append(kept, e)
	}
	return raws, kept, nil
}

// captureJobs stores the znodes of every job named in the origin replica
// or submitted in the log.
func captureJobs(ctx context.Context, src zklog.Source, id string, w *Writer, o zklog.Origin, es []zklog.Entry, progress func(string, int, int)) error {
	type job struct {
		id    string
		tasks []string
	}
	var jobs []job
	seen := map[string]bool{}
	add := func(j value.Value, tasks value.Value) {
		s := IDString(j)
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		var ts []string
		for _, t := range value.Items(tasks) {
			ts = append(ts, IDString(t))
		}
		jobs = append(jobs, job{s, ts})
	}
	if om, ok := o.Replica.(*value.Map); ok {
		tasks, _ := om.Val(kwTasks).(*value.Map)
		for _, k := range []value.Keyword{kwJobs, kwKilled, kwDone} {
			for _, j := range value.Items(om.Val(k)) {
				add(j, tasks.Val(j))
			}
		}
	}
	for _, e := range es {
		if e.Err == nil && e.Fn == kwSubmit {
			add(e.Args.Val(kwID), e.Args.Val(kwTasks))
		}
	}
	rs, raw := src.(zklog.RawSource)
	for i, j := range jobs {
		var parts map[string][]byte
		var err error
		if raw {
			parts, err = rs.RawJob(ctx, id, j.id, j.tasks)
		} else {
			parts, err = encodeJob(ctx, src, id, j.id, j.tasks, VersionOfSource(ctx, src, id))
		}
		if err != nil {
			return fmt.Errorf("capture %s: job %s: %w", id, j.id, err)
		}
		for _, rel := range slices.Sorted(maps.Keys(parts)) {
			if err := w.Job(j.id, rel, parts[rel]); err != nil {
				return err
			}
		}
		progress("jobs", i+1, len(jobs))
	}
	return nil
}

// encodeJob re-encodes the decoded job data of a Source without raw access.
func encodeJob(ctx context.Context, src zklog.Source, id, jobID string, tasks []string, v replay.Version) (map[string][]byte, error) {
	j, err := src.Job(ctx, id, jobID, tasks)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	parts := map[string]value.Value{"catalog": j.Catalog, "workflow": j.Workflow, "flow": j.Flow, "lifecycles": j.Lifecycles,
		"windows": j.Windows, "triggers": j.Triggers, "job-metadata": j.Metadata, "job-name": j.Name, "exception": j.Exception}
	for part, x := range parts {
		if x == nil {
			continue
		}
		if out[part+"/"+jobID], err = Encode(v, x); err != nil {
			return nil, fmt.Errorf("%s: %w", part, err)
		}
	}
	for t, x := range j.Tasks {
		rel := "task/" + t
		if v.AtLeast("0.9.7") {
			rel = "task/" + jobID + "/" + t
		}
		if out[rel], err = Encode(v, x); err != nil {
			return nil, fmt.Errorf("task %s: %w", t, err)
		}
	}
	return out, nil
}

// VersionOfSource is the version src detects for tenancy id.
func VersionOfSource(ctx context.Context, src zklog.Source, id string) replay.Version {
	h, err := src.Open(ctx, id)
	if err != nil {
		return replay.MustVersion("0.14.6")
	}
	return VersionOf(h.Version)
}

// VersionOf is the release a detection names, or the low end of its range
// ("0.6.0–0.7.x" is replayed as 0.6.0), as the timeline assumes.
func VersionOf(d zklog.Detection) replay.Version {
	s, _, _ := strings.Cut(d.Version, "–")
	s = strings.ReplaceAll(s, ".x", ".0")
	v, err := replay.ParseVersion(s)
	if err != nil {
		return replay.MustVersion("0.14.6")
	}
	return v
}

// Replayable reports whether model/replay applies the commands of v's era:
// every supported release (eras C and D with estimated placement).
func Replayable(v replay.Version) bool { return v.Era() != 0 }

// Encode writes x with the codec Onyx v stores znodes with (§2.1): Fressian
// with its zero padding for 0.5.x, uncompressed Nippy for 0.6.0–0.8.0,
// Nippy with LZ4 above 1024 bytes for 0.8.1–0.9.10 and above 8192 bytes
// later. Lists are written as seqs up to 0.9.x, as Onyx's lazy seqs were.
func Encode(v replay.Version, x value.Value) ([]byte, error) {
	switch {
	case v.Era() == replay.EraA:
		return fressian.Encode(x)
	case v.Before("0.8.1"):
		return nippy.Encode(x, nippy.EncodeOptions{Compress: nippy.CompressNever, Seqs: true})
	case v.Before("0.9.11"):
		return nippy.Encode(x, nippy.EncodeOptions{Threshold: 1024, Seqs: true})
	}
	return nippy.Encode(x, nippy.EncodeOptions{})
}

// IDString is an id as Clojure's str renders it in a znode path: a UUID's
// canonical form, a keyword with its colon, a string as it is.
func IDString(x value.Value) string {
	switch t := x.(type) {
	case value.UUID:
		return t.String()
	case string:
		return t
	case nil:
		return ""
	}
	return value.PrStr(x)
}

func originMap(o zklog.Origin) *value.Map {
	if o.Raw == nil && o.MessageID < 0 {
		return nil
	}
	m, _ := o.Replica.(*value.Map)
	return value.NewMap(value.KeyMessageID, o.MessageID, kwReplica, m)
}

func replayParams(p zklog.Params) replay.Params {
	rp := replay.Params{JobScheduler: p.JobScheduler, Messaging: p.Messaging}
	if p.LogParameters != nil {
		rp.LogParameters = p.LogParameters
	}
	return rp
}
