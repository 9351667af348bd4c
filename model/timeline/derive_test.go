package timeline

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// TestIDSetsAnswerAsAMapOfTheIDsDoes checks the in-place search of short
// lists and the map of long ones against a map of the list's ids, for ids,
// non-ids and values absent from the list.
func TestIDSetsAnswerAsAMapOfTheIDsDoes(t *testing.T) {
	pool := []value.Value{value.UUID{Hi: 1}, value.UUID{Hi: 1, Lo: 1}, value.Kw("a"), "a", int64(1), value.Char('a'),
		true, value.Vector{value.Kw("a")}, nil, 1.5, value.NewMap()}
	for _, n := range []int{0, 1, 5, idsetScan, idsetScan + 1, 40} {
		t.Run(fmt.Sprintf("%d items", n), func(t *testing.T) {
			xs := make([]value.Value, n)
			for i := range xs {
				xs[i] = pool[(i*5+n)%len(pool)]
			}
			want := map[value.Value]bool{}
			for _, x := range xs {
				if isID(x) {
					want[x] = true
				}
			}
			s := setOf(xs)
			for _, v := range append(pool, value.UUID{Hi: 9}, value.Kw("zz")) {
				if got := s.has(v); got != (isID(v) && want[v]) {
					t.Errorf("has %s: %v, want %v", value.PrStr(v), got, !got)
				}
			}
		})
	}
}
