package nippy

import (
	"encoding/binary"
	"math"
	"slices"
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// The keyword and UUID caches are direct-mapped: a slot chosen by a hash of
// the bytes holds the last name (or UUID) seen there with its interned
// Keyword (or boxed value). A hit costs a hash of a few bytes, one atomic
// load and a comparison, and allocates nothing (Go compares string(b) without
// copying); a miss replaces the slot. The caches never grow, whatever the
// input. A log names the same few keywords, peers and jobs over and over:
// boxing a 16-byte UUID into an interface was a third of the decoder's
// allocations, and a locked map lookup per keyword a fifth of its time.
const (
	cacheBits  = 13
	cacheSlots = 1 << cacheBits
)

type kwSlot struct {
	s string
	k value.Keyword
}

type uuidSlot struct {
	u value.UUID
	v value.Value
}

var (
	kwSlots   [cacheSlots]atomic.Pointer[kwSlot]
	uuidSlots [cacheSlots]atomic.Pointer[uuidSlot]
)

// nameHash picks the slot of a keyword's (or string's) bytes from its
// length and at most its first and last eight bytes, which tell Onyx's names
// apart and cost two loads instead of a loop (names of four to seven bytes
// use two overlapping four-byte loads, shorter ones each of their bytes).
func nameHash(b []byte) uint32 {
	n := len(b)
	var x uint64
	switch {
	case n >= 8:
		x = binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[n-8:])*31
	case n >= 4:
		x = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32
	case n > 0:
		x = uint64(b[0]) | uint64(b[n>>1])<<8 | uint64(b[n-1])<<16
	}
	x = (x ^ uint64(n)) * 0x9E3779B97F4A7C15
	return slotOf(uint32(x >> 32))
}

// slotOf spreads h over the slots (Fibonacci hashing).
func slotOf(h uint32) uint32 { return h * 0x9E3779B1 >> (32 - cacheBits) }

// Each name may sit in slot i or its neighbour i^1 (two-way associative),
// so that two hot names that hash alike do not evict each other.
func cachedKeyword(b []byte) (value.Keyword, bool) {
	i := nameHash(b)
	if e := kwSlots[i].Load(); e != nil && e.s == string(b) {
		return e.k, true
	}
	if e := kwSlots[i^1].Load(); e != nil && e.s == string(b) {
		return e.k, true
	}
	return value.Keyword{}, false
}

// internKeyword returns the keyword named by b (valid UTF-8) and caches it.
func internKeyword(b []byte) value.Keyword {
	if k, ok := cachedKeyword(b); ok {
		return k
	}
	s := string(b)
	k := value.Kw(s)
	i := nameHash(b)
	if kwSlots[i].Load() != nil && kwSlots[i^1].Load() == nil {
		i ^= 1
	}
	kwSlots[i].Store(&kwSlot{s, k})
	return k
}

func internUUID(b []byte) value.Value {
	u := value.UUIDFromBytes(b)
	x := u.Hi ^ u.Lo
	i := slotOf(uint32(x ^ x>>32))
	e0, e1 := uuidSlots[i].Load(), uuidSlots[i^1].Load()
	switch {
	case e0 != nil && e0.u == u:
		return e0.v
	case e1 != nil && e1.u == u:
		return e1.v
	}
	v := value.Value(u)
	if e0 != nil && e1 == nil {
		i ^= 1
	}
	uuidSlots[i].Store(&uuidSlot{u, v})
	return v
}

// Short strings and longs beyond a byte are cached the same way: a log
// repeats its peers' addresses, ports and task names in entry after entry,
// and each string cost two allocations (its bytes and its box), each long
// above 255 one (Go boxes 0–255 without allocating). A miss costs one
// allocation more than no cache, so only what tends to repeat is cached:
// strings up to maxCachedString bytes and longs stored in 2 or 4 bytes.
const maxCachedString = 64

type strSlot struct {
	s string
	v value.Value
}

type longSlot struct {
	n int64
	v value.Value
}

var (
	strSlots  [cacheSlots]atomic.Pointer[strSlot]
	longSlots [cacheSlots]atomic.Pointer[longSlot]
)

func cachedString(b []byte) (value.Value, bool) {
	i := nameHash(b)
	if e := strSlots[i].Load(); e != nil && e.s == string(b) {
		return e.v, true
	}
	if e := strSlots[i^1].Load(); e != nil && e.s == string(b) {
		return e.v, true
	}
	return nil, false
}

// internString returns the boxed string of b (valid UTF-8, at most
// maxCachedString bytes) and caches it.
func internString(b []byte) value.Value {
	if v, ok := cachedString(b); ok {
		return v
	}
	s := string(b)
	v := value.Value(s)
	i := nameHash(b)
	if strSlots[i].Load() != nil && strSlots[i^1].Load() == nil {
		i ^= 1
	}
	strSlots[i].Store(&strSlot{s, v})
	return v
}

// boxLong returns n as a Value, from the cache when it was seen recently.
func boxLong(n int64) value.Value {
	if uint64(n) < 256 {
		return n // no allocation
	}
	i := slotOf(uint32(n ^ n>>32))
	e0, e1 := longSlots[i].Load(), longSlots[i^1].Load()
	switch {
	case e0 != nil && e0.n == n:
		return e0.v
	case e1 != nil && e1.n == n:
		return e1.v
	}
	v := value.Value(n)
	if e0 != nil && e1 == nil {
		i ^= 1
	}
	longSlots[i].Store(&longSlot{n, v})
	return v
}

// Shared empty collections and common doubles, boxed once. Values are
// immutable, so sharing them is safe.
var (
	emptyVector value.Value = value.Vector{}
	emptyList   value.Value = value.List{}
	emptyMap    value.Value = value.NewMap()
	emptySet    value.Value = value.NewSet()
	posInf      value.Value = math.Inf(1)
)

// sortPairs orders alternating keys and values by key (clojure.core/compare),
// as a sorted map iterates. The model has no sorted map, so the result is a
// plain map in that order (for up to eight entries; larger maps hash-order).
func sortPairs(kvs []value.Value) []value.Value {
	type pair struct{ k, v value.Value }
	ps := make([]pair, len(kvs)/2)
	for i := range ps {
		ps[i] = pair{kvs[2*i], kvs[2*i+1]}
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return value.Compare(a.k, b.k) })
	out := make([]value.Value, 0, len(kvs))
	for _, p := range ps {
		out = append(out, p.k, p.v)
	}
	return out
}
