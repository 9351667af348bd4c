package archive

import (
	"context"
	"runtime"
	"sync"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// summary is the tenancy as listed, its entry numbers from the index.
func (a *Archive) summary() zklog.Tenancy {
	t := a.meta.Tenancy
	t.Version = a.meta.Version
	t.FirstSeq, t.LastSeq, t.Count = -1, -1, len(a.idx.seqs)
	if n := len(a.idx.seqs); n > 0 {
		t.FirstSeq, t.LastSeq = a.idx.seqs[0], a.idx.seqs[n-1]
	}
	return t
}

// Tenancies lists the archive's one tenancy.
func (a *Archive) Tenancies(ctx context.Context) ([]zklog.Tenancy, error) {
	return []zklog.Tenancy{a.summary()}, ctx.Err()
}

// Open returns the header stored at capture.
func (a *Archive) Open(ctx context.Context, id string) (zklog.Header, error) {
	if _, _, err := a.span(id, -1); err != nil {
		return zklog.Header{}, err
	}
	p, err := zklog.DecodeParams(a.name, a.params)
	if err != nil {
		return zklog.Header{}, err
	}
	return zklog.Header{Tenancy: a.summary(), Version: a.meta.Version, Origin: a.origin, Params: p}, ctx.Err()
}

// ReadRaw returns the entries with Seq >= from as stored. A damaged record
// gives an entry with no Data.
func (a *Archive) ReadRaw(ctx context.Context, id string, from int64, progress zklog.Progress) ([]zklog.RawEntry, error) {
	i, j, err := a.span(id, from)
	if err != nil {
		return nil, err
	}
	raws, _ := a.rawRange(i, j, progress)
	if progress != nil {
		progress(len(raws), len(raws))
	}
	return raws, ctx.Err()
}

// Read returns the entries with Seq >= from, decoded on all cores. A
// damaged record or an entry that does not decode is flagged with Err.
func (a *Archive) Read(ctx context.Context, id string, from int64, progress zklog.Progress) ([]zklog.Entry, error) {
	return zklog.ReadAll(ctx, a, id, from, progress)
}

// ReadChunks is Read delivered chunk entries at a time. A goroutine reads
// and decodes (on all cores) the chunk after the one fn has, so decoding
// overlaps fn; at most three chunks are decoded at once: fn's, one waiting
// and one being decoded.
func (a *Archive) ReadChunks(ctx context.Context, id string, from int64, chunk int, progress zklog.Progress, fn func([]zklog.Entry) error) error {
	i, j, err := a.span(id, from)
	if err != nil {
		return err
	}
	chunk = max(chunk, 1)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	ready := make(chan []zklog.Entry, 1)
	wg.Go(func() {
		defer close(ready)
		for k := i; k < j && ctx.Err() == nil; {
			end := k + min(chunk, j-k) // chunk may be math.MaxInt
			es := a.decodeRange(k, end)
			k = end
			select {
			case ready <- es:
			case <-ctx.Done():
				return
			}
		}
	})
	done := 0
	for es := range ready {
		if err := ctx.Err(); err != nil {
			return err
		}
		done += len(es)
		if progress != nil {
			progress(done, j-i)
		}
		if err := fn(es); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// decodeRange reads the entries i..j-1 and decodes them on all cores. A
// damaged record or an entry that does not decode is flagged with Err.
func (a *Archive) decodeRange(i, j int) []zklog.Entry {
	raws, errs := a.rawRange(i, j, nil)
	out := make([]zklog.Entry, len(raws))
	workers := min(runtime.GOMAXPROCS(0), 1+len(raws)/1024)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k := w; k < len(raws); k += workers {
				if err := errs[i+k]; err != nil {
					out[k] = zklog.Entry{Entry: value.Entry{Seq: raws[k].Seq}, Err: err}
					continue
				}
				out[k] = zklog.DecodeEntry(a.entryPath(raws[k].Seq), raws[k])
			}
		})
	}
	wg.Wait()
	return out
}

// followBatch is how many entries one Follow event carries.
const followBatch = 8192

// Follow delivers the archive's entries from Seq from on, then waits for
// ctx to end: an archive never grows. From below the first entry it first
// delivers an EventReset with the origin.
func (a *Archive) Follow(ctx context.Context, id string, from int64, deliver func(zklog.Event)) error {
	if _, _, err := a.span(id, -1); err != nil {
		return err
	}
	seqs := a.idx.seqs
	if o := a.origin; len(seqs) > 0 && from < seqs[0] && o.MessageID >= from {
		deliver(zklog.Event{Kind: zklog.EventReset, Origin: o})
		from = o.MessageID + 1
	}
	err := a.ReadChunks(ctx, id, from, followBatch, nil, func(es []zklog.Entry) error {
		deliver(zklog.Event{Kind: zklog.EventAppended, Entries: es})
		return ctx.Err()
	})
	if err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

// RawJob returns the job's znodes stored at capture (taskIDs is not needed:
// task znodes were stored under their job).
func (a *Archive) RawJob(ctx context.Context, id, jobID string, taskIDs []string) (map[string][]byte, error) {
	if _, _, err := a.span(id, -1); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, j := range a.idx.jobs {
		if j.job != jobID {
			continue
		}
		_, p, err := a.readRecord(j.off)
		if err != nil {
			return out, err
		}
		c := cursor{b: p}
		c.str()
		rel := c.str()
		raw := c.rest()
		if c.err != nil {
			return out, &CorruptError{a.name, j.off, "job record: " + c.err.Error()}
		}
		out[rel] = raw
	}
	return out, ctx.Err()
}

// Job decodes the job's znodes stored at capture.
func (a *Archive) Job(ctx context.Context, id, jobID string, taskIDs []string) (zklog.Job, error) {
	raw, err := a.RawJob(ctx, id, jobID, taskIDs)
	if err != nil && len(raw) == 0 {
		return zklog.Job{ID: jobID}, err
	}
	j := zklog.DecodeJob(a.name, jobID, raw)
	if err != nil {
		j.Errs = append(j.Errs, err)
	}
	return j, ctx.Err()
}
