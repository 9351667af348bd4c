package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// benchLogD is a generated 0.14.6 log: 4 groups join, about 100 vpeers, then
// a steady churn of vpeers leaving and coming back and jobs completing,
// being killed and resubmitted, keeping about 10 live jobs.
func benchLogD(b *testing.B, n int) (Replica, []value.Entry) {
	g := newGenCD(b, MustVersion("0.14.6"), 42, false)
	start := g.r
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
	return start, g.out
}

func BenchmarkApplyD(b *testing.B) {
	b.Run("era=D/peers=100/jobs=10", func(b *testing.B) {
		start, entries := benchLogD(b, 100_000)
		v := MustVersion("0.14.6")
		b.ReportAllocs()
		b.ResetTimer()
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
	})
}
