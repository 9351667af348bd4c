package timeline

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPostingsGiveBackThePositionsAdded(t *testing.T) {
	var p postings
	if got := p.list(); len(got) != 0 {
		t.Fatalf("empty postings list %v", got)
	}
	want := []int32{0, 1, 2, 130, 131, 20_000, 1 << 30}
	for _, pos := range want {
		p.add(pos)
		p.add(pos) // the same position twice is kept once
	}
	snap := p // what a reader copied
	p.add(1<<30 + 5)
	if got := snap.list(); !slices.Equal(got, want) {
		t.Errorf("list = %v, want %v", got, want)
	}
	if got := p.list(); len(got) != len(want)+1 || got[len(want)] != 1<<30+5 {
		t.Errorf("after one more add: %v", got)
	}
	if len(snap.b) > 2*len(want)+3 {
		t.Errorf("%d bytes for %d positions: not delta-encoded", len(snap.b), len(want))
	}
}

// TestProvenancePostsEachPathsPositionsToItsOwnList adds positions to
// thousands of paths, many in the same slot of provenance.recent, against
// one map of lists.
func TestProvenancePostsEachPathsPositionsToItsOwnList(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := newProvenance()
	want := map[pathKey][]int32{}
	for pos := range int32(30_000) {
		for range 1 + rng.IntN(3) {
			key := pathKey{int32(rng.IntN(40)), int32(rng.IntN(300)) - 1}
			if l := want[key]; len(l) == 0 || l[len(l)-1] != pos {
				want[key] = append(l, pos)
			}
			p.post(key, pos)
		}
	}
	if len(p.byPath) != len(want) {
		t.Fatalf("%d paths, want %d", len(p.byPath), len(want))
	}
	for key, l := range want {
		if got := p.byPath[key].list(); !slices.Equal(got, l) {
			t.Fatalf("path %v: %v, want %v", key, got, l)
		}
	}
}
