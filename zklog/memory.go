package zklog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
)

// Memory is a Source held in memory, for tests of the packages that consume
// a Source: fill it with Put, Append and GC (which Follow sees at once).
// Its methods are safe from any goroutine. What it returns shares the
// entries' immutable values with what was put in.
type Memory struct {
	mu      sync.Mutex
	ts      map[string]*memTenancy
	changed chan struct{} // closed and replaced on every change
}

type memTenancy struct {
	h       Header
	entries []Entry // ascending Seq
	jobs    map[string]Job
}

var (
	_ Source      = (*Memory)(nil)
	_ ChunkReader = (*Memory)(nil)
)

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{ts: map[string]*memTenancy{}, changed: make(chan struct{})}
}

// notify wakes followers; m.mu is held.
func (m *Memory) notify() {
	close(m.changed)
	m.changed = make(chan struct{})
}

// Put adds or replaces the tenancy h.Tenancy.ID with its header and
// entries (ascending Seq). The Tenancy's entry numbers are computed.
func (m *Memory) Put(h Header, entries ...Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h.Version.Version == "" {
		h.Version = h.Tenancy.Version
	}
	h.Tenancy.Version = h.Version
	m.ts[h.Tenancy.ID] = &memTenancy{h: h, entries: slices.Clone(entries), jobs: map[string]Job{}}
	m.notify()
}

// Append adds entries to tenancy id; their Seq must follow the last one.
func (m *Memory) Append(id string, entries ...Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.ts[id]
	if !ok {
		return fmt.Errorf("tenancy %q: %w", id, ErrNoTenancy)
	}
	for _, e := range entries {
		if n := len(t.entries); n > 0 && e.Seq <= t.entries[n-1].Seq {
			return fmt.Errorf("append to tenancy %q: seq %d after %d", id, e.Seq, t.entries[n-1].Seq)
		}
		t.entries = append(t.entries, e)
	}
	m.notify()
	return nil
}

// GC does what Onyx's garbage collection does to tenancy id: it sets the
// origin, then deletes the entries below its message-id.
func (m *Memory) GC(id string, origin Origin) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.ts[id]
	if !ok {
		return fmt.Errorf("tenancy %q: %w", id, ErrNoTenancy)
	}
	t.h.Origin = origin
	i, _ := slices.BinarySearchFunc(t.entries, origin.MessageID, func(e Entry, s int64) int { return cmp.Compare(e.Seq, s) })
	t.entries = slices.Delete(t.entries, 0, i)
	m.notify()
	return nil
}

// PutJob stores a job's data for Job.
func (m *Memory) PutJob(id string, j Job) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.ts[id]
	if !ok {
		return fmt.Errorf("tenancy %q: %w", id, ErrNoTenancy)
	}
	t.jobs[j.ID] = j
	return nil
}

// summary is the tenancy as listed; m.mu is held.
func (t *memTenancy) summary() Tenancy {
	s := t.h.Tenancy
	s.FirstSeq, s.LastSeq, s.Count = -1, -1, len(t.entries)
	if n := len(t.entries); n > 0 {
		s.FirstSeq, s.LastSeq = t.entries[0].Seq, t.entries[n-1].Seq
	}
	return s
}

func (m *Memory) get(id string) (*memTenancy, error) {
	t, ok := m.ts[id]
	if !ok {
		return nil, fmt.Errorf("tenancy %q: %w", id, ErrNoTenancy)
	}
	return t, nil
}

// Tenancies lists the tenancies by id.
func (m *Memory) Tenancies(ctx context.Context) ([]Tenancy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Tenancy, 0, len(m.ts))
	for _, t := range m.ts {
		out = append(out, t.summary())
	}
	slices.SortFunc(out, func(a, b Tenancy) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, ctx.Err()
}

// Open returns the tenancy's header.
func (m *Memory) Open(ctx context.Context, id string) (Header, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.get(id)
	if err != nil {
		return Header{}, err
	}
	h := t.h
	h.Tenancy = t.summary()
	return h, ctx.Err()
}

// since returns the entries with Seq >= from; m.mu is held.
func (t *memTenancy) since(from int64) []Entry {
	i, _ := slices.BinarySearchFunc(t.entries, from, func(e Entry, s int64) int { return cmp.Compare(e.Seq, s) })
	return slices.Clone(t.entries[i:])
}

// Read returns the entries with Seq >= from.
func (m *Memory) Read(ctx context.Context, id string, from int64, progress Progress) ([]Entry, error) {
	return ReadAll(ctx, m, id, from, progress)
}

// ReadChunks delivers the entries with Seq >= from that exist now, chunk
// entries at a time. They are held in memory anyway: each chunk is a piece of
// one copy taken at the start.
func (m *Memory) ReadChunks(ctx context.Context, id string, from int64, chunk int, progress Progress, fn func([]Entry) error) error {
	m.mu.Lock()
	t, err := m.get(id)
	if err != nil {
		m.mu.Unlock()
		return err
	}
	if n := len(t.entries); n > 0 && from >= 0 && from < t.entries[0].Seq {
		m.mu.Unlock()
		return fmt.Errorf("read tenancy %q from %d: %w: the first entry is %d", id, from, ErrTruncated, t.entries[0].Seq)
	}
	es := t.since(from)
	m.mu.Unlock()
	return deliverChunks(ctx, es, chunk, progress, fn)
}

// Follow delivers the entries from Seq from on as they are appended, and an
// EventReset when GC moved the origin past the next entry.
func (m *Memory) Follow(ctx context.Context, id string, from int64, deliver func(Event)) error {
	next := max(from, 0)
	for {
		m.mu.Lock()
		t, err := m.get(id)
		if err != nil {
			m.mu.Unlock()
			return err
		}
		var evs []Event
		if o := t.h.Origin; o.MessageID >= next && (len(t.entries) == 0 || t.entries[0].Seq > next) {
			evs = append(evs, Event{Kind: EventReset, Origin: o})
			next = o.MessageID + 1
		}
		if es := t.since(next); len(es) > 0 {
			evs = append(evs, Event{Kind: EventAppended, Entries: es})
			next = es[len(es)-1].Seq + 1
		}
		changed := m.changed
		m.mu.Unlock()
		for _, ev := range evs {
			deliver(ev)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Job returns the job stored with PutJob.
func (m *Memory) Job(ctx context.Context, id, jobID string, taskIDs []string) (Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.get(id)
	if err != nil {
		return Job{}, err
	}
	j, ok := t.jobs[jobID]
	if !ok {
		return Job{ID: jobID}, ctx.Err()
	}
	return j, ctx.Err()
}
