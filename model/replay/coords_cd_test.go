package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// TestAssignCoordinatorsCarryCD checks assignCoordinatorsFast, carried over
// from its last run (cdCoordCarry: only the jobs whose task map moved are
// looked at again), against assignCoordinators: replicas of random era D
// logs are given the :coordinators the last run wrote, so that most runs
// carry over, and now and then a coordinator is changed under it.
func TestAssignCoordinatorsCarryCD(t *testing.T) {
	eachSeedLogCD(t, "0.14.6", 60, 64, 1_500, func(t *testing.T, v Version, start Replica, log []value.Entry) {
		var carry cdCoordCarry
		var last *value.Map // the :coordinators the last run wrote
		carried, checked := 0, 0
		replayEach(t, v, start, log, func(i int, e value.Entry, r Replica) {
			m := r.Map()
			if last != nil {
				m = m.Assoc(kwCoordinators, last)
				if i%13 == 5 { // one job's coordinator is another peer
					var job value.Value
					mapAt(m, kwAllocations).Range(func(j, _ value.Value) bool { job = j; return false })
					if job != nil {
						m = m.Assoc(kwCoordinators, last.Assoc(job, value.UUID{Hi: 1, Lo: uint64(i)}))
					}
				}
			}
			x := newRepCD(m)
			ix := buildIndexCD(x)
			if ix == nil {
				x.release()
				return
			}
			ix.coCarry = carry
			if carry.out != nil && carry.out == mapAt(m, kwCoordinators) {
				carried++
			}
			wantM := assignCoordinators(m)
			ix.assignCoordinatorsFast(x)
			out := x.done()
			x.release()
			// the coordinators in their order, and nothing else changed
			got, want := value.PrStr(out.Val(kwCoordinators)), value.PrStr(wantM.Val(kwCoordinators))
			if got != want || !value.Equal(out, wantM) {
				t.Fatalf("after entry %d %s: assign-coordinators differs at %s", e.Seq, e.Fn, textDiff(got, want))
			}
			carry, last = ix.coCarry, mapAt(out, kwCoordinators)
			checked++
		})
		if checked < len(log)/2 || carried < checked/2 {
			t.Fatalf("checked %d of %d replicas, carried over %d", checked, len(log), carried)
		}
	})
}
