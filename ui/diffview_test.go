package ui

import (
	"fmt"
	"strings"
	"testing"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog/archive"
)

func TestDiffTabComparesTwoTypedPositions(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	dt := newDiffTab(h)
	a := firstOf(t, tl, timeline.KindJobSubmitted) - 1
	b := firstOf(t, tl, timeline.KindJobStarted)
	dt.show(inspectAt(tl, b))
	dt.from.SetText(fmt.Sprint(tl.Seq(a)))
	dt.to.SetText(fmt.Sprintf("#%d", tl.Seq(b)))
	dt.compare()
	want := tl.Diff(a, b)
	if dt.last.From != a || dt.last.To != b {
		t.Fatalf("compared %d..%d, want %d..%d", dt.last.From, dt.last.To, a, b)
	}
	if len(dt.paths) != len(want.Paths) || len(want.Paths) == 0 {
		t.Errorf("%d changed paths listed, want %d", len(dt.paths), len(want.Paths))
	}
	if len(want.JobsAdded) == 0 || !strings.Contains(dt.summary.Text, "Jobs added: "+shortValue(want.JobsAdded[0])) {
		t.Errorf("summary %q: want the added job %v", dt.summary.Text, want.JobsAdded)
	}
	if len(want.Tasks) > 0 && !strings.Contains(dt.summary.Text, "gained") {
		t.Errorf("summary %q: want the tasks' gained peers", dt.summary.Text)
	}
}

func TestDiffTabDefaultsToThePreviousEntryAndRejectsUnknownSeqs(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	dt := newDiffTab(h)
	dt.show(inspectAt(tl, 10))
	dt.compare()
	if dt.last.From != 9 || dt.last.To != 10 {
		t.Errorf("empty ends compared %d..%d, want 9..10", dt.last.From, dt.last.To)
	}
	dt.from.SetText("123456789")
	dt.compare()
	if !strings.HasPrefix(dt.summary.Text, "Cannot compare: entry 123456789") {
		t.Errorf("an unknown seq: %q", dt.summary.Text)
	}
}

func TestDiffTabOffersBookmarksAndMarkers(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	addBookmark(h, "inspect", archive.Bookmark{Seq: tl.Seq(4), Note: "before the jobs"}, nil)
	dt := newDiffTab(h)
	dt.show(inspectAt(tl, tl.Len()-1))
	opts := dt.opts
	want := fmt.Sprintf("#%d bookmark: before the jobs", tl.Seq(4))
	if len(opts) < 2 || opts[0] != want {
		t.Fatalf("options %q: want the bookmark %q first, then markers", opts, want)
	}
	dt.from.SetText(opts[0])
	dt.to.SetText(opts[1])
	dt.compare()
	if dt.last.From != 4 {
		t.Errorf("from the bookmark: compared from %d, want 4", dt.last.From)
	}
	addBookmark(h, "inspect", archive.Bookmark{Seq: tl.Seq(2), Note: "earlier"}, nil)
	dt.show(inspectAt(tl, tl.Len()-1))
	if want := fmt.Sprintf("#%d bookmark: earlier", tl.Seq(2)); dt.opts[0] != want {
		t.Errorf("after a new bookmark the first option is %q, want %q", dt.opts[0], want)
	}
}

func TestDiffTabShowsWhatTheCurrentEntryChangedWhenSwitchedTo(t *testing.T) {
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	dt := newDiffTab(newFakeHost(t))
	pos := tl.Len() / 2
	dt.show(inspectAt(tl, pos))
	dt.revealed()
	want := tl.Diff(pos-1, pos)
	if dt.last.From != want.From || dt.last.To != want.To || len(dt.paths) != len(want.Paths) {
		t.Errorf("revealed: diff %d→%d with %d paths, want %d→%d with %d", dt.last.From, dt.last.To, len(dt.paths), want.From, want.To, len(want.Paths))
	}
	// Typed ends are left alone: the user compares them with Compare.
	dt.from.SetText(fmt.Sprint(tl.Seq(0)))
	dt.show(inspectAt(tl, pos+1))
	dt.revealed()
	if dt.last.To != pos {
		t.Errorf("with a typed end, revealing compared again (to %d)", dt.last.To)
	}
}
