package timeline

import "onyx-dashboard/model/value"

// entryDiff is what one entry changed in the replica, worked out once and
// read by everything appendChunk records: the checkpoints' cost rule, the
// events, the series and the provenance. Each of them used to diff the two
// replicas (or look their keys up) on its own: the root value.DiffKeys twice
// an entry, :peer-state's and :allocations' twice, and some forty lookups of
// the same dozen top-level keys. Its answers are, call by call, those of the
// direct computations it replaces (before.Val(k), value.DiffKeys(…), diffKeys
// of a top-level key's two maps), which TestSharedDiffRecordsWhatDirectDiffsDo
// checks by recording real and simulated logs both ways. Writer-only; valid
// until the next reset.
type entryDiff struct {
	before, after *value.Map
	top           []rawChange // value.DiffKeys(before, after), in its order
	cache         [numRootKeys]keyVals
	jobs          int8      // jobsChanged: 0 unknown, 1 no, 2 yes
	subs          []subDiff // second-level diffs asked for
	pool          [][]rawChange
}

// rawChange is one call of value.DiffKeys' callback; reported says whether
// diffKeys (state.go) passes it on (set in second-level diffs only: the
// provenance decides on the root's itself, see changedTop).
type rawChange struct {
	k, va, vb value.Value
	inA, inB  bool
	reported  bool
}

// keyVals is a key's values before and after the entry, once known.
type keyVals struct {
	b, a  value.Value
	known bool
}

// subDiff is value.DiffKeys of the maps a top-level key holds before and
// after the entry (asMap of each).
type subDiff struct {
	k       value.Value
	changes []rawChange
}

// shareDiffs makes entryDiff answer from what it worked out, and the deriver
// take the shortcuts that rely on it (viewsFor) or that check first whether
// the long way has anything to say (twoAllocations); off, every question is
// computed afresh from the two replicas, as before entryDiff, the long way
// (the tests compare both).
var shareDiffs = true

func reports(c rawChange) bool {
	switch {
	case c.inA && c.inB:
		return changed(c.va, c.vb)
	case c.inA:
		return c.va != nil
	}
	return c.vb != nil
}

// diffRaw appends value.DiffKeys(a, b) to out; marks sets reported.
func diffRaw(out []rawChange, a, b *value.Map, marks bool) []rawChange {
	value.DiffKeys(a, b, func(k, va, vb value.Value, inA, inB bool) {
		out = append(out, rawChange{k: k, va: va, vb: vb, inA: inA, inB: inB})
	})
	if marks {
		for i := range out {
			out[i].reported = reports(out[i])
		}
	}
	return out
}

// reset starts on the entry that took before to after.
func (d *entryDiff) reset(before, after *value.Map) {
	clear(d.top)
	clear(d.cache[:])
	d.jobs = 0
	for i := range d.subs {
		clear(d.subs[i].changes)
		d.pool = append(d.pool, d.subs[i].changes[:0])
	}
	clear(d.subs)
	d.before, d.after = before, after
	d.top, d.subs = d.top[:0], d.subs[:0]
	if shareDiffs {
		d.top = diffRaw(d.top, before, after, false)
	}
}

// cost is entryCost(before, after).
func (d *entryDiff) cost() int {
	if !shareDiffs {
		return entryCost(d.before, d.after)
	}
	return 1 + 8*max(0, len(d.top)-1)
}

// vals returns before.Val(k) and after.Val(k) of the root key r. A key
// value.DiffKeys did not report is absent from both or holds values that are
// SameRef; the latter read alike (the same map, set or scalar, a vector of
// the same items), so after's value stands for both. Each is looked up once
// an entry.
func (d *entryDiff) vals(r rootKey) (b, a value.Value) {
	if !shareDiffs {
		return d.before.Val(rootKeys[r]), d.after.Val(rootKeys[r])
	}
	c := &d.cache[r]
	if !c.known {
		c.b, c.a = d.topVals(rootKeys[r])
		c.known = true
	}
	return c.b, c.a
}

// rootKey numbers the top-level keys the events and series read; the job
// keys come first, in jobKeys' order.
type rootKey uint8

const (
	rJobs rootKey = iota
	rKilledJobs
	rCompletedJobs
	rCompletions
	rTasks
	rAllocations
	rPeers
	rGroups
	rPrepared
	rAccepted
	rPeerState
	rExhausted
	rSealed
	numRootKeys
)

var rootKeys = [numRootKeys]value.Keyword{kJobs, kKilledJobs, kCompletedJobs, kCompletions, kTasks, kAllocations,
	kPeers, kGroups, kPrepared, kAccepted, kPeerState, kExhausted, kSealed}

// rootKeyOf returns k's number, if it has one.
func rootKeyOf(k value.Keyword) (rootKey, bool) {
	for i, r := range rootKeys {
		if r == k {
			return rootKey(i), true
		}
	}
	return 0, false
}

// same is value.SameRef(before.Val(k), after.Val(k)) of the root key r.
func (d *entryDiff) same(r rootKey) bool {
	b, a := d.vals(r)
	return value.SameRef(b, a)
}

// jobsChanged reports whether any job key (jobKeys) holds values before
// and after that are not SameRef.
func (d *entryDiff) jobsChanged() bool {
	if d.jobs == 0 || !shareDiffs {
		d.jobs = 1
		for r := range rootKey(len(jobKeys)) {
			if !d.same(r) {
				d.jobs = 2
				break
			}
		}
	}
	return d.jobs == 2
}

// beforeJob and afterJob return the value of jobKeys[i] before and after.
func (d *entryDiff) beforeJob(i int) value.Value {
	b, _ := d.vals(rootKey(i))
	return b
}

func (d *entryDiff) afterJob(i int) value.Value {
	_, a := d.vals(rootKey(i))
	return a
}

// top calls f with each change value.DiffKeys(before, after) reports, in
// its order (reported unset).
func (d *entryDiff) topChanges(f func(c *rawChange)) {
	top := d.top
	if !shareDiffs {
		top = diffRaw(nil, d.before, d.after, false)
	}
	for i := range top {
		f(&top[i])
	}
}

// sub returns value.DiffKeys(asMap(before.Val(k)), asMap(after.Val(k))) for
// a top-level key k (one isID accepts). Read it before the next reset.
func (d *entryDiff) sub(k value.Value) []rawChange {
	if !shareDiffs {
		return diffRaw(nil, asMap(d.before.Val(k)), asMap(d.after.Val(k)), true)
	}
	for i := range d.subs {
		if d.subs[i].k == k {
			return d.subs[i].changes
		}
	}
	var b, a value.Value
	if r, ok := rootKeyOfValue(k); ok {
		b, a = d.vals(r)
	} else {
		b, a = d.topVals(k)
	}
	var out []rawChange
	if n := len(d.pool); n > 0 {
		out, d.pool = d.pool[n-1], d.pool[:n-1]
	}
	out = diffRaw(out, asMap(b), asMap(a), true)
	d.subs = append(d.subs, subDiff{k, out})
	return out
}

func rootKeyOfValue(k value.Value) (rootKey, bool) {
	if kw, ok := k.(value.Keyword); ok {
		return rootKeyOf(kw)
	}
	return 0, false
}

// topVals is before.Val(k) and after.Val(k) of a top-level key k, read from
// the root diff (see vals).
func (d *entryDiff) topVals(k value.Value) (b, a value.Value) {
	for i := range d.top {
		if c := &d.top[i]; c.k == k {
			return c.va, c.vb
		}
	}
	v := d.after.Val(k)
	return v, v
}

// subKeys calls f with each key diffKeys(asMap(before.Val(k)),
// asMap(after.Val(k)), …) reports, in its order, and the key's values in
// the two maps (nil where absent: what Val gives).
func (d *entryDiff) subKeys(k value.Value, f func(c *rawChange)) {
	sub := d.sub(k)
	for i := range sub {
		if c := &sub[i]; c.reported {
			f(c)
		}
	}
}

// afterVal is after.Val(k) of the root key r.
func (d *entryDiff) afterVal(r rootKey) value.Value {
	_, a := d.vals(r)
	return a
}

// changedTop is changed(c.va, c.vb) for a change of the root diff present on
// both sides, sub the diff of the maps it holds (nil when not known): a key
// present in both maps whose values changed makes them unequal, so they
// need no comparing.
func changedTop(c *rawChange, sub []rawChange) bool {
	if shareDiffs {
		for i := range sub {
			if s := &sub[i]; s.inA && s.inB && s.reported {
				return true
			}
		}
	}
	return changed(c.va, c.vb)
}
