package replay

import (
	"math/rand/v2"
	"sync"
	"testing"

	"onyx-dashboard/model/value"
)

// TestPeersCD checks conjPeersCD and removePeersCD against conjVec and
// removeValue over random joins and leaves, keeping every vector made and
// branching from old ones (as replays from a checkpoint do): no later
// change may show through an earlier vector.
func TestPeersCD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	type kept struct{ got, want value.Vector }
	var all []kept
	cur := kept{value.Vector{}, value.Vector{}}
	for i := range 3000 {
		if rng.IntN(5) == 0 && len(all) > 0 { // branch from an old vector
			cur = all[rng.IntN(len(all))]
		}
		if rng.IntN(2) == 0 || len(cur.want) == 0 {
			p := value.UUID{Hi: uint64(i), Lo: 1}
			cur = kept{conjPeersCD(cur.got, p), conjVec(cur.want, p)}
		} else {
			var p value.Value
			switch k := rng.IntN(4); k {
			case 0:
				p = cur.want[len(cur.want)-1]
			case 1:
				p = value.UUID{Hi: 1 << 40} // absent
			default:
				p = cur.want[rng.IntN(len(cur.want))]
			}
			cur = kept{removePeersCD(cur.got, p), removeValue(cur.want, p)}
		}
		if cap(cur.got) != len(cur.got) {
			t.Fatalf("step %d: cap %d, len %d", i, cap(cur.got), len(cur.got))
		}
		all = append(all, kept{cur.got, cur.want})
	}
	for i, k := range all {
		if !value.Equal(k.got, k.want) {
			t.Fatalf("vector %d: %s, want %s", i, value.PrStr(k.got), value.PrStr(k.want))
		}
	}
}

// TestPeersCDConcurrent joins onto one vector from several goroutines:
// each gets its own peer after the shared prefix.
func TestPeersCDConcurrent(t *testing.T) {
	base := conjPeersCD(value.Vector{value.UUID{Lo: 1}}, value.UUID{Lo: 2})
	const n = 8
	out := make([]value.Vector, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v := base
			for j := range 20 {
				v = conjPeersCD(v, value.UUID{Hi: uint64(i), Lo: uint64(j)})
			}
			out[i] = v
		})
	}
	wg.Wait()
	for i, v := range out {
		if len(v) != 22 || v[0] != (value.UUID{Lo: 1}) || v[1] != (value.UUID{Lo: 2}) {
			t.Fatalf("goroutine %d: %s", i, value.PrStr(v))
		}
		for j := range 20 {
			if v[2+j] != (value.UUID{Hi: uint64(i), Lo: uint64(j)}) {
				t.Fatalf("goroutine %d: entry %d is %s", i, 2+j, value.PrStr(v[2+j]))
			}
		}
	}
}
