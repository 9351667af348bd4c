package replay

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"onyx-dashboard/model/value"
)

// BenchmarkApplyEraBByCommand replays the generated 0.8.3 log of
// BenchmarkApply/era=B and reports, per command, the share of the replay's
// time and the mean time of one entry (µs/<command>), so that the next
// bottleneck is the command with the largest share.
func BenchmarkApplyEraBByCommand(b *testing.B) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(b, v, 100, 10, 100_000)
	spent := map[value.Keyword]time.Duration{}
	count := map[value.Keyword]int{}
	var total time.Duration
	b.ReportAllocs()
	for b.Loop() {
		r := start
		for _, e := range log {
			t0 := time.Now()
			r, _ = Apply(v, r, e)
			d := time.Since(t0)
			spent[e.Fn] += d
			count[e.Fn]++
			total += d
		}
	}
	fns := make([]value.Keyword, 0, len(spent))
	for fn := range spent {
		fns = append(fns, fn)
	}
	slices.SortFunc(fns, func(a, c value.Keyword) int { return cmp.Compare(spent[c], spent[a]) })
	for _, fn := range fns {
		b.ReportMetric(100*float64(spent[fn])/float64(total), "%"+fn.Name())
		b.ReportMetric(float64(spent[fn].Microseconds())/float64(count[fn]), "µs/"+fn.Name())
	}
	b.ReportMetric(float64(len(log)*b.N)/b.Elapsed().Seconds(), "entries/s")
}
