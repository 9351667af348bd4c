package ui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// openOneJob opens the one-job fixture, fully loaded, in a test shell.
func openOneJob(t *testing.T, o Options) (*testShell, []value.Entry) {
	t.Helper()
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", len(l.Entries))
	ts := newTestShell(t, o)
	ts.openMemory(t, m, "one-job")
	return ts, es
}

func TestMovingTheSliderShowsThatPositionsReplicaEverywhere(t *testing.T) {
	ts, es := openOneJob(t, Options{})
	l := readFixture(t, "port-one-job-test.edn.gz")
	for _, pos := range []int{-1, 0, 7, len(es) - 1, 12} {
		ts.bar.slider.SetValue(float64(pos))
		if ts.pos.Pos != pos {
			t.Errorf("slider at %d: position %d", pos, ts.pos.Pos)
			continue
		}
		// A far move computes the replica off the UI goroutine; the tabs
		// follow when it arrives.
		ts.q.until(t, "the replica arrives", func() bool { return ts.shownPos == pos })
		if ts.pos.Live {
			t.Errorf("slider at %d: still Live", pos)
		}
		want := l.Origin
		if pos >= 0 {
			want = replayTo(t, l, pos)
		}
		if !value.Equal(ts.pos.Replica.Map(), want.Map()) {
			t.Errorf("slider at %d: the position's replica is not the replay to %d", pos, pos)
		}
		if ts.tabs.last.Pos != pos || ts.tabs.last.Replica.Map() != ts.pos.Replica.Map() {
			t.Errorf("slider at %d: the tabs were shown position %d", pos, ts.tabs.last.Pos)
		}
		label := ts.bar.where.Text
		if pos < 0 {
			if !strings.HasPrefix(label, "origin") {
				t.Errorf("slider at the origin: label %q", label)
			}
			continue
		}
		wantLabel := "entry " + itoa(es[pos].Seq) + " of " + itoa(es[len(es)-1].Seq) + " · " +
			time.UnixMilli(es[pos].Created).UTC().Format(timeFormat)
		if label != wantLabel {
			t.Errorf("slider at %d: label %q, want %q", pos, label, wantLabel)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStepButtonsAndKeysMoveThePosition(t *testing.T) {
	ts, es := openOneJob(t, Options{})
	n := len(es)
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"Home goes to the origin", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyHome}) }, -1},
		{"→ steps one entry", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) }, 0},
		{"Shift+→ steps ten", func() {
			ts.shift = true
			ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
			ts.shift = false
		}, 10},
		{"← steps back one", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) }, 9},
		{"the +10 button", func() { test.Tap(ts.bar.steps[4]) }, 19},
		{"the -10 button", func() { test.Tap(ts.bar.steps[1]) }, 9},
		{"the next button", func() { test.Tap(ts.bar.steps[3]) }, 10},
		{"the previous button", func() { test.Tap(ts.bar.steps[2]) }, 9},
		{"End goes to the newest", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) }, n - 1},
		{"→ at the end stays", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) }, n - 1},
		{"the first button", func() { test.Tap(ts.bar.steps[0]) }, -1},
		{"← at the origin stays", func() { ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) }, -1},
		{"the last button", func() { test.Tap(ts.bar.steps[5]) }, n - 1},
	}
	for _, st := range steps {
		st.do()
		if ts.pos.Pos != st.want || ts.bar.slider.Value != float64(st.want) {
			t.Errorf("%s: position %d, slider %v; want %d", st.name, ts.pos.Pos, ts.bar.slider.Value, st.want)
		}
	}
	ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyL})
	if !ts.pos.Live || !ts.bar.live.Checked {
		t.Error("L did not turn Live on")
	}
	ts.typedKey(&fyne.KeyEvent{Name: fyne.KeyL})
	if ts.pos.Live {
		t.Error("L did not turn Live off")
	}
}

func TestJumpFieldTakesEntryNumbersAndTimes(t *testing.T) {
	ts, es := openOneJob(t, Options{})
	cases := []struct {
		text    string
		want    int
		wantErr string
	}{
		{"5", 5, ""},
		{"#12", 12, ""},
		{"2015-06-09 12:00:07", 7, ""},
		{"2015-06-09 12:00", 0, ""},
		{"2015-06-09T12:00:09Z", 9, ""},
		{"2015-06-09T14:00:09+02:00", 9, ""},
		{"2015-06-09 11:59", -1, ""},
		{"2030-01-01", len(es) - 1, ""},
		{"yesterday", 9, "neither an entry number nor a time"},
	}
	for _, c := range cases {
		test.Type(ts.bar.jump, c.text)
		ts.bar.jump.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if c.wantErr != "" {
			if !ts.bar.jumpErr.Visible() || !strings.Contains(ts.bar.jumpErr.Text, c.wantErr) {
				t.Errorf("%q: error label %q (shown %v), want %q", c.text, ts.bar.jumpErr.Text, ts.bar.jumpErr.Visible(), c.wantErr)
			}
			ts.bar.jump.SetText("")
			continue
		}
		if ts.bar.jumpErr.Visible() {
			t.Errorf("%q: error %q", c.text, ts.bar.jumpErr.Text)
		}
		if ts.pos.Pos != c.want {
			t.Errorf("%q: position %d, want %d", c.text, ts.pos.Pos, c.want)
		}
		if ts.bar.jump.Text != "" {
			t.Errorf("%q: the field kept %q after the jump", c.text, ts.bar.jump.Text)
		}
	}
}

func TestPlayStepsOnTheClockAndStopsAtTheEnd(t *testing.T) {
	ts, es := openOneJob(t, Options{})
	n := len(es)
	ts.Seek(n - 4)
	ts.bar.speed.SetSelected("100/s")
	ts.typedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if !ts.playing {
		t.Fatal("Space did not start playing")
	}
	for want := n - 3; want <= n-1; want++ {
		ts.q.until(t, "the player waits", func() bool { return ts.clock.pending() > 0 })
		ts.clock.tick()
		ts.q.until(t, "the player steps", func() bool { return ts.pos.Pos == want })
	}
	if got := ts.clock.waited(0); got != 10*time.Millisecond {
		t.Errorf("at 100 entries/s the player waited %v, want 10ms", got)
	}
	ts.q.until(t, "the player waits", func() bool { return ts.clock.pending() > 0 })
	ts.clock.tick()
	ts.q.until(t, "the player stops at the end", func() bool { return !ts.playing })
	if ts.pos.Pos != n-1 {
		t.Errorf("the player ended at %d, want %d", ts.pos.Pos, n-1)
	}

	// Real time waits the gap between the entries' timestamps (1 s here).
	ts.bar.speed.SetSelected("real time")
	ts.Seek(3)
	if got := ts.playDelay(); got != time.Second {
		t.Errorf("real-time delay between entries a second apart: %v", got)
	}
	// From the newest entry, play starts over at the origin.
	ts.Seek(n - 1)
	ts.togglePlay()
	if ts.pos.Pos != -1 || !ts.playing {
		t.Errorf("play from the end: position %d playing %v; want the origin, playing", ts.pos.Pos, ts.playing)
	}
	ts.togglePlay()
	if ts.playing {
		t.Error("a second toggle did not pause")
	}
}

func TestMarkersFollowTheTimelinesEventsAndJumpWhenTapped(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{})
	tl.Append(l.Entries...)
	var jumped []int
	m := newMarkers(func(pos int) { jumped = append(jumped, pos) })
	w := test.NewTempWindow(t, m)
	w.Resize(fyne.NewSize(400, 40))
	if !m.update(tl) {
		t.Fatal("the first update changed nothing")
	}
	if m.update(tl) {
		t.Error("a second update without new entries reported a change")
	}
	peers := tl.Filter(timeline.Filter{Kinds: []timeline.Kind{timeline.KindPeerJoined, timeline.KindPeerLeft, timeline.KindJoinAborted}})
	jobs := tl.Filter(timeline.Filter{Kinds: []timeline.Kind{timeline.KindJobSubmitted, timeline.KindJobStarted, timeline.KindJobCompleted}})
	counts := m.markCounts()
	if len(jobs) == 0 || counts[markJob] == 0 {
		t.Fatalf("job markers %d for %d job events", counts[markJob], len(jobs))
	}
	for _, p := range jobs {
		if m.cats[p] < markJob {
			t.Errorf("entry %d has a job event but marker %d", p, m.cats[p])
		}
	}
	for _, p := range peers {
		if m.cats[p] < markPeer {
			t.Errorf("entry %d has a peer event but marker %d", p, m.cats[p])
		}
	}

	// The same marks come from the full scan (Filter) and the tail scan
	// (EventsIn): build them again one entry at a time.
	inc := newMarkers(nil)
	tl2 := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{})
	for _, e := range l.Entries {
		tl2.Append(e)
		inc.update(tl2)
	}
	if string(inc.cats) != string(m.cats) {
		t.Errorf("incremental markers differ from the full scan:\n%v\n%v", inc.cats, m.cats)
	}

	cols := m.columns(int(m.Size().Width - 2*m.inset))
	marked := 0
	for _, c := range cols {
		if c != markNone {
			marked++
		}
	}
	if marked == 0 {
		t.Fatal("no column is marked")
	}
	r := test.WidgetRenderer(m)
	if len(r.Objects()) == 0 {
		t.Error("the renderer draws nothing")
	}

	// Tap on the first job event's column: it jumps there.
	p := jobs[0]
	x := m.inset + float32(p+1)/float32(len(m.cats))*(m.Size().Width-2*m.inset)
	m.Tapped(&fyne.PointEvent{Position: fyne.NewPos(x, 5)})
	if len(jumped) != 1 || m.cats[jumped[0]] == markNone {
		t.Fatalf("tap at the job marker jumped to %v, want a marked entry", jumped)
	}
	if d := jumped[0] - p; d < -3 || d > 3 {
		t.Errorf("tap at entry %d's marker jumped to %d", p, jumped[0])
	}
}

func TestCtrlShortcutsFocusTheFilterAndOpenTheFileDialog(t *testing.T) {
	ts := newTestShell(t, Options{})
	c := ts.win.Canvas()
	c.(fyne.Shortcutable).TypedShortcut(scFilter)
	if c.Focused() != ts.side.filter {
		t.Errorf("Ctrl+F focused %v, want the filter box", c.Focused())
	}
	if c.Overlays().Top() != nil {
		t.Fatal("an overlay is shown before Ctrl+O")
	}
	c.(fyne.Shortcutable).TypedShortcut(scOpen)
	if c.Overlays().Top() == nil {
		t.Error("Ctrl+O showed no dialog")
	}
}

func TestCtrlDigitsSwitchTabsFromTheMenuAndTheCanvas(t *testing.T) {
	ts := newTestShell(t, Options{})
	titles := []string{"Overview", "Jobs", "Allocations", "Peers", "Log", "Replica", "Diff"}
	var view *fyne.Menu
	for _, m := range ts.menu().Items {
		if m.Label == "View" {
			view = m
		}
	}
	if view == nil {
		t.Fatal("no View menu")
	}
	items := map[string]*fyne.MenuItem{}
	for _, it := range view.Items {
		items[it.Label] = it
	}
	for i, title := range titles {
		it := items[title]
		if it == nil {
			t.Fatalf("the View menu lacks %q", title)
		}
		sc, ok := it.Shortcut.(*desktop.CustomShortcut)
		if !ok || sc.KeyName != fyne.KeyName(fmt.Sprint(i+1)) || sc.Modifier != fyne.KeyModifierShortcutDefault {
			t.Errorf("%s: shortcut %v, want Ctrl+%d", title, it.Shortcut, i+1)
		}
	}
	for i := len(titles) - 1; i >= 0; i-- {
		items[titles[i]].Action()
		if got := ts.tabs.app.SelectedIndex(); got != i {
			t.Errorf("menu item %s selected tab %d, want %d", titles[i], got, i)
		}
	}
	c := ts.win.Canvas()
	for i := range titles {
		c.(fyne.Shortcutable).TypedShortcut(scTabs[i])
		if got := ts.tabs.app.SelectedIndex(); got != i {
			t.Errorf("Ctrl+%d on the canvas selected tab %d, want %d", i+1, got, i)
		}
	}
}
