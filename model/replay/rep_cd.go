package replay

import (
	"math/bits"
	"slices"
	"sync"

	"onyx-dashboard/model/value"
)

// cdRep is a replica being changed by one era C/D command: the top-level
// keys it set, over the replica it started from. A replica of eras C and D
// is a hash map of about forty keys, and every r.Assoc copied its root
// node; a command sets ten or more keys, often the same one twice. done
// writes them all at once, giving the map the same assocs made one by one
// would give (the same content, and the same iteration order, which a hash
// map takes from its keys' hashes alone).
type cdRep struct {
	base *value.Map
	n    int
	ks   [16]value.Keyword
	vs   [16]value.Value
	more []cdRepKV // beyond len(ks), rare
	gone cdGone    // a peer's removal from its task, owed (leave_cd.go)
}

type cdRepKV struct {
	k value.Keyword
	v value.Value
}

func newRepCD(r *value.Map) *cdRep {
	x := repPoolCD.Get().(*cdRep)
	x.base = r
	return x
}

// newRepStampCD is newRepCD setting :version to f.seq first when f.stamp
// (era D: the (assoc replica :version seq) Apply owes every command).
func newRepStampCD(r *value.Map, f cdflags) *cdRep {
	x := newRepCD(r)
	if f.stamp {
		x.Set(kwCDVersion, f.seq)
	}
	return x
}

// repPoolCD holds the reps released: a command makes one or two.
var repPoolCD = sync.Pool{New: func() any { return new(cdRep) }}

// release hands x back for reuse; x must not be used afterwards.
func (x *cdRep) release() {
	clear(x.ks[:x.n])
	clear(x.vs[:x.n])
	clear(x.more)
	x.base, x.n, x.more, x.gone = nil, 0, x.more[:0], cdGone{}
	repPoolCD.Put(x)
}

// find is the position of k among the keys set, -1 when not set.
func (x *cdRep) find(k value.Keyword) int {
	for i := range x.n {
		if x.ks[i] == k {
			return i
		}
	}
	for i := range x.more {
		if x.more[i].k == k {
			return len(x.ks) + i
		}
	}
	return -1
}

// clone is a copy of x that x's later changes leave alone.
func (x *cdRep) clone() cdRep {
	c := *x
	c.more = slices.Clone(x.more)
	return c
}

// Get is the value of k and whether k is a key.
func (x *cdRep) Get(k value.Keyword) (value.Value, bool) {
	switch i := x.find(k); {
	case i < 0:
		return x.base.Get(k)
	case i < len(x.ks):
		return x.vs[i], true
	default:
		return x.more[i-len(x.ks)].v, true
	}
}

// Val is the value of k, nil when absent.
func (x *cdRep) Val(k value.Keyword) value.Value {
	v, _ := x.Get(k)
	return v
}

// Has reports whether k is a key.
func (x *cdRep) Has(k value.Keyword) bool {
	_, ok := x.Get(k)
	return ok
}

// mapAt is the map at k (nil when absent or not a map).
func (x *cdRep) mapAt(k value.Keyword) *value.Map { return mapOf(x.Val(k)) }

// Set is (assoc r k v).
func (x *cdRep) Set(k value.Keyword, v value.Value) {
	switch i := x.find(k); {
	case i >= len(x.ks):
		x.more[i-len(x.ks)].v = v
	case i >= 0:
		x.vs[i] = v
	case x.n < len(x.ks):
		x.ks[x.n], x.vs[x.n] = k, v
		x.n++
	default:
		x.more = append(x.more, cdRepKV{k, v})
	}
}

// updateDissoc is (update-in r [k] dissoc y): an absent k becomes k → nil.
func (x *cdRep) updateDissoc(k value.Keyword, y value.Value) error {
	cur, present := x.Get(k)
	switch m := cur.(type) {
	case nil:
		if !present {
			x.Set(k, nil)
		}
		return nil
	case *value.Map:
		if n := m.Dissoc(y); n != m {
			x.Set(k, n)
		}
		return nil
	}
	return crash("replica %s is a %s, not a map", k, value.TypeName(cur))
}

// done is the replica with every key set. Keys set to the very value they
// hold are left alone (assoc would give an equal map). The root is read once
// per key: which keys of ks are new is kept in a mask for the writes.
func (x *cdRep) done() *value.Map {
	r := x.base
	var mask uint32 // bit i: ks[i] is set to a new value
	n := 0
	for i := range x.n {
		if newInCD(r, x.ks[i], x.vs[i]) {
			mask |= 1 << i
			n++
		}
	}
	for _, kv := range x.more {
		if newInCD(r, kv.k, kv.v) {
			n++
		}
	}
	switch {
	case n == 0:
		return r
	case n == 1 && mask != 0:
		i := bits.TrailingZeros32(mask)
		return r.Assoc(x.ks[i], x.vs[i])
	}
	t := r.AsTransient()
	for i := range x.n {
		if mask&(1<<i) != 0 {
			t.Assoc(x.ks[i], x.vs[i])
		}
	}
	for _, kv := range x.more {
		if newInCD(r, kv.k, kv.v) {
			t.Assoc(kv.k, kv.v)
		}
	}
	return t.Persistent()
}

// newInCD reports whether (assoc r k v) changes r: k is absent, or holds
// another value or the same reference as another kind.
func newInCD(r *value.Map, k value.Keyword, v value.Value) bool {
	old, ok := r.Get(k)
	return !ok || !value.SameRef(old, v) || !sameKindCD(old, v)
}

// sameKindCD reports whether a and b, the same reference, are also the same
// kind of value (SameRef holds for a vector and a list on one backing array).
func sameKindCD(a, b value.Value) bool {
	switch a.(type) {
	case value.Vector:
		_, ok := b.(value.Vector)
		return ok
	case value.List:
		_, ok := b.(value.List)
		return ok
	}
	return true
}
