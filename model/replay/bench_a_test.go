package replay

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

// eraALog generates a protocol-valid era A log deterministically: nPeers join
// through the three-phase protocol, then jobs of five tasks are submitted,
// every peer volunteers, tasks are sealed and completed, jobs are killed and
// gc'ed, with about nJobs jobs alive at a time. Entries are applied while
// generating so that the join reactions name the real watchers.
func eraALog(tb testing.TB, v Version, scheduler value.Keyword, nPeers, nJobs, nEntries int) (Replica, []value.Entry) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	uuid := func() value.UUID { return value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()} }
	start := FromMap(value.NewMap(kwJobScheduler, scheduler))
	r := start
	var log []value.Entry
	emit := func(fn string, kvs ...value.Value) {
		e := value.Entry{Seq: int64(len(log)), Created: 1433808000000 + int64(len(log)), Fn: value.Kw(fn), Args: value.NewMap(kvs...)}
		next, err := Apply(v, r, e)
		var ae *ApplyError
		if err != nil && !(asApplyError(err, &ae) && !ae.Crash) {
			tb.Fatalf("generated entry %d %s: %v", e.Seq, e.Fn, err)
		}
		r = next
		log = append(log, e)
	}
	peers := make([]value.Value, nPeers)
	for i := range peers {
		p := uuid()
		peers[i] = p
		emit("prepare-join-cluster", kwJoiner, p)
		if i == 0 {
			continue
		}
		w := invertGet(r.Prepared(), p)
		if w == nil {
			tb.Fatalf("peer %d found no watcher", i)
		}
		emit("notify-join-cluster", kwObserver, p, kwSubject, r.Pairs().Val(w))
		emit("accept-join-cluster", kwObserver, p, kwSubject, r.Pairs().Val(w), kwAcceptedObserver, w, kwAcceptedJoiner, p)
	}
	inf := value.Value(math.Inf(1))
	for len(log) < nEntries {
		// keep about nJobs jobs alive
		for len(executableJobsA(r.Map())) < nJobs {
			tasks := value.Vector{uuid(), uuid(), uuid(), uuid(), uuid()}
			ts := value.NewMap(tasks[0], inf, tasks[1], inf, tasks[2], inf, tasks[3], inf, tasks[4], inf)
			emit("submit-job", kwID, uuid(), kwTasks, tasks, kwTaskScheduler, taskSchedulerRoundRobin,
				kwSaturation, inf, value.Kw("task-saturation"), ts)
			for _, i := range rng.Perm(nPeers) {
				emit("volunteer-for-task", kwID, peers[i])
			}
		}
		jobs := executableJobsA(r.Map())
		job := jobs[rng.IntN(len(jobs))]
		switch x := rng.IntN(10); {
		case x < 7: // a task finishes: its peers seal, one completes, all volunteer again
			cands := taskCandidatesA(r.Map(), job)
			if len(cands) == 0 {
				continue
			}
			task := cands[0]
			on := items(value.GetIn(r.Map(), kwAllocations, job, task))
			for _, p := range on {
				emit("seal-task", kwID, p, kwJob, job, kwTask, task)
			}
			if len(on) > 0 {
				emit("complete-task", kwID, on[0], kwJob, job, kwTask, task)
			}
			for _, p := range on {
				emit("volunteer-for-task", kwID, p)
			}
		case x < 9:
			emit("kill-job", kwJob, job)
			for _, i := range rng.Perm(nPeers) {
				emit("volunteer-for-task", kwID, peers[i])
			}
		default:
			emit("gc", kwID, uuid())
		}
	}
	return start, log[:nEntries]
}

func asApplyError(err error, ae **ApplyError) bool {
	e, ok := err.(*ApplyError)
	*ae = e
	return ok
}

// BenchmarkApply times Apply alone over a pre-generated 100,000-entry log of
// each era (100 peers, about 10 live jobs); generating the log, which applies
// every entry once, happens before the timed loop.
func BenchmarkApply(b *testing.B) {
	b.Run("era=A", func(b *testing.B) {
		v := MustVersion("0.5.3")
		start, log := eraALog(b, v, jobSchedulerRoundRobin, 100, 10, 100_000)
		benchReplay(b, v, start, log)
	})
	b.Run("era=B", func(b *testing.B) {
		v := MustVersion("0.8.3")
		start, log := eraBLog(b, v, 100, 10, 100_000)
		benchReplay(b, v, start, log)
	})
}

// BenchmarkApplyEraAByCommand is benchByCommand on the era A benchmark log.
func BenchmarkApplyEraAByCommand(b *testing.B) {
	v := MustVersion("0.5.3")
	start, log := eraALog(b, v, jobSchedulerRoundRobin, 100, 10, 100_000)
	benchByCommand(b, v, start, log)
}

// benchByCommand replays log in order (so the memos work as in a real
// replay) and reports, per command, its share of the replay's time and the
// mean cost of one entry (ns/<command>): the next bottleneck is the command
// with the largest share.
func benchByCommand(b *testing.B, v Version, start Replica, log []value.Entry) {
	spent := map[value.Keyword]time.Duration{}
	count := map[value.Keyword]int{}
	var total time.Duration
	b.ReportAllocs()
	for b.Loop() {
		r := start
		for _, e := range log {
			t0 := time.Now()
			r, _ = Apply(v, r, e)
			d := time.Since(t0)
			spent[e.Fn] += d
			count[e.Fn]++
			total += d
		}
	}
	fns := make([]value.Keyword, 0, len(spent))
	for fn := range spent {
		fns = append(fns, fn)
	}
	slices.SortFunc(fns, func(x, y value.Keyword) int { return cmp.Compare(spent[y], spent[x]) })
	for _, fn := range fns {
		b.ReportMetric(100*float64(spent[fn])/float64(total), "%"+fn.Name())
		b.ReportMetric(float64(spent[fn].Nanoseconds())/float64(count[fn]), "ns/"+fn.Name())
	}
	b.ReportMetric(float64(len(log)*b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkVolunteerMapOpsA times only the persistent-map work a volunteer
// moving between two jobs cannot avoid (two task vectors, two job maps, the
// :allocations and replica roots, and with state=idle the :peer-state
// assoc), on a replica of the benchmark log: the floor under
// BenchmarkApply/era=A that the value package sets.
func BenchmarkVolunteerMapOpsA(b *testing.B) {
	v := MustVersion("0.5.3")
	start, log := eraALog(b, v, jobSchedulerRoundRobin, 100, 10, 20_000)
	r := start
	for _, e := range log {
		r, _ = Apply(v, r, e)
	}
	m := r.Map()
	allocs, states := mapAt(m, kwAllocations), mapAt(m, kwPeerState)
	var jobs []value.Value
	allocs.Range(func(j, tasks value.Value) bool {
		if mapOf(tasks).Len() > 0 {
			jobs = append(jobs, j)
		}
		return len(jobs) < 2
	})
	if len(jobs) < 2 {
		b.Fatal("the replica has fewer than two jobs with tasks")
	}
	from, to := mapAt(allocs, jobs[0]), mapAt(allocs, jobs[1])
	var fromTask, toTask, peer value.Value
	from.Range(func(t, peers value.Value) bool {
		if xs := items(peers); len(xs) > 0 {
			fromTask, peer = t, xs[0]
			return false
		}
		return true
	})
	to.Range(func(t, _ value.Value) bool { toTask = t; return false })
	if peer == nil {
		b.Fatal("no peer to move")
	}
	for _, state := range []string{"active", "idle"} {
		b.Run("state="+state, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				left := from.Assoc(fromTask, removeValue(items(from.Val(fromTask)), peer))
				joined := to.Assoc(toTask, conjVec(items(to.Val(toTask)), peer))
				next := assoc2A(allocs, jobs[0], left, jobs[1], joined)
				if state == "active" {
					_ = m.Assoc(kwAllocations, next)
				} else {
					_ = assoc2A(m, kwAllocations, next, kwPeerState, states.Assoc(peer, kwActive))
				}
			}
		})
	}
}

// benchReplay replays log from start once per b.Loop iteration and reports
// the throughput in entries/s and, on a shared machine the steadier figure,
// in entries per CPU second of the whole process (the collector included).
func benchReplay(b *testing.B, v Version, start Replica, log []value.Entry) {
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	for b.Loop() {
		r := start
		for _, e := range log {
			r, _ = Apply(v, r, e)
		}
	}
	b.ReportMetric(float64(len(log)*b.N)/b.Elapsed().Seconds(), "entries/s")
	if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64(len(log)*b.N)/(cpu1-cpu0).Seconds(), "entries/cpu-s")
	}
}

func TestGeneratedEraALogReplaysWithoutFlags(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerGreedy, 12, 3, 2000)
	r := start
	for _, e := range log {
		var err error
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
		}
	}
	if n := len(r.Peers()); n != 12 {
		t.Errorf("%d peers joined, want 12", n)
	}
}
