package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// Between two jobs' arrivals a busy era A log is a run of
// :volunteer-for-task entries, each moving one peer. What the round-robin job
// scheduler derives from the parts of the replica those entries leave alone
// (the balanced shares of :jobs, the executable jobs) is kept for the last
// parts it was computed from. Replicas are immutable, so the same map (by
// pointer) or vector (by backing array and length) is the same value; the
// memo is a pure cache, shared by goroutines through atomic pointers to
// immutable records.

// sharesA is balance-jobs of :jobs under :saturation for (count :peers).
type sharesA struct {
	jobsV, satV value.Value // the parts it was computed from
	nPeers      int
	jobs        []value.Value
	shares      []share
	index       valueIndex    // the last position of a job in jobs (into {} keeps the last)
	distinct    []value.Value // the jobs without repeats, in :jobs order
	err         error
}

var lastSharesA atomic.Pointer[sharesA]

func sharesOf(r *value.Map) *sharesA {
	jobsV, satV, nPeers := r.Val(kwJobs), r.Val(kwSaturation), countOf(r.Val(kwPeers))
	if s := lastSharesA.Load(); s != nil && s.nPeers == nPeers && value.SameRef(s.jobsV, jobsV) && value.SameRef(s.satV, satV) {
		return s
	}
	s := &sharesA{jobsV: jobsV, satV: satV, nPeers: nPeers}
	s.jobs, s.shares, s.err = balanceJobsA(r)
	s.index = newValueIndex(s.jobs, true)
	for _, j := range s.jobs {
		if !containsValue(s.distinct, j) {
			s.distinct = append(s.distinct, j)
		}
	}
	lastSharesA.Store(s)
	return s
}

// shareOf is job j's share, as (get (into {} shares) j) finds it.
func (s *sharesA) shareOf(j value.Value) (share, bool) {
	if i, ok := s.index.find(j); ok {
		return s.shares[i], true
	}
	return share{}, false
}

// executableA is executableJobsA of the parts it was computed from.
type executableA struct {
	parts [5]value.Value // :jobs :killed-jobs :completions :tasks :sealing-task
	jobs  []value.Value
}

var lastExecutableA atomic.Pointer[executableA]

func executableOf(r *value.Map) []value.Value { return executableRecordOf(r).jobs }

func executableRecordOf(r *value.Map) *executableA {
	parts := [5]value.Value{r.Val(kwJobs), r.Val(kwKilledJobs), r.Val(kwCompletions), r.Val(kwTasks), r.Val(kwSealingTask)}
	if x := lastExecutableA.Load(); x != nil && sameValues(x.parts[:], parts[:]) {
		return x
	}
	x := &executableA{parts: parts, jobs: executableJobsA(r)}
	if last := lastExecutableA.Load(); last != nil && sameIDsA(last.jobs, x.jobs) {
		x.jobs = last.jobs // the same jobs: plans made for them still hold
	}
	lastExecutableA.Store(x)
	return x
}

// rrPlanA is what the round-robin job scheduler needs of the shares and the
// executable jobs, resolved to positions in a job layout, so that a volunteer
// compares counts without looking a job up: for each distinct job of :jobs
// its share and place, for each executable job its share (0 without one) and
// place (-1: no allocation, count 0).
type rrPlanA struct {
	sh       *sharesA
	exec     []value.Value // the executable jobs
	satPos   []int
	satShare []share
	satSum   float64
	candPos  []int
	candWant []float64
}

// planOf is the plan for sh and exec over layout l, from l's memo or made.
func (l *jobLayoutA) planOf(sh *sharesA, exec *executableA) *rrPlanA {
	if p := l.plan.Load(); p != nil && p.sh == sh && sameBacking(p.exec, exec.jobs) {
		return p
	}
	nd, ne := len(sh.distinct), len(exec.jobs)
	p := &rrPlanA{sh: sh, exec: exec.jobs,
		satPos: make([]int, 0, nd), satShare: make([]share, 0, nd), candPos: make([]int, 0, ne), candWant: make([]float64, 0, ne)}
	for _, j := range sh.distinct {
		s, _ := sh.shareOf(j)
		i, ok := l.index.find(j)
		if !ok {
			i = -1
		}
		p.satPos, p.satShare, p.satSum = append(p.satPos, i), append(p.satShare, s), p.satSum+s.n
	}
	for _, j := range exec.jobs {
		want := 0.0
		if s, ok := sh.shareOf(j); ok {
			want = s.n
		}
		i, ok := l.index.find(j)
		if !ok {
			i = -1
		}
		p.candPos, p.candWant = append(p.candPos, i), append(p.candWant, want)
	}
	l.plan.Store(p)
	return p
}

// saturated is saturatedClusterA over counts laid out as the plan's layout.
func (p *rrPlanA) saturated(counts []int32) bool {
	if len(p.satPos) != len(counts) {
		return false
	}
	for i, pos := range p.satPos {
		if s := p.satShare[i]; pos < 0 || s.dbl || s.n != float64(counts[pos]) {
			return false
		}
	}
	return p.satSum == float64(p.sh.nPeers)
}

// choose is the round-robin job choice of an unsaturated cluster, with the
// job's place in the layout (-1: no allocation).
func (p *rrPlanA) choose(counts []int32) (value.Value, int, bool) {
	count := func(i int) int {
		if p.candPos[i] < 0 {
			return 0
		}
		return int(counts[p.candPos[i]])
	}
	for i, want := range p.candWant {
		if float64(count(i)) < want {
			return p.exec[i], p.candPos[i], true
		}
	}
	if len(p.candPos) == 0 {
		return nil, -1, false
	}
	best, bestN := 0, count(0)
	for i := 1; i < len(p.candPos); i++ {
		if n := count(i); n < bestN {
			best, bestN = i, n
		}
	}
	return p.exec[best], p.candPos[best], true
}

func sameValues(a, b []value.Value) bool {
	for i := range a {
		if !value.SameRef(a[i], b[i]) {
			return false
		}
	}
	return true
}

// sameIDsA reports whether xs and ys hold the same ids in the same order,
// by Go ==, which for the comparable ids (comparableID) is Clojure =.
func sameIDsA(xs, ys []value.Value) bool {
	if len(xs) != len(ys) {
		return false
	}
	for i, x := range xs {
		if !comparableID(x) || !comparableID(ys[i]) || x != ys[i] {
			return false
		}
	}
	return true
}

func sameBacking(x, y []value.Value) bool {
	return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}

// valueIndex finds the position of a value among xs by Clojure equality:
// through a Go map when every item is a comparable id (comparableID), by a
// scan otherwise. With last set a repeated value resolves to its last
// position, else to its first.
type valueIndex struct {
	xs   []value.Value
	pos  map[value.Value]int // nil: scan
	last bool
}

func newValueIndex(xs []value.Value, last bool) valueIndex {
	ix := valueIndex{xs: xs, last: last}
	if len(xs) <= 16 {
		return ix // a scan of a few ids is quicker than building a map
	}
	pos := make(map[value.Value]int, len(xs))
	for i, x := range xs {
		if !comparableID(x) {
			return ix
		}
		if _, seen := pos[x]; !seen || last {
			pos[x] = i
		}
	}
	ix.pos = pos
	return ix
}

func (ix valueIndex) find(x value.Value) (int, bool) {
	if ix.pos != nil && comparableID(x) {
		i, ok := ix.pos[x]
		return i, ok
	}
	found := -1
	for i, y := range ix.xs {
		if value.Equal(y, x) {
			found = i
			if !ix.last {
				break
			}
		}
	}
	return found, found >= 0
}

// distinct is the number of different values.
func (ix valueIndex) distinct() int {
	if ix.pos != nil {
		return len(ix.pos)
	}
	var seen []value.Value
	for _, x := range ix.xs {
		if !containsValue(seen, x) {
			seen = append(seen, x)
		}
	}
	return len(seen)
}

// volunteerA is what a volunteer reads of a replica besides :allocations and
// :peer-state, as the memo records above: the job scheduler, the shares, the
// executable jobs and the task memo. A volunteer changes only :allocations
// and :peer-state, so the records hold for the replica it makes as well: root
// is carried from each replica to the next, and a run of volunteers finds
// its records by one pointer comparison instead of fourteen lookups.
type volunteerA struct {
	root  atomic.Pointer[value.Map] // a replica the records hold for
	js    value.Value               // :job-scheduler
	sh    *sharesA
	exec  *executableA
	tasks *taskMemoA
}

var lastVolunteerA atomic.Pointer[volunteerA]

// volunteerOfA is the records for r, from the last volunteer's or made.
func volunteerOfA(r *value.Map) *volunteerA {
	v := lastVolunteerA.Load()
	if v != nil && v.root.Load() == r {
		return v
	}
	js, sh, exec, tasks := r.Val(kwJobScheduler), sharesOf(r), executableRecordOf(r), taskMemoOfA(r)
	if v == nil || !value.SameRef(v.js, js) || v.sh != sh || v.exec != exec || v.tasks != tasks {
		v = &volunteerA{js: js, sh: sh, exec: exec, tasks: tasks}
		lastVolunteerA.Store(v)
	}
	v.root.Store(r)
	return v
}

// carry records that next, which a volunteer made from a replica v holds
// for by changing only :allocations and :peer-state, has v's records too.
func (v *volunteerA) carry(next *value.Map) { v.root.Store(next) }
