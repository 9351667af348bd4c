// Package ui is the desktop app's views. It imports Fyne's widgets, never
// fyne.io/fyne/v2/app (only main does), and reaches the log through
// zklog.Source and model/timeline. Only bridge.go starts goroutines or hands
// work to the UI goroutine; everything else runs on the UI goroutine.
package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
)

// Title is the main window's title.
const Title = "Onyx Dashboard"

// Options are the command-line choices the window opens with.
type Options struct {
	ZK          string // ZooKeeper ensemble, "host:port[,host:port]"; empty: the bundled demo
	Open        string // archive file to open instead of ZooKeeper
	Tenancy     string // tenancy ID to select at start
	At          int    // log position (entry number, the Seq) to open at; -1: where the user left off
	AllowWrites bool   // permit actions that write to ZooKeeper

	// Dial connects to a ZooKeeper ensemble. main sets it to a wrapper of
	// zklog/zk's Dial, which ui does not import (style.md, Layout); a
	// Source that has a Close method is closed when it is no longer used.
	// Nil: ZooKeeper sources report that this build cannot connect.
	Dial func(ctx context.Context, addr string, timeout time.Duration, auth []string) (zklog.Source, error)
	// Do hands work to the UI goroutine; nil: fyne.Do. Tests set a queue.
	Do func(func())
}

// New builds the main window of a; the caller shows it.
func New(a fyne.App, o Options) fyne.Window {
	w := a.NewWindow(Title)
	s := newShell(a, w, o)
	w.SetContent(s.content())
	w.SetMainMenu(s.menu())
	s.bindKeys()
	w.Resize(fyne.NewSize(1280, 800))
	w.SetOnClosed(s.close)
	s.start()
	return w
}

// shell is the window: the sidebar of sources, the header, the timeline bar
// and the tabs, and the position they all show. Its methods run on the UI
// goroutine.
type shell struct {
	app   fyne.App
	win   fyne.Window
	opts  Options
	br    *bridge
	prefs prefs

	side *sidebar
	head *header
	bar  *timelineBar
	prog *progress
	tabs *tabSet

	feed   *feed  // the open tenancy's worker; nil when none
	srcKey string // the key of the open tenancy's source
	pos    Position
	// openAt is the Seq to move to once it is in the timeline (--at or the
	// remembered position); -2 when none is pending, -1 for Live.
	openAt int64
	// atFlag is --at until the first deployment opens; -2 when none.
	atFlag  int64
	speed   float64 // play speed in entries/s; 0: real time
	playing bool
	// shownPos is the position whose replica the tabs show, in timeline
	// generation shownGen.
	shownPos int
	shownGen uint64
	shift    bool // Shift is held (desktop key events)
	closed   bool
	failed   bool // the open tenancy's worker stopped on an error
}

var _ Actions = (*shell)(nil)

func newShell(a fyne.App, w fyne.Window, o Options) *shell {
	do := o.Do
	if do == nil {
		do = fyne.Do
	}
	s := &shell{app: a, win: w, opts: o, br: newBridge(do), prefs: prefs{a.Preferences()}, openAt: -2, speed: 10}
	s.pos.Pos = -1
	s.atFlag = -2
	if o.At >= 0 {
		s.atFlag = int64(o.At)
	}
	s.head = newHeader(w)
	s.bar = newTimelineBar(s)
	s.prog = newProgress()
	s.tabs = newTabSet(s)
	s.side = newSidebar(s)
	return s
}

// content lays the window out: sidebar | header, timeline bar, tabs.
func (s *shell) content() fyne.CanvasObject {
	top := container.NewVBox(s.head.object(), s.prog.object(), s.bar.object())
	main := container.NewBorder(top, nil, nil, nil, s.tabs.object())
	split := container.NewHSplit(s.side.object(), main)
	split.Offset = 0.22
	return split
}

// start adds the sources the flags name (or the demo) and the remembered ones.
func (s *shell) start() {
	switch {
	case s.opts.ZK != "":
		s.side.addZK(zkConn{Addr: s.opts.ZK, Timeout: defaultZKTimeout}, true)
	case s.opts.Open != "":
		s.side.addFile(s.opts.Open, true)
	default:
		s.side.addDemo(true)
	}
	for _, c := range s.prefs.zkConns() {
		if c.Addr != s.opts.ZK {
			s.side.addZK(c, false)
		}
	}
}

// close stops the background work and remembers the position.
func (s *shell) close() {
	if s.closed {
		return
	}
	s.closed = true
	s.rememberPos()
	s.br.close()
}

// Window is the main window (Actions).
func (s *shell) Window() fyne.Window { return s.win }

// LoadJob reads a job's data off the UI goroutine (Actions).
func (s *shell) LoadJob(jobID string, taskIDs []string, done func(zklog.Job, error)) {
	s.br.loadJob(s.feed, jobID, taskIDs, done)
}

// Background runs work off the UI goroutine, then done on it (Actions).
func (s *shell) Background(work, done func()) {
	s.br.task(func(context.Context, func(int, int)) error { work(); return nil }, nil, func(error) { done() })
}

// Seek moves the timeline to pos and leaves Live mode (Actions).
func (s *shell) Seek(pos int) {
	s.setLive(false)
	s.seek(pos)
}

// seek moves to pos, clamped to the timeline, and shows it everywhere. The
// replica is computed here when it is cheap: the origin, the newest entry,
// or a few entries after the last replica shown (the timeline starts from
// it). Otherwise the bar moves at once and the bridge computes the replica;
// the header and tabs follow when it arrives.
func (s *shell) seek(pos int) {
	r := s.pos.Reader
	if r == nil {
		return
	}
	n := r.Len()
	pos = max(-1, min(pos, n-1))
	s.pos.Pos = pos
	gen := r.Generation()
	cheap := pos == -1 || pos == n-1 ||
		(s.shownGen == gen && s.shownPos <= pos && pos-s.shownPos <= nearSteps)
	if cheap {
		s.show(r.Replica(pos), gen)
		return
	}
	s.bar.show(s.pos)
	s.br.replica(r, pos, func(rep replay.Replica) {
		if s.pos.Reader == r && s.pos.Pos == pos && r.Generation() == gen {
			s.show(rep, gen)
		}
	})
}

// nearSteps is how many entries after the last shown replica seek computes
// on the UI goroutine (a few ms each on a 200-peer cluster).
const nearSteps = 8

// show shows the position with its replica everywhere.
func (s *shell) show(rep replay.Replica, gen uint64) {
	s.pos.Replica = rep
	s.shownPos, s.shownGen = s.pos.Pos, gen
	s.showAll()
}

// showAll shows the position in the header, the bar and every tab.
func (s *shell) showAll() {
	s.head.show(s.pos)
	s.bar.show(s.pos)
	s.tabs.show(s.pos)
}

// setLive switches between following the newest entry and time travel.
func (s *shell) setLive(on bool) {
	if s.pos.Live == on {
		return
	}
	s.pos.Live = on
	if on {
		s.stopPlaying()
		if s.pos.Reader != nil {
			s.seek(s.pos.Reader.Len() - 1)
			return
		}
	}
	s.bar.show(s.pos)
}

// openTenancy opens tenancy id of source src (from the sidebar).
func (s *shell) openTenancy(key string, src zklog.Source, id string) {
	if s.feed != nil && s.srcKey == key && s.pos.Tenancy == id && !s.failed {
		return
	}
	s.failed = false
	s.rememberPos()
	s.stopPlaying()
	s.srcKey = key
	s.openAt = s.prefs.lastSeq(key, id)
	if s.atFlag != -2 { // --at applies to the first deployment opened
		s.openAt, s.atFlag = s.atFlag, -2
	}
	s.pos = Position{Tenancy: id, Pos: -1, Live: s.openAt < 0}
	s.head.setConnection(nil)
	s.feed = s.br.open(src, id, s.feedUI())
	f := s.feed
	s.prog.start(fmt.Sprintf("Opening %s…", id), func() { s.cancelLoad(f) })
	s.showAll()
}

// cancelLoad stops reading f (the progress strip's Cancel): what was read
// stays shown, nothing more is followed, and selecting the deployment again
// reads it anew.
func (s *shell) cancelLoad(f *feed) {
	s.br.cancelRead(f)
	if f != s.feed {
		return
	}
	s.failed = true
	s.head.fail(errors.New("reading cancelled; select the deployment again to read it"))
}

// closeTenancy closes the open tenancy (its source went away).
func (s *shell) closeTenancy() {
	s.rememberPos()
	s.br.closeFeed()
	s.stopPlaying()
	s.feed = nil
	s.pos = Position{Pos: -1}
	s.prog.stop()
	s.showAll()
}

// feedUI routes a worker's reports to the shell.
func (s *shell) feedUI() feedUI {
	return feedUI{
		opened: s.onOpened, progress: s.onProgress, loaded: s.onLoaded, refresh: s.onRefresh,
		conn: s.onConn, failed: s.onFailed, reset: s.onReset,
	}
}

func (s *shell) onOpened(f *feed) {
	if f != s.feed {
		return
	}
	s.pos.Header, s.pos.Start, s.pos.Reader = f.header, f.start, f.tl
	s.prog.start(fmt.Sprintf("Reading %s…", f.id), func() { s.cancelLoad(f) })
	s.seek(-1)
}

func (s *shell) onProgress(f *feed, done, total int) {
	if f != s.feed {
		return
	}
	s.prog.set(done, total)
}

func (s *shell) onLoaded(f *feed) {
	if f != s.feed {
		return
	}
	s.prog.stop()
	s.onRefresh(f)
	if s.openAt >= 0 { // not in the log: go to the nearest entry before it
		p, _ := f.tl.Pos(s.openAt)
		s.openAt = -2
		s.Seek(p)
	}
	s.openAt = -2
}

// onRefresh extends the slider to the timeline's new end; in Live mode the
// position moves there, else it stays.
func (s *shell) onRefresh(f *feed) {
	if f != s.feed || s.pos.Reader == nil {
		return
	}
	r := s.pos.Reader
	if s.openAt >= 0 {
		if p, ok := r.Pos(s.openAt); ok {
			s.openAt = -2
			s.pos.Live = false
			s.seek(p)
			return
		}
	}
	if s.pos.Live {
		s.seek(r.Len() - 1)
		return
	}
	// Time travel: the replica stays, but the log grew (charts, counts).
	s.bar.show(s.pos)
	if s.shownPos == s.pos.Pos && s.shownGen == r.Generation() {
		s.tabs.show(s.pos)
	}
}

func (s *shell) onConn(f *feed, err error) {
	if f != s.feed {
		return
	}
	s.head.setConnection(err)
}

func (s *shell) onFailed(f *feed, err error) {
	if f != s.feed {
		return
	}
	s.failed = true
	s.prog.stop()
	s.head.fail(err)
}

// onReset: garbage collection moved the origin past the timeline; the
// positions are void, so the window starts again at the new origin.
func (s *shell) onReset(f *feed, originSeq int64) {
	if f != s.feed {
		return
	}
	s.seek(-1)
}

// rememberPos keeps the open tenancy's position (as a Seq) in preferences.
func (s *shell) rememberPos() {
	if s.pos.Reader == nil || s.pos.Tenancy == "" {
		return
	}
	seq := int64(-1)
	if !s.pos.Live {
		seq = s.pos.Reader.Seq(s.pos.Pos)
	}
	s.prefs.setLastSeq(s.srcKey, s.pos.Tenancy, seq)
}

// showOpen asks for an archive or EDN log file and adds it as a source.
func (s *shell) showOpen() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		s.side.addFile(path, true)
	}, s.win)
	d.SetTitleText("Open an archive or EDN log")
	d.Show()
}
