package ui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// fakeActions records what views ask of the window and answers LoadJob
// from canned jobs, at once or when release is called.
type fakeActions struct {
	seeks   []int
	loads   []string
	taskIDs [][]string
	jobs    map[string]zklog.Job
	errs    map[string]error
	hold    bool
	pending []func()
}

func (f *fakeActions) Seek(pos int) { f.seeks = append(f.seeks, pos) }

func (f *fakeActions) LoadJob(jobID string, taskIDs []string, done func(zklog.Job, error)) {
	f.loads = append(f.loads, jobID)
	f.taskIDs = append(f.taskIDs, taskIDs)
	reply := func() { done(f.jobs[jobID], f.errs[jobID]) }
	if f.hold {
		f.pending = append(f.pending, reply)
		return
	}
	reply()
}

// Background runs work and done at once, or holds them for release.
func (f *fakeActions) Background(work, done func()) {
	if f.hold {
		f.pending = append(f.pending, func() { work(); done() })
		return
	}
	work()
	done()
}

// release answers the held LoadJob calls.
func (f *fakeActions) release() {
	for _, p := range f.pending {
		p()
	}
	f.pending = nil
}

func (f *fakeActions) Window() fyne.Window { return nil }

var _ Actions = (*fakeActions)(nil)

// fixture replays testdata/views/NAME.edn[.gz] into a timeline.
func fixture(t testing.TB, name string) *timeline.Timeline {
	t.Helper()
	_, l := readTestLog(t, "views", name)
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{Every: 16})
	tl.Append(l.Entries...)
	return tl
}

// shiftedFixture is fixture NAME with every Seq moved up by by, as if GC had
// deleted the log's first entries: Seqs and positions then differ.
func shiftedFixture(t testing.TB, name string, by int64) *timeline.Timeline {
	t.Helper()
	src := fixture(t, name)
	originSeq, origin := src.Origin()
	tl := timeline.New(src.Version(), originSeq+by, origin, timeline.Options{Every: 16})
	for pos := range src.Len() {
		e := src.Entry(pos)
		e.Seq += by
		tl.Append(e)
	}
	return tl
}

// at is the Position a shell would build for pos.
func at(tl *timeline.Timeline, pos int) Position {
	return Position{
		Tenancy: "test",
		Start:   zklog.Start{Version: tl.Version()},
		Reader:  tl,
		Pos:     pos,
		Replica: tl.Replica(pos),
	}
}

// firstPos is the first position with an event of kind k.
func firstPos(t testing.TB, rd timeline.Reader, k timeline.Kind) int {
	t.Helper()
	evs := rd.EventsIn(0, rd.Len()-1, k)
	if len(evs) == 0 {
		t.Fatalf("no %s event in the log", k)
	}
	return evs[0].Pos
}

func TestShortIDsNamesAndNumbers(t *testing.T) {
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"a uuid shows its first 8 hex digits", shortID(value.MustUUID("8759b393-f9d6-4074-9ff0-ed08d0899410")), "8759b393"},
		{"a keyword shows its name", shortID(value.Kw("in")), "in"},
		{"a namespaced keyword keeps its namespace", shortID(value.Kw("onyx.task-scheduler/balanced")), "onyx.task-scheduler/balanced"},
		{"nil is a dash", shortID(nil), "—"},
		{"infinity is ∞", number(math.Inf(1)), "∞"},
		{"an integer prints plainly", number(int64(3)), "3"},
		{"a whole float prints as an integer", number(2.0), "2"},
		{"one peer is singular", plural(1, "peer"), "1 peer"},
		{"three peers are plural", plural(3, "peer"), "3 peers"},
		{"entries end in ies", plural(2, "entry"), "2 entries"},
		{"keys keep their y", plural(2, "key"), "2 keys"},
		{"seconds", duration(4200), "4.2s"},
		{"minutes", duration(185000), "3m05s"},
		{"hours", duration(3720000), "1h02m"},
		{"a netty site's ports read as a range", siteOf(value.NewMap(kwNettyAddr, "10.0.0.3", kwNettyPorts, value.Vector{int64(40200), int64(40201), int64(40202)})).ports, "40200–40202"},
		{"a netty site's host", siteOf(value.NewMap(kwNettyAddr, "10.0.0.3")).host, "10.0.0.3"},
		{"a 0.14 site's address and port", func() string {
			s := siteOf(value.NewMap(kwAddress, "h1", kwPort, int64(40200)))
			return s.host + ":" + s.ports
		}(), "h1:40200"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}

func TestJobsOfGivesEveryStatus(t *testing.T) {
	a, b, c, d := value.Kw("a"), value.Kw("b"), value.Kw("c"), value.Kw("d")
	r := replay.FromMap(value.NewMap(
		value.Kw("jobs"), value.Vector{a, b},
		kwAllocations, value.NewMap(a, value.NewMap(value.Kw("t"), value.Vector{value.Kw("p")})),
		value.Kw("completed-jobs"), value.Vector{c},
		value.Kw("killed-jobs"), value.Vector{d},
	))
	got := jobsOf(r)
	want := []jobStatus{jobRunning, jobUnallocated, jobCompleted, jobKilled}
	if len(got) != len(want) {
		t.Fatalf("got %d jobs, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].status != w {
			t.Errorf("job %d: got %s, want %s", i, got[i].status, w)
		}
	}
}
