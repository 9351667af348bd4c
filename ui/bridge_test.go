package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

func TestFollowerExtendsTheSliderAndLiveModeMovesThePosition(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	if len(l.Entries) < 30 {
		t.Fatalf("fixture has %d entries, want at least 30", len(l.Entries))
	}
	m, es := memoryOf(t, l, "one-job", 10)
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")

	if got := ts.pos.Reader.Len(); got != 10 {
		t.Fatalf("after the first read the timeline has %d entries, want 10", got)
	}
	if !ts.pos.Live || ts.pos.Pos != 9 || ts.bar.slider.Max != 9 || ts.bar.slider.Value != 9 {
		t.Fatalf("live at open: live %v pos %d slider %v/%v, want live at 9", ts.pos.Live, ts.pos.Pos, ts.bar.slider.Value, ts.bar.slider.Max)
	}

	// Live: new entries move the position to the newest.
	if err := m.Append("one-job", sourceEntries(es[10:20])...); err != nil {
		t.Fatal(err)
	}
	ts.q.until(t, "the follower appends 10 entries", func() bool { return ts.bar.slider.Max == 19 })
	if ts.pos.Pos != 19 || ts.bar.slider.Value != 19 {
		t.Errorf("live: position %d, slider %v after the append; want 19", ts.pos.Pos, ts.bar.slider.Value)
	}
	want := replayTo(t, l, 19)
	if !value.Equal(ts.pos.Replica.Map(), want.Map()) {
		t.Errorf("live: the replica shown is not the replica after entry 19")
	}

	// Time travel: the end of the slider grows, the position stays.
	ts.Seek(5)
	if ts.pos.Live {
		t.Fatal("Seek left Live mode on")
	}
	shows := ts.tabs.n
	if err := m.Append("one-job", sourceEntries(es[20:])...); err != nil {
		t.Fatal(err)
	}
	n := len(es)
	ts.q.until(t, "the follower appends the rest", func() bool { return ts.bar.slider.Max == float64(n-1) })
	if ts.pos.Pos != 5 || ts.bar.slider.Value != 5 {
		t.Errorf("time travel: position %d, slider %v after the append; want 5", ts.pos.Pos, ts.bar.slider.Value)
	}
	if ts.tabs.n == shows || ts.tabs.last.Pos != 5 {
		t.Errorf("time travel: the tabs were not shown the grown log (%d shows, last at %d)", ts.tabs.n-shows, ts.tabs.last.Pos)
	}
	if !value.Equal(ts.pos.Replica.Map(), replayTo(t, l, 5).Map()) {
		t.Errorf("time travel: the replica shown is not the replica after entry 5")
	}

	// Back to Live: the position jumps to the newest entry.
	ts.setLive(true)
	if ts.pos.Pos != n-1 || !ts.bar.live.Checked {
		t.Errorf("Live on: position %d, check %v; want %d and checked", ts.pos.Pos, ts.bar.live.Checked, n-1)
	}
}

// replayTo is the replica after the entry at pos, replayed naively.
func replayTo(t *testing.T, l *replay.Log, pos int) replay.Replica {
	t.Helper()
	r := l.Origin
	for _, e := range l.Entries[:pos+1] {
		r, _ = replay.Apply(l.Version, r, e)
	}
	return r
}

func TestRefreshesAreCoalescedToOnePerDrain(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", 5)
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	refreshes := 0
	f := ts.feed
	ui := feedUI{refresh: func(*feed) { refreshes++ }}
	for i := 5; i < 15; i++ {
		f.tl.Append(es[i])
		ts.br.changed(f, ui)
	}
	ts.q.drain()
	if refreshes != 1 {
		t.Errorf("10 appends before the UI ran gave %d refreshes, want 1", refreshes)
	}
	f.tl.Append(es[15])
	ts.br.changed(f, ui)
	ts.q.drain()
	if refreshes != 2 {
		t.Errorf("an append after the refresh ran gave %d refreshes in all, want 2", refreshes)
	}
}

func TestGarbageCollectionResetsTheTimelineToTheNewOrigin(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", len(l.Entries))
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	gen := ts.pos.Reader.Generation()
	if ts.bar.gc.Visible() {
		t.Fatal("a log from its first entry shows the garbage-collected label")
	}

	// GC compacts past the entry the follower waits for: it must start again
	// from the new origin.
	lastSeq := es[len(es)-1].Seq
	final := replayTo(t, l, len(es)-1)
	if err := m.GC("one-job", zklog.Origin{MessageID: lastSeq + 5, Replica: final.Map(), Raw: []byte{0}}); err != nil {
		t.Fatal(err)
	}
	next := value.Entry{Seq: lastSeq + 6, Created: es[len(es)-1].Created + 1000,
		Fn: value.Kw("gc"), Args: value.NewMap(value.Kw("id"), value.UUID{Hi: 1, Lo: 2})}
	if err := m.Append("one-job", zklog.Entry{Entry: next}); err != nil {
		t.Fatal(err)
	}
	ts.q.until(t, "the timeline restarts", func() bool { return ts.pos.Reader.Generation() != gen && ts.pos.Reader.Len() == 1 })
	if seq, _ := ts.pos.Reader.Origin(); seq != lastSeq+5 {
		t.Errorf("origin seq %d after the reset, want %d", seq, lastSeq+5)
	}
	if ts.pos.Reader.Seq(0) != lastSeq+6 {
		t.Errorf("first entry after the reset is %d, want %d", ts.pos.Reader.Seq(0), lastSeq+6)
	}
	if ts.pos.Pos != 0 || ts.bar.slider.Max != 0 {
		t.Errorf("live after the reset: position %d, slider max %v; want 0 and 0", ts.pos.Pos, ts.bar.slider.Max)
	}
	want := fmt.Sprintf("history before entry %d was garbage collected", lastSeq+6)
	if !ts.bar.gc.Visible() || ts.bar.gc.Text != want {
		t.Errorf("gc label %q (shown %v), want %q", ts.bar.gc.Text, ts.bar.gc.Visible(), want)
	}
}

func TestAFailedOpenShowsTheErrorAndStopsTheProgress(t *testing.T) {
	ts := newTestShell(t, Options{})
	m := zklog.NewMemory()
	ts.openTenancy("mem", m, "nope")
	ts.q.until(t, "the failure is reported", func() bool { return ts.head.banner.Visible() })
	if ts.prog.visible() {
		t.Error("the progress strip is still shown after the failure")
	}
	if got := ts.head.bannerTx.Text; !strings.HasPrefix(got, "Stopped: ") || !strings.Contains(got, "no such tenancy") {
		t.Errorf("banner %q does not say the tenancy is missing", got)
	}

	// Selecting it again retries.
	l := readFixture(t, "port-one-job-test.edn.gz")
	m2, _ := memoryOf(t, l, "nope", 4)
	ts.openTenancy("mem", m2, "nope")
	ts.q.until(t, "the retry loads", func() bool { return ts.pos.Reader != nil && ts.pos.Reader.Len() == 4 && !ts.prog.visible() })
}

func TestLoadJobRunsOffTheUIGoroutineAndAnswersThroughDo(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, _ := memoryOf(t, l, "one-job", 3)
	if err := m.PutJob("one-job", zklog.Job{ID: "j1", Name: "wordcount"}); err != nil {
		t.Fatal(err)
	}
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	var got zklog.Job
	var gotErr error
	done := false
	ts.LoadJob("j1", nil, func(j zklog.Job, err error) { got, gotErr, done = j, err, true })
	if done {
		t.Fatal("LoadJob answered before the UI goroutine ran its queue")
	}
	ts.q.until(t, "the job arrives", func() bool { return done })
	if gotErr != nil || got.Name != "wordcount" {
		t.Errorf("LoadJob gave %+v, %v; want the job named wordcount", got, gotErr)
	}
}

func TestWatchSourceRelistsOnTheClock(t *testing.T) {
	ts := newTestShell(t, Options{})
	m := zklog.NewMemory()
	m.Put(zklog.Header{Tenancy: zklog.Tenancy{ID: "a"}})
	lists := 0
	var last []zklog.Tenancy
	stop := ts.br.watchSource(func(context.Context) (zklog.Source, error) { return m, nil }, true, nil, nil,
		sourceUI{connected: func(zklog.Source) {}, listed: func(ts []zklog.Tenancy, err error) { lists++; last = ts }})
	defer stop()
	ts.q.until(t, "the first listing", func() bool { return lists == 1 })
	m.Put(zklog.Header{Tenancy: zklog.Tenancy{ID: "b"}})
	ts.q.until(t, "the relister waits on the clock", func() bool { return ts.clock.pending() > 0 })
	ts.clock.tick()
	ts.q.until(t, "the second listing", func() bool { return lists == 2 })
	if len(last) != 2 {
		t.Errorf("the second listing has %d tenancies, want 2", len(last))
	}
	if ts.clock.waited(0) != defaultRelist {
		t.Errorf("relisting waited %v, want %v", ts.clock.waited(0), defaultRelist)
	}
}

func TestWatchSourceReportsAnOpenError(t *testing.T) {
	ts := newTestShell(t, Options{})
	var got error
	ts.br.watchSource(func(context.Context) (zklog.Source, error) { return nil, errors.New("dial refused") }, true, nil, nil,
		sourceUI{connected: func(zklog.Source) { t.Error("connected after a failed open") }, listed: func(_ []zklog.Tenancy, err error) { got = err }})
	ts.q.until(t, "the error", func() bool { return got != nil })
	if got.Error() != "dial refused" {
		t.Errorf("got %v", got)
	}
}

func TestTaskReportsProgressAndItsErrorOnTheUIGoroutine(t *testing.T) {
	ts := newTestShell(t, Options{})
	var seen [][2]int
	var got error
	finished := false
	ts.br.task(func(ctx context.Context, progress func(int, int)) error {
		progress(1, 2)
		return errors.New("disk full")
	}, func(d, n int) { seen = append(seen, [2]int{d, n}) }, func(err error) { got, finished = err, true })
	ts.q.until(t, "the task ends", func() bool { return finished })
	if got == nil || got.Error() != "disk full" || len(seen) != 1 || seen[0] != [2]int{1, 2} {
		t.Errorf("task: error %v, progress %v", got, seen)
	}

	// Cancelling ends the work's context; done still runs.
	finished = false
	cancel := ts.br.task(func(ctx context.Context, _ func(int, int)) error {
		<-ctx.Done()
		return ctx.Err()
	}, nil, func(err error) { got, finished = err, true })
	cancel()
	ts.q.until(t, "the cancelled task ends", func() bool { return finished })
	if !errors.Is(got, context.Canceled) {
		t.Errorf("cancelled task: %v", got)
	}
}

func TestCancellingTheReadKeepsWhatWasReadAndAllowsReadingAgain(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, _ := memoryOf(t, l, "one-job", len(l.Entries))
	ts := newTestShell(t, Options{})
	ts.openTenancy("mem", m, "one-job")
	if !ts.prog.visible() {
		t.Fatal("no progress strip while opening")
	}
	test.Tap(ts.prog.cancel)
	if ts.prog.visible() || !ts.failed || !strings.Contains(ts.head.bannerTx.Text, "reading cancelled") {
		t.Errorf("after Cancel: strip %v, failed %v, banner %q", ts.prog.visible(), ts.failed, ts.head.bannerTx.Text)
	}
	if ts.feed.ctx.Err() == nil {
		t.Error("Cancel left the worker's context alive")
	}
	ts.q.drain()
	ts.openMemory(t, m, "one-job")
	if ts.pos.Reader.Len() != len(l.Entries) {
		t.Errorf("reading again gave %d entries, want %d", ts.pos.Reader.Len(), len(l.Entries))
	}
}

func TestConnectionLossShowsABannerUntilReconnected(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, _ := memoryOf(t, l, "one-job", 5)
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	f := ts.feed
	ts.br.deliver(f, ts.feedUI(), zklog.Event{Kind: zklog.EventDisconnected, Err: errors.New("zk: connection closed")})
	ts.q.drain()
	if !ts.head.banner.Visible() || ts.head.bannerTx.Text != "Not connected: zk: connection closed" {
		t.Errorf("after a disconnect: banner %q shown %v", ts.head.bannerTx.Text, ts.head.banner.Visible())
	}
	ts.br.deliver(f, ts.feedUI(), zklog.Event{Kind: zklog.EventReconnected})
	ts.q.drain()
	if ts.head.banner.Visible() {
		t.Error("the banner stays after reconnecting")
	}

	// A report from a worker no longer open is ignored.
	old := &feed{}
	ts.onConn(old, errors.New("stale"))
	if ts.head.banner.Visible() {
		t.Error("a stale worker's disconnect showed the banner")
	}
}

func TestAnEntryThatDidNotDecodeIsFlaggedAndReplayGoesOn(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", 0)
	src := sourceEntries(es)
	const bad = 7
	decodeErr := fmt.Errorf("decode /onyx/one-job/log/entry-%010d: nippy: offset 3: unknown type id 90", es[bad].Seq)
	src[bad] = zklog.Entry{Entry: value.Entry{Seq: es[bad].Seq, Created: es[bad].Created}, Err: decodeErr}
	later := 20
	if err := m.Append("one-job", src[:later]...); err != nil {
		t.Fatal(err)
	}
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	if err := m.Append("one-job", src[later:]...); err != nil { // the follower's path too
		t.Fatal(err)
	}
	ts.q.until(t, "the follower appends the rest", func() bool { return ts.pos.Reader.Len() == len(es) })

	r := ts.pos.Reader
	if got := r.Entry(bad); got.Seq != es[bad].Seq || got.Created != es[bad].Created {
		t.Errorf("the undecodable entry is at position %d as seq %d created %d, want seq %d created %d",
			bad, got.Seq, got.Created, es[bad].Seq, es[bad].Created)
	}
	if r.Flag(bad) == nil {
		t.Errorf("the undecodable entry is not flagged")
	}
	if err := ts.decodeError(es[bad].Seq); err != decodeErr {
		t.Errorf("decode error of seq %d: %v, want %v", es[bad].Seq, err, decodeErr)
	}
	if err := ts.decodeError(es[bad+1].Seq); err != nil {
		t.Errorf("a decoded entry has a decode error: %v", err)
	}
	// Replay went on: the entries after it were applied, as if it were not there.
	skipped := *l
	skipped.Entries = append(append([]value.Entry{}, l.Entries[:bad]...), l.Entries[bad+1:]...)
	if want := replayTo(t, &skipped, len(skipped.Entries)-1); !value.Equal(r.Replica(r.Len()-1).Map(), want.Map()) {
		t.Errorf("the replica after the last entry is not the log's replayed without the undecodable entry")
	}
	var lt *logTab
	for _, tb := range ts.tabs.tabs {
		if x, ok := tb.(*logTab); ok {
			lt = x
		}
	}
	if row := lt.rowText(bad); !strings.Contains(row, "did not decode") || !strings.Contains(row, "unknown type id 90") {
		t.Errorf("log row %q does not give the decode error", row)
	}
	ts.Seek(bad)
	ts.q.until(t, "the tabs show the undecodable entry", func() bool { return ts.tabs.last.Pos == bad })
	if !strings.Contains(lt.flag.Text, "did not decode") || !strings.Contains(lt.flag.Text, decodeErr.Error()) || !lt.flag.Visible() {
		t.Errorf("entry pane flag %q (visible %v), want the decode error", lt.flag.Text, lt.flag.Visible())
	}
	if want := fmt.Sprintf("Entry %d", es[bad].Seq); !strings.HasPrefix(lt.head.Text, want) {
		t.Errorf("entry pane head %q, want %q", lt.head.Text, want)
	}
}
