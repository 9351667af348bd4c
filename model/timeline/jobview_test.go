package timeline

import (
	"fmt"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/sim"
)

// simulatedTimeline appends n entries of a simulated cluster of version v.
func simulatedTimeline(t *testing.T, v string, seed uint64, n, peers, jobs int) *Timeline {
	t.Helper()
	s, err := sim.New(sim.Config{Version: v, Seed: seed, Entries: n, Peers: peers, Jobs: jobs})
	if err != nil {
		t.Fatal(err)
	}
	st, err := zklog.StartOf(s.Header(), "")
	if err != nil {
		t.Fatal(err)
	}
	tl := New(st.Version, st.FromSeq-1, st.Replica, Options{})
	for range n {
		step, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		tl.Append(step.Decoded)
	}
	return tl
}

// TestJobViewsDeriveWhatEveryJobsStatusDoes builds each simulated log twice,
// once taking the job views' incremental path and once the full path
// (jobStatuses for every entry), and requires the same events at every
// position and the same series, job by job.
func TestJobViewsDeriveWhatEveryJobsStatusDoes(t *testing.T) {
	for _, c := range []struct {
		v           string
		seed        uint64
		peers, jobs int
	}{
		{"0.5.3", 1, 6, 3}, {"0.6.0", 2, 8, 3}, {"0.7.14", 3, 8, 4}, {"0.8.3", 4, 10, 3},
		{"0.9.15", 5, 8, 3}, {"0.14.6", 6, 10, 4}, {"0.14.6", 7, 4, 2},
	} {
		t.Run(fmt.Sprintf("%s/seed=%d", c.v, c.seed), func(t *testing.T) {
			const n = 2500
			fullJobPath = true
			full := simulatedTimeline(t, c.v, c.seed, n, c.peers, c.jobs)
			fullJobPath = false
			inc := simulatedTimeline(t, c.v, c.seed, n, c.peers, c.jobs)
			for pos := range n {
				a, b := fmt.Sprintf("%+v", full.Events(pos)), fmt.Sprintf("%+v", inc.Events(pos))
				if a != b {
					t.Fatalf("position %d (%s): events\n%s\nwith the full path, but\n%s", pos, full.Entry(pos).Fn, a, b)
				}
			}
			for m := range MetricJobPeers {
				if a, b := full.Series(m, nil), inc.Series(m, nil); !slices.Equal(a, b) {
					t.Fatalf("metric %d: %v with the full path, %v", m, a, b)
				}
			}
			jobs := map[string]value.Value{}
			for pos := range n {
				for _, ev := range full.Events(pos) {
					for _, j := range ev.Jobs {
						jobs[value.PrStr(j)] = j
					}
				}
			}
			for _, j := range jobs {
				if a, b := full.Series(MetricJobPeers, j), inc.Series(MetricJobPeers, j); !slices.Equal(a, b) {
					t.Fatalf("peers of job %s: %v with the full path, %v", value.PrStr(j), a, b)
				}
			}
			if len(jobs) == 0 || inc.der.fastJobs < n/20 || full.der.fastJobs != 0 {
				t.Fatalf("%d jobs; %d entries took the incremental path (%d with it off): the test tests nothing",
					len(jobs), inc.der.fastJobs, full.der.fastJobs)
			}
			t.Logf("%d jobs, %d of %d entries derived incrementally", len(jobs), inc.der.fastJobs, n)
		})
	}
}

// TestCheckpointsKeepGrowingVectorsAsTails: on a 0.14.6 log that never gcs,
// the job lists only grow; deltas keep what they appended (vecTail), and a
// replica rebuilt from them prints as the one replay computed, at every
// checkpoint and a few entries after it.
func TestCheckpointsKeepGrowingVectorsAsTails(t *testing.T) {
	const n = 3000
	s, err := sim.New(sim.Config{Version: "0.14.6", Seed: 9, Entries: n, Peers: 8, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	st, err := zklog.StartOf(s.Header(), "")
	if err != nil {
		t.Fatal(err)
	}
	tl := New(st.Version, st.FromSeq-1, st.Replica, Options{Every: 16})
	want := make([]string, n)
	for pos := range n {
		step, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		tl.Append(step.Decoded)
		want[pos] = value.PrStr(tl.Replica(pos).Map()) // the head: replay's own
	}
	tails := 0
	for _, ck := range tl.checkpoints.list {
		for _, ch := range ck.delta {
			if _, ok := ch.val.(vecTail); ok {
				tails++
			}
		}
	}
	if tails < 10 {
		t.Fatalf("%d vector tails in the deltas: the test tests nothing", tails)
	}
	for _, pos := range tl.checkpoints.pos {
		for _, p := range []int{int(pos), min(int(pos)+3, n-1)} {
			tl.cache.clear()
			if got := value.PrStr(tl.Replica(p).Map()); got != want[p] {
				t.Fatalf("pos %d: the replica rebuilt from deltas prints differently from replay's", p)
			}
		}
	}
}
