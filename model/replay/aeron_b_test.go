package replay

import (
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestChooseAeronIDAgreesWithAScan checks the bitset of used shorts against
// choose-id as written: the (hash mod n)-th short, in hash-set order, that
// is not in used, found by scanning used for each.
func TestChooseAeronIDAgreesWithAScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for trial := range 200 {
		var items []value.Value
		var shorts []int64
		for range rng.IntN(300) {
			s := int64(rng.IntN(65536) - 32768)
			if rng.IntN(40) == 0 {
				s = int64(rng.IntN(3)) // around zero, where the hash order starts
			}
			if !slices.Contains(shorts, s) {
				shorts = append(shorts, s)
				items = append(items, s)
			}
		}
		items = append(items, "not a short", int64(1<<20)) // ignored by choose-id
		hsh := rng.Int32() - 1<<30
		got, ok := bChooseAeronID(hsh, value.NewSet(items...))

		n := int64(len(aeronIDs) - len(shorts))
		k := int64(hsh) % n
		if k < 0 {
			k += n
		}
		var want int64
		for _, id := range aeronIDs {
			if slices.Contains(shorts, id) {
				continue
			}
			if k == 0 {
				want = id
				break
			}
			k--
		}
		if !ok || got != want {
			t.Fatalf("trial %d: hash %d with %d shorts used: got %d (%v), want %d", trial, hsh, len(shorts), got, ok, want)
		}
	}
}
