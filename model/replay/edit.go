package replay

import (
	"fmt"
	"slices"

	"onyx-dashboard/model/value"
)

// Replica editing helpers shared by the eras: each is one Clojure form as
// Onyx's commands use it, with Clojure's nil behaviour (update-in on an absent
// key creates it, merge of nil with {} is {}, conj onto a list prepends).
// None modifies its input.

// requireArg returns the named argument, or a bad-args error when it is absent.
func requireArg(e value.Entry, k value.Keyword) (value.Value, error) {
	v := e.Args.Val(k)
	if v == nil {
		return nil, badArgs("%s is missing", k)
	}
	return v, nil
}

// truthy is Clojure truthiness.
func truthy(v value.Value) bool { return v != nil && v != false }

// show renders a value for an error message.
func show(v value.Value) string { return fmt.Sprint(v) }

// mapAt is (get r k) as a map (nil reads as empty).
func mapAt(r *value.Map, k value.Value) *value.Map { return mapOf(r.Val(k)) }

// mapOrNil is (get r k) when it is a map or nil; anything else is a replica
// Onyx would throw on.
func mapOrNil(r *value.Map, k value.Keyword) (*value.Map, error) {
	switch m := r.Val(k).(type) {
	case nil:
		return nil, nil
	case *value.Map:
		return m, nil
	default:
		return nil, crash("replica %s is a %s, not a map", k, value.TypeName(m))
	}
}

// seqOf returns the items of a seqable collection (nil, vector, list, set).
func seqOf(v value.Value) ([]value.Value, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case value.Vector:
		return x, true
	case value.List:
		return x, true
	case *value.Set:
		return x.Items(), true
	}
	return nil, false
}

// seqAt is seqOf of (get r k), with an error for a non-collection.
func seqAt(r *value.Map, k value.Keyword) ([]value.Value, error) {
	xs, ok := seqOf(r.Val(k))
	if !ok {
		return nil, crash("replica %s is a %s, not a collection", k, value.TypeName(r.Val(k)))
	}
	return xs, nil
}

// vecOf is clojure.core/vec.
func vecOf(v value.Value) (value.Vector, bool) {
	switch x := v.(type) {
	case value.Vector:
		return x, true
	}
	xs, ok := seqOf(v)
	if !ok {
		return nil, false
	}
	return append(value.Vector{}, xs...), true
}

// countOf is clojure.core/count for the shapes a replica holds.
func countOf(v value.Value) int {
	switch x := v.(type) {
	case value.Vector:
		return len(x)
	case value.List:
		return len(x)
	case *value.Map:
		return x.Len()
	case *value.Set:
		return x.Len()
	case string:
		return len([]rune(x))
	}
	return 0
}

// conjVec is (vec (conj (vec xs) x)): a new vector with x appended.
func conjVec(xs []value.Value, x value.Value) value.Vector {
	out := make(value.Vector, len(xs), len(xs)+1)
	copy(out, xs)
	return append(out, x)
}

// conjVecRaw is (vec (conj raw x)) where xs are raw's items: conj onto a
// list prepends, onto anything else appends.
func conjVecRaw(raw value.Value, xs []value.Value, x value.Value) value.Vector {
	if _, ok := raw.(value.List); ok {
		out := make(value.Vector, 0, len(xs)+1)
		return append(append(out, x), xs...)
	}
	return conjVec(xs, x)
}

// removeValue is (vec (remove #(= % x) xs)).
func removeValue(xs []value.Value, x value.Value) value.Vector {
	out := make(value.Vector, 0, len(xs))
	for _, y := range xs {
		if !value.Equal(y, x) {
			out = append(out, y)
		}
	}
	return out
}

// containsValue reports whether xs holds a value equal to x.
func containsValue(xs []value.Value, x value.Value) bool {
	for _, y := range xs {
		if value.Equal(y, x) {
			return true
		}
	}
	return false
}

// invertGet is (get (map-invert m) v): the key whose value is v, the last one
// in iteration order when several are, nil when none.
func invertGet(m *value.Map, v value.Value) value.Value {
	var out value.Value
	m.Range(func(k, x value.Value) bool {
		if value.Equal(x, v) {
			out = k
		}
		return true
	})
	return out
}

// assocIn2 is (assoc-in r [k1 k2] v); (update-in r [k1] merge {k2 v}) is the same.
func assocIn2(r *value.Map, k1 value.Keyword, k2, v value.Value) (*value.Map, error) {
	sub, err := mapOrNil(r, k1)
	if err != nil {
		return nil, err
	}
	return r.Assoc(k1, sub.Assoc(k2, v)), nil
}

// mergeInto is (update-in r [k] merge {key val}).
func mergeInto(r *value.Map, k value.Keyword, key, val value.Value) (*value.Map, error) {
	return assocIn2(r, k, key, val)
}

// mergeMap is (update-in r [k] merge m2): an absent map becomes m2.
func mergeMap(r *value.Map, k value.Keyword, m2 *value.Map) (*value.Map, error) {
	sub, err := mapOrNil(r, k)
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return r.Assoc(k, m2), nil
	}
	m2.Range(func(key, v value.Value) bool {
		sub = sub.Assoc(key, v)
		return true
	})
	return r.Assoc(k, sub), nil
}

// updateDissoc is (update-in r [k] dissoc x): an absent k becomes k → nil.
func updateDissoc(r *value.Map, k value.Keyword, x value.Value) (*value.Map, error) {
	cur, present := r.Get(k)
	switch m := cur.(type) {
	case nil:
		if present {
			return r, nil
		}
		return r.Assoc(k, nil), nil
	case *value.Map:
		if n := m.Dissoc(x); n != m {
			return r.Assoc(k, n), nil
		}
		return r, nil
	}
	return nil, crash("replica %s is a %s, not a map", k, value.TypeName(cur))
}

// updateInDissoc is (update-in r [k1 k2] dissoc x).
func updateInDissoc(r *value.Map, k1 value.Keyword, k2, x value.Value) (*value.Map, error) {
	outer, err := mapOrNil(r, k1)
	if err != nil {
		return nil, err
	}
	cur, present := outer.Get(k2)
	switch m := cur.(type) {
	case nil:
		if present {
			return r, nil
		}
		return r.Assoc(k1, outer.Assoc(k2, nil)), nil
	case *value.Map:
		if n := m.Dissoc(x); n != m {
			return r.Assoc(k1, outer.Assoc(k2, n)), nil
		}
		return r, nil
	}
	return nil, crash("replica %s of %s is a %s, not a map", k1, show(k2), value.TypeName(cur))
}

// chooseWatcher is the join protocol's choice of who will watch a joiner
// (onyx-log-format.md §4.2, the same rule for peers and, from 0.9.7, for
// groups): the members in :pairs and then the others, leaving out those
// preparing or accepted and those already watching a preparing joiner (and
// self, when not nil), sorted in Java order; the one at message-id mod their
// count. ok is false when nobody qualifies.
func chooseWatcher(pairs, prepared, accepted *value.Map, members []value.Value, self value.Value, seq int64) (value.Value, bool) {
	var watching []value.Value
	prepared.Range(func(d, _ value.Value) bool {
		watching = append(watching, invertGet(pairs, d))
		return true
	})
	eligible := func(p value.Value) bool {
		return p != nil && (self == nil || !value.Equal(p, self)) &&
			!prepared.Has(p) && !accepted.Has(p) && !containsValue(watching, p)
	}
	if w, ok, all := chooseUUIDWatcher(pairs, members, eligible, seq); all {
		return w, ok
	}
	var cands []value.Value
	seen := map[value.Value]struct{}{} // ids are UUIDs or keywords: comparable
	add := func(p value.Value) {
		if !eligible(p) {
			return
		}
		if comparableID(p) {
			if _, dup := seen[p]; dup {
				return
			}
			seen[p] = struct{}{}
		} else if containsValue(cands, p) {
			return
		}
		cands = append(cands, p)
	}
	pairs.Range(func(k, _ value.Value) bool { add(k); return true })
	for _, p := range members {
		add(p)
	}
	if len(cands) == 0 {
		return nil, false
	}
	slices.SortStableFunc(cands, value.Compare)
	return cands[watcherIndex(seq, len(cands))], true
}

// chooseUUIDWatcher is chooseWatcher's common case, every candidate a UUID:
// sorted as UUIDs and deduplicated after sorting (equal UUIDs are identical,
// so which copy survives does not matter). all is false when some member is
// not a UUID, and the general path decides.
func chooseUUIDWatcher(pairs *value.Map, members []value.Value, eligible func(value.Value) bool, seq int64) (w value.Value, ok, all bool) {
	var buf [512]value.UUID // :pairs and :peers of clusters up to ~250 peers, on the stack
	cands := buf[:0]
	all = true
	take := func(p value.Value) bool {
		u, isUUID := p.(value.UUID)
		if !isUUID {
			if p != nil {
				all = false
			}
			return all
		}
		if eligible(p) {
			cands = append(cands, u)
		}
		return true
	}
	pairs.Range(func(k, _ value.Value) bool { return take(k) })
	for _, p := range members {
		if !all || !take(p) {
			break
		}
	}
	if !all {
		return nil, false, false
	}
	if len(cands) == 0 {
		return nil, false, true
	}
	slices.SortFunc(cands, value.UUID.Compare)
	cands = slices.Compact(cands)
	return cands[watcherIndex(seq, len(cands))], true, true
}

// watcherIndex is (mod seq n) for a non-negative index.
func watcherIndex(seq int64, n int) int64 {
	idx := seq % int64(n)
	if idx < 0 {
		idx += int64(n)
	}
	return idx
}

// acceptJoinArgs reads :accept-join-cluster's observer and joiner, and the
// observer's target in :pairs (the observer itself when it has none): what
// every era's accept starts from, for peers and for groups.
func acceptJoinArgs(r *value.Map, e value.Entry) (observer, joiner, target value.Value, pairs *value.Map, err error) {
	observer, ok1 := e.Args.Get(kwAcceptedObserver)
	joiner, ok2 := e.Args.Get(kwAcceptedJoiner)
	if !ok1 || !ok2 {
		return nil, nil, nil, nil, badArgs(":accepted-observer or :accepted-joiner is missing")
	}
	pairs = mapAt(r, kwPairs)
	target = pairs.Val(observer)
	if target == nil {
		target = observer
	}
	return observer, joiner, target, pairs, nil
}

// comparableID reports ids whose Go == is Clojure's =, so they can key a Go map.
func comparableID(v value.Value) bool {
	switch v.(type) {
	case value.UUID, value.Keyword, string, int64:
		return true
	}
	return false
}
