package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/archive"
)

func TestExportEDNPlainAndRedacted(t *testing.T) {
	b, l := inspectLog(t, "0.8.3-port-two-job-test")
	m, err := archive.FromEDN(b, "two-job", nil)
	if err != nil {
		t.Fatal(err)
	}
	peer := l.Entries[0].Args.Val(value.Kw("joiner")).(value.UUID).String()
	for _, redact := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "out.edn")
		if err := exportEDNFile(context.Background(), m, "two-job", path, redact); err != nil {
			t.Fatal(err)
		}
		out, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		back, err := replay.ReadLog(out, nil)
		if err != nil {
			t.Fatalf("redact %v: the export does not read back: %v", redact, err)
		}
		if len(back.Entries) != len(l.Entries) || back.Version != l.Version {
			t.Errorf("redact %v: %d entries of %s, want %d of %s", redact, len(back.Entries), back.Version, len(l.Entries), l.Version)
		}
		if has := strings.Contains(string(out), peer); has == redact {
			t.Errorf("redact %v: the first peer's id in the export: %v", redact, has)
		}
	}
}

func TestCopyEntryPutsTheEntryOnTheClipboard(t *testing.T) {
	newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	copyEntry(inspectAt(tl, 4))
	got := fyne.CurrentApp().Clipboard().Content()
	if got != value.PrStr(tl.Entry(4).Value()) {
		t.Errorf("copied %q, want entry 4's EDN", got)
	}
}

func TestRunTaskWorksOffTheUIGoroutineAndCancels(t *testing.T) {
	a := newFakeHost(t).app
	ui := make(chan func(), 16)
	w := a.NewWindow("t")
	w.Resize(fyne.NewSize(800, 600))
	s := newShell(a, w, Options{Do: func(f func()) { ui <- f }})
	defer s.br.close()
	started := make(chan struct{})
	var got error
	finished := false
	s.runTask("Waiting", func(ctx context.Context, _ func(int, int)) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, func(err error) { got, finished = err, true })
	<-started
	top := s.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no progress dialog while the task runs")
	}
	var cancel *widget.Button
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Cancel" {
			cancel = b
		}
	}
	if cancel == nil {
		t.Fatal("the progress dialog has no Cancel button")
	}
	test.Tap(cancel)
	(<-ui)()
	if !finished || !errors.Is(got, context.Canceled) {
		t.Errorf("after Cancel: finished %v, err %v; want context.Canceled", finished, got)
	}
}
