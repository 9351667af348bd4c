package timeline

import (
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
