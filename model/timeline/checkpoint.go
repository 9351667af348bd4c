package timeline

import (
	"slices"
	"sort"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Checkpoints are kept as a few full replicas and, between them, deltas: what
// changed since the previous checkpoint. A full replica costs the HAMT nodes
// that differ from the previous one, and on a long 0.6–0.8 log most of those
// are in the maps Onyx never prunes (:task-saturation, :min-required-peers,
// the acker keys …: one key per job ever submitted, 20,000 after 1M
// entries), where every submit copies a path of three nodes (~1.7 KB) in
// each of them. A delta keeps, of a hash map that changed, only the keys that
// changed (32 bytes each), and any other top-level value that changed as it
// is (shared with the replica). Hash maps iterate in an order that depends
// only on their keys, so replaying their changed keys gives back the same
// map, printed alike; array maps keep insertion order and are kept whole.
// Rebuilding a checkpoint replays the deltas since its full replica with
// transients, so a full replica is taken again when that work would pass
// deltaMaxOps.

// DefaultDeltaMaxOps bounds the assocs and dissocs that rebuilding a
// checkpoint from its full replica costs. On the 1M-entry benchmark log,
// 4,096 instead of 8,192 took 167 full checkpoints instead of 85 for 11 MB
// more and cut a seek's thread CPU time to 1.6 / 5.6 ms at p50 / p99 from
// 1.9 / 7.8–9.0 ms, once entries were kept packed and left room under the
// memory goal.
const DefaultDeltaMaxOps = 4096

// deltaMaxOps is DefaultDeltaMaxOps, a variable for the tests.
var deltaMaxOps = DefaultDeltaMaxOps

// checkpoint is the replica after entry pos: full, or the delta since the
// previous checkpoint.
type checkpoint struct {
	full  replay.Replica // set when isFull
	delta []change
	// base is the index of the full checkpoint the deltas start from.
	base   int32
	isFull bool
}

// change is one top-level key of a delta: removed, set to val, or (sub not
// nil) a hash map changed in the keys listed.
type change struct {
	key, val value.Value
	sub      []subChange
}

// subChange sets key to val in a hash map, or removes it (val is removed).
type subChange struct{ key, val value.Value }

// vecTail is the value of a change that appended items to a vector: the
// vector is the key's previous value with items after it. Onyx's job lists
// (:completed-jobs, :killed-jobs) only grow between gcs, and replay copies
// a Go slice for each conj: kept whole in every delta, a 0.14.6 log that
// never gcs held one copy of a 40,000-job vector per checkpoint (a 300k log
// peaked at 7.8 GB).
type vecTail struct{ items []value.Value }

// removedKey marks a key a delta removes.
type removedKey struct{}

var removed value.Value = removedKey{}

// checkpoints holds the checkpoints (list and pos, which readers see) and
// what the writer needs to take the next one.
type checkpoints struct {
	list  []checkpoint
	pos   []int32    // pos[i] is the position list[i] is the replica after
	last  *value.Map // the replica of the last checkpoint
	ops   int        // assocs and dissocs from the last full one to the last one
	since int        // the cost of the entries since the last checkpoint

	changes    slab[change] // where the deltas live
	subs       slab[subChange]
	scratch    []change // delta's buffers, reused
	subScratch []subChange
}

// costPerEntry is the cost budget between two checkpoints per entry of the
// interval K: a checkpoint is taken after K entries, or sooner once the
// entries since the last one cost 4×K units (entryCost).
const costPerEntry = 4

// entryCost is a deterministic estimate of what replaying an entry costs,
// in units of a cheap entry (~3 µs): an entry that changes one top-level key
// of the replica (signal-ready, backpressure) costs 1; one that changes more
// reconfigures the cluster (join, leave, submit, seal, kill, gc: the
// scheduler runs, 40–230 µs at 1M entries) and costs 1 + 8 per further key
// (submit-job changes ~17 keys, seal-output ~7).
func entryCost(before, after *value.Map) int {
	keys := 0
	value.DiffKeys(before, after, func(_, _, _ value.Value, _, _ bool) { keys++ })
	return 1 + 8*max(0, keys-1)
}

// due tells whether the entry at pos, of the given cost, ends an interval.
func (c *checkpoints) due(pos, every, cost int) bool {
	c.since += cost
	last := -1
	if n := len(c.pos); n > 0 {
		last = int(c.pos[n-1])
	}
	return pos-last >= every || c.since >= costPerEntry*every
}

// at returns the index of the last checkpoint at or before pos, or -1.
func (c *checkpoints) at(pos int) int {
	return sort.Search(len(c.pos), func(i int) bool { return int(c.pos[i]) > pos }) - 1
}

// add records r, the replica after pos, as the next checkpoint. A full
// replica is not kept as replay left it: its nodes were allocated among the
// garbage of the replays that made it, so each would keep a mostly empty span
// of the heap in use. It is rebuilt instead from the previous full one and the
// deltas since (what a seek does), which allocates the nodes that changed all
// at once, and the replay's copies die with the rest of its garbage.
func (c *checkpoints) add(pos int, r replay.Replica) {
	c.pos = append(c.pos, int32(pos))
	c.since = 0
	m := r.Map()
	if len(c.list) > 0 && c.last.IsHashMap() && m.IsHashMap() {
		d, ops := c.delta(c.last, m)
		base := c.list[len(c.list)-1].base
		if c.ops+ops <= deltaMaxOps {
			c.list = append(c.list, checkpoint{delta: d, base: base})
			c.last, c.ops = m, c.ops+ops
			return
		}
		deltas := make([][]change, 0, len(c.list)-int(base))
		for _, ck := range c.list[base+1:] {
			deltas = append(deltas, ck.delta)
		}
		r = rebuild(c.list[base].full, append(deltas, d))
	}
	c.list = append(c.list, checkpoint{full: r, base: int32(len(c.list)), isFull: true})
	c.last, c.ops = m, 0
}

// delta lists what changed from a to b (both hash maps, whose order depends
// only on their keys) and how many assocs and dissocs it costs to replay.
func (c *checkpoints) delta(a, b *value.Map) ([]change, int) {
	out := c.scratch[:0]
	ops := 0
	value.DiffKeys(a, b, func(k, va, vb value.Value, inA, inB bool) {
		ops++
		if !inB {
			out = append(out, change{key: k, val: removed})
			return
		}
		ma, aok := va.(*value.Map)
		mb, bok := vb.(*value.Map)
		if inA && aok && bok && ma.IsHashMap() && mb.IsHashMap() {
			sub := c.subScratch[:0]
			value.DiffKeys(ma, mb, func(k2, _, v2 value.Value, _, in2 bool) {
				if !in2 {
					v2 = removed
				}
				sub = append(sub, subChange{k2, v2})
			})
			if len(sub) > 0 { // else equal maps that are not the same
				ops += len(sub)
				out = append(out, change{key: k, sub: c.subs.clone(sub)})
			}
			clear(sub)
			c.subScratch = sub[:0]
			return
		}
		if tail, ok := appended(va, vb); inA && ok {
			out = append(out, change{key: k, val: vecTail{slices.Clone(tail)}})
			return
		}
		out = append(out, change{key: k, val: vb})
	})
	d := c.changes.clone(out)
	clear(out)
	c.scratch = out[:0]
	return d, ops
}

// appended returns the items b has after those of a, when both are vectors
// and b begins with a's items.
func appended(a, b value.Value) ([]value.Value, bool) {
	va, aok := a.(value.Vector)
	vb, bok := b.(value.Vector)
	if !aok || !bok || len(vb) <= len(va) || !hasPrefix(vb, va) {
		return nil, false
	}
	return vb[len(va):], true
}

// rebuild replays deltas onto the full replica r. It walks them from the
// newest back, so that a key is set once, to its last value: a top-level key
// set whole is not looked at further back, and a key of a hash map (peer
// states change in every delta) only at its last change. The changes kept
// are then made oldest first, with transients: each changed map's nodes are
// copied once, not once per key.
func rebuild(r replay.Replica, deltas [][]change) replay.Replica {
	if len(deltas) == 0 {
		return r
	}
	type keyState struct {
		key   value.Value
		whole bool        // set whole (to val) at the oldest change kept
		val   value.Value // removed when removed
		subs  []subChange // newest first
		seen  map[value.Value]bool
		tails [][]value.Value // appended items, newest first
	}
	var keys []*keyState // the changed top-level keys, a few dozen
	find := func(k value.Value) *keyState {
		for _, st := range keys {
			if value.Equal(st.key, k) {
				return st
			}
		}
		st := &keyState{key: k}
		keys = append(keys, st)
		return st
	}
	for i := len(deltas) - 1; i >= 0; i-- {
		for _, c := range deltas[i] {
			st := find(c.key)
			if st.whole {
				continue // set whole since: older changes do not matter
			}
			if t, ok := c.val.(vecTail); ok {
				st.tails = append(st.tails, t.items)
				continue
			}
			if c.sub == nil {
				st.whole, st.val = true, c.val
				continue
			}
			for _, sc := range c.sub {
				if hashable(sc.key) {
					if st.seen[sc.key] {
						continue // changed again since
					}
					if st.seen == nil {
						st.seen = map[value.Value]bool{}
					}
					st.seen[sc.key] = true
				}
				st.subs = append(st.subs, sc)
			}
		}
	}
	top := r.Map().AsTransient()
	for _, st := range keys {
		base := top.Val(st.key)
		if st.whole {
			base = st.val
		}
		if len(st.tails) > 0 {
			items := value.Items(base)
			n := len(items)
			for _, t := range st.tails {
				n += len(t)
			}
			v := make(value.Vector, 0, n)
			v = append(v, items...)
			for i := len(st.tails) - 1; i >= 0; i-- {
				v = append(v, st.tails[i]...)
			}
			top.Assoc(st.key, v)
			continue
		}
		if len(st.subs) == 0 {
			if base == removed {
				top.Dissoc(st.key)
			} else {
				top.Assoc(st.key, base)
			}
			continue
		}
		bm, _ := base.(*value.Map)
		tm := bm.AsTransient()
		for i := len(st.subs) - 1; i >= 0; i-- {
			if sc := st.subs[i]; sc.val == removed {
				tm.Dissoc(sc.key)
			} else {
				tm.Assoc(sc.key, sc.val)
			}
		}
		top.Assoc(st.key, tm.Persistent())
	}
	return replay.FromMap(top.Persistent())
}

// hashable reports keys that can be Go map keys and are equal as values
// exactly when they are equal as Go values: the kinds replica keys are.
func hashable(k value.Value) bool {
	switch k.(type) {
	case value.Keyword, value.UUID, string, int64, bool, value.Symbol, value.Char:
		return true
	}
	return false
}
