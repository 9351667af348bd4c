package replay

import (
	"sync/atomic"

	"onyx-dashboard/model/value"
)

// What era B's reconfigure reads of a job's definition (its tasks, task
// scheduler, saturations, minimums and flux policies) changes only when
// submit-job or gc rewrites the replica's maps of them; membership and
// allocation changes leave those maps as they are. A job with no flux
// policy has no grouped task, so its bounds (job-lower-bound and
// job-upper-bound), the balanced task scheduler's start for each task and
// the minimum deallocate-starved-jobs holds each task to depend on those
// maps alone. They are computed once and carried from one reconfigure to
// the next by the identity of the maps, and kept per job across a submit
// by the identity of the job's own entries.

// bJobDefKeys are the replica maps a job's definition is read from.
var bJobDefKeys = [...]value.Keyword{
	kwTasks, kwTaskSchedulers, kwSaturation, kwTaskSaturation, kwMinRequiredPeers, kwFluxPolicies,
	kwBExemptTasks, kwBAckerExcludeInputs, kwBAckerExcludeOutput, kwInputTasks, kwOutputTasks,
}

// bExemptKeys are the maps of bJobDefKeys choose-ackers' exemptions read.
var bExemptKeys = bJobDefKeys[6:]

// bJobInfo is what a reconfigure reads of one job's definition.
type bJobInfo struct {
	job    value.Value
	vals   [len(bJobDefKeys)]value.Value // the job's entry in each map
	hasSat bool                          // the saturation map has the job

	hashKey  uint64        // value.HashOrderKey(job)
	exempt   bool          // a task of the job can be exempt from acking (anyExempt)
	tasks    []value.Value // s.tasks(job)
	static   bool          // no flux policy: nothing below reads the allocations
	boundsOK bool          // lo and up hold the bounds (static, computed without error)
	lo, up   float64
	// balanced: the balanced task scheduler on distinct comparable tasks;
	// sats and starts are balancedStart's per task (static only).
	balanced     bool
	sats, starts []float64
	mins         []float64 // deallocate-starved-jobs' minimum per task
}

// bJobsMemo is the job infos of the replica maps tops: immutable once
// published through lastJobsB.
type bJobsMemo struct {
	f    bflags
	tops [len(bJobDefKeys)]value.Value
	jobs []*bJobInfo
}

var lastJobsB atomic.Pointer[bJobsMemo]

// bNoJobMemo makes every reconfigure read the job definitions afresh: tests
// compare the two ways with it. Never set outside tests.
var bNoJobMemo = false

// loadJobInfos fills s.infos, one per s.jobs index (nil for a job whose id
// Go cannot compare), from the last memo where the maps are the same, and
// publishes a new memo when it had to read a job.
func (s *bsched) loadJobInfos() {
	if bNoJobMemo {
		return
	}
	var tops [len(bJobDefKeys)]value.Value
	for i, k := range bJobDefKeys {
		tops[i] = s.r.Val(k)
	}
	prev := lastJobsB.Load()
	same := prev != nil && prev.f == s.f
	for i := range tops {
		same = same && value.SameRef(tops[i], prev.tops[i])
	}
	x := s.scratch()
	x.infos = grow(x.infos, len(s.jobs))
	s.infos = x.infos
	var next *bJobsMemo
	for ji, job := range s.jobs {
		if !comparableID(job) {
			continue
		}
		if same {
			if info := prev.find(job); info != nil {
				s.infos[ji] = info
				continue
			}
		}
		if next == nil {
			next = &bJobsMemo{f: s.f, tops: tops}
			n := len(s.jobs)
			if same {
				n += len(prev.jobs)
			}
			next.jobs = make([]*bJobInfo, 0, n)
			if same {
				next.jobs = append(next.jobs, prev.jobs...)
			}
		}
		info := s.readJobInfo(job, prev)
		next.jobs = append(next.jobs, info)
		s.infos[ji] = info
	}
	if next != nil {
		lastJobsB.Store(next)
	}
}

func (m *bJobsMemo) find(job value.Value) *bJobInfo {
	if m == nil {
		return nil
	}
	for _, info := range m.jobs {
		if info.job == job { // comparable ids: == is =
			return info
		}
	}
	return nil
}

// info is the definition of job, nil when not known.
func (s *bsched) info(job value.Value) *bJobInfo {
	for ji, j := range s.jobs {
		if j == job && ji < len(s.infos) {
			return s.infos[ji]
		}
	}
	return nil
}

// readJobInfo reads job's definition from s.r, taking the derived figures
// from prev's info of the job when its entries are the same.
func (s *bsched) readJobInfo(job value.Value, prev *bJobsMemo) *bJobInfo {
	var vals [len(bJobDefKeys)]value.Value
	for i, k := range bJobDefKeys {
		vals[i], _ = mapOf(s.r.Val(k)).Get(job)
	}
	_, hasSat := mapOf(s.r.Val(kwSaturation)).Get(job)
	if old := prev.find(job); old != nil && prev.f == s.f && old.hasSat == hasSat {
		same := true
		for i := range vals {
			same = same && value.SameRef(vals[i], old.vals[i])
		}
		if same {
			return old
		}
	}
	info := &bJobInfo{job: job, vals: vals, hasSat: hasSat}
	info.hashKey = value.HashOrderKey(job)
	info.exempt = len(items(vals[6])) > 0 || (truthy(vals[7]) && len(items(vals[9])) > 0) ||
		(truthy(vals[8]) && len(items(vals[10])) > 0)
	info.tasks = items(info.vals[0])
	flux, tsat, minReq := mapOf(info.vals[5]), mapOf(info.vals[3]), mapOf(info.vals[4])
	info.static = flux.Len() == 0
	nt := len(info.tasks)
	room := make([]float64, 3*nt) // mins, sats and starts in one
	info.mins = room[:nt:nt]
	for ti, t := range info.tasks {
		mr, ok := bNum(minReq.Val(t))
		if !ok {
			mr = 1
		}
		info.mins[ti] = mr
	}
	if !info.static {
		return info
	}
	lo, errLo := s.lowerOf(job)
	up, errUp := s.upperOf(job)
	if errLo == nil && errUp == nil {
		info.lo, info.up, info.boundsOK = lo, up, true
	}
	info.balanced = info.vals[1] == kwBTaskSchedBalanced && distinctFastKeys(info.tasks)
	if info.balanced {
		info.sats, info.starts = room[nt:2*nt:2*nt], room[2*nt:]
		for ti, t := range info.tasks {
			info.sats[ti], _, info.starts[ti] = s.balancedStart(t, flux, tsat, minReq, nil)
		}
	}
	return info
}
