package value

// This file holds helpers for readers of untrusted input (model/codec/edn).
// TODO(lead): NewMap and NewSet check repeated keys of non-scalar type (longs
// included) linearly, O(n²): 85 KB of EDN holding #{0 1 … 15999} takes 1.8 s.
// If newHashMap sorts first and compares within equal-hash runs as below, these
// two can go.

// NewMapDedup builds the same map as NewMap(kvs...) in O(n log n) and reports
// the position in kvs of the first key that repeats an earlier one, or -1.
// Keys whose hashes collide are still compared pairwise, as Clojure's
// HashCollisionNode does.
func NewMapDedup(kvs ...Value) (*Map, int) {
	n := len(kvs) / 2
	if n <= arrayMapMax {
		m := NewMap(kvs...)
		return m, firstRepeat(kvs, 2, m.Len() != n)
	}
	es := make(entries, 0, n)
	for i := 0; i+1 < len(kvs); i += 2 {
		es = append(es, newEntry(kvs[i], kvs[i+1]))
	}
	es, dup := dedupSorted(es)
	if dup {
		return &Map{es: es, hashed: true}, firstRepeat(kvs, 2, true)
	}
	return &Map{es: es, hashed: true}, -1
}

// NewSetDedup is NewSet(items...) in O(n log n), reporting the position of
// the first repeated item, or -1.
func NewSetDedup(items ...Value) (*Set, int) {
	es := make(entries, 0, len(items))
	for _, it := range items {
		es = append(es, newEntry(it, nil))
	}
	es, dup := dedupSorted(es)
	if dup {
		return &Set{es: es}, firstRepeat(items, 1, true)
	}
	return &Set{es: es}, -1
}

// dedupSorted sorts entries into hash order (stably, so the first of equal
// keys comes first) and merges repeated keys: first position, last value.
func dedupSorted(es entries) (entries, bool) {
	sortHashed(es)
	out := es[:0]
	run := 0 // start in out of the entries sharing the current hash
	dup := false
	for i := range es {
		e := es[i]
		if len(out) > 0 {
			prev := out[len(out)-1]
			if prev.ck != e.ck || (prev.k == nil) != (e.k == nil) {
				run = len(out)
			}
		}
		j := run
		for ; j < len(out); j++ {
			if out[j].h == e.h && Equal(out[j].k, e.k) {
				break
			}
		}
		if j < len(out) {
			out[j].v = e.v
			dup = true
			continue
		}
		out = append(out, e)
	}
	return out, dup
}

// firstRepeat finds the first item (every step-th) equal to an earlier one;
// only called when one is known to exist, so its cost is paid once, on error.
func firstRepeat(items []Value, step int, known bool) int {
	if !known {
		return -1
	}
	seen := make(map[int32][]int)
	for i := 0; i < len(items); i += step {
		h := Hash(items[i])
		for _, j := range seen[h] {
			if Equal(items[j], items[i]) {
				return i
			}
		}
		seen[h] = append(seen[h], i)
	}
	return -1
}
