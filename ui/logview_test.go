package ui

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// inspectLog reads testdata/inspect/NAME.edn[.gz].
func inspectLog(t testing.TB, name string) ([]byte, *replay.Log) {
	t.Helper()
	return readTestLog(t, "inspect", name)
}

// readTestLog reads testdata/DIR/NAME.edn[.gz] (gunzipped) and the log in it.
func readTestLog(t testing.TB, dir, name string) ([]byte, *replay.Log) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", dir, name+".edn*"))
	if len(files) != 1 {
		t.Fatalf("fixture %s: found %v", name, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(files[0], ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", files[0], err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", files[0], err)
		}
	}
	l, err := replay.ReadLog(b, nil)
	if err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	return b, l
}

// inspectTimeline replays fixture NAME into a timeline.
func inspectTimeline(t testing.TB, name string) *timeline.Timeline {
	t.Helper()
	_, l := inspectLog(t, name)
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{Every: 16})
	tl.Append(l.Entries...)
	return tl
}

// inspectAt is the Position the shell builds for pos.
func inspectAt(tl *timeline.Timeline, pos int) Position {
	return Position{Tenancy: "inspect", Start: zklog.Start{Version: tl.Version()}, Reader: tl, Pos: pos, Replica: tl.Replica(pos)}
}

// fakeHost is an inspectHost that records seeks and kill requests and runs
// tasks at once on the calling goroutine.
type fakeHost struct {
	win    fyne.Window
	app    fyne.App
	src    zklog.Source
	writes bool
	seeks  []int
	kills  int
	tasks  []string
	bad    map[int64]error // decode errors by Seq
}

var _ inspectHost = (*fakeHost)(nil)

func newFakeHost(t *testing.T) *fakeHost {
	a := test.NewTempApp(t)
	return &fakeHost{app: a, win: test.NewTempWindow(t, widget.NewLabel(""))}
}

func (f *fakeHost) Seek(pos int)                                     { f.seeks = append(f.seeks, pos) }
func (f *fakeHost) LoadJob(string, []string, func(zklog.Job, error)) {}
func (f *fakeHost) Background(work, done func())                     { work(); done() }
func (f *fakeHost) Window() fyne.Window                              { return f.win }
func (f *fakeHost) preferences() fyne.Preferences                    { return f.app.Preferences() }
func (f *fakeHost) source() zklog.Source                             { return f.src }
func (f *fakeHost) decodeError(seq int64) error                      { return f.bad[seq] }
func (f *fakeHost) writesAllowed() bool                              { return f.writes }
func (f *fakeHost) showKillJob(Position, value.Value)                { f.kills++ }
func (f *fakeHost) runTask(what string, work func(context.Context, func(int, int)) error, done func(error)) {
	f.tasks = append(f.tasks, what)
	done(work(context.Background(), func(int, int) {}))
}

func TestLogTabFollowsTheTimelineAndSeeksOnClick(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	lt := newLogTab(h)
	for _, pos := range []int{5, 0, tl.Len() - 1, -1} {
		lt.show(inspectAt(tl, pos))
		if lt.length() != tl.Len() {
			t.Fatalf("pos %d: %d rows, want %d", pos, lt.length(), tl.Len())
		}
		want := pos
		if pos < 0 {
			want = -1
		}
		if lt.cur != want {
			t.Errorf("show(%d): row %d selected, want %d", pos, lt.cur, want)
		}
	}
	if len(h.seeks) != 0 {
		t.Fatalf("following the timeline seeked %v", h.seeks)
	}
	lt.show(inspectAt(tl, 5))
	lt.list.Select(9)
	if len(h.seeks) != 1 || h.seeks[0] != 9 {
		t.Errorf("tapping row 9: seeks %v, want [9]", h.seeks)
	}
	e := tl.Entry(9)
	row := lt.rowText(9)
	if !strings.Contains(row, fmt.Sprint(e.Seq)) || !strings.Contains(row, e.Fn.String()) {
		t.Errorf("row 9 %q: want its seq %d and command %s", row, e.Seq, e.Fn)
	}
}

func TestLogTabRowsSayWhatHappened(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	lt := newLogTab(h)
	lt.show(inspectAt(tl, 0))
	pos := firstOf(t, tl, timeline.KindPeerJoined)
	ev := tl.Events(pos)[0]
	if row := lt.rowText(pos); !strings.Contains(row, ev.Text) {
		t.Errorf("row %d %q: want the event %q", pos, row, ev.Text)
	}
	// An entry without events is told from its args.
	e := value.Entry{Fn: value.Kw("kill-job"), Args: value.NewMap(value.Kw("job"), value.MustUUID("3f6e2c1a-0000-4000-8000-000000000001"))}
	if s := summary(e, nil); s != "kill job 3f6e2c1a…" {
		t.Errorf("summary of a kill-job: %q", s)
	}
}

// firstOf is the first position with an event of kind k.
func firstOf(t testing.TB, tl *timeline.Timeline, k timeline.Kind) int {
	t.Helper()
	evs := tl.EventsIn(0, tl.Len()-1, k)
	if len(evs) == 0 {
		t.Fatalf("no %s event in the log", k)
	}
	return evs[0].Pos
}

func TestLogTabFiltersCountMatchesAndSteps(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	lt := newLogTab(h)
	lt.show(inspectAt(tl, tl.Len()-1))
	job := tl.Replica(tl.Len() - 1).Jobs()[0].(value.UUID)
	cases := []struct {
		name string
		set  func()
		want timeline.Filter
	}{
		{"a command", func() { lt.fn.SetText(":submit-job") }, timeline.Filter{Fns: []value.Keyword{value.Kw("submit-job")}}},
		{"an event kind", func() { lt.kind.SetSelected("peer-joined") }, timeline.Filter{Kinds: []timeline.Kind{timeline.KindPeerJoined}}},
		{"a job id prefix", func() { lt.job.SetText(job.String()[:8]) }, timeline.Filter{Job: job}},
		{"free text", func() { lt.free.SetText("accept") }, timeline.Filter{Text: "accept"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lt.fn.SetText("")
			lt.kind.SetSelected(anyKind)
			lt.job.SetText("")
			lt.free.SetText("")
			lt.show(inspectAt(tl, -1))
			h.seeks = nil
			c.set()
			want := tl.Filter(c.want)
			if len(want) < 2 {
				t.Fatalf("the fixture has %d matches; the case needs two", len(want))
			}
			if lt.length() != len(want) || lt.rows[0] != want[0] {
				t.Fatalf("rows %v, want %v", lt.rows, want)
			}
			if got, w := lt.count.Text, fmt.Sprintf("%d of %d entries match", len(want), tl.Len()); got != w {
				t.Errorf("count %q, want %q", got, w)
			}
			lt.step(1)
			lt.show(inspectAt(tl, want[0]))
			lt.step(1)
			lt.show(inspectAt(tl, want[1]))
			lt.step(-1)
			if fmt.Sprint(h.seeks) != fmt.Sprint([]int{want[0], want[1], want[0]}) {
				t.Errorf("next, next, previous: seeks %v, want %v", h.seeks, []int{want[0], want[1], want[0]})
			}
			if lt.cur != 1 {
				t.Errorf("at the second match: row %d selected, want 1", lt.cur)
			}
		})
	}
}

func TestLogTabEntryPaneShowsEdnEventsAndEncoding(t *testing.T) {
	cases := []struct{ fixture, codec string }{
		{"0.5.3-port-one-job-test", "Fressian"},
		{"0.8.3-port-two-job-test", "Nippy"},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			h := newFakeHost(t)
			tl := inspectTimeline(t, c.fixture)
			lt := newLogTab(h)
			pos := firstOf(t, tl, timeline.KindJobSubmitted)
			lt.show(inspectAt(tl, pos))
			e := tl.Entry(pos)
			if !strings.Contains(lt.head.Text, fmt.Sprintf("Entry %d", e.Seq)) {
				t.Errorf("head %q: want entry %d", lt.head.Text, e.Seq)
			}
			if !strings.Contains(lt.evs.Text, tl.Events(pos)[0].Text) {
				t.Errorf("events %q: want %q", lt.evs.Text, tl.Events(pos)[0].Text)
			}
			if !strings.Contains(lt.enc.Text, "Stored as "+c.codec) {
				t.Errorf("encoding %q: want %s", lt.enc.Text, c.codec)
			}
			if !strings.Contains(lt.edn.Text, ":submit-job") {
				t.Errorf("EDN %q: want :submit-job", lt.edn.Text)
			}
			if lt.flag.Visible() != (tl.Flag(pos) != nil) {
				t.Errorf("flag shown %v, entry flagged %v", lt.flag.Visible(), tl.Flag(pos))
			}
		})
	}
}

func TestLogTabFlagsEntriesReplayIgnored(t *testing.T) {
	h := newFakeHost(t)
	_, l := inspectLog(t, "0.8.3-port-two-job-test")
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{Every: 16})
	tl.Append(l.Entries...)
	// Replay leaves an unknown command out of the replica and flags it.
	tl.Append(value.Entry{Seq: tl.Seq(tl.Len()-1) + 1, Fn: value.Kw("no-such-command"), Args: value.NewMap()})
	pos := tl.Len() - 1
	if tl.Flag(pos) == nil {
		t.Fatalf("replay did not flag an unknown command")
	}
	lt := newLogTab(h)
	lt.show(inspectAt(tl, pos))
	if !lt.flag.Visible() || !strings.Contains(lt.flag.Text, tl.Flag(pos).Error()) {
		t.Errorf("flag %q (shown %v): want %q", lt.flag.Text, lt.flag.Visible(), tl.Flag(pos))
	}
	if !strings.HasPrefix(lt.rowText(pos), "⚠") {
		t.Errorf("row %q: want the flag mark", lt.rowText(pos))
	}
}

func BenchmarkLogTabRows(b *testing.B) {
	test.NewTempApp(b)
	tl := inspectTimeline(b, "0.8.3-port-two-job-test")
	lt := newLogTab(&fakeHost{})
	lt.show(inspectAt(tl, 0))
	n := tl.Len()
	b.ReportAllocs()
	for b.Loop() {
		clear(lt.text)
		for pos := range n {
			_ = lt.rowText(pos)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkLogTabShowMillion moves the position of a laid-out Log tab over a
// timeline of a million entries (replayed with a stand-in apply): selecting
// and scrolling to the row, and making the rows that come into view.
func BenchmarkLogTabShowMillion(b *testing.B) {
	test.NewTempApp(b)
	const n = 1_000_000
	_, l := inspectLog(b, "0.8.3-port-two-job-test")
	keep := func(_ replay.Version, r replay.Replica, _ value.Entry) (replay.Replica, error) { return r, nil }
	tl := timeline.New(l.Version, -1, l.Origin, timeline.Options{Apply: keep})
	es := make([]value.Entry, n)
	for i := range es {
		e := l.Entries[i%len(l.Entries)]
		e.Seq, e.Created = int64(i), int64(1433851200000+i)
		es[i] = e
	}
	tl.Append(es...)
	lt := newLogTab(&fakeHost{})
	w := test.NewWindow(lt.object())
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	for _, c := range []struct {
		name string
		step int
	}{{"step=1", 1}, {"jump", 7919 * 13}} {
		b.Run(c.name, func(b *testing.B) {
			pos := n / 2
			b.ReportAllocs()
			for b.Loop() {
				pos = (pos + c.step) % n
				lt.show(inspectAt(tl, pos))
			}
		})
	}
}
