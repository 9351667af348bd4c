package zk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/zklog"
)

// sampleEntries is how many entries at each end of the log Open decodes to
// detect the version from their shapes.
const sampleEntries = 16

// Tenancies lists the children of /onyx. Each tenancy costs a handful of
// requests (its children, its log's and pulse's children, the parameter
// znodes, the first and last entry), pipelined across tenancies. No /onyx
// gives an empty list.
func (c *Conn) Tenancies(ctx context.Context) ([]zklog.Tenancy, error) {
	ids, _, err := c.zk.Children(c.root)
	if errors.Is(err, gozk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", c.root, err)
	}
	slices.Sort(ids)
	out := make([]zklog.Tenancy, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, id := range ids {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			t, _, err := c.survey(ctx, id)
			out[i], errs[i] = t, err
		})
	}
	wg.Wait()
	var kept []zklog.Tenancy
	for i, err := range errs {
		switch {
		case errors.Is(err, zklog.ErrNoTenancy):
			// deleted between the listing and the survey
		case err != nil:
			return nil, err
		default:
			kept = append(kept, out[i])
		}
	}
	return kept, nil
}

// surveyed is what survey read besides the Tenancy, for Open.
type surveyed struct {
	seqs   []int64
	params map[string][]byte
	ev     zklog.Evidence
}

// survey reads a tenancy's summary and the evidence for its version.
func (c *Conn) survey(ctx context.Context, id string) (zklog.Tenancy, surveyed, error) {
	t := zklog.Tenancy{ID: id, FirstSeq: -1, LastSeq: -1}
	var s surveyed
	p := c.tpath(id)
	dirs, stat, err := c.zk.Children(p)
	if errors.Is(err, gozk.ErrNoNode) {
		return t, s, fmt.Errorf("tenancy %q: %w (no %s)", id, zklog.ErrNoTenancy, p)
	}
	if err != nil {
		return t, s, fmt.Errorf("list %s: %w", p, err)
	}
	t.Created, t.Modified = time.UnixMilli(stat.Ctime), time.UnixMilli(stat.Mtime)
	s.ev.Dirs = dirs

	if slices.Contains(dirs, "log") {
		if s.seqs, err = c.listLog(id); err != nil {
			return t, s, err
		}
	}
	if n := len(s.seqs); n > 0 {
		t.FirstSeq, t.LastSeq, t.Count = s.seqs[0], s.seqs[n-1], n
	}
	if slices.Contains(dirs, "pulse") {
		pulses, _, err := c.zk.Children(c.tpath(id, "pulse"))
		if err != nil && !errors.Is(err, gozk.ErrNoNode) {
			return t, s, fmt.Errorf("list %s: %w", c.tpath(id, "pulse"), err)
		}
		t.Pulses = len(pulses)
	}

	// The parameter znodes and both ends of the log, pipelined.
	paths := []string{
		c.tpath(id, zklog.ParamJobScheduler),
		c.tpath(id, zklog.ParamMessaging),
		c.tpath(id, zklog.ParamLogParameters),
	}
	if t.Count > 0 {
		paths = append(paths, c.tpath(id, "log", zklog.EntryName(t.FirstSeq)), c.tpath(id, "log", zklog.EntryName(t.LastSeq)))
	}
	s.params = map[string][]byte{}
	names := []string{zklog.ParamJobScheduler, zklog.ParamMessaging, zklog.ParamLogParameters}
	err = c.getMany(ctx, nil, paths, nil, func(i int, g got) error {
		switch {
		case errors.Is(g.err, gozk.ErrNoNode):
			return nil // absent parameter, or an entry GC just deleted
		case g.err != nil:
			return fmt.Errorf("read %s: %w", paths[i], g.err)
		case i < len(names):
			s.params[names[i]] = g.data
		case i == len(names):
			s.ev.FirstBytes = g.data[:min(len(g.data), 16)]
			if e := zklog.DecodeEntry(paths[i], zklog.RawEntry{Seq: t.FirstSeq, Data: g.data}); e.Err == nil {
				s.ev.Observe(e.Entry)
			}
		default:
			if last := time.UnixMilli(g.stat.Ctime); last.After(t.Modified) {
				t.Modified = last
			}
		}
		return nil
	})
	if err != nil {
		return t, s, err
	}
	_, s.ev.HasJobScheduler = s.params[zklog.ParamJobScheduler]
	_, s.ev.HasMessaging = s.params[zklog.ParamMessaging]
	_, s.ev.HasLogParameters = s.params[zklog.ParamLogParameters]
	if params, err := zklog.DecodeParams(p, s.params); err == nil {
		s.ev.LogVersion = params.LogVersion()
	}
	t.Version = zklog.Detect(s.ev)
	return t, s, nil
}

// Open reads tenancy id's origin and parameters and detects its version,
// also from the shapes of a few entries at each end of the log.
func (c *Conn) Open(ctx context.Context, id string) (zklog.Header, error) {
	if err := checkID(id); err != nil {
		return zklog.Header{}, err
	}
	t, s, err := c.survey(ctx, id)
	if err != nil {
		return zklog.Header{}, err
	}
	h := zklog.Header{Tenancy: t}
	if h.Params, err = zklog.DecodeParams(c.tpath(id), s.params); err != nil {
		return h, err
	}
	op := c.tpath(id, "origin", "origin")
	if h.Origin, err = c.readOrigin(op); err != nil {
		return h, err
	}
	sample := s.seqs
	if len(sample) > 2*sampleEntries {
		sample = append(slices.Clip(sample[:sampleEntries]), sample[len(sample)-sampleEntries:]...)
	}
	err = c.readSeqs(ctx, nil, id, sample, true, func(_ zklog.RawEntry, e zklog.Entry) error {
		if e.Err == nil {
			s.ev.Observe(e.Entry)
		}
		return nil
	})
	if err != nil && !errors.Is(err, zklog.ErrTruncated) {
		return h, err
	}
	h.Version, h.Evidence = zklog.Detect(s.ev), s.ev
	return h, nil
}

// readOrigin reads and decodes the origin znode at path; absent, it is the
// origin of a fresh tenancy.
func (c *Conn) readOrigin(path string) (zklog.Origin, error) {
	b, _, err := c.zk.Get(path)
	switch {
	case errors.Is(err, gozk.ErrNoNode):
		return zklog.DecodeOrigin(path, nil)
	case err != nil:
		return zklog.Origin{}, fmt.Errorf("read %s: %w", path, err)
	}
	if b == nil {
		b = []byte{}
	}
	return zklog.DecodeOrigin(path, b)
}

// jobPaths lists the znodes of a job, relative to the tenancy: its parts,
// then its tasks (nested under the job from 0.9.7, by task id before).
func (c *Conn) jobPaths(id, jobID string, taskIDs []string) ([]string, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if jobID == "" || containsSlash(jobID) {
		return nil, fmt.Errorf("job %q: not a znode name", jobID)
	}
	if ok, _, err := c.zk.Exists(c.tpath(id)); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.tpath(id), err)
	} else if !ok {
		return nil, fmt.Errorf("tenancy %q: %w (no %s)", id, zklog.ErrNoTenancy, c.tpath(id))
	}
	var rels []string
	for _, part := range zklog.JobParts {
		rels = append(rels, part+"/"+jobID)
	}
	tasks, _, err := c.zk.Children(c.tpath(id, "task", jobID))
	switch {
	case err == nil:
		slices.Sort(tasks)
		for _, t := range tasks {
			rels = append(rels, "task/"+jobID+"/"+t)
		}
	case errors.Is(err, gozk.ErrNoNode):
		for _, t := range taskIDs {
			if t != "" && !containsSlash(t) {
				rels = append(rels, "task/"+t)
			}
		}
	default:
		return nil, fmt.Errorf("list %s: %w", c.tpath(id, "task", jobID), err)
	}
	return rels, nil
}

func containsSlash(s string) bool { return slices.Contains([]byte(s), '/') }

// RawJob returns the job's znodes as stored, keyed by relative path.
func (c *Conn) RawJob(ctx context.Context, id, jobID string, taskIDs []string) (map[string][]byte, error) {
	rels, err := c.jobPaths(id, jobID, taskIDs)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(rels))
	for i, r := range rels {
		paths[i] = c.tpath(id, r)
	}
	out := map[string][]byte{}
	err = c.getMany(ctx, nil, paths, nil, func(i int, g got) error {
		switch {
		case errors.Is(g.err, gozk.ErrNoNode):
		case g.err != nil:
			return fmt.Errorf("read %s: %w", paths[i], g.err)
		default:
			if g.data == nil {
				g.data = []byte{}
			}
			out[rels[i]] = g.data
		}
		return nil
	})
	return out, err
}

// Job reads and decodes the job's data; parts that do not decode are listed
// in Job.Errs.
func (c *Conn) Job(ctx context.Context, id, jobID string, taskIDs []string) (zklog.Job, error) {
	raw, err := c.RawJob(ctx, id, jobID, taskIDs)
	if err != nil {
		return zklog.Job{}, err
	}
	return zklog.DecodeJob(c.tpath(id), jobID, raw), nil
}
