package timeline

import (
	"errors"
	"sync"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Defaults of Options, chosen by measurement (docs/timeline.md).
const (
	// DefaultEvery is the checkpoint interval K: a seek applies at most K-1
	// entries, and fewer where they cost more than 4 units each on average
	// (entryCost). At 512 the 1M-entry benchmark log keeps 2,507
	// checkpoints, 85 of them full replicas and the rest deltas
	// (checkpoint.go).
	DefaultEvery = 512
	// DefaultCache is how many recently computed replicas are kept for
	// scrubbing back and forth.
	DefaultCache = 32
	// DefaultPatience is how many entries a job may wait without peers, or a
	// joiner wait to be accepted, before it is reported as an anomaly.
	DefaultPatience = 1000
	// chunk is how many entries Append records per hold of the write lock,
	// so readers are never blocked for long while a big log loads: at
	// ~10 µs an entry (events, index, checkpoints; the replay is done
	// before the lock is taken), 128 entries hold it ~1–2 ms.
	chunk = 128
)

// ApplyFunc is one replay step; replay.Apply is the real one.
type ApplyFunc func(v replay.Version, r replay.Replica, e value.Entry) (replay.Replica, error)

// Options tune a Timeline; the zero value is the defaults.
type Options struct {
	Every    int       // checkpoint interval K; 0: DefaultEvery
	Cache    int       // recent replicas kept; 0: DefaultCache
	Patience int       // anomaly threshold in entries; 0: DefaultPatience
	Apply    ApplyFunc // nil: replay.Apply; tests and benchmarks inject stand-ins
}

// Timeline is one tenancy's log with everything derived from it. One writer
// calls Append and Reset; readers call the Reader methods from any goroutine.
type Timeline struct {
	version replay.Version
	every   int
	apply   ApplyFunc
	cache   *lru
	opts    Options

	wmu sync.Mutex // serializes writers (Append, Reset)

	mu          sync.RWMutex // guards everything below
	gen         uint64
	originSeq   int64
	origin      replay.Replica
	entries     entryLog
	checkpoints checkpoints    // at most every entries apart
	head        replay.Replica // the replica after the last entry
	flags       map[int32]error
	ids         ids
	events      store
	index       index
	series      series
	prov        provenance
	der         *deriver
	dx          entryDiff // the entry being recorded; writer-only
}

var _ Reader = (*Timeline)(nil)

// New returns an empty timeline of Onyx version v whose log starts after the
// origin replica at originSeq (-1 when the log starts at its first entry).
func New(v replay.Version, originSeq int64, origin replay.Replica, opts Options) *Timeline {
	if opts.Every <= 0 {
		opts.Every = DefaultEvery
	}
	if opts.Cache <= 0 {
		opts.Cache = DefaultCache
	}
	if opts.Patience <= 0 {
		opts.Patience = DefaultPatience
	}
	if opts.Apply == nil {
		opts.Apply = replay.Apply
	}
	t := &Timeline{version: v, every: opts.Every, apply: opts.Apply, cache: newLRU(opts.Cache), opts: opts}
	t.reset(originSeq, origin)
	return t
}

// reset empties the timeline; the caller holds mu for writing (or owns t).
func (t *Timeline) reset(originSeq int64, origin replay.Replica) {
	origin = replay.FromMap(origin.Map())
	t.gen++
	t.originSeq, t.origin, t.head = originSeq, origin, origin
	t.entries, t.checkpoints = newEntryLog(), checkpoints{}
	t.flags = map[int32]error{}
	t.ids = newIDs()
	t.events = newStore()
	t.index = newIndex()
	t.series = newSeries()
	t.prov = newProvenance()
	t.der = newDeriver(t.version, t.opts.Patience, &t.ids)
	t.series.addOrigin(origin.Map(), &t.ids)
}

// Reset drops every entry and starts again from a new origin: what the
// follower does when GC moved the log's origin past what it holds. Positions
// handed out before are void; Generation tells readers.
func (t *Timeline) Reset(originSeq int64, origin replay.Replica) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.reset(originSeq, origin)
	t.cache.clear()
}

// Append replays entries onto the end of the timeline, in the order given
// (Seq order, as the follower delivers them). A flagged entry is kept with its
// error (Flag) and leaves the replica unchanged. Readers see the entries a
// chunk at a time.
//
// More than a chunk is replayed one chunk ahead on a goroutine of its own
// while this one derives events, indexes and checkpoints from the chunk
// before: Apply is pure and replicas are immutable, so the replicas it hands
// over are safe to read here, and loading a long log takes the longer of the
// two halves rather than their sum.
func (t *Timeline) Append(entries ...value.Entry) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if len(entries) <= chunk {
		t.appendChunk(entries, t.replayChunk(t.head, entries))
		return
	}
	replayed := make(chan []applied, 2)
	stop := make(chan struct{})
	defer close(stop)
	go func(head replay.Replica, entries []value.Entry) {
		defer close(replayed)
		for len(entries) > 0 {
			n := min(len(entries), chunk)
			steps := t.replayChunk(head, entries[:n])
			head = steps[n-1].after
			select {
			case replayed <- steps:
			case <-stop:
				return
			}
			entries = entries[n:]
		}
	}(t.head, entries)
	for steps := range replayed {
		t.appendChunk(entries[:len(steps)], steps)
		entries = entries[len(steps):]
	}
}

// applied is one entry replayed: the replica after it, or why it was flagged.
type applied struct {
	after replay.Replica
	err   error
}

// replayChunk applies entries in order from head. It reads only what New
// fixed (version, apply), so it may run beside readers and appendChunk.
func (t *Timeline) replayChunk(head replay.Replica, entries []value.Entry) []applied {
	steps := make([]applied, len(entries))
	for i, e := range entries {
		after, err := t.apply(t.version, head, e)
		steps[i] = applied{after, err}
		head = after
	}
	return steps
}

// appendChunk records entries, replayed from t.head into steps, under the
// write lock: the entry log, checkpoints, events, index, series, provenance.
func (t *Timeline) appendChunk(entries []value.Entry, steps []applied) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, e := range entries {
		pos := t.entries.len()
		before, after, err := t.head, steps[i].after, steps[i].err
		if err != nil {
			t.flags[int32(pos)] = err
		}
		t.entries.add(e)
		t.head = after
		t.dx.reset(before.Map(), after.Map())
		if t.checkpoints.due(pos, t.every, t.dx.cost()) {
			t.checkpoints.add(pos, after)
		}
		evs := t.der.derive(pos, e, &t.dx, err)
		t.events.add(evs)
		t.index.add(pos, e, evs, &t.ids)
		t.series.add(pos, &t.dx, &t.ids, t.der.prev, t.der.view, t.der.inc)
		t.prov.add(pos, &t.dx, &t.ids)
	}
	t.dx.reset(nil, nil) // hold no replica between chunks
}

// Generation counts resets: positions from another generation are void.
func (t *Timeline) Generation() uint64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.gen
}

// Version is the Onyx version the timeline replays.
func (t *Timeline) Version() replay.Version { return t.version }

// Len is the number of entries.
func (t *Timeline) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.entries.len()
}

// Origin returns the Seq and replica the log starts from.
func (t *Timeline) Origin() (int64, replay.Replica) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.originSeq, t.origin
}

// Entry returns the entry at pos; the zero Entry when pos is out of range.
func (t *Timeline) Entry(pos int) value.Entry {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if pos < 0 || pos >= t.entries.len() {
		return value.Entry{}
	}
	return t.entries.at(pos)
}

// Seq returns the Seq of the entry at pos; pos -1 gives the origin's Seq.
func (t *Timeline) Seq(pos int) int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if pos < 0 || pos >= t.entries.len() {
		return t.originSeq
	}
	return t.entries.seq(pos)
}

// Times returns the ctimes of the entries at positions (Reader).
func (t *Timeline) Times(positions []int) []int64 {
	out := make([]int64, len(positions))
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i, pos := range positions {
		if pos >= 0 && pos < t.entries.len() {
			out[i] = t.entries.createdAt(pos)
		}
	}
	return out
}

// Pos returns the position of the entry with Seq seq, or of the last entry
// before it when no entry has it (ok false); -1 when seq is before them all.
func (t *Timeline) Pos(seq int64) (pos int, ok bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	i := t.entries.pos(seq)
	if i < t.entries.len() && t.entries.seq(i) == seq {
		return i, true
	}
	return i - 1, false
}

// Flag returns why the entry at pos left the replica unchanged (usually a
// *replay.ApplyError), or nil.
func (t *Timeline) Flag(pos int) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.flags[int32(pos)]
}

// Flagged lists the positions of flagged entries in order.
func (t *Timeline) Flagged() []int {
	return t.Filter(Filter{Kinds: []Kind{KindFlagged}})
}

// Events returns the events of the entry at pos, in the order derived.
func (t *Timeline) Events(pos int) []Event {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if pos < 0 || pos >= t.entries.len() {
		return nil
	}
	return t.renderLocked(pos, nil)
}

// EventsIn returns the events of positions from..to (inclusive) whose kind
// is one of kinds (any kind when none is given).
func (t *Timeline) EventsIn(from, to int, kinds ...Kind) []Event {
	t.mu.RLock()
	defer t.mu.RUnlock()
	from, to = max(from, 0), min(to, t.entries.len()-1)
	var want [numKinds]bool
	for _, k := range kinds {
		if k < numKinds {
			want[k] = true
		}
	}
	var out []Event
	for pos := from; pos <= to; pos++ {
		if t.events.first[pos] == t.events.first[pos+1] {
			continue
		}
		out = t.renderLocked(pos, func(k Kind) bool { return len(kinds) == 0 || want[k] }, out...)
	}
	return out
}

func (t *Timeline) renderLocked(pos int, keep func(Kind) bool, out ...Event) []Event {
	lo, hi := int(t.events.first[pos]), int(t.events.first[pos+1])
	seq, created := t.entries.seq(pos), t.entries.createdAt(pos)
	for i := lo; i < hi; i++ {
		k := t.events.kinds[i]
		if keep != nil && !keep(k) {
			continue
		}
		why := flagReason(t.flags[int32(pos)])
		out = append(out, render(pos, seq, created, k, t.events.refsOf(i), t.ids.vals, t.opts.Patience, why))
	}
	return out
}

// flagReason says why an entry was flagged, without the seq and command the
// event line already shows.
func flagReason(err error) string {
	var ae *replay.ApplyError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae) && ae.Crash:
		return "onyx crashes here: " + ae.Reason
	case errors.As(err, &ae):
		return ae.Reason
	}
	return err.Error()
}
