package replay

import (
	"slices"
	"sync"

	"onyx-dashboard/model/value"
)

// peerIndex places each peer of a replica's allocations in its job and task:
// the last place in map order, as findPeerAllocation finds it. UUIDs (what
// Onyx's peers are) key a map of their own, cheaper to hash than an
// interface; other comparable ids (comparableID) another; the rest are only
// known to be allocated.
type peerIndex struct {
	uuids map[value.UUID]bTaskKey
	other map[value.Value]bTaskKey
	slow  *value.Set
}

// peerIndexes recycles the indexes of reconfigures: their maps keep their room.
var peerIndexes = sync.Pool{New: func() any {
	return &peerIndex{uuids: map[value.UUID]bTaskKey{}, other: map[value.Value]bTaskKey{}}
}}

// peerPlaces indexes the input's allocated peers on first use; release
// gives the index back.
func (s *bsched) peerPlaces() *peerIndex {
	if s.places != nil {
		return s.places
	}
	allocs := mapOf(s.r.Val(kwAllocations))
	if c := takeCarriedIndex(allocs); c != nil {
		s.carried, s.places = c, c.x
		return c.x
	}
	x := peerIndexes.Get().(*peerIndex)
	if !bNoCarriedIndex {
		if c, ok := newCarriedIndex(x, allocs); ok {
			s.carried, s.places = c, x
			return x
		}
		clear(x.uuids)
		clear(x.other)
	}
	mapOf(s.r.Val(kwAllocations)).Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, ps value.Value) bool {
			for _, p := range items(ps) {
				switch id := p.(type) {
				case value.UUID:
					x.uuids[id] = bTaskKey{j, t}
				default:
					if comparableID(p) {
						x.other[p] = bTaskKey{j, t}
					} else {
						x.slow = x.slow.Conj(p)
					}
				}
			}
			return true
		})
		return true
	})
	s.places = x
	return x
}

// release gives the peer index and the scratch room back: the reconfigure
// is done with them.
func (s *bsched) release() {
	if s.carried != nil {
		lastPeerIndexB.Store(s.carried)
		s.carried, s.places = nil, nil
	}
	if x := s.places; x != nil {
		clear(x.uuids)
		clear(x.other)
		x.slow = nil
		peerIndexes.Put(x)
		s.places = nil
	}
	if s.scr != nil {
		s.scr.putBack()
		s.scr = nil
	}
}

// place is the job and task of an allocated peer with a comparable id.
func (x *peerIndex) place(p value.Value) (bTaskKey, bool) {
	if id, ok := p.(value.UUID); ok {
		at, ok := x.uuids[id]
		return at, ok
	}
	if comparableID(p) {
		at, ok := x.other[p]
		return at, ok
	}
	return bTaskKey{}, false
}

// used reports whether p is allocated.
func (x *peerIndex) used(p value.Value) bool {
	if id, ok := p.(value.UUID); ok {
		_, ok := x.uuids[id]
		return ok
	}
	if comparableID(p) {
		_, ok := x.other[p]
		return ok
	}
	return x.slow.Has(p)
}

// bSetOrder is (seq (set ids)): the ids without repeats (the first kept) in
// PersistentHashSet order — a nil first, then by hash in 5-bit chunks from
// the low bits, equal hashes in insertion order.
func bSetOrder(ids []value.Value) []value.Value {
	hs := make([]hashedKey, 0, len(ids))
	var seen map[value.Value]struct{} // for many comparable ids
	if len(ids) > 16 && !slices.ContainsFunc(ids, func(k value.Value) bool { return !comparableID(k) }) {
		seen = make(map[value.Value]struct{}, len(ids))
	}
	for _, k := range ids {
		if seen != nil {
			if _, dup := seen[k]; dup {
				continue
			}
			seen[k] = struct{}{}
		} else if slices.ContainsFunc(hs, func(x hashedKey) bool { return value.Equal(x.k, k) }) {
			continue
		}
		hs = append(hs, hashedKey{k: k, ck: value.HashOrderKey(k)})
	}
	slices.SortStableFunc(hs, byHashOrder)
	out := make([]value.Value, len(hs))
	for i, x := range hs {
		out[i] = x.k
	}
	return out
}
