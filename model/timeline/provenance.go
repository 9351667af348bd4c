package timeline

import (
	"sort"

	"onyx-dashboard/model/value"
)

// provenance records, while appending, which positions changed each replica
// path of one or two keys ([:jobs], [:peer-state P], [:allocations J]).
// Those answers are exact; a deeper path ([:allocations J T]) takes the
// positions of its two-key prefix as candidates and keeps those where a
// replay shows the value changed. (Recording three levels cost ~25 bytes per
// entry more for little gain: a job's allocation changes rarely.)
type provenance struct {
	recent  recent[pathKey, *postings] // byPath's answers for the paths added to last
	byPath  map[pathKey]*postings
	partial map[int32]bool // top-level keys whose second level was not always recorded
	lists   slab[postings] // where byPath's postings are
}

// pathKey is up to provDepth interned keys; unused levels are -1.
type pathKey [provDepth]int32

const provDepth = 2

// provWalkMax bounds the maps whose keys are recorded: Onyx never prunes some
// job-keyed maps (:task-saturation, :min-required-peers … keep every job ever
// submitted), and walking thousands of keys per entry would dominate loading.
// Paths under a bigger map are answered from its one-key postings by replay.
const provWalkMax = 256

func newProvenance() provenance {
	return provenance{recent: newRecent[pathKey, *postings](recentPaths), byPath: map[pathKey]*postings{}, partial: map[int32]bool{}}
}

// add records the paths the entry at pos changed (dx): each top-level key
// diffKeys reports and, under one holding maps of at most provWalkMax keys,
// each of their keys diffKeys reports, ids only.
func (p *provenance) add(pos int, dx *entryDiff, ids *ids) {
	ps := int32(pos)
	dx.topChanges(func(c *rawChange) {
		if !isID(c.k) {
			return
		}
		b, bok := c.va.(*value.Map)
		a, aok := c.vb.(*value.Map)
		walk := (bok || aok) && b.Len() <= provWalkMax && a.Len() <= provWalkMax
		var sub []rawChange
		if walk {
			sub = dx.sub(c.k)
		}
		switch {
		case c.inA && c.inB:
			if !changedTop(c, sub) {
				return
			}
		case c.inA && c.va == nil, !c.inA && c.vb == nil:
			return
		}
		key := pathKey{ids.intern(c.k), -1}
		p.post(key, ps)
		if (bok || aok) && !walk {
			p.partial[key[0]] = true
			return
		}
		for i := range sub {
			if s := &sub[i]; s.reported && isID(s.k) {
				key[1] = ids.intern(s.k)
				p.post(key, ps)
			}
		}
	})
}

// post adds pos to key's postings.
func (p *provenance) post(key pathKey, pos int32) {
	slot := uint64((uint32(key[0])*0x9e3779b1 ^ uint32(key[1])) >> (32 - recentPathBits))
	l, ok := p.recent.get(slot, key)
	if !ok {
		if l = p.byPath[key]; l == nil {
			l = p.lists.new()
			p.byPath[key] = l
		}
		p.recent.put(slot, key, l)
	}
	l.add(pos)
}

const (
	recentPathBits = 9
	recentPaths    = 1 << recentPathBits
)

// Change is an entry that changed a replica path, with the path's value
// before and after it.
type Change struct {
	Pos           int
	Seq           int64
	Before, After value.Value
}

// LastChange returns the last entry at or before pos that changed the value
// at path; ok is false when none did since the origin.
func (t *Timeline) LastChange(path []value.Value, pos int) (Change, bool) {
	h := t.History(path, pos, 1)
	if len(h) == 0 {
		return Change{}, false
	}
	return h[0], true
}

// History returns up to max changes of path at or before pos, the most recent
// first (max <= 0: all of them; each costs a seek).
func (t *Timeline) History(path []value.Value, pos, max int) []Change {
	if len(path) == 0 {
		return nil
	}
	t.mu.RLock()
	pos = min(pos, t.entries.len()-1)
	key := pathKey{-1, -1}
	exact := len(path) <= provDepth
	var found *postings
	for i := 0; i < len(path) && i < provDepth; i++ {
		id := t.ids.lookup(path[i])
		if i > 0 && t.prov.partial[key[0]] {
			id = -1 // second level incomplete: replay the top-level candidates
		}
		if id >= 0 {
			key[i] = id
			if c, ok := t.prov.byPath[key]; ok {
				found = c
				continue
			}
		}
		// Not recorded at this depth (a key inside a vector, say): check the
		// candidates of the recorded prefix one by one.
		exact = false
		break
	}
	if found == nil {
		t.mu.RUnlock()
		return nil // the top-level key never changed
	}
	ps := *found
	t.mu.RUnlock()
	cand := ps.list()
	end := sort.Search(len(cand), func(i int) bool { return int(cand[i]) > pos })
	var out []Change
	for i := end - 1; i >= 0 && (max <= 0 || len(out) < max); i-- {
		p := int(cand[i])
		b, a := t.replicaPair(p)
		bv, av := value.GetIn(b.Map(), path...), value.GetIn(a.Map(), path...)
		if !exact && !changed(bv, av) {
			continue
		}
		out = append(out, Change{Pos: p, Seq: t.Seq(p), Before: bv, After: av})
	}
	return out
}
