package timeline

import (
	"sort"

	"onyx-dashboard/model/value"
)

// provenance records, while appending, which positions changed each replica
// path of up to three keys ([:allocations J T], [:peer-state P], [:jobs]).
// Paths of one or two keys are exact; deeper ones are refined by replaying
// the candidate positions.
type provenance struct {
	byPath map[pathKey][]int32
}

// pathKey is up to three interned keys; unused levels are -1.
type pathKey [3]int32

const provDepth = 3

func newProvenance() provenance { return provenance{byPath: map[pathKey][]int32{}} }

func (p *provenance) add(pos int, before, after *value.Map, ids *ids) {
	p.walk(pathKey{-1, -1, -1}, 0, before, after, int32(pos), ids)
}

func (p *provenance) walk(key pathKey, depth int, before, after *value.Map, pos int32, ids *ids) {
	diffKeys(before, after, func(k value.Value) {
		if !isID(k) {
			return
		}
		key := key
		key[depth] = ids.intern(k)
		l := p.byPath[key]
		if len(l) == 0 || l[len(l)-1] != pos {
			p.byPath[key] = append(l, pos)
		}
		if depth+1 < provDepth {
			b, bok := before.Val(k).(*value.Map)
			a, aok := after.Val(k).(*value.Map)
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
	pos = min(pos, len(t.entries)-1)
	key := pathKey{-1, -1, -1}
	exact := len(path) <= provDepth
	var cand []int32
	for i := 0; i < len(path) && i < provDepth; i++ {
		id := t.ids.lookup(path[i])
		if id >= 0 {
			key[i] = id
			if c, ok := t.prov.byPath[key]; ok {
				cand = c
				continue
			}
		}
		// Not recorded at this depth (a key inside a vector, say): check the
		// candidates of the recorded prefix one by one.
		exact = false
		break
	}
	if cand == nil {
		t.mu.RUnlock()
		return nil // the top-level key never changed
	}
	t.mu.RUnlock()
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
