package timeline

import (
	"slices"
	"testing"
)

func TestSlabClonesStayAsCopied(t *testing.T) {
	var s slab[int]
	var got [][]int
	var want [][]int
	for n := range 3 * slabChunk / 2 { // small and big slices, over several chunks
		xs := make([]int, n%700)
		for i := range xs {
			xs[i] = n*1000 + i
		}
		c := s.clone(xs)
		if cap(c) != len(c) {
			t.Fatalf("clone %d: capacity %d for %d elements: an append would write into the slab", n, cap(c), len(c))
		}
		if len(xs) > 0 { // the original may change
			xs[0] = -1
		}
		got = append(got, c)
		w := make([]int, n%700)
		for i := range w {
			w[i] = n*1000 + i
		}
		want = append(want, w)
	}
	for i := range got {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("clone %d changed after later clones", i)
		}
	}
	p, q := s.new(), s.new()
	*p = 7
	if *q != 0 || p == q {
		t.Errorf("new gave %p = %d and %p = %d, want two zero ints", p, *p, q, *q)
	}
}
