package replay

import (
	"sync"

	"onyx-dashboard/model/value"
)

// bScratch is the Go-side room one era B reconfigure works in: the job
// counts, bounds, displaced peers and the fast placing's plan. None of it is
// part of a replica, so reconfigures recycle it instead of asking the
// allocator (and the collector) for it each time: garbage collection was a
// third of era B's replay. A bsched takes one on first use (scratch) and
// gives it back in release.
type bScratch struct {
	bounds         []jobBounds
	infos          []*bJobInfo
	offers, claims []jobCount
	ordered        []hashedKey
	mu             map[value.Value]float64

	unused, drops, pool []value.Value

	// the fast placing (reallocate_b.go)
	fp      fastPlacing
	nums    []float64
	tasks   [][]value.Value
	cur     [][][]value.Value
	vecs    [][]value.Value
	flags   []bool
	starved []int8
	desired [][]float64
	known   [][]bool
	want    []float64
	has     []bool
	order   []int
	offs    []int
	made    []bool
	moves   []fastMove
	changed []taskVec
	slots   []taskSlots
}

// jobBounds caches a job's lower and upper bounds within a reconfigure.
type jobBounds struct {
	job          value.Value
	lo, up       float64
	hasLo, hasUp bool
}

var bScratches = sync.Pool{New: func() any { return &bScratch{mu: map[value.Value]float64{}} }}

// scratch is s's room, taken from the pool on first use.
func (s *bsched) scratch() *bScratch {
	if s.scr == nil {
		s.scr = bScratches.Get().(*bScratch)
	}
	return s.scr
}

// putBack forgets what the reconfigure left in x (so that no replica stays
// reachable from the pool) and gives it back.
func (x *bScratch) putBack() {
	x.bounds, x.infos = wipe(x.bounds), wipe(x.infos)
	x.offers, x.claims, x.ordered = wipe(x.offers), wipe(x.claims), wipe(x.ordered)
	clear(x.mu)
	x.unused, x.drops, x.pool = wipe(x.unused), wipe(x.drops), wipe(x.pool)
	x.fp = fastPlacing{}
	x.tasks, x.cur, x.vecs = wipe(x.tasks), wipe(x.cur), wipe(x.vecs)
	x.moves, x.changed, x.slots = wipe(x.moves), wipe(x.changed), wipe(x.slots)
	bScratches.Put(x)
}

// wipe empties buf, zeroing what it holds. Past its length there is at
// most what a shortened slice left (a few ids): zeroing the whole room cost
// more than the rest of putBack.
func wipe[T any](buf []T) []T {
	clear(buf)
	return buf[:0]
}

// grow returns buf with length n, its old room reused when it has enough.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n, max(n, 2*cap(buf)))
	}
	buf = buf[:n]
	clear(buf)
	return buf
}
