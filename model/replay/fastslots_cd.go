package replay

import (
	"slices"

	"onyx-dashboard/model/value"
)

// Helpers of applyFast that build a task's new vector and slot ids from
// what stays, instead of redoing the whole. A task keeps most of its peers
// from one entry to the next (a join or a leave moves one or two): its
// vector is already in hash order, and its slot map already says which ids
// are taken.

// mergeByChunkCD is kept followed by filled, put in hash order as
// sortByChunkCD puts them, appended to dst (which must not share memory
// with kept or filled). kept must be in hash order already, without ties (a
// task vector of the index is); each peer of filled is put in its place by
// binary search, so a few joining a long vector cost a few lookups each,
// not a sort of the whole. false when two peers share a key, as
// sortByChunkCD.
func (ix *cdIndex) mergeByChunkCD(dst value.Vector, kept, filled []value.Value) (value.Vector, bool) {
	base := len(dst)
	dst = append(dst, kept...)
	for _, p := range filled {
		u := cdUUID(p)
		ck := ix.at[u].ck
		out := dst[base:]
		i, found := slices.BinarySearchFunc(out, ck, func(q value.Value, ck uint64) int {
			w := cdUUID(q)
			x := ix.at[w].ck
			switch {
			case x < ck:
				return -1
			case x > ck:
				return 1
			}
			return 0
		})
		if found && cdUUID(out[i]) != u {
			return dst, false
		}
		dst = slices.Insert(dst, base+i, p)
	}
	return dst, true
}

// cdFreeSlots are the slot ids a task's slot map (peer → id) holds, for
// the smallest free one taken again and again: firstFreeSlotCD after each
// assoc, with one scan of the map.
type cdFreeSlots struct {
	low  uint64 // ids 0–63, the common case
	high map[int64]bool
}

// freeSlotsCD reads the ids tm uses.
func freeSlotsCD(tm *value.Map) cdFreeSlots {
	var f cdFreeSlots
	tm.Range(func(_, v value.Value) bool {
		if n, ok := v.(int64); ok {
			f.use(n)
		}
		return true
	})
	return f
}

func (f *cdFreeSlots) use(n int64) {
	if n >= 0 && n < 64 {
		f.low |= 1 << uint(n)
		return
	}
	if f.high == nil {
		f.high = map[int64]bool{}
	}
	f.high[n] = true
}

// take is the smallest id not used, which it marks used.
func (f *cdFreeSlots) take() int64 {
	id := int64(0)
	for id < 64 && f.low&(1<<uint(id)) != 0 {
		id++
	}
	for f.high[id] {
		id++
	}
	f.use(id)
	return id
}

// dissocAllCD is tm with every op's peer dissoc-ed one after the other:
// through a transient when that copies less (two or more keys off a hash
// map, three or more off an array map).
func dissocAllCD(tm *value.Map, ops []cdSlotOp) *value.Map {
	if len(ops) >= 3 || len(ops) == 2 && tm.IsHashMap() {
		t := tm.AsTransient()
		for _, op := range ops {
			t.Dissoc(op.peer)
		}
		return t.Persistent()
	}
	for _, op := range ops {
		tm = tm.Dissoc(op.peer)
	}
	return tm
}

// assignSlotsCD is assign-task-slot-ids of ops' peers on one task whose slot
// map is tm (nil when it has none): each peer without an id gets the
// smallest free one, in the order of ops. ed is scratch space. changed is
// false when every peer had an id (out is then tm).
func assignSlotsCD(ed *cdMapEdit, tm *value.Map, ops []cdSlotOp) (out *value.Map, changed bool) {
	var free cdFreeSlots
	scanned := false
	if tm == nil {
		tm = value.NewMap()
	}
	ed.reset(tm)
	defer ed.reset(nil)
	for _, op := range ops {
		if v, _ := ed.Get(op.peer); v != nil {
			continue
		}
		if !scanned {
			free, scanned = freeSlotsCD(tm), true
		}
		ed.Assoc(op.peer, free.take())
	}
	if len(ed.ks) == 0 {
		return tm, false
	}
	return ed.done(), true
}
