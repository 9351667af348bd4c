package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// collections lists the views' lists, tables and trees with a name each.
func collections(ts *testShell) map[string]fyne.Focusable {
	out := map[string]fyne.Focusable{"deployments tree": ts.side.tree}
	for _, tb := range ts.tabs.tabs {
		switch v := tb.(type) {
		case *jobsTab:
			out["jobs list"] = v.list
			out["tasks table"] = v.tasks
		case *logTab:
			out["log list"] = v.list
		case *peersTab:
			out["peers table"] = v.table
		case *replicaTab:
			out["replica tree"] = v.tree
		case *allocationsTab:
			out["allocations tree"] = v.tree
			out["hosts list"] = v.hostL
		case *overviewTab:
			out["events list"] = v.events
		case *diffTab:
			out["diff list"] = v.list
		}
	}
	return out
}

func TestTimelineKeysWorkWhileAListTableOrTreeHasTheFocus(t *testing.T) {
	ts, es := openOneJob(t, Options{})
	n := len(es)
	c := ts.win.Canvas()
	cs := collections(ts)
	if len(cs) != 10 {
		t.Fatalf("found %d collections, want 10: %v", len(cs), cs)
	}
	for name, w := range cs {
		ts.Seek(5)
		// Fyne focuses only what is shown: show each tab until it takes.
		for i := -1; i < len(ts.tabs.tabs) && c.Focused() != w; i++ {
			ts.tabs.selectIndex(i)
			c.Focus(w)
		}
		if c.Focused() != w {
			t.Fatalf("%s: focus is on %v", name, c.Focused())
		}
		key := func(k fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: k}) }
		steps := []struct {
			what string
			do   func()
			want int
		}{
			{"→", func() { key(fyne.KeyRight) }, 6},
			{"←", func() { key(fyne.KeyLeft) }, 5},
			// The test canvas has no key-down hook, so Shift is set as
			// the desktop canvas's hook would (see keyList.KeyDown).
			{"Shift+→", func() {
				ts.shift = true
				key(fyne.KeyRight)
				ts.shift = false
			}, 15},
			{"← after Shift is up", func() { key(fyne.KeyLeft) }, 14},
			{"End", func() { key(fyne.KeyEnd) }, n - 1},
			{"Home", func() { key(fyne.KeyHome) }, -1},
		}
		for _, st := range steps {
			st.do()
			if ts.pos.Pos != st.want || ts.bar.slider.Value != float64(st.want) {
				t.Errorf("%s focused, %s: position %d, slider %v; want %d", name, st.what, ts.pos.Pos, ts.bar.slider.Value, st.want)
			}
		}
		live := ts.pos.Live
		key(fyne.KeyL)
		if ts.pos.Live == live {
			t.Errorf("%s focused: L did not toggle Live", name)
		}
		key(fyne.KeyL)
		key(fyne.KeySpace)
		if !ts.playing {
			t.Errorf("%s focused: Space did not start playing", name)
		}
		key(fyne.KeySpace)
		if ts.playing {
			t.Errorf("%s focused: Space did not pause", name)
		}
		if c.Focused() != w {
			t.Errorf("%s lost the focus to %v", name, c.Focused())
		}
	}
}

func TestATappedJobsRowKeepsArrowsForTheListAndTimelineKeysForTheShell(t *testing.T) {
	ts, _ := openOneJob(t, Options{})
	var j *jobsTab
	for _, tb := range ts.tabs.tabs {
		if v, ok := tb.(*jobsTab); ok {
			j = v
		}
	}
	if !ts.tabs.selectTitle("Jobs") {
		t.Fatal("no Jobs tab")
	}
	if j.list.Length() == 0 {
		t.Fatal("the jobs list is empty")
	}
	c := ts.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(j.list)
	test.TapCanvas(c, pos.Add(fyne.NewPos(20, 10)))
	if c.Focused() != fyne.Focusable(j.list) {
		t.Fatalf("a tap on the first job focused %v, not the jobs list", c.Focused())
	}
	ts.Seek(3)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if ts.pos.Pos != 4 {
		t.Errorf("→ in the jobs list moved the position to %d, want 4", ts.pos.Pos)
	}
	j.list.UnselectAll()
	selected := -1
	j.list.OnSelected = func(id int) { selected = id }
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if selected != 0 {
		t.Errorf("Return selected row %d, want the focused row 0", selected)
	}
}

func TestTheFilterBoxKeepsItsKeys(t *testing.T) {
	ts, _ := openOneJob(t, Options{})
	c := ts.win.Canvas()
	ts.Seek(5)
	live := ts.pos.Live
	c.Focus(ts.side.filter)
	test.Type(ts.side.filter, "l x")
	for _, k := range []fyne.KeyName{fyne.KeyLeft, fyne.KeyHome, fyne.KeyEnd, fyne.KeyRight} {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	if ts.side.filter.Text != "l x" {
		t.Errorf("the filter holds %q, want %q", ts.side.filter.Text, "l x")
	}
	if ts.pos.Pos != 5 || ts.pos.Live != live || ts.playing {
		t.Errorf("keys in the filter moved the timeline: position %d, live %v, playing %v", ts.pos.Pos, ts.pos.Live, ts.playing)
	}
	if c.Focused() != ts.side.filter {
		t.Errorf("the filter lost the focus to %v", c.Focused())
	}
}
