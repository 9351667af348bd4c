package timeline

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

// The benchmarks run on a generated 1,000,000-entry 0.8.3 log of ~100 peers
// and ~10 jobs (gen_test.go), replayed by the real commands (replay.Apply,
// "real") or by the stand-in simApply ("sim"). Run them with
//
//	go test -run '^$' -bench . -benchtime 1x ./model/timeline/

// applier is a way of replaying the benchmark log.
type applier struct {
	name string
	// load appends the log to tl; rawMB makes the log and returns the heap
	// it takes before it is loaded (decoded entries for the stand-in; none
	// for the real replay, which reads a file).
	load  func(tl *Timeline)
	rawMB func() float64
	new   func(Options) *Timeline
}

var appliers = []applier{
	{"real", func(tl *Timeline) { millionRealEntries().appendTo(tl) },
		func() float64 { millionRealEntries(); return 0 },
		func(o Options) *Timeline { return New(simVersion, -1, realOrigin(), o) }},
	{"sim", func(tl *Timeline) { tl.Append(millionEntries()...) },
		func() float64 { millionEntries(); return 0 },
		newSim},
}

var builtTimelines sync.Map // name/K → *Timeline

func built(a applier, every int) *Timeline {
	key := fmt.Sprintf("%s/%d", a.name, every)
	if t, ok := builtTimelines.Load(key); ok {
		return t.(*Timeline)
	}
	tl := a.new(Options{Every: every})
	a.load(tl)
	builtTimelines.Store(key, tl)
	return tl
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// residentMB is the process's resident set after returning freed memory to
// the system (Linux only): the figure the memory goal is about, test binary and
// runtime included.
func residentMB() (float64, bool) {
	debug.FreeOSMemory()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			if _, err := fmt.Sscan(rest, &kb); err != nil {
				return 0, false
			}
			return kb / 1024, true
		}
	}
	return 0, false
}

// BenchmarkLoad appends the million entries to a new timeline: decoding
// (real: from the stored bytes, a chunk at a time), replay, events, index,
// series and provenance. MB-raw is the heap of the log before the load (none
// for the real replay, read from a file of MB-file), MB-timeline what the
// timeline adds on top of it, entries included, and MB-resident the process's
// resident set after it. entries/cpu-s counts the process's CPU time (the
// collector's included), steadier than the wall clock on a shared machine.
func BenchmarkLoad(b *testing.B) {
	for _, a := range appliers {
		b.Run(a.name, func(b *testing.B) {
			before := heapMB()
			a.rawMB()
			base := heapMB()
			var tl *Timeline
			b.ReportAllocs()
			cpu0, cpuOK := processCPUTime()
			for b.Loop() {
				tl = a.new(Options{})
				a.load(tl)
			}
			b.ReportMetric(float64(b.N*tl.Len())/b.Elapsed().Seconds(), "entries/s")
			if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
				b.ReportMetric(float64(b.N*tl.Len())/(cpu1-cpu0).Seconds(), "entries/cpu-s")
			}
			b.ReportMetric(heapMB()-base, "MB-timeline")
			b.ReportMetric(base-before, "MB-raw")
			if a.name == "real" {
				b.ReportMetric(millionRealEntries().size(), "MB-file")
			}
			if mb, ok := residentMB(); ok {
				b.ReportMetric(mb, "MB-resident")
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MB-heap-inuse")
			full := 0
			for _, c := range tl.checkpoints.list {
				if c.isFull {
					full++
				}
			}
			b.ReportMetric(float64(len(tl.checkpoints.list)), "checkpoints")
			b.ReportMetric(float64(full), "full-checkpoints")
			builtTimelines.Store(fmt.Sprintf("%s/%d", a.name, DefaultEvery), tl)
		})
	}
}

// BenchmarkSeek asks the replica at random positions (the cache rarely hits)
// and reports the p50 and p99 latency of one seek.
func BenchmarkSeek(b *testing.B) {
	for _, a := range appliers {
		b.Run(a.name, func(b *testing.B) { seekLatency(b, built(a, DefaultEvery)) })
	}
}

// BenchmarkCheckpointInterval measures, on a 100,000-entry log, what K costs:
// seek latency and heap per checkpoint (against a timeline without any; the
// cost rule takes more checkpoints than one per K entries).
func BenchmarkCheckpointInterval(b *testing.B) {
	es := genRealLog(1, 100_000, 100, 10)
	mk := appliers[0].new
	base := heapMB()
	none := mk(Options{Every: 1 << 30})
	none.Append(es...)
	noneMB := heapMB() - base
	for _, every := range []int{128, 256, 512, 1024, 2048} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			before := heapMB()
			tl := mk(Options{Every: every})
			tl.Append(es...)
			mb := heapMB() - before
			seekLatency(b, tl)
			n := len(tl.checkpoints.list)
			b.ReportMetric((mb-noneMB)*1024/float64(n), "KB/checkpoint")
			b.ReportMetric(float64(n), "checkpoints")
			runtime.KeepAlive(tl)
		})
	}
	runtime.KeepAlive(none)
}

// seekLatency times seeksPerOp random seeks per op and reports the p50 and
// p99 of one seek (with -benchtime 1x it still measures that many), in wall
// time and, on Linux, in the CPU time of the seeking thread.
func seekLatency(b *testing.B, tl *Timeline) {
	const seeksPerOp = 1000
	rng := rand.New(rand.NewPCG(3, 4))
	var lat, cpu []time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		for range seeksPerOp {
			pos := rng.IntN(tl.Len())
			c0, ok := threadCPUTime()
			start := time.Now()
			tl.Replica(pos)
			lat = append(lat, time.Since(start))
			if c1, ok1 := threadCPUTime(); ok && ok1 {
				cpu = append(cpu, c1-c0)
			}
		}
	}
	report := func(lat []time.Duration, unit string) {
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-"+unit)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-"+unit)
	}
	report(lat, "ms")
	if len(cpu) == len(lat) {
		report(cpu, "cpu-ms")
	}
}

// BenchmarkScrub moves one entry at a time, as dragging the slider does.
func BenchmarkScrub(b *testing.B) {
	tl := built(appliers[0], DefaultEvery)
	pos := tl.Len() / 2
	b.ReportAllocs()
	for b.Loop() {
		pos++
		tl.Replica(pos)
	}
}

// BenchmarkFilter runs filters over the million entries.
func BenchmarkFilter(b *testing.B) {
	tl := built(appliers[0], DefaultEvery)
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
					tl.index.typed.forget() // a cold scan, not the last query again
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

// BenchmarkFilterTyping types a peer's id into the free-text filter a
// character at a time, as the filter box does: each keystroke searches
// only the texts the previous one matched. p50 and max are per keystroke.
func BenchmarkFilterTyping(b *testing.B) {
	tl := built(appliers[0], DefaultEvery)
	u := tl.Entry(0).Arg("joiner").(value.UUID).String()
	var lat []time.Duration
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		tl.index.typed.forget()
		for i := 1; i <= 8; i++ {
			start := time.Now()
			n = len(tl.Filter(Filter{Text: u[:i]}))
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(n), "matches")
}

// BenchmarkDiffAndHistory: a domain diff across the log and the last ten
// changes of one task's allocation.
func BenchmarkDiffAndHistory(b *testing.B) {
	tl := built(appliers[0], DefaultEvery)
	var job, task value.Value
	for pos := 0; job == nil; pos++ {
		if e := tl.Entry(pos); e.Fn == kSubmitJob {
			job, task = e.Arg("id"), value.Items(e.Arg("tasks"))[0]
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
