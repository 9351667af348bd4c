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
	return provenance{byPath: map[pathKey]*postings{}, partial: map[int32]bool{}}
}

func (p *provenance) add(pos int, before, after *value.Map, ids *ids) {
	p.walk(pathKey{-1, -1}, 0, before, after, int32(pos), ids)
}

func (p *provenance) walk(key pathKey, depth int, before, after *value.Map, pos int32, ids *ids) {
	diffKeys(before, after, func(k value.Value) {
		if !isID(k) {
			return
		}
		key := key
		key[depth] = ids.intern(k)
		l := p.byPath[key]
		if l == nil {
			l = p.lists.new()
			p.byPath[key] = l
		}
		l.add(pos)
		if depth+1 < provDepth {
			b, bok := before.Val(k).(*value.Map)
			a, aok := after.Val(k).(*value.Map)
			if (bok || aok) && (b.Len() > provWalkMax || a.Len() > provWalkMax) {
				p.partial[key[0]] = true
				return
			}
			if bok || aok {
				p.walk(key, depth+1, b, a, pos, ids)
			}
		}
	})
}

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
