package timeline

import "slices"

// The timeline keeps what it derives while the replays that compute it make
// ten times as much garbage. Small objects kept among that garbage each pin a
// span of the heap that is otherwise free once the garbage is collected (the
// Go heap does not move objects), so the resident set grew ~240 MB above the
// live heap on 1M entries. The many small things the timeline keeps for
// good (the deltas' slices, the provenance's postings, created one
// at a time) are therefore copied into big chunks instead.

// slabChunk is how many elements a chunk of a slab holds.
const slabChunk = 4096

// slab hands out slices copied into big chunks, one allocation each. A
// slice handed out is never written again by the slab, so readers may hold
// it.
type slab[T any] struct{ cur []T }

// clone copies xs into the slab; the result has no spare capacity.
func (s *slab[T]) clone(xs []T) []T {
	if len(xs) > slabChunk/4 {
		return slices.Clone(xs)
	}
	if cap(s.cur)-len(s.cur) < len(xs) {
		s.cur = make([]T, 0, slabChunk)
	}
	n := len(s.cur)
	s.cur = append(s.cur, xs...)
	return s.cur[n:len(s.cur):len(s.cur)]
}

// new returns a pointer to a zero T in the slab.
func (s *slab[T]) new() *T {
	var zero [1]T
	return &s.clone(zero[:])[0]
}
