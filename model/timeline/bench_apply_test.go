package timeline

import (
	"testing"

	"onyx-dashboard/model/replay"
)

// BenchmarkApplyStreamingLog times replay.Apply alone over the first 100,000
// entries of the timeline's generated 0.8.3 log (~100 peers, ~10 jobs). Its
// shape is a streaming cluster's: most entries are signal-ready and
// backpressure, about one in twenty runs the scheduler (a join, leave,
// submit, seal, kill or gc). model/replay's BenchmarkApply/era=B is the
// scheduler-heavy counterpart (about half its entries reschedule). With
// GOMAXPROCS=1 the entries per CPU-second are the one-core figure.
func BenchmarkApplyStreamingLog(b *testing.B) {
	es := genRealLog(1, 100_000, 100, 10)
	scheduling := 0
	for _, e := range es {
		switch e.Fn.Name() {
		case "signal-ready", "backpressure-on", "backpressure-off":
		default:
			scheduling++
		}
	}
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	for b.Loop() {
		r := realOrigin()
		for _, e := range es {
			r, _ = replay.Apply(simVersion, r, e)
		}
	}
	b.ReportMetric(float64(b.N*len(es))/b.Elapsed().Seconds(), "entries/s")
	if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64(b.N*len(es))/(cpu1-cpu0).Seconds(), "entries/cpu-s")
	}
	b.ReportMetric(100*float64(scheduling)/float64(len(es)), "%scheduling")
}
