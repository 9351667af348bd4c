package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/timeline"
)

func TestOverviewCountsPeersAndJobsAtEachPosition(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	act := &fakeActions{}
	o := newOverviewTab(act)
	test.NewTempWindow(t, o.object()).Resize(fyne.NewSize(1000, 700))
	submitted := firstPos(t, tl, timeline.KindJobSubmitted)
	for _, pos := range []int{-1, 0, submitted, tl.Len() / 2, tl.Len() - 1} {
		p := at(tl, pos)
		o.show(p)
		if want := plural(len(p.Replica.Peers()), "peer"); o.peers.Subtitle != want {
			t.Errorf("pos %d: peers card says %q, want %q", pos, o.peers.Subtitle, want)
		}
		var counts [4]int
		for _, j := range jobsOf(p.Replica) {
			counts[j.status]++
		}
		want := fmt.Sprintf("%d running · %d unallocated · %d completed · %d killed", counts[0], counts[1], counts[2], counts[3])
		if o.jobCounts.Text != want {
			t.Errorf("pos %d: jobs say %q, want %q", pos, o.jobCounts.Text, want)
		}
		all := tl.EventsIn(0, pos)
		if want := min(len(all), recentEvents); len(o.shown) != want || o.events.Length() != want {
			t.Fatalf("pos %d: %d events listed, want %d", pos, len(o.shown), want)
		}
		if len(all) > 0 && o.shown[0].Pos != all[len(all)-1].Pos {
			t.Errorf("pos %d: the newest event listed is at %d, want %d", pos, o.shown[0].Pos, all[len(all)-1].Pos)
		}
		for _, ev := range o.shown {
			if ev.Pos > pos {
				t.Errorf("pos %d: lists an event of the future, at %d", pos, ev.Pos)
			}
		}
		if o.peerChart.cursor != pos || o.jobChart.cursor != pos {
			t.Errorf("pos %d: chart cursors at %d and %d", pos, o.peerChart.cursor, o.jobChart.cursor)
		}
	}
	last := at(tl, tl.Len()-1)
	o.show(last)
	if o.peers.Subtitle != "10 peers" || !strings.HasPrefix(o.jobCounts.Text, "2 running") {
		t.Errorf("at the end: %q and %q, want 10 peers and 2 running jobs", o.peers.Subtitle, o.jobCounts.Text)
	}
	o.events.Select(2)
	if len(act.seeks) != 1 || act.seeks[0] != o.shown[2].Pos {
		t.Errorf("selecting an event seeks %v, want [%d]", act.seeks, o.shown[2].Pos)
	}
	if o.peerStates.Text != "10 active" {
		t.Errorf("peer states: got %q, want %q", o.peerStates.Text, "10 active")
	}
}

func TestOverviewChartsFollowTheSeriesAndSeekOnTap(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	act := &fakeActions{}
	o := newOverviewTab(act)
	test.NewTempWindow(t, o.object()).Resize(fyne.NewSize(1000, 700))
	o.show(at(tl, 10))
	pts := tl.Series(timeline.MetricPeers, nil)
	steps := o.peerChart.lines[0].steps
	if len(steps) != len(pts) {
		t.Fatalf("peer chart has %d steps, the series %d points", len(steps), len(pts))
	}
	for i := range pts {
		if steps[i].pos != pts[i].Pos || steps[i].val != pts[i].Value {
			t.Errorf("step %d: got pos %d value %d, want %d %d", i, steps[i].pos, steps[i].val, pts[i].Pos, pts[i].Value)
		}
	}
	if len(o.jobChart.lines) != 4 {
		t.Fatalf("job chart has %d lines, want 4", len(o.jobChart.lines))
	}
	size := o.peerChart.Size()
	if size.Width < 100 {
		t.Fatalf("the chart was not laid out: %v", size)
	}
	for _, want := range []int{-1, 5, tl.Len() / 2, tl.Len() - 1} {
		o.peerChart.Tapped(&fyne.PointEvent{Position: fyne.NewPos(o.peerChart.xFor(want, size), size.Height/2)})
		if got := act.seeks[len(act.seeks)-1]; got != want {
			t.Errorf("tap at the x of %d seeks %d", want, got)
		}
	}
}

func TestOverviewWithoutTenancy(t *testing.T) {
	test.NewTempApp(t)
	o := newOverviewTab(&fakeActions{})
	o.show(Position{Pos: -1})
	if o.peers.Subtitle != "no tenancy open" || len(o.shown) != 0 {
		t.Errorf("got %q and %d events", o.peers.Subtitle, len(o.shown))
	}
}

func TestBucketizeMergesCloseStepsAndKeepsTheirRange(t *testing.T) {
	var pts []timeline.Point
	for pos := -1; pos < 10000; pos++ {
		v := pos % 7
		if pos == 5000 {
			v = 100 // a spike one entry wide
		}
		pts = append(pts, timeline.Point{Pos: pos, Value: v})
	}
	steps := bucketize(pts, 10000)
	if len(steps) > maxChartSteps {
		t.Fatalf("got %d steps, want at most %d", len(steps), maxChartSteps)
	}
	top := 0
	for _, s := range steps {
		top = max(top, s.hi)
	}
	if top != 100 {
		t.Errorf("the spike was lost: highest value %d", top)
	}
	if last := steps[len(steps)-1]; last.val != 9999%7 {
		t.Errorf("last value %d, want %d", last.val, 9999%7)
	}
	few := bucketize(pts[:10], 9)
	if len(few) != 10 {
		t.Errorf("a short log keeps every step: got %d, want 10", len(few))
	}
}
