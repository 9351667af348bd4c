package replay

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// benchLogCD is a generated log of version v (0.9.7+): 4 groups join, about
// 100 vpeers, then a steady churn of vpeers leaving and coming back and jobs
// completing, being killed and resubmitted, keeping about 10 live jobs. It
// returns the replica the log starts from, the log and the replica after it.
func benchLogCD(tb testing.TB, v Version, seed uint64, n int) (start Replica, log []value.Entry, end Replica) {
	g := newGenCD(tb, v, seed, false)
	start = g.r
	for range 4 {
		g.join()
	}
	for len(g.r.Peers()) < 100 {
		g.addPeer()
	}
	for len(g.r.Jobs()) < 10 {
		g.submit()
	}
	for len(g.out) < n {
		peers, jobs := g.r.Peers(), g.r.Jobs()
		switch k := g.rng.IntN(10); {
		case k < 4 && len(peers) > 90:
			p := g.pick(peers)
			g.emit("leave-cluster", kwID, p, kwCDGroupID, g.r.PeerGroup(p))
		case k < 8 && len(peers) < 110:
			g.addPeer()
		case len(jobs) >= 10:
			if k == 8 {
				g.emit("kill-job", kwJob, g.pick(jobs))
			} else {
				g.complete(g.pick(jobs))
			}
		default:
			g.submit()
			if len(g.r.KilledJobs())+len(g.r.CompletedJobs()) > 50 {
				g.emit("gc", kwID, g.uuid())
			}
		}
	}
	return start, g.out, g.r
}

// BenchmarkApplyD times Apply alone over a pre-generated log of 100,000
// entries (about 100 vpeers, 10 live jobs) of Onyx 0.9.15 (era C) and 0.14.6
// (era D); generating the log is outside the timed loop. Besides entries/s
// it reports entries/cpu-s, entries per second of the process's CPU time.
func BenchmarkApplyD(b *testing.B) {
	for _, c := range []struct{ era, version string }{{"C", "0.9.15"}, {"D", "0.14.6"}} {
		b.Run(fmt.Sprintf("era=%s/peers=100/jobs=10", c.era), func(b *testing.B) {
			v := MustVersion(c.version)
			start, entries, _ := benchLogCD(b, v, 42, 100_000)
			b.ReportAllocs()
			cpu0, cpuOK := processCPUTime()
			for b.Loop() {
				r := start
				for _, e := range entries {
					next, err := Apply(v, r, e)
					if err != nil {
						b.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
					}
					r = next
				}
			}
			b.ReportMetric(float64(b.N*len(entries))/b.Elapsed().Seconds(), "entries/s")
			if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
				// the process's CPU time, GC workers included: steadier than
				// the wall clock on a loaded machine
				b.ReportMetric(float64(b.N*len(entries))/(cpu1-cpu0).Seconds(), "entries/cpu-s")
			}
		})
	}
}
