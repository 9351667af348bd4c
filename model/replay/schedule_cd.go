package replay

import (
	"cmp"
	"math"
	"slices"

	"onyx-dashboard/model/value"
)

// reconfigure-cluster-workload of eras C and D (onyx-log-format.md §4.6, §4.8),
// the arithmetic part: job offers, claims, spare peers, maximum utilisation
// and the planned per-task peer counts, as common_job_scheduler.clj and the
// greedy/balanced/percentage job and task schedulers compute them. The
// placement that BtrPlace solves in Onyx is estimated in placement_cd.go.

// Keywords of eras C and D beyond the shared ones in accessors.go.
var (
	kwCDKill        = value.Kw("kill")
	kwCDContinue    = value.Kw("continue")
	kwCDRecover     = value.Kw("recover")
	kwCDRequired    = value.Kw("required-tags")
	kwCDPeerTags    = value.Kw("peer-tags")
	kwCDPeerSite    = value.Kw("peer-site")
	kwCDAddress     = value.Kw("address")
	kwCDGroupID     = value.Kw("group-id")
	kwCDGroupsIndex = value.Kw("groups-index")
	kwCDGroupsRev   = value.Kw("groups-reverse-index")
	kwCDOrphaned    = value.Kw("orphaned-peers")
	kwCDAborted     = value.Kw("aborted")
	kwCDLeft        = value.Kw("left")
	kwCDVersion     = value.Kw("version")
	kwCDTags        = value.Kw("tags")
	kwCDJobID       = value.Kw("job-id")
	kwCDInOut       = value.Kw("in->out")
	kwCDReduceTasks = value.Kw("reduce-tasks")
	kwCDStateTasks  = value.Kw("state-tasks")
	kwCDGrouped     = value.Kw("grouped-tasks")
	kwCDAckerPct    = value.Kw("acker-percentage")
	kwCDExempt      = value.Kw("exempt-tasks")
	kwCDExclIn      = value.Kw("acker-exclude-inputs")
	kwCDExclOut     = value.Kw("acker-exclude-outputs")

	kwCDJobGreedy   = value.Kw("onyx.job-scheduler/greedy")
	kwCDJobBalanced = value.Kw("onyx.job-scheduler/balanced")
	kwCDJobPct      = value.Kw("onyx.job-scheduler/percentage")
	kwCDTaskBal     = value.Kw("onyx.task-scheduler/balanced")
	kwCDTaskPct     = value.Kw("onyx.task-scheduler/percentage")
	kwCDTaskColoc   = value.Kw("onyx.task-scheduler/colocated")
)

// cdflags are the per-version rules of eras C and D.
type cdflags struct {
	d      bool // 0.10.0+: era D (coordinators, allocation versions, no :peer-state)
	groups bool // 0.9.7+: peer groups and virtual peers
	tags   bool // 0.9.0+: :required-tags and :peer-tags
	hash   bool // 0.9.10+: idempotent submit-job
	// stamp (era D): the command's replica still lacks this entry's
	// :version, seq, which every rep the command opens sets first
	// (cdCmdD, era_d.go)
	stamp bool
	seq   value.Value
}

var (
	cdV090  = MustVersion("0.9.0")
	cdV097  = MustVersion("0.9.7")
	cdV0910 = MustVersion("0.9.10")
	cdV0100 = MustVersion("0.10.0")
)

func flagsCD(v Version) cdflags {
	return cdflags{
		d:      v.Cmp(cdV0100) >= 0,
		groups: v.Cmp(cdV097) >= 0,
		tags:   v.Cmp(cdV090) >= 0,
		hash:   v.Cmp(cdV0910) >= 0,
	}
}

// cdNum reads a count or bound: a long, a double (Infinity) or nil (dflt).
func cdNum(v value.Value, dflt float64) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return dflt
}

// cdMapOrder is the iteration order of a Clojure map built by assoc-ing keys
// in this order: insertion order up to 8 entries, hash order beyond (§4.9).
func cdMapOrder(keys []value.Value) []value.Value {
	if len(keys) <= 8 {
		return keys
	}
	// A PersistentHashMap iterates by the 5-bit groups of each key's hasheq
	// from the low bits; equal hashes keep insertion order.
	type hk struct {
		k  value.Value
		ck uint64
	}
	hs := make([]hk, len(keys))
	for i, k := range keys {
		u := uint32(value.Hash(k))
		var ck uint64
		for g := range 7 {
			ck = ck<<5 | uint64(u>>(5*g)&31)
		}
		hs[i] = hk{k, ck}
	}
	slices.SortStableFunc(hs, func(a, b hk) int { return cmp.Compare(a.ck, b.ck) })
	out := make([]value.Value, len(keys))
	for i, h := range hs {
		out[i] = h.k
	}
	return out
}

// cdsched is one run of the scheduler over replica r. The replica does not
// change during a run, so what it derives per job (tasks, bounds) is kept in
// memo for the run's jobs that can key a Go map.
type cdsched struct {
	r      *cdRep // read only: the scheduler writes nothing
	f      cdflags
	peers  []value.Value
	allocs *value.Map
	memo   []cdJobMemo // searched in order: a run has few jobs
	// statics are the memo's entries of planCD for simple jobs, searched
	// first and never changed: one per job of :jobs, in order
	statics []*cdJobMemo
	// jobOrder is :jobs (easy ones: no repeats) in the order of a map of
	// them, as positions in :jobs; nil when not known
	jobOrder []int
}

// cdJobMemo is what one run derived for a job; has* say what is filled.
type cdJobMemo struct {
	job                value.Value
	tasks              []value.Value
	lower, upper       float64
	hasLower, hasUpper bool
	// simple: the job has no flux policies (so no grouped task is in use)
	// and sat and minReq hold each task's :task-saturation and
	// :min-required-peers (planCD fills these; never changed afterwards)
	simple      bool
	sat, minReq []float64
	// sched is the job's :task-schedulers entry, when hasSched
	sched    value.Value
	hasSched bool
	// src is what a static memo was made from (planCD)
	src cdJobSrc
}

func newCDSched(r *value.Map, f cdflags) *cdsched { return newCDSchedRep(newRepCD(r), f) }

// newCDSchedRep is a run over the replica x will give.
func newCDSchedRep(x *cdRep, f cdflags) *cdsched {
	f.stamp, f.seq = false, nil // the rules only: memos compare them
	return &cdsched{r: x, f: f, peers: items(x.Val(kwPeers)), allocs: x.mapAt(kwAllocations)}
}

// cdFastKey reports whether v can key a Go map with Clojure equality: job
// ids are UUIDs, task ids keywords.
func cdFastKey(v value.Value) bool {
	switch v.(type) {
	case value.UUID, value.Keyword, string:
		return true
	}
	return false
}

// jobMemo is the run's memo of job, nil when job cannot key it.
func (s *cdsched) jobMemo(job value.Value) *cdJobMemo {
	if !cdFastKey(job) {
		return nil
	}
	if u, ok := job.(value.UUID); ok { // job ids are UUIDs: compare them as such
		for _, m := range s.statics {
			if mu, ok := m.job.(value.UUID); ok && mu == u {
				return m
			}
		}
		for i := range s.memo {
			if mu, ok := s.memo[i].job.(value.UUID); ok && mu == u {
				return &s.memo[i]
			}
		}
		return s.newJobMemo(job)
	}
	for _, m := range s.statics {
		if m.job == job {
			return m
		}
	}
	for i := range s.memo {
		if s.memo[i].job == job {
			return &s.memo[i]
		}
	}
	return s.newJobMemo(job)
}

// newJobMemo adds job's memo, nil when the memo is full.
func (s *cdsched) newJobMemo(job value.Value) *cdJobMemo {
	if s.memo == nil {
		s.memo = make([]cdJobMemo, 0, 32)
	}
	if len(s.memo) == cap(s.memo) {
		return nil // full: growing would move the entries handed out
	}
	s.memo = append(s.memo, cdJobMemo{job: job, tasks: items(s.r.mapAt(kwTasks).Val(job))})
	return &s.memo[len(s.memo)-1]
}

func (s *cdsched) in(k value.Keyword, job value.Value) *value.Map {
	return mapOf(s.r.mapAt(k).Val(job))
}

func (s *cdsched) tasks(job value.Value) []value.Value {
	if m := s.jobMemo(job); m != nil {
		return m.tasks
	}
	return items(s.r.mapAt(kwTasks).Val(job))
}

func (s *cdsched) count(job, task value.Value) int {
	return len(items(mapOf(s.allocs.Val(job)).Val(task)))
}

// groupedInUse is preallocated-grouped-task?: a task with a flux policy that
// already has peers (0.10+: only :continue and :kill count).
func (s *cdsched) groupedInUse(job, task value.Value) bool {
	if m := s.jobMemo(job); m != nil && m.simple {
		return false
	}
	pol := s.in(kwFluxPolicies, job).Val(task)
	if pol == nil || s.count(job, task) == 0 {
		return false
	}
	if s.f.d {
		return pol == kwCDContinue || pol == kwCDKill
	}
	return true
}

func (s *cdsched) anyGroupedInUse(job value.Value) bool {
	for _, t := range s.tasks(job) {
		if s.groupedInUse(job, t) {
			return true
		}
	}
	return false
}

// upper is job-upper-bound.
func (s *cdsched) upper(job value.Value) float64 {
	m := s.jobMemo(job)
	if m == nil {
		return s.upperOf(job)
	}
	if !m.hasUpper {
		m.upper, m.hasUpper = s.upperOf(job), true
	}
	return m.upper
}

func (s *cdsched) upperOf(job value.Value) float64 {
	if !s.anyGroupedInUse(job) {
		return cdNum(s.r.mapAt(kwSaturation).Val(job), math.Inf(1))
	}
	sum := 0.0
	for _, t := range s.tasks(job) {
		if s.groupedInUse(job, t) {
			sum += float64(s.count(job, t))
		} else {
			sum += cdNum(s.in(kwTaskSaturation, job).Val(t), math.Inf(1))
		}
	}
	return sum
}

// lower is job-lower-bound.
func (s *cdsched) lower(job value.Value) float64 {
	m := s.jobMemo(job)
	if m == nil {
		return s.lowerOf(job)
	}
	if !m.hasLower {
		m.lower, m.hasLower = s.lowerOf(job), true
	}
	return m.lower
}

func (s *cdsched) lowerOf(job value.Value) float64 {
	sum := 0.0
	if !s.anyGroupedInUse(job) {
		s.in(kwMinRequiredPeers, job).Range(func(_, n value.Value) bool {
			sum += cdNum(n, 0)
			return true
		})
		return sum
	}
	for _, t := range s.tasks(job) {
		if s.groupedInUse(job, t) {
			sum += float64(s.count(job, t))
		} else {
			sum += cdNum(s.in(kwMinRequiredPeers, job).Val(t), 1)
		}
	}
	return sum
}

// tagsOK reports whether a peer with tags has all of required.
func tagsOK(required, tags []value.Value) bool {
	for _, t := range required {
		if !containsValue(tags, t) {
			return false
		}
	}
	return true
}

func (s *cdsched) requiredTags(job, task value.Value) []value.Value {
	xs, _ := seqOf(s.in(kwCDRequired, job).Val(task))
	return xs
}

func (s *cdsched) peerTags(p value.Value) []value.Value {
	xs, _ := seqOf(s.r.mapAt(kwCDPeerTags).Val(p))
	return xs
}

// qualified is n-qualified-peers: the peers some task of job accepts.
func (s *cdsched) qualified(job value.Value) float64 {
	if m := s.jobMemo(job); m != nil && m.simple && len(m.tasks) > 0 {
		return float64(len(s.peers)) // a simple job requires no tags
	}
	tasks := s.tasks(job)
	for _, t := range tasks {
		if len(s.requiredTags(job, t)) == 0 { // a task that takes everyone
			return float64(len(s.peers))
		}
	}
	n := 0
	for _, p := range s.peers {
		tags := s.peerTags(p)
		for _, t := range tasks {
			if tagsOK(s.requiredTags(job, t), tags) {
				n++
				break
			}
		}
	}
	return float64(n)
}

// jobIndex is (index-of (:jobs replica) job).
func (s *cdsched) jobIndex(job value.Value) int {
	if cdFastKey(job) { // the statics are :jobs, without repeats
		for i, m := range s.statics {
			if m.job == job {
				return i
			}
		}
	}
	for i, j := range items(s.r.Val(kwJobs)) {
		if value.Equal(j, job) {
			return i
		}
	}
	return -1
}

type cdCount struct {
	job value.Value
	n   float64
}

func cdGet(xs []cdCount, job value.Value) (float64, bool) {
	for _, x := range xs {
		if value.Equal(x.job, job) {
			return x.n, true
		}
	}
	return 0, false
}

// cdOrdered puts job counts into the order of the Clojure map they form.
func cdOrdered(xs []cdCount) []cdCount {
	if len(xs) <= 8 {
		return xs
	}
	keys := make([]value.Value, len(xs))
	for i, x := range xs {
		keys[i] = x.job
	}
	out := make([]cdCount, 0, len(xs))
	for _, k := range cdMapOrder(keys) {
		n, _ := cdGet(xs, k)
		out = append(out, cdCount{k, n})
	}
	return out
}

// offers is job-offer-n-peers.
func (s *cdsched) offers(jobs []value.Value) ([]cdCount, error) { return s.offersInto(jobs, nil) }

// offersInto is offers written into dst's memory when it has room.
func (s *cdsched) offersInto(jobs []value.Value, dst []cdCount) ([]cdCount, error) {
	out := slices.Grow(dst[:0], len(jobs))
	p := len(s.peers)
	switch s.r.Val(kwJobScheduler) {
	case kwCDJobGreedy:
		for i, j := range jobs {
			n := 0.0
			if i == 0 {
				n = float64(p)
				if s.f.tags {
					n = s.qualified(j)
				}
			}
			out = append(out, cdCount{j, n})
		}
	case kwCDJobBalanced:
		k := len(jobs)
		lo, rem := p/k, p%k
		for i, j := range jobs {
			n := float64(lo)
			if i < rem {
				n++
			}
			if s.f.tags {
				n = math.Min(n, s.qualified(j))
			}
			out = append(out, cdCount{j, n})
		}
	case kwCDJobPct:
		return s.pctOffers(jobs)
	default:
		return nil, crash("job scheduler %s not recognized", show(s.r.Val(kwJobScheduler)))
	}
	if len(s.jobOrder) == len(out) && len(out) > 8 && len(out) <= 32 {
		// the memo's order of these jobs (cdMapOrder, without repeats)
		var buf [32]cdCount
		tmp := buf[:len(out)]
		copy(tmp, out)
		for i, k := range s.jobOrder {
			out[i] = tmp[k]
		}
		return out, nil
	}
	return cdOrdered(out), nil
}

// pctOffers is the percentage job scheduler's offer: jobs by percentage
// (ties: earlier submission), the prefix summing to at most 100, floor shares
// plus the remainders' whole peers to the largest remainders.
func (s *cdsched) pctOffers(jobs []value.Value) ([]cdCount, error) {
	type pj struct {
		job       value.Value
		pct, pos  float64
		cap, rem  float64
		submitted int
	}
	all := make([]pj, len(jobs))
	for i, j := range jobs {
		pct, ok := s.r.mapAt(kwPercentages).Val(j).(int64)
		f := float64(pct)
		if !ok {
			x, isF := s.r.mapAt(kwPercentages).Val(j).(float64)
			if !isF {
				return nil, crash("job %s has no percentage", show(j))
			}
			f = x
		}
		all[i] = pj{job: j, pct: f, pos: float64(len(jobs) - 1 - i), submitted: i}
	}
	// (reverse (sort-by (juxt :pct :position) indexed)), position counted on
	// the reversed jobs: descending percentage, earlier submission first.
	slices.SortStableFunc(all, func(a, b pj) int {
		if c := cmpF(a.pct, b.pct); c != 0 {
			return -c
		}
		return -cmpF(a.pos, b.pos)
	})
	var kept []pj
	sum := 0.0
	for _, j := range all {
		if sum+j.pct > 100 {
			break
		}
		sum += j.pct
		kept = append(kept, j)
	}
	n := float64(len(s.peers))
	remSum := 0.0
	for i := range kept {
		x := n * kept[i].pct
		kept[i].cap = math.Trunc(x / 100)
		kept[i].rem = x - 100*kept[i].cap
		remSum += kept[i].rem
	}
	// (vec (reverse (sort-by :rem …))): descending remainder, ties reversed.
	slices.Reverse(kept)
	slices.SortStableFunc(kept, func(a, b pj) int { return -cmpF(a.rem, b.rem) })
	for range int(math.Floor(0.01 * remSum)) {
		if len(kept) == 0 {
			break
		}
		kept[0].cap++
		kept = append(kept[1:], kept[0])
	}
	out := make([]cdCount, 0, len(kept))
	for _, j := range kept {
		c := j.cap
		if s.f.tags {
			c = math.Min(s.qualified(j.job), c)
		}
		out = append(out, cdCount{j.job, c})
	}
	return cdOrdered(out), nil
}

// claims is job-claim-peers, and the spare peers it leaves. It writes the
// claims over offers.
func (s *cdsched) claims(offers []cdCount) ([]cdCount, float64) {
	out := offers
	spare := 0.0
	for i, o := range offers {
		c := 0.0
		if o.n >= s.lower(o.job) {
			c = math.Min(s.upper(o.job), o.n)
		}
		out[i] = cdCount{o.job, c}
		spare += o.n - c
	}
	return out, spare
}

// claimSpare is claim-spare-peers: the maximum utilisation per job. It
// writes the utilisation over claims.
func (s *cdsched) claimSpare(claims []cdCount, spare float64) []cdCount {
	out := claims
	switch s.r.Val(kwJobScheduler) {
	case kwCDJobGreedy:
		if !s.f.d {
			return out // 0.8.4 – 0.9.x: the first job already has every peer
		}
		for i := range out {
			if spare <= 0 {
				break
			}
			requested := s.upper(out[i].job) - out[i].n
			required := s.lower(out[i].job) - out[i].n
			alloc := 0.0
			if required <= spare {
				alloc = math.Min(spare, requested)
			}
			if alloc > 0 {
				out[i].n += alloc
				spare -= alloc
			}
		}
	case kwCDJobBalanced:
		for ; spare > 0; spare-- {
			i := s.pickBalanced(out, spare)
			if i < 0 {
				break
			}
			out[i].n++
		}
	case kwCDJobPct:
		for ; spare > 0; spare-- {
			i := s.pickPct(out)
			if i < 0 {
				break
			}
			out[i].n++
		}
	}
	return out
}

// pickBalanced is the balanced select-job-requiring-peer: among jobs below
// their upper bound (0.10+: and coverable with the remaining peers), the
// least (covered?, remaining required, claim, position).
func (s *cdsched) pickBalanced(cs []cdCount, remaining float64) int {
	best := -1
	var bk [4]float64
	for i, c := range cs {
		lo := s.lower(c.job)
		if c.n >= s.upper(c.job) {
			continue
		}
		var k [4]float64
		if s.f.d {
			if c.n+remaining < lo {
				continue
			}
			covered := 0.0
			if c.n >= lo {
				covered = 1
			}
			k = [4]float64{covered, math.Max(0, lo-c.n), c.n, float64(s.jobIndex(c.job))}
		} else { // 0.8.x rule (§4.5 step 5)
			k = [4]float64{0, math.Max(0, lo-c.n), c.n, float64(s.jobIndex(c.job))}
		}
		if best < 0 || slices.Compare(k[:], bk[:]) < 0 {
			best, bk = i, k
		}
	}
	return best
}

// pickPct is the percentage select-job-requiring-peer.
func (s *cdsched) pickPct(cs []cdCount) int {
	best := -1
	var bk [3]float64
	n := float64(len(s.peers))
	for i, c := range cs {
		if c.n >= s.upper(c.job) {
			continue
		}
		cur := 0
		mapOf(s.allocs.Val(c.job)).Range(func(_, ps value.Value) bool {
			cur += len(items(ps))
			return true
		})
		desired := n * 0.01 * cdNum(s.r.mapAt(kwPercentages).Val(c.job), 0)
		k := [3]float64{math.Max(0, s.lower(c.job)-c.n), float64(cur) - desired, float64(s.jobIndex(c.job))}
		if best < 0 || slices.Compare(k[:], bk[:]) < 0 {
			best, bk = i, k
		}
	}
	return best
}

// distribute is task-distribute-peer-count: job's n peers split over its
// tasks, in task order.
func (s *cdsched) distribute(job value.Value, n float64) ([]int, error) {
	return s.distributeInto(job, n, nil)
}

// distributeInto is distribute writing the balanced scheduler's counts into
// dst when it has room (zeroed, one per task).
func (s *cdsched) distributeInto(job value.Value, n float64, dst []int) ([]int, error) {
	tasks := s.tasks(job)
	ts := value.Value(nil)
	if m := s.jobMemo(job); m != nil && m.simple && m.hasSched {
		ts = m.sched
	} else {
		ts = s.r.mapAt(kwTaskSchedulers).Val(job)
	}
	switch ts {
	case kwCDTaskBal:
		if len(dst) != len(tasks) {
			dst = make([]int, len(tasks))
		}
		return s.balancedDistribute(job, tasks, n, dst), nil
	case kwCDTaskPct:
		if n < s.lower(job) {
			return make([]int, len(tasks)), nil
		}
		return s.pctDistribute(job, tasks, n)
	case kwCDTaskColoc:
		return s.colocatedDistribute(job, tasks, n), nil
	}
	return nil, crash("task scheduler %s of job %s not recognized", show(s.r.mapAt(kwTaskSchedulers).Val(job)), show(job))
}

func (s *cdsched) balancedDistribute(job value.Value, tasks []value.Value, n float64, out []int) []int {
	t := s.lower(job)
	if !s.f.d { // 0.9.x compares with the plain sum of min-required-peers
		t = 0
		s.in(kwMinRequiredPeers, job).Range(func(_, x value.Value) bool {
			t += cdNum(x, 0)
			return true
		})
	}
	if n < t {
		return out
	}
	var sat []float64
	var grouped []bool // nil: none is
	total := 0.0
	if m := s.jobMemo(job); m != nil && m.simple && len(m.sat) == len(tasks) {
		sat = m.sat // read only
		for i := range tasks {
			out[i] = int(math.Min(sat[i], m.minReq[i]))
			total += float64(out[i])
		}
	} else {
		sat = make([]float64, len(tasks))
		grouped = make([]bool, len(tasks))
		for i, task := range tasks {
			sat[i] = cdNum(s.in(kwTaskSaturation, job).Val(task), math.Inf(1))
			grouped[i] = s.groupedInUse(job, task)
			if grouped[i] {
				out[i] = s.count(job, task)
			} else {
				out[i] = int(math.Min(sat[i], cdNum(s.in(kwMinRequiredPeers, job).Val(task), 1)))
			}
			total += float64(out[i])
		}
	}
	spare := int(n - total)
	isGrouped := func(i int) bool { return grouped != nil && grouped[i] }
	if s.f.d { // reuse-spare-peers: the least allocated task (ties: task order)
		var buf [16]bool
		live := buf[:0]
		if len(tasks) <= len(buf) {
			live = buf[:len(tasks)]
		} else {
			live = make([]bool, len(tasks))
		}
		for i := range live {
			live[i] = true
		}
		for spare > 0 {
			best := -1
			for i := range tasks {
				if live[i] && (best < 0 || out[i] < out[best]) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			if float64(out[best]) < sat[best] && !isGrouped(best) {
				out[best]++
				spare--
			} else {
				live[best] = false
			}
		}
		return out
	}
	// 0.9.x: round robin in task order, a task leaving the queue once it
	// takes no more (a cyclic walk over the tasks still in it)
	var buf [16]bool
	gone := buf[:0]
	if len(tasks) <= len(buf) {
		gone = buf[:len(tasks)]
	} else {
		gone = make([]bool, len(tasks))
	}
	left, h := len(tasks), 0
	for spare > 0 && left > 0 {
		for gone[h] {
			h = (h + 1) % len(tasks)
		}
		if float64(out[h]) < sat[h] && !isGrouped(h) {
			out[h]++
			spare--
		} else {
			gone[h] = true
			left--
		}
		h = (h + 1) % len(tasks)
	}
	return out
}

// colocatedDistribute: every task gets the same count, the peers on hosts
// that can run the whole job divided by the number of tasks, capped by the
// smallest task saturation (colocated_task_scheduler.clj, 0.9.x+).
func (s *cdsched) colocatedDistribute(job value.Value, tasks []value.Value, n float64) []int {
	out := make([]int, len(tasks))
	if len(tasks) == 0 || n < s.lower(job) {
		return out
	}
	byHost := map[string]int{}
	for _, p := range s.peers {
		byHost[value.PrStr(mapOf(s.r.mapAt(kwPeerSites).Val(p)).Val(kwCDAddress))]++
	}
	usable := 0
	for _, c := range byHost {
		if c >= len(tasks) {
			usable += c
		}
	}
	k := math.Min(float64(usable/len(tasks)), math.Floor(n/float64(len(tasks))))
	for _, t := range tasks {
		k = math.Min(k, cdNum(s.in(kwTaskSaturation, job).Val(t), math.Inf(1)))
	}
	for i := range out {
		out[i] = int(k)
	}
	return out
}
