package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
)

// Users know entries by their Seq (Onyx's message-id), never by their
// position in the timeline: every view names entries by Seq.
func TestViewsNameEntriesBySeqNotPosition(t *testing.T) {
	test.NewTempApp(t)
	const by = 5000
	tl := shiftedFixture(t, "0.6.0-port-two-job-test", by)
	last := tl.Len() - 1
	p := at(tl, last)
	seq := tl.Seq(last)
	if seq != int64(last)+by {
		t.Fatalf("the shifted fixture's last Seq is %d at position %d", seq, last)
	}

	o := newOverviewTab(&fakeActions{})
	test.NewTempWindow(t, o.object()).Resize(fyne.NewSize(1000, 700))
	o.show(p)
	if want := fmt.Sprintf("entry %d ·", seq); !strings.HasPrefix(o.where.Text, want) {
		t.Errorf("overview label %q, want it to start with %q", o.where.Text, want)
	}
	if want := fmt.Sprintf("(%d entries loaded)", tl.Len()); !strings.Contains(o.where.Text, want) {
		t.Errorf("overview label %q, want %q", o.where.Text, want)
	}
	item := o.events.CreateItem()
	o.events.UpdateItem(0, item)
	text := itemLabel(item)
	if want := fmt.Sprintf("#%d ", o.shown[0].Seq); !strings.HasPrefix(text, want) || o.shown[0].Seq < by {
		t.Errorf("recent event row %q, want it to start with the Seq %q", text, want)
	}

	lt := newLogTab(newFakeHost(t))
	lt.show(p)
	if want := fmt.Sprintf("Entry %d ·", seq); !strings.HasPrefix(lt.head.Text, want) || strings.Contains(lt.head.Text, "position") {
		t.Errorf("log entry pane head %q, want %q and no position", lt.head.Text, want)
	}
	if want := fmt.Sprintf("%d  ", seq); !strings.HasPrefix(lt.rowText(last), want) {
		t.Errorf("log row %q, want it to start with %q", lt.rowText(last), want)
	}

	j := newJobsTab(&fakeActions{})
	test.NewTempWindow(t, j.object()).Resize(fyne.NewSize(1200, 800))
	j.show(p)
	submitted := firstPos(t, tl, timeline.KindJobSubmitted)
	if want := fmt.Sprintf("submitted at entry %d", tl.Seq(submitted)); !strings.Contains(j.header.Text, want) {
		t.Errorf("jobs header %q, want %q", j.header.Text, want)
	}

	if got := whereText(tl, last); !strings.HasPrefix(got, fmt.Sprintf("entry %d of %d", seq, seq)) {
		t.Errorf("timeline bar %q, want entry %d of %d", got, seq, seq)
	}

	s := newSwimlane(nil)
	s.setLanes(tl.Len(), lastSeq(p), []lane{{label: "a", segs: []segment{{0, last}}}})
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(600, 200))
	r := test.WidgetRenderer(s).(*swimRenderer)
	if want := fmt.Sprintf("entry %d", seq); r.axis[1].Text != want {
		t.Errorf("swimlane axis ends at %q, want %q", r.axis[1].Text, want)
	}
}

// itemLabel is the text of the first label in a list item.
func itemLabel(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Label:
		return x.Text
	case *fyne.Container:
		for _, child := range x.Objects {
			if s := itemLabel(child); s != "" {
				return s
			}
		}
	}
	return ""
}
