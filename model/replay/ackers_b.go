package replay

import (
	"math"

	"onyx-dashboard/model/value"
)

// jobAckersUUID is jobAckers for a job whose peers are all UUIDs and none
// can be exempt: the first ⌈pct% × peers⌉ of them in value.Compare order,
// picked without sorting them all (equal UUIDs are the same value, so the
// stable sort's tie order cannot show). ok is false for any other peer.
func jobAckersUUID(src *value.Map, job, pctV value.Value) (value.Vector, bool) {
	var buf [64]boxedUUID
	ids := buf[:0]
	ok := true
	mapOf(mapOf(src.Val(kwAllocations)).Val(job)).Range(func(_, ps value.Value) bool {
		for _, p := range items(ps) {
			u, isUUID := p.(value.UUID)
			if !isUUID {
				ok = false
				return false
			}
			ids = append(ids, boxedUUID{u, p})
		}
		return true
	})
	if !ok {
		return nil, false
	}
	pct := 10.0
	if p, isNum := bNum(pctV); isNum {
		pct = p
	}
	n := max(0, min(int(math.Ceil(0.01*pct*float64(len(ids)))), len(ids)))
	if len(ids) == 0 {
		return nil, true // as slices.Clone of no peers
	}
	out := make(value.Vector, n)
	for i := range n { // selection: the i-th smallest to position i
		least := i
		for j := i + 1; j < len(ids); j++ {
			if ids[j].u.Compare(ids[least].u) < 0 {
				least = j
			}
		}
		ids[i], ids[least] = ids[least], ids[i]
		out[i] = ids[i].v // the allocation's own box: no new one per acker
	}
	return out, true
}

// boxedUUID is a peer's UUID beside the interface value that holds it.
type boxedUUID struct {
	u value.UUID
	v value.Value
}
