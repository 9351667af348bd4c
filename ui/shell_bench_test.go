package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/sim"
)

// simTimeline replays n entries of a simulated cluster of Onyx version with peers peers
// running jobs jobs at a time.
func simTimeline(tb testing.TB, version string, peers, jobs, n int) *timeline.Timeline {
	tb.Helper()
	s, err := sim.New(sim.Config{Version: version, Seed: 200, Entries: n, Peers: peers, Jobs: jobs})
	if err != nil {
		tb.Fatal(err)
	}
	h := s.Header()
	st, err := zklog.StartOf(h, "")
	if err != nil {
		tb.Fatal(err)
	}
	tl := timeline.New(st.Version, st.FromSeq-1, st.Replica, timeline.Options{})
	for range n {
		step, err := s.Next()
		if err != nil {
			tb.Fatal(err)
		}
		tl.Append(step.Decoded)
	}
	return tl
}

// BenchmarkSliderMoveToAllViews times what a slider move costs on the UI
// goroutine: the slider's OnChanged, the replica of the position, the header,
// the bar (markers included) and all four tabs shown, in a laid-out window.
// "step" moves to the next entry (dragging, playing), "jump" far across the
// log: its replica is computed off the UI goroutine (up to K-1 applies) and
// the time includes waiting for it.
func BenchmarkSliderMoveToAllViews(b *testing.B) { sliderMoves(b, "0.8.3", 200, 20, 6000) }

// BenchmarkSliderMoveManyJobs is BenchmarkSliderMoveToAllViews on a 0.14.6
// log that is never gc'ed, as 0.10+ clusters often were: the replicas of
// its second half list 4,000–8,000 finished jobs.
func BenchmarkSliderMoveManyJobs(b *testing.B) { sliderMoves(b, "0.14.6", 100, 10, 60000) }

// sliderMoves moves the slider over the second half of a simulated log of
// version with about peers peers, jobs live jobs and n entries.
func sliderMoves(b *testing.B, version string, peers, jobs, n int) {
	tl := simTimeline(b, version, peers, jobs, n)
	last := tl.Replica(n - 1)
	b.Logf("replica at the end: %d peers, %d jobs, %d finished", len(last.Peers()), len(last.Jobs()), len(last.CompletedJobs())+len(last.KilledJobs()))
	a := test.NewTempApp(b)
	w := a.NewWindow(Title)
	q := &uiQueue{}
	s := newShell(a, w, Options{At: -1, Do: q.do})
	b.Cleanup(s.br.close)
	w.SetContent(s.content())
	w.Resize(fyne.NewSize(1280, 800))
	s.pos = Position{Tenancy: "bench", Reader: tl, Start: zklog.Start{Version: replay.MustVersion(version), Chosen: "detected"}, Pos: -1}
	s.seek(n - 1)
	for _, c := range []struct {
		name   string
		stride int
	}{{"step", 1}, {"jump", 997}} {
		b.Run(fmt.Sprintf("peers=%d,jobs=%d/%s", peers, jobs, c.name), func(b *testing.B) {
			b.ReportAllocs()
			pos := n / 2
			var busy time.Duration // on the UI goroutine: the move and the hand-overs
			for b.Loop() {
				pos = n/2 + (pos-n/2+c.stride)%(n/2)
				t0 := time.Now()
				s.bar.slider.SetValue(float64(pos))
				busy += time.Since(t0)
				for s.shownPos != pos { // a far move: wait for the replica
					t0 = time.Now()
					ran := q.drain()
					busy += time.Since(t0)
					if !ran {
						time.Sleep(50 * time.Microsecond) // leave the CPU to the seeker
					}
				}
			}
			if s.pos.Pos != pos {
				b.Fatalf("position %d after moving the slider to %d", s.pos.Pos, pos)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/move")
			// What the window's goroutine spends; the rest of a jump it is free.
			b.ReportMetric(float64(busy.Microseconds())/1000/float64(b.N), "ui-ms/move")
		})
	}
}
