package replay

import (
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestJobMemoMatchesReading replays generated logs of 0.7.14 and 0.8.3
// twice, with the job definitions carried from one reconfigure to the next
// (jobs_memo_b.go) and read afresh each time, and checks that every replica
// prints the same.
func TestJobMemoMatchesReading(t *testing.T) {
	requireSameReplayB(t, []string{"0.7.14", "0.8.3"}, 16, 4, 1500, &bNoJobMemo, func() {
		lastUnchangedB.Store(nil)
		lastJobsB.Store(nil)
	}, "carried and fresh job definitions", "carried", "fresh")
}

// TestJobInfoAgreesWithBsched checks each figure of a job's carried
// definition against the bsched method it stands for, on the replicas of a
// generated log.
func TestJobInfoAgreesWithBsched(t *testing.T) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(t, v, 16, 4, 800)
	checked := 0
	replayEach(t, v, start, log, func(_ int, e value.Entry, r Replica) {
		m := r.Map()
		s := &bsched{f: flagsB(v), r: m, jobs: items(m.Val(kwJobs)), peers: items(m.Val(kwPeers)), js: m.Val(kwJobScheduler)}
		s.loadJobInfos()
		for ji, job := range s.jobs {
			info := s.infos[ji]
			if info == nil {
				t.Fatalf("entry %d: job %s has no info", e.Seq, value.PrStr(job))
			}
			if !value.Equal(value.Vector(info.tasks), value.Vector(s.tasks(job))) {
				t.Fatalf("entry %d: job %s tasks %s, want %s", e.Seq, value.PrStr(job), value.PrStr(value.Vector(info.tasks)), value.PrStr(value.Vector(s.tasks(job))))
			}
			if info.hashKey != value.HashOrderKey(job) {
				t.Fatalf("entry %d: job %s hash-order key %d, want %d", e.Seq, value.PrStr(job), info.hashKey, value.HashOrderKey(job))
			}
			if info.exempt != s.exemptJob(m, job) {
				t.Fatalf("entry %d: job %s exempt %v, want %v", e.Seq, value.PrStr(job), info.exempt, !info.exempt)
			}
			lo, _ := s.lowerOf(job)
			up, _ := s.upperOf(job)
			if !info.boundsOK || info.lo != lo || info.up != up {
				t.Fatalf("entry %d: job %s bounds %v..%v (%v), want %v..%v", e.Seq, value.PrStr(job), info.lo, info.up, info.boundsOK, lo, up)
			}
			want, has := make([]float64, len(info.tasks)), make([]bool, len(info.tasks))
			for _, n := range []float64{0, 1, 3, 7, 20} {
				got := make([]float64, len(info.tasks))
				if err := s.distributeStatic(info, n, got, has); err != nil {
					t.Fatal(err)
				}
				d, err := s.distribute(job, n)
				if err != nil {
					t.Fatal(err)
				}
				for ti, task := range info.tasks {
					want[ti] = d[task]
				}
				if !slices.Equal(got, want) {
					t.Fatalf("entry %d: job %s, %v peers: distributed %v, want %v", e.Seq, value.PrStr(job), n, got, want)
				}
			}
			checked++
		}
		s.release()
	})
	if checked == 0 {
		t.Fatal("no job checked")
	}
}

// TestAnyExemptAgreesWithLookups builds replicas whose jobs list exempt
// tasks or exclude their inputs or outputs, at random, and checks
// anyExempt through the carried job definitions against looking each job up.
func TestAnyExemptAgreesWithLookups(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	f := flagsB(MustVersion("0.8.3"))
	some := func(v value.Value) value.Value {
		if rng.IntN(4) == 0 {
			return v
		}
		return nil
	}
	for trial := range 300 {
		var jobs value.Vector
		allocs, exempt, exIn, exOut, ins, outs := value.NewMap(), value.NewMap(), value.NewMap(), value.NewMap(), value.NewMap(), value.NewMap()
		for j := range 1 + rng.IntN(4) {
			job := value.UUID{Hi: uint64(trial), Lo: uint64(j)}
			jobs = append(jobs, job)
			if rng.IntN(5) > 0 {
				allocs = allocs.Assoc(job, value.NewMap(value.Kw("t"), value.Vector{value.UUID{Lo: uint64(j)}}))
			}
			exempt = exempt.Assoc(job, some(value.Vector{value.Kw("t")}))
			exIn = exIn.Assoc(job, some(true))
			exOut = exOut.Assoc(job, some(true))
			ins = ins.Assoc(job, some(value.Vector{value.Kw("in")}))
			outs = outs.Assoc(job, some(value.Vector{value.Kw("out")}))
		}
		r := value.NewMap(kwJobs, jobs, kwAllocations, allocs, kwBExemptTasks, exempt, kwBAckerExcludeInputs, exIn,
			kwBAckerExcludeOutput, exOut, kwInputTasks, ins, kwOutputTasks, outs, kwTasks, value.NewMap())
		s := &bsched{f: f, r: r, jobs: jobs}
		want := false
		allocs.Range(func(j, _ value.Value) bool {
			want = want || s.exemptJob(r, j)
			return true
		})
		lastJobsB.Store(nil)
		s.loadJobInfos()
		if got := s.anyExempt(r); got != want {
			t.Fatalf("trial %d: anyExempt %v, want %v on %s", trial, got, want, value.PrStr(r))
		}
		s.release()
	}
}
