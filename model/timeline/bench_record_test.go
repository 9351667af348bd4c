package timeline

import (
	"runtime"
	"sync"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// recordEntries is how many entries of the generated 0.8.3 log
// BenchmarkRecord records: enough for a few gcs and thousands of jobs, few
// enough that the replicas it keeps fit beside the other benchmarks.
const recordEntries = 150_000

var (
	recordOnce  sync.Once
	recordLog   []value.Entry
	recordSteps []applied
)

// replayedLog is the first recordEntries entries of the benchmark log and the
// replicas after each, replayed once by the real commands.
func replayedLog() ([]value.Entry, []applied) {
	recordOnce.Do(func() {
		recordLog = genRealLog(1, recordEntries, 100, 10)
		recordSteps = make([]applied, len(recordLog))
		r := realOrigin()
		for i, e := range recordLog {
			after, err := replay.Apply(simVersion, r, e)
			recordSteps[i] = applied{after, err}
			r = after
		}
	})
	return recordLog, recordSteps
}

// recordAll records es, replayed into steps, as Append does a chunk at a
// time, without replaying them again.
func recordAll(tl *Timeline, es []value.Entry, steps []applied) {
	for len(es) > 0 {
		n := min(len(es), chunk)
		tl.appendChunk(es[:n], steps[:n])
		es, steps = es[n:], steps[n:]
	}
}

// BenchmarkRecord times the recording half of a load alone (appendChunk:
// the entry log, checkpoints, events, index, series, provenance) over
// pre-replayed entries of the generated 0.8.3 log. entries/cpu-s counts the
// whole process's CPU time (the collector's workers included), cpu-µs/entry
// the recording thread's own (its GC assists included).
func BenchmarkRecord(b *testing.B) {
	es, steps := replayedLog()
	runtime.GC()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	cpu0, cpuOK := processCPUTime()
	th0, thOK := threadCPUTime()
	for b.Loop() {
		tl := New(simVersion, -1, realOrigin(), Options{})
		recordAll(tl, es, steps)
	}
	n := float64(b.N * len(es))
	b.ReportMetric(n/b.Elapsed().Seconds(), "entries/s")
	if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(n/(cpu1-cpu0).Seconds(), "entries/cpu-s")
	}
	if th1, ok := threadCPUTime(); ok && thOK && th1 > th0 {
		b.ReportMetric(float64((th1-th0).Microseconds())/n, "cpu-µs/entry")
	}
}
