package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
)

// inspectHost is what the Log, Replica and Diff tabs ask of the window
// beyond Actions; the shell implements it (here and in killjob.go). A tab
// given plain Actions works without it: bookmarks stay in the current app's
// preferences and nothing can be killed. All methods run on the UI
// goroutine.
type inspectHost interface {
	Actions
	// preferences is where bookmarks are kept.
	preferences() fyne.Preferences
	// source is the open tenancy's source; nil when none is open.
	source() zklog.Source
	// runTask runs work off the UI goroutine with a progress dialog named
	// what and a Cancel button; done gets work's error on the UI goroutine.
	runTask(what string, work func(ctx context.Context, progress func(done, total int)) error, done func(error))
	// decodeError is why the znode of entry seq did not decode; nil when
	// it did (the entry is then in the timeline, flagged, with no command).
	decodeError(seq int64) error
	// writesAllowed is true when the app was started with --allow-writes.
	writesAllowed() bool
	// showKillJob asks which job of p to kill (job, when not nil, is the
	// one proposed) and kills it after a typed confirmation.
	showKillJob(p Position, job value.Value)
}

var _ inspectHost = (*shell)(nil)

func (s *shell) preferences() fyne.Preferences { return s.app.Preferences() }

func (s *shell) source() zklog.Source {
	if s.feed == nil {
		return nil
	}
	return s.feed.src
}

func (s *shell) decodeError(seq int64) error {
	if s.feed == nil {
		return nil
	}
	return s.feed.decodeErr(seq)
}

func (s *shell) writesAllowed() bool { return s.opts.AllowWrites }

// runTask shows a dialog with a progress bar while work runs on the bridge.
// An error is shown in a dialog when done is nil.
func (s *shell) runTask(what string, work func(context.Context, func(int, int)) error, done func(error)) {
	bar := widget.NewProgressBarInfinite()
	var cancel func()
	d := dialog.NewCustom(what, "Cancel", container.NewVBox(widget.NewLabel(what+"…"), bar), s.win)
	d.SetOnClosed(func() {
		if cancel != nil {
			cancel()
		}
	})
	d.Show()
	cancel = s.br.task(work, nil, func(err error) {
		cancel = nil
		d.Hide()
		if done != nil {
			done(err)
		} else if err != nil && !errors.Is(err, context.Canceled) {
			dialog.ShowError(err, s.win)
		}
	})
}

// fileMenuItems are the File menu's inspecting actions: save the open
// tenancy as an archive, export it as EDN (plain or redacted), copy the
// current entry or replica. The shell's menu adds them to File.
func (s *shell) fileMenuItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Save as archive…", s.saveArchive),
		fyne.NewMenuItem("Export EDN…", func() { s.exportEDN(false) }),
		fyne.NewMenuItem("Export EDN, redacted…", func() { s.exportEDN(true) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Copy current entry", func() { copyEntry(s.pos) }),
		fyne.NewMenuItem("Copy replica", func() { copyReplica(s.pos) }),
	}
}

// errNoTenancy: a file action needs an open tenancy.
var errNoTenancy = errors.New("no deployment is open")

// saveArchive asks for a file and writes the open tenancy into it as an
// archive, with its bookmarks.
func (s *shell) saveArchive() {
	src, id := s.source(), s.pos.Tenancy
	if src == nil {
		dialog.ShowError(errNoTenancy, s.win)
		return
	}
	bs := bookmarksOf(s, id)
	s.askSavePath(id+".onyxarchive", func(path string) {
		s.runTask("Saving "+filepath.Base(path), func(ctx context.Context, _ func(int, int)) error {
			return saveArchiveFile(ctx, src, id, path, s.srcKey, bs)
		}, nil)
	})
}

// saveArchiveFile captures tenancy id of src into an archive at path and
// writes bookmarks bs into it. It does I/O: call it off the UI goroutine.
func saveArchiveFile(ctx context.Context, src zklog.Source, id, path, from string, bs []archive.Bookmark) error {
	if err := archive.Capture(ctx, src, id, path, archive.CaptureOptions{Source: from}); err != nil {
		return err
	}
	if len(bs) == 0 {
		return nil
	}
	a, err := archive.Load(path)
	if err != nil {
		return fmt.Errorf("add bookmarks to %s: %w", path, err)
	}
	defer a.Close()
	for _, b := range bs {
		a.AddBookmark(b)
	}
	return a.Save()
}

// exportEDN asks for a file and writes the open tenancy into it as an EDN
// log, redacted (archive.Redact) when asked.
func (s *shell) exportEDN(redact bool) {
	src, id := s.source(), s.pos.Tenancy
	if src == nil {
		dialog.ShowError(errNoTenancy, s.win)
		return
	}
	name := id + ".edn"
	if redact {
		name = id + "-redacted.edn"
	}
	s.askSavePath(name, func(path string) {
		s.runTask("Exporting "+filepath.Base(path), func(ctx context.Context, _ func(int, int)) error {
			return exportEDNFile(ctx, src, id, path, redact)
		}, nil)
	})
}

// exportEDNFile writes tenancy id of src as an EDN log at path. It does
// I/O: call it off the UI goroutine.
func exportEDNFile(ctx context.Context, src zklog.Source, id, path string, redact bool) (err error) {
	l, err := archive.LogOf(ctx, src, id)
	if err != nil {
		return fmt.Errorf("export %s: %w", id, err)
	}
	if redact {
		l = archive.Redact(l)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("export %s: %w", id, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export %s to %s: %w", id, path, cerr)
		}
	}()
	if err := replay.WriteLog(f, l); err != nil {
		return fmt.Errorf("export %s to %s: %w", id, path, err)
	}
	return nil
}

// askSavePath asks where to save; then runs on the chosen path.
func (s *shell) askSavePath(name string, then func(path string)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // the writers make their own file beside it and rename
		then(path)
	}, s.win)
	d.SetFileName(name)
	d.Show()
}

// copyEntry puts the current entry, as EDN, on the clipboard.
func copyEntry(p Position) {
	if p.Reader == nil || p.Pos < 0 {
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(value.PrStr(p.Reader.Entry(p.Pos).Value()))
}

// copyReplica puts the current replica, as pretty EDN, on the clipboard.
func copyReplica(p Position) {
	if p.Reader == nil {
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(value.Pretty(p.Replica.Map(), 100))
}
