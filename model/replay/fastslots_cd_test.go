package replay

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// indexOfPeersCD is an index whose members are n random UUID peers.
func indexOfPeersCD(t *testing.T, rng *rand.Rand, n int) (*cdIndex, []value.Value) {
	t.Helper()
	ix := &cdIndex{at: map[value.UUID]cdPeerAt{}, free: map[value.UUID]value.Value{}}
	peers := make([]value.Value, n)
	for i := range peers {
		peers[i] = value.UUID{Hi: rng.Uint64(), Lo: uint64(i)}
		if !ix.addMember(peers[i]) {
			t.Fatalf("peer %d: not indexed", i)
		}
	}
	return ix, peers
}

// TestMergeByChunkAgreesWithSort checks mergeByChunkCD against
// sortByChunkCD of the whole: a vector in hash order with a few peers
// merged in, and ties (two peers of one key) refused by both.
func TestMergeByChunkAgreesWithSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for round := range 300 {
		ix, peers := indexOfPeersCD(t, rng, 40)
		rng.Shuffle(len(peers), func(i, j int) { peers[i], peers[j] = peers[j], peers[i] })
		nk, nf := rng.IntN(15), rng.IntN(10)
		kept := slices.Clone(peers[:nk])
		filled := slices.Clone(peers[nk : nk+nf])
		if round%5 == 4 && nk > 0 && nf > 0 { // a tie: a filled peer takes a kept one's key
			at := ix.at[cdUUID(filled[0])]
			at.ck = ix.at[cdUUID(kept[rng.IntN(nk)])].ck
			ix.at[cdUUID(filled[0])] = at
		}
		if round%7 == 6 && nf > 1 { // a tie between two filled peers
			at := ix.at[cdUUID(filled[1])]
			at.ck = ix.at[cdUUID(filled[0])].ck
			ix.at[cdUUID(filled[1])] = at
		}
		if !ix.sortByChunkCD(kept) { // a tie inside kept, made above: not a vector of the index
			continue
		}
		want := append(slices.Clone(kept), filled...)
		wantOK := ix.sortByChunkCD(want)
		prefix := value.Vector{value.Kw("x")}
		got, ok := ix.mergeByChunkCD(slices.Clone(prefix), kept, filled)
		if ok != wantOK {
			t.Fatalf("round %d: merge ok=%v, sort ok=%v", round, ok, wantOK)
		}
		if !ok {
			continue
		}
		if got[0] != prefix[0] {
			t.Fatalf("round %d: dst's own entries changed: %s", round, value.PrStr(got))
		}
		if !value.Equal(got[1:], value.Vector(want)) {
			t.Fatalf("round %d: merged %s, sorted %s", round, value.PrStr(got[1:]), value.PrStr(value.Vector(want)))
		}
	}
}

// TestFreeSlotsAgreeWithScan checks cdFreeSlots.take against
// firstFreeSlotCD of the map after each assoc, over slot maps with holes,
// ids beyond 63, negative ids and values that are not ids.
func TestFreeSlotsAgreeWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	for round := range 200 {
		tm := value.NewMap()
		for i := range rng.IntN(20) {
			var id value.Value = int64(rng.IntN(70))
			switch rng.IntN(10) {
			case 0:
				id = int64(-1 - rng.IntN(3))
			case 1:
				id = "not an id"
			case 2:
				id = nil
			}
			tm = tm.Assoc(value.Kw(fmt.Sprintf("p%d", i)), id)
		}
		free := freeSlotsCD(tm)
		for i := range 1 + rng.IntN(80) {
			want := firstFreeSlotCD(tm)
			if got := free.take(); got != want {
				t.Fatalf("round %d take %d: got %d, want %d (map %s)", round, i, got, want, value.PrStr(tm))
			}
			tm = tm.Assoc(value.Kw(fmt.Sprintf("q%d", i)), want)
		}
	}
}

// TestSlotEditsAgreeWithAssocs checks assignSlotsCD and dissocAllCD against
// the assocs and dissocs made one by one, on array and hash slot maps
// alike, peers already holding ids included.
func TestSlotEditsAgreeWithAssocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2))
	ed := &cdMapEdit{}
	job, task := value.Kw("j"), value.Kw("t")
	for round := range 400 {
		_, peers := indexOfPeersCD(t, rng, 30)
		var tm *value.Map
		if round%9 != 0 { // else no slot map yet
			tm = value.NewMap()
			for _, p := range peers[:rng.IntN(14)] {
				tm = tm.Assoc(p, firstFreeSlotCD(tm))
			}
		}
		var ops []cdSlotOp
		for _, p := range peers[rng.IntN(20):][:rng.IntN(11)] {
			ops = append(ops, cdSlotOp{job, task, p})
		}
		// assign-task-slot-ids one peer after the other
		want, wantChanged := tm, false
		for _, op := range ops {
			if want.Val(op.peer) != nil {
				continue
			}
			id := firstFreeSlotCD(want)
			if want == nil {
				want = value.NewMap()
			}
			want, wantChanged = want.Assoc(op.peer, id), true
		}
		got, changed := assignSlotsCD(ed, tm, ops)
		if changed != wantChanged || changed && (value.PrStr(got) != value.PrStr(want) || got.IsHashMap() != want.IsHashMap()) {
			t.Fatalf("round %d: assign gave %s (changed %v), one by one %s (changed %v)", round, value.PrStr(got), changed, value.PrStr(want), wantChanged)
		}
		if len(ed.ks) != 0 || ed.base != nil {
			t.Fatalf("round %d: the scratch edit is left holding %d keys", round, len(ed.ks))
		}
		if tm == nil {
			continue
		}
		// unassign-task-slot-ids one peer after the other
		wantD := tm
		for _, op := range ops {
			wantD = wantD.Dissoc(op.peer)
		}
		gotD := dissocAllCD(tm, ops)
		if value.PrStr(gotD) != value.PrStr(wantD) || gotD.IsHashMap() != wantD.IsHashMap() {
			t.Fatalf("round %d: dissoc gave %s, one by one %s", round, value.PrStr(gotD), value.PrStr(wantD))
		}
	}
}
