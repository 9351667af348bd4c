package timeline

// recent is a small direct-mapped cache in front of one of the writer's big
// Go maps (interned UUIDs, text dedup, provenance postings): a log names the
// same hundred peers and repeats the same commands, and once such a map
// holds a few hundred thousand keys its lookups miss the processor's caches,
// while this table stays in them. The caller picks a key's slot from the
// key's bits; the one key kept in a slot is the only one it answers. The
// writer's alone: readers never touch it.
type recent[K comparable, V any] []recentSlot[K, V]

type recentSlot[K comparable, V any] struct {
	k  K
	v  V
	ok bool
}

// newRecent makes a cache of n slots, n a power of two.
func newRecent[K comparable, V any](n int) recent[K, V] { return make(recent[K, V], n) }

// get returns the value kept for k in slot i (its low bits), if k is there.
func (c recent[K, V]) get(i uint64, k K) (V, bool) {
	s := &c[i&uint64(len(c)-1)]
	return s.v, s.ok && s.k == k
}

// put keeps v for k in slot i (its low bits).
func (c recent[K, V]) put(i uint64, k K, v V) {
	c[i&uint64(len(c)-1)] = recentSlot[K, V]{k, v, true}
}
