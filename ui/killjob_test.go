package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/value"
)

// killButtons counts the "Kill job…" buttons laid out in o.
func killButtons(t *testing.T, o fyne.CanvasObject) int {
	t.Helper()
	w := test.NewTempWindow(t, o)
	w.Resize(fyne.NewSize(1200, 800))
	n := 0
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == "Kill job…" {
			n++
		}
	}
	return n
}

// inspectShell is a shell that runs nothing in the background.
func inspectShell(t *testing.T, o Options) *shell {
	a := test.NewTempApp(t)
	o.Do = func(f func()) { f() }
	s := newShell(a, test.NewTempWindow(t, widget.NewLabel("")), o)
	t.Cleanup(s.br.close)
	return s
}

func TestNoKillActionWithoutAllowWrites(t *testing.T) {
	s := inspectShell(t, Options{})
	for _, tb := range s.tabs.tabs {
		if n := killButtons(t, tb.object()); n != 0 {
			t.Errorf("tab %s has %d kill buttons without --allow-writes", tb.title(), n)
		}
	}
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	s.srcKey = "zk:127.0.0.1:1"
	s.showKillJob(inspectAt(tl, tl.Len()-1), nil)
	if top := s.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("showKillJob without --allow-writes opened %T", top)
	}
}

func TestKillActionWithAllowWrites(t *testing.T) {
	s := inspectShell(t, Options{AllowWrites: true})
	if n := killButtons(t, newLogTab(s).object()) + killButtons(t, newReplicaTab(s).object()); n != 2 {
		t.Errorf("%d kill buttons in the Log and Replica tabs, want one each", n)
	}
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	s.srcKey = "zk:127.0.0.1:1"
	s.showKillJob(inspectAt(tl, tl.Len()-1), nil)
	if s.win.Canvas().Overlays().Top() == nil {
		t.Error("showKillJob with --allow-writes opened no dialog")
	}
}

func TestKillJobDialogNeedsTheJobIdTypedOut(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(800, 600))
	j1, j2 := value.MustUUID("3f6e2c1a-0000-4000-8000-000000000001"), value.MustUUID("a72c0000-0000-4000-8000-000000000002")
	cases := []struct {
		name  string
		typed string
		want  value.Value
	}{
		{"the full id kills", j2.String(), j2},
		{"a prefix does not", j2.String()[:8], nil},
		{"another job's id does not", j1.String(), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var killed value.Value
			d, confirm := killJobDialog(w, "t", []value.Value{j1, j2}, j2, func(j value.Value, _ []string) { killed = j })
			d.Show()
			defer d.Hide()
			confirm.SetText(c.typed)
			d.Submit()
			if !value.Equal(killed, c.want) {
				t.Errorf("typed %q: killed %v, want %v", c.typed, killed, c.want)
			}
		})
	}
}

func TestLiveJobsLeaveOutKilledAndCompleted(t *testing.T) {
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	r := tl.Replica(tl.Len() - 1)
	live := liveJobs(r)
	for _, j := range live {
		for _, k := range append(r.KilledJobs(), r.CompletedJobs()...) {
			if value.Equal(j, k) {
				t.Errorf("job %s is live and killed or completed", value.PrStr(j))
			}
		}
	}
	if len(live) == 0 {
		t.Error("no live job at the end of the two-job test")
	}
}
