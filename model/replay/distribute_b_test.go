package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// TestDistributeAtMatchesDistribute checks the by-position task split of
// the fast reallocation against distribute on the replicas of a generated
// 0.8.3 log, for every job and peer counts from 0 to 14.
func TestDistributeAtMatchesDistribute(t *testing.T) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(t, v, 16, 3, 600)
	checked := 0
	replayEach(t, v, start, log, func(_ int, e value.Entry, r Replica) {
		s := &bsched{f: flagsB(v), r: r.Map(), jobs: items(r.Map().Val(kwJobs)), peers: items(r.Map().Val(kwPeers)), js: r.Map().Val(kwJobScheduler)}
		for _, job := range s.jobs {
			tasks := s.tasks(job)
			for k := range 15 {
				n := float64(k)
				d, err1 := s.distribute(job, n)
				want, has := make([]float64, len(tasks)), make([]bool, len(tasks))
				err2 := s.distributeAt(job, n, tasks, want, has)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("entry %d job %v n %v: errors %v and %v", e.Seq, job, n, err1, err2)
				}
				for i, task := range tasks {
					w, ok := d[task]
					if w != want[i] || ok != has[i] {
						t.Fatalf("entry %d job %v n %v task %d: distribute %v %v, distributeAt %v %v", e.Seq, job, n, i, w, ok, want[i], has[i])
					}
				}
				checked++
			}
		}
	})
	if checked == 0 {
		t.Fatal("no job was checked")
	}
}
