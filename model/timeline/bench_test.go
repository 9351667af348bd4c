package timeline

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

// The benchmarks run on millionEntries: a simulated 1,000,000-entry 0.8.3-like
// log of ~100 peers and ~10 jobs, applied with simApply (the stand-in for
// replay.Apply, see sim_test.go). Run them with
//
//	go test -run '^$' -bench . -benchtime 1x ./model/timeline/

var builtTimelines sync.Map // K → *Timeline

func built(b *testing.B, every int) *Timeline {
	if t, ok := builtTimelines.Load(every); ok {
		return t.(*Timeline)
	}
	es := millionEntries()
	tl := newSim(Options{Every: every})
	tl.Append(es...)
	builtTimelines.Store(every, tl)
	return tl
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkLoad appends the million entries to a new timeline: replay, events,
// index, series and provenance. It reports the heap of the entries alone and
// of the timeline on top of them.
func BenchmarkLoad(b *testing.B) {
	es := millionEntries()
	for _, every := range []int{DefaultEvery} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			b.ReportAllocs()
			base := heapMB()
			var tl *Timeline
			for b.Loop() {
				tl = newSim(Options{Every: every})
				tl.Append(es...)
			}
			b.ReportMetric(float64(b.N*len(es))/b.Elapsed().Seconds(), "entries/s")
			withTimeline := heapMB()
			b.ReportMetric(withTimeline-base, "MB-timeline")
			b.ReportMetric(base, "MB-before")
			runtime.KeepAlive(tl)
		})
	}
}

// BenchmarkSeek asks the replica at random positions (the cache rarely hits)
// and reports the p50 and p99 latency of one seek.
func BenchmarkSeek(b *testing.B) {
	for _, every := range []int{DefaultEvery} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			tl := built(b, every)
			seekLatency(b, tl)
		})
	}
}

// BenchmarkCheckpointInterval measures, on a 100,000-entry log, what K costs:
// seek latency and heap per checkpoint (against a timeline without any).
func BenchmarkCheckpointInterval(b *testing.B) {
	es := genLog(1, 100_000, 100, 10)
	base := heapMB()
	none := newSim(Options{Every: 1 << 30})
	none.Append(es...)
	noneMB := heapMB() - base
	for _, every := range []int{128, 256, 512, 1024, 2048} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			before := heapMB()
			tl := newSim(Options{Every: every})
			tl.Append(es...)
			mb := heapMB() - before
			seekLatency(b, tl)
			b.ReportMetric((mb-noneMB)*1024/float64(len(es)/every), "KB/checkpoint")
			runtime.KeepAlive(tl)
		})
	}
	runtime.KeepAlive(none)
}

// seekLatency times seeksPerOp random seeks per op and reports the p50 and
// p99 of one seek (with -benchtime 1x it still measures that many).
func seekLatency(b *testing.B, tl *Timeline) {
	const seeksPerOp = 1000
	rng := rand.New(rand.NewPCG(3, 4))
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		for range seeksPerOp {
			pos := rng.IntN(tl.Len())
			start := time.Now()
			tl.Replica(pos)
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkScrub moves one entry at a time, as dragging the slider does.
func BenchmarkScrub(b *testing.B) {
	tl := built(b, DefaultEvery)
	pos := tl.Len() / 2
	b.ReportAllocs()
	for b.Loop() {
		pos++
		tl.Replica(pos)
	}
}

// BenchmarkFilter runs filters over the million entries.
func BenchmarkFilter(b *testing.B) {
	tl := built(b, DefaultEvery)
	peer := tl.Entry(0).Arg("joiner")
	var job value.Value
	for pos := 0; job == nil; pos++ {
		if e := tl.Entry(pos); e.Fn == kSubmitJob {
			job = e.Arg("id")
		}
	}
	u := peer.(value.UUID).String()
	cases := []struct {
		name string
		f    Filter
	}{
		{"command", Filter{Fns: []value.Keyword{kSignalReady}}},
		{"kind", Filter{Kinds: []Kind{KindPeerMoved, KindJobStarved}}},
		{"peer", Filter{Peer: peer}},
		{"job and kind", Filter{Job: job, Kinds: []Kind{KindTaskPeers}}},
		{"text rare", Filter{Text: u[:8]}},
		{"text common", Filter{Text: "backpressure"}},
		{"text and command", Filter{Text: u[:4], Fns: []value.Keyword{kLeaveCluster}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			var lat []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				for range 11 {
					start := time.Now()
					n = len(tl.Filter(c.f))
					lat = append(lat, time.Since(start))
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkDiffAndHistory: a domain diff across the log and the last ten
// changes of one task's allocation.
func BenchmarkDiffAndHistory(b *testing.B) {
	tl := built(b, DefaultEvery)
	var job, task value.Value
	for pos := 0; job == nil; pos++ {
		if e := tl.Entry(pos); e.Fn == kSubmitJob {
			job, task = e.Arg("id"), items(e.Arg("tasks"))[0]
		}
	}
	b.Run("diff", func(b *testing.B) {
		for b.Loop() {
			tl.Diff(tl.Len()/3, 2*tl.Len()/3)
		}
	})
	b.Run("history", func(b *testing.B) {
		for b.Loop() {
			tl.History([]value.Value{kAllocations, job, task}, tl.Len()-1, 10)
		}
	})
}
