package timeline

import (
	"sync"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Replica returns the replica after the entry at pos; pos -1 is the origin,
// and pos is clamped to [-1, Len()-1]. It starts from the nearest checkpoint
// or recently computed replica at or before pos and applies at most K-1
// entries, without holding the timeline's lock while it applies.
func (t *Timeline) Replica(pos int) replay.Replica {
	t.mu.RLock()
	n := t.entries.len()
	pos = max(-1, min(pos, n-1))
	if pos == n-1 {
		r := t.head
		t.mu.RUnlock()
		return r
	}
	gen := t.gen
	base, r, deltas := t.checkpointLocked(pos)
	entries := make([]value.Entry, pos-base)
	for i := range entries {
		entries[i] = t.entries.at(base + 1 + i)
	}
	t.mu.RUnlock()
	if cached, ok := t.cache.get(gen, pos); ok {
		return cached
	}
	if p, c, ok := t.cache.nearest(gen, base, pos); ok {
		entries = entries[p-base:]
		r = c
	} else {
		r = rebuild(r, deltas)
	}
	r = t.applyRange(r, entries)
	t.cache.put(gen, pos, r)
	return r
}

// checkpointLocked returns the position of the latest checkpoint at or before
// pos (-1 for the origin), the full replica it is rebuilt from and the deltas
// to replay onto that (see rebuild).
func (t *Timeline) checkpointLocked(pos int) (int, replay.Replica, [][]change) {
	c := t.checkpoints.at(pos)
	if c < 0 {
		return -1, t.origin, nil
	}
	list := t.checkpoints.list
	b := int(list[c].base)
	var deltas [][]change
	for i := b + 1; i <= c; i++ {
		deltas = append(deltas, list[i].delta)
	}
	return int(t.checkpoints.pos[c]), list[b].full, deltas
}

func (t *Timeline) applyRange(r replay.Replica, entries []value.Entry) replay.Replica {
	for _, e := range entries {
		r, _ = t.apply(t.version, r, e)
	}
	return r
}

// replicaPair returns the replicas before and after the entry at pos.
func (t *Timeline) replicaPair(pos int) (before, after replay.Replica) {
	before = t.Replica(pos - 1)
	t.mu.RLock()
	e := t.entries.at(pos)
	t.mu.RUnlock()
	after, _ = t.apply(t.version, before, e)
	return before, after
}

// lru keeps the replicas of a few recently asked positions, so scrubbing
// back and forth near one place costs little. Safe for concurrent use.
type lru struct {
	mu    sync.Mutex
	size  int
	tick  uint64
	items []lruItem
}

type lruItem struct {
	gen  uint64
	pos  int
	r    replay.Replica
	used uint64
}

func newLRU(size int) *lru { return &lru{size: size} }

func (c *lru) get(gen uint64, pos int) (replay.Replica, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.items {
		if it := &c.items[i]; it.gen == gen && it.pos == pos {
			c.tick++
			it.used = c.tick
			return it.r, true
		}
	}
	return replay.Replica{}, false
}

// nearest returns the cached replica with the greatest position in (lo, hi].
func (c *lru) nearest(gen uint64, lo, hi int) (int, replay.Replica, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	best := -1
	for i, it := range c.items {
		if it.gen == gen && it.pos > lo && it.pos <= hi && (best < 0 || it.pos > c.items[best].pos) {
			best = i
		}
	}
	if best < 0 {
		return 0, replay.Replica{}, false
	}
	c.tick++
	c.items[best].used = c.tick
	return c.items[best].pos, c.items[best].r, true
}

func (c *lru) put(gen uint64, pos int, r replay.Replica) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	if len(c.items) < c.size {
		c.items = append(c.items, lruItem{gen, pos, r, c.tick})
		return
	}
	old := 0
	for i, it := range c.items {
		if it.used < c.items[old].used {
			old = i
		}
	}
	c.items[old] = lruItem{gen, pos, r, c.tick}
}

func (c *lru) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = nil
}
