package sim

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
)

// Sink takes what a simulated cluster writes, in order.
type Sink interface {
	// Start writes the tenancy's starting znodes: parameters and origin.
	Start(ctx context.Context, s *Sim) error
	// Step writes one step: the job znodes, the entry, then (after a gc) the
	// new origin, deleting the entries it covers.
	Step(ctx context.Context, st Step) error
}

// Run simulates cfg into sink. rate > 0 paces the steps at rate entries per
// second of wall time; 0 runs as fast as it can. progress may be nil.
func Run(ctx context.Context, cfg Config, sink Sink, rate float64, progress func(done, total int)) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	return s.Run(ctx, sink, rate, progress)
}

// Run drives the simulation into sink until ErrDone or ctx ends.
func (s *Sim) Run(ctx context.Context, sink Sink, rate float64, progress func(done, total int)) error {
	if err := sink.Start(ctx, s); err != nil {
		return err
	}
	var tick <-chan time.Time
	if rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer t.Stop()
		tick = t.C
	}
	for n := 1; ; n++ {
		st, err := s.Next()
		if errors.Is(err, ErrDone) {
			return nil
		}
		if err != nil {
			return err
		}
		if tick != nil {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-tick:
			}
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := sink.Step(ctx, st); err != nil {
			return err
		}
		if progress != nil && (n%1000 == 0 || n == s.cfg.Entries) {
			progress(n, s.cfg.Entries)
		}
	}
}

// ArchiveSink writes the simulation into an archive file, with replica
// checkpoints at least Every entries apart (archive.Writer.CheckpointDue)
// and one after the last entry unless the last checkpoint or the origin is
// fewer than Every entries before it. An archive keeps what a capture of the
// tenancy at its end would: the last origin, and no entry, checkpoint or
// job znode that a gc made unreachable.
type ArchiveSink struct {
	Path       string
	Every      int // least checkpoint interval; 0: archive.DefaultEvery
	AppVersion string
	w          *archive.Writer
	origin     func() []byte // the last gc's origin, written by Close
	last       Step          // the last step written
}

func (a *ArchiveSink) Start(ctx context.Context, s *Sim) error {
	h := s.Header()
	every := a.Every
	if every <= 0 {
		every = archive.DefaultEvery
	}
	if !s.Replayed() {
		every = 0
	}
	a.Every = every
	w, err := archive.Create(a.Path, archive.Meta{Tenancy: h.Tenancy, Source: "simulate " + s.v.String() + " seed " + strconv.FormatUint(s.cfg.Seed, 10),
		CapturedAt: Epoch, AppVersion: a.AppVersion, Version: h.Version, Every: every})
	if err != nil {
		return err
	}
	a.w = w
	w.Origin(s.InitialOrigin())
	for _, rel := range slices.Sorted(maps.Keys(s.Params())) {
		w.Param(rel, s.Params()[rel])
	}
	return nil
}

// Step writes the entry and its job znodes. A gc's origin is kept until
// Close: only the last one is worth its bytes.
func (a *ArchiveSink) Step(ctx context.Context, st Step) error {
	jid := jobOf(st.Jobs)
	for _, rel := range slices.Sorted(maps.Keys(st.Jobs)) {
		if err := a.w.Job(jid, rel, st.Jobs[rel]); err != nil {
			return err
		}
	}
	if err := a.w.Entry(st.Entry); err != nil {
		return err
	}
	a.last = st
	if a.w.CheckpointDue(a.Every) {
		if err := a.w.Checkpoint(st.Entry.Seq, st.Replica); err != nil {
			return err
		}
	}
	if st.Origin != nil {
		a.origin = st.Origin
	}
	return nil
}

// Close writes the last origin and, when Every or more entries follow the
// last checkpoint or that origin, a checkpoint after the last entry, and
// finishes the archive; after a failed run, Abort.
func (a *ArchiveSink) Close() error {
	if a.origin != nil {
		if err := a.w.Origin(a.origin()); err != nil {
			a.w.Abort()
			return err
		}
	}
	if a.w.EndCheckpointDue(a.Every) {
		if err := a.w.Checkpoint(a.last.Entry.Seq, a.last.Replica); err != nil {
			a.w.Abort()
			return err
		}
	}
	return a.w.Close()
}

// Abort removes the unfinished archive.
func (a *ArchiveSink) Abort() {
	if a.w != nil {
		a.w.Abort()
	}
}

// WriteArchive simulates cfg into an archive file at path.
func WriteArchive(ctx context.Context, cfg Config, path, appVersion string, progress func(done, total int)) error {
	a := &ArchiveSink{Path: path, AppVersion: appVersion}
	if err := Run(ctx, cfg, a, 0, progress); err != nil {
		a.Abort()
		return err
	}
	return a.Close()
}

// jobOf is the job the znodes of a step belong to: the id in its catalog
// path (0.5–0.9.6 task paths, "task/<task>", do not name the job).
func jobOf(zn map[string][]byte) string {
	for rel := range zn {
		if id, ok := strings.CutPrefix(rel, "catalog/"); ok {
			return id
		}
	}
	return ""
}

// MemorySink appends the simulation to a zklog.Memory, as the demo's live
// tenancy does.
type MemorySink struct {
	M  *zklog.Memory
	id string
}

func (m *MemorySink) Start(ctx context.Context, s *Sim) error {
	m.id = s.Tenancy()
	m.M.Put(s.Header())
	return nil
}

func (m *MemorySink) Step(ctx context.Context, st Step) error {
	e := zklog.DecodeEntry(zklog.EntryName(st.Entry.Seq), st.Entry)
	if err := m.M.Append(m.id, e); err != nil {
		return err
	}
	if st.Origin != nil {
		o, err := zklog.DecodeOrigin("origin/origin", st.Origin())
		if err != nil {
			return err
		}
		return m.M.GC(m.id, o)
	}
	return nil
}

// LiveSource is a tenancy the simulator keeps appending to: a zklog.Memory
// fed by one goroutine, which stops when the ctx given to Live ends.
type LiveSource struct {
	*zklog.Memory
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// Live starts simulating cfg into an in-memory Source, paced at cfg.Rate
// entries per second of wall time (0: 2). With cfg.Entries 0 it runs until
// ctx ends. Wait waits for its goroutine after ctx ends.
func Live(ctx context.Context, cfg Config) *LiveSource {
	if cfg.Entries <= 0 {
		cfg.Entries = int(^uint(0) >> 2)
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 2
	}
	l := &LiveSource{Memory: zklog.NewMemory()}
	s, err := New(cfg)
	if err != nil {
		l.err = err
		return l
	}
	sink := &MemorySink{M: l.Memory}
	if err := sink.Start(ctx, s); err != nil {
		l.err = err
		return l
	}
	l.wg.Go(func() {
		err := s.Run(ctx, nopStart{sink}, cfg.Rate, nil)
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
		}
	})
	return l
}

// Wait blocks until the simulation goroutine returned.
func (l *LiveSource) Wait() { l.wg.Wait() }

// Err is why the simulation stopped early, if it did.
func (l *LiveSource) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// nopStart is a sink whose Start already ran.
type nopStart struct{ Sink }

func (nopStart) Start(context.Context, *Sim) error { return nil }
