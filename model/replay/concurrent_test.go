package replay

import (
	"fmt"
	"sync"
	"testing"

	"onyx-dashboard/model/value"
)

// TestReplaysFromAnyPointAgreeAcrossGoroutines is what a timeline does to
// replay: while one goroutine loads a log from its start, others replay
// stretches of it from replicas it made earlier (seeks from checkpoints),
// so the memos and indexes that each era carries from one replica to the
// next are taken over and handed back between goroutines all the time.
// Every replica each goroutine makes must equal the one a lone sequential
// replay made at that entry. Run with -race, it also checks that the memos
// are shared safely.
func TestReplaysFromAnyPointAgreeAcrossGoroutines(t *testing.T) {
	type era struct {
		name  string
		v     Version
		start Replica
		log   []value.Entry
	}
	var eras []era
	{
		v := MustVersion("0.5.3")
		start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 1500)
		eras = append(eras, era{"A", v, start, log})
	}
	{
		v := MustVersion("0.8.3")
		start, log := eraBLog(t, v, 20, 4, 1500)
		eras = append(eras, era{"B", v, start, log})
	}
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		v := MustVersion(vs)
		start, log, _ := benchLogCD(t, v, 31, 1500)
		eras = append(eras, era{v.Era().String(), v, start, log})
	}
	for _, e := range eras {
		t.Run("era="+e.name, func(t *testing.T) {
			want := make([]Replica, len(e.log)) // want[i]: after entry i
			r := e.start
			for i, x := range e.log {
				r, _ = Apply(e.v, r, x)
				want[i] = r
			}
			errs := make(chan string, 8)
			var wg sync.WaitGroup
			replay := func(from int) { // from want[from-1] (the start for 0) to the end
				r := e.start
				if from > 0 {
					r = want[from-1]
				}
				for i := from; i < len(e.log); i++ {
					r, _ = Apply(e.v, r, e.log[i])
					if !value.Equal(r.Map(), want[i].Map()) {
						errs <- fmt.Sprintf("replay from %d: entry %d (%s) differs from the lone replay", from, i, e.log[i].Fn)
						return
					}
				}
			}
			wg.Go(func() { replay(0) })
			wg.Go(func() { // seeks: short stretches from scattered points
				for from := 7; from < len(e.log); from += 97 {
					stop := min(from+40, len(e.log))
					r := want[from-1]
					for i := from; i < stop; i++ {
						r, _ = Apply(e.v, r, e.log[i])
						if !value.Equal(r.Map(), want[i].Map()) {
							errs <- fmt.Sprintf("seek from %d: entry %d (%s) differs from the lone replay", from, i, e.log[i].Fn)
							return
						}
					}
				}
			})
			wg.Go(func() { replay(len(e.log) / 2) })
			wg.Wait()
			close(errs)
			for msg := range errs {
				t.Error(msg)
			}
		})
	}
}
