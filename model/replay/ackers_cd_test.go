package replay

import (
	"math/rand/v2"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestChooseAckersRepCD checks the index's choose-ackers (memo by job,
// scratch space, the replica's vector kept when equal) against
// chooseAckersCD on every replica of random era C logs, one index kept
// across them as in a replay, with the replica's ackers now and then
// dropped, turned into lists or into other ackers.
func TestChooseAckersRepCD(t *testing.T) {
	eachSeedLogCD(t, "0.9.15", 40, 44, 1_500, func(t *testing.T, v Version, start Replica, log []value.Entry) {
		ix := &cdIndex{}
		checked := 0
		replayEach(t, v, start, log, func(i int, e value.Entry, r Replica) {
			m := r.Map()
			jobs := items(m.Val(kwJobs))
			if len(jobs) == 0 {
				return
			}
			switch ack := mapAt(m, kwAckers); i % 7 {
			case 3: // one job's ackers gone
				m = m.Assoc(kwAckers, ack.Dissoc(jobs[0]))
			case 5: // a list where a vector was
				m = m.Assoc(kwAckers, ack.Assoc(jobs[0], value.List(items(ack.Val(jobs[0])))))
			case 6: // other ackers
				m = m.Assoc(kwAckers, ack.Assoc(jobs[0], value.Vector{jobs[0]}))
			}
			want := value.PrStr(chooseAckersCD(m, jobs))
			x := newRepCD(m)
			ix.chooseAckersRep(x, jobs)
			got := value.PrStr(x.done())
			x.release()
			if got != want {
				t.Fatalf("after entry %d %s: choose-ackers differs at %s", e.Seq, e.Fn, textDiff(got, want))
			}
			checked++
		})
		if checked < len(log)/2 {
			t.Fatalf("checked %d of %d replicas", checked, len(log))
		}
	})
}

// TestChooseAckersCarryCD checks choose-ackers carried over from the
// index's last choice (cdAckCarry: only the jobs whose allocation moved are
// looked at again) against chooseAckersCD: replicas of random era C logs are
// given the :ackers the index last wrote, so that most choices carry over,
// and now and then a job's ackers or acker percentage changes under it.
func TestChooseAckersCarryCD(t *testing.T) {
	eachSeedLogCD(t, "0.9.15", 50, 54, 1_500, func(t *testing.T, v Version, start Replica, log []value.Entry) {
		ix := &cdIndex{}
		var last *value.Map // the :ackers the index last wrote
		carried := 0
		replayEach(t, v, start, log, func(i int, e value.Entry, r Replica) {
			m := r.Map()
			jobs := items(m.Val(kwJobs))
			if len(jobs) == 0 {
				return
			}
			if last != nil {
				switch i % 11 {
				case 4: // another job's ackers under the carried map
					m = m.Assoc(kwAckers, last.Assoc(jobs[0], value.Vector{}))
				case 7: // a job's acker percentage changes
					pct := mapAt(m, kwCDAckerPct)
					m = m.Assoc(kwAckers, last).Assoc(kwCDAckerPct, pct.Assoc(jobs[len(jobs)-1], int64(60)))
				default:
					m = m.Assoc(kwAckers, last)
				}
			}
			if c := &ix.ackCarry; c.out != nil && c.out == mapAt(m, kwAckers) && sameBackingCD(c.jobs, jobs) {
				carried++
			}
			want := value.PrStr(chooseAckersCD(m, jobs))
			x := newRepCD(m)
			ix.chooseAckersRep(x, jobs)
			out := x.done()
			x.release()
			if got := value.PrStr(out); got != want {
				t.Fatalf("after entry %d %s: choose-ackers differs at %s", e.Seq, e.Fn, textDiff(got, want))
			}
			last = mapAt(out, kwAckers)
		})
		if carried < len(log)/2 {
			t.Fatalf("carried over %d of %d choices", carried, len(log))
		}
	})
}

// TestSelectAckersAgreesWithSort checks selectAckersCD against the stable
// UUID sort appendAckersCD reads: random peers (some repeated), tasks some
// of which are exempt, and acker counts of one to four.
func TestSelectAckersAgreesWithSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 4))
	job := value.UUID{Hi: 7, Lo: 7}
	tasks := []value.Value{value.Kw("in"), value.Kw("mid"), value.Kw("out")}
	for round := range 500 {
		n := 1 + rng.IntN(20)
		pool := make([]value.UUID, 1+rng.IntN(n))
		for i := range pool {
			pool[i] = value.UUID{Hi: rng.Uint64N(4), Lo: rng.Uint64()}
		}
		peers, onTask, us := make([]value.Value, n), make([]value.Value, n), make([]value.UUID, n)
		for i := range n {
			us[i] = pool[rng.IntN(len(pool))]
			peers[i], onTask[i] = us[i], tasks[rng.IntN(len(tasks))]
		}
		pct := float64(1 + rng.IntN(int(400/float64(n))+1)) // at most four ackers, mostly
		exempt := value.Vector{tasks[rng.IntN(len(tasks))]}
		r := value.NewMap(kwCDAckerPct, value.NewMap(job, pct), kwCDExempt, value.NewMap(job, exempt),
			kwCDExclIn, value.NewMap(job, round%2 == 0), kwInputTasks, value.NewMap(job, value.NewSet(tasks[0])))
		at := func(k value.Keyword) *value.Map { return mapAt(r, k) }
		k := ackerCountCD(at, job, n)
		if k < 1 || k > 4 {
			continue
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return us[a].Compare(us[b]) })
		want := appendAckersCD(nil, at, job, peers, onTask, idx)
		got := selectAckersCD(nil, at, job, peers, onTask, us, k)
		if !slices.EqualFunc(got, want, func(a, b value.Value) bool { return a == b }) {
			t.Fatalf("round %d: selected %s, sorted %s", round, value.PrStr(got), value.PrStr(want))
		}
	}
}
