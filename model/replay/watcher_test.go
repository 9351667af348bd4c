package replay

import (
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestChooseWatcherUUIDPathMatchesGeneral checks the UUID fast path of
// chooseWatcher against the general one, reached by adding a keyword member
// that is never eligible (it is the joiner itself).
func TestChooseWatcherUUIDPathMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	// few distinct high words, so signed order and ties on Hi both matter
	uuid := func() value.UUID {
		return value.UUID{Hi: uint64(rng.IntN(4)) << 62, Lo: rng.Uint64() >> uint(rng.IntN(2))}
	}
	self := value.Kw("joiner")
	for round := range 500 {
		var members []value.Value
		for range rng.IntN(12) {
			members = append(members, uuid())
		}
		if len(members) > 0 && rng.IntN(2) == 0 {
			members = append(members, members[rng.IntN(len(members))]) // a repeat
		}
		pairs, prepared, accepted := value.NewMap(), value.NewMap(), value.NewMap()
		for _, p := range members {
			switch rng.IntN(5) {
			case 0:
				pairs = pairs.Assoc(p, members[rng.IntN(len(members))])
			case 1:
				prepared = prepared.Assoc(p, uuid())
			case 2:
				accepted = accepted.Assoc(p, uuid())
			}
		}
		seq := rng.Int64N(1000) - 10
		got, gotOK := chooseWatcher(pairs, prepared, accepted, members, nil, seq)
		general, generalOK := chooseWatcher(pairs, prepared, accepted, append(slices.Clone(members), self), self, seq)
		if gotOK != generalOK || !value.Equal(got, general) {
			t.Fatalf("round %d: UUID path chose %v (%v), general path %v (%v)", round, got, gotOK, general, generalOK)
		}
	}
}
