package timeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

func TestFilterAgreesWithANaiveScan(t *testing.T) {
	es := genLog(21, 3000, 12, 3)
	tl := newSim(Options{Every: 128})
	tl.Append(es...)
	peer := es[0].Arg("joiner")
	job := func() value.Value {
		for _, e := range es {
			if e.Fn == kSubmitJob {
				return e.Arg("id")
			}
		}
		return nil
	}()
	concerns := func(pos int, id value.Value) bool {
		if strings.Contains(prStr(es[pos].Map), prStr(id)) {
			return true
		}
		for _, ev := range tl.Events(pos) {
			for _, xs := range [][]value.Value{ev.Jobs, ev.Tasks, ev.Peers} {
				for _, x := range xs {
					if value.Equal(x, id) {
						return true
					}
				}
			}
		}
		return false
	}
	hasKind := func(pos int, k Kind) bool {
		for _, ev := range tl.Events(pos) {
			if ev.Kind == k {
				return true
			}
		}
		return false
	}
	u := peer.(value.UUID).String()
	cases := []struct {
		name  string
		f     Filter
		match func(pos int) bool
	}{
		{"everything", Filter{}, func(int) bool { return true }},
		{"one command", Filter{Fns: []value.Keyword{kSignalReady}}, func(p int) bool { return es[p].Fn == kSignalReady }},
		{"two commands", Filter{Fns: []value.Keyword{kGC, kKillJob}}, func(p int) bool { return es[p].Fn == kGC || es[p].Fn == kKillJob }},
		{"an event kind", Filter{Kinds: []Kind{KindPeerMoved}}, func(p int) bool { return hasKind(p, KindPeerMoved) }},
		{"a peer", Filter{Peer: peer}, func(p int) bool { return concerns(p, peer) }},
		{"a job and a kind", Filter{Job: job, Kinds: []Kind{KindTaskPeers}}, func(p int) bool { return concerns(p, job) && hasKind(p, KindTaskPeers) }},
		{"free text, any case", Filter{Text: "BackPressure-On"}, func(p int) bool { return es[p].Fn == kBackpressureOn }},
		{"free text of a uuid prefix", Filter{Text: u[:6]}, func(p int) bool { return strings.Contains(prStr(es[p].Map), u[:6]) }},
		{"free text and a command", Filter{Text: u[:6], Fns: []value.Keyword{kSignalReady}}, func(p int) bool {
			return es[p].Fn == kSignalReady && strings.Contains(prStr(es[p].Map), u[:6])
		}},
		{"an id never seen", Filter{Peer: kw("nobody")}, func(int) bool { return false }},
		{"text found nowhere", Filter{Text: "zzzz"}, func(int) bool { return false }},
		{"text across keys and a uuid", Filter{Text: `:signal-ready, :args {:id #UUID "` + u[:3]}, hasText(es, `:signal-ready, :args {:id #uuid "`+u[:3])},
		{"text of a uuid in upper case", Filter{Text: strings.ToUpper(u[4:13])}, hasText(es, u[4:13])},
		{"text only across two entries", Filter{Text: "}}{:fn"}, func(int) bool { return false }},
		{"text of a whole entry", Filter{Text: prStr(es[1].Map)}, hasText(es, prStr(es[1].Map))},
	}
	// Every text colliding in the dedup hash must not change any answer.
	defer func(h func([]byte) uint64) { textHash = h }(textHash)
	textHash = func([]byte) uint64 { return 0 }
	collided := newSim(Options{Every: 128})
	collided.Append(es...)
	defer func(n int) { scanParallelMin = n }(scanParallelMin)
	for _, tl := range []*Timeline{tl, collided} {
		for _, split := range []bool{false, true} {
			scanParallelMin = 4 << 20
			if split {
				scanParallelMin = 0 // scan the text in parallel parts
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s, split %v", c.name, split), func(t *testing.T) {
					want := []int{}
					for p := range es {
						if c.match(p) {
							want = append(want, p)
						}
					}
					if got := tl.Filter(c.f); !slices.Equal(got, want) {
						t.Errorf("got %d positions, want %d (first got %v, want %v)", len(got), len(want), head(got), head(want))
					}
				})
			}
		}
	}
	if n, d := tl.Len(), len(tl.index.textAt)-1; d >= n/2 {
		t.Errorf("%d distinct texts for %d entries: the dedup does not work", d, n)
	}
	if n, d := collided.Len(), len(collided.index.textAt)-1; d <= n/2 {
		t.Errorf("%d distinct texts for %d entries when every hash collides: texts were merged", d, n)
	}
}

// hasText is the naive free-text match: q in the entry's lower-cased EDN.
func hasText(es []value.Entry, q string) func(int) bool {
	q = strings.ToLower(q)
	return func(p int) bool { return strings.Contains(strings.ToLower(prStr(es[p].Map)), q) }
}

func head(xs []int) []int { return xs[:min(len(xs), 8)] }

func TestPathsListWhereTwoMapsDiffer(t *testing.T) {
	a := value.NewMap(kw("a"), int64(1), kw("m"), value.NewMap(kw("x"), int64(1), kw("y"), int64(2)), kw("n"), nil)
	b := value.NewMap(kw("a"), int64(1), kw("m"), value.NewMap(kw("x"), int64(1), kw("y"), int64(3)), kw("z"), value.Vector{})
	got := Paths(a, b)
	want := [][]value.Value{{kw("m"), kw("y")}, {kw("z")}}
	if len(got) != len(want) {
		t.Fatalf("Paths = %v, want %v", got, want)
	}
	for i := range want {
		if !value.Equal(value.Vector(got[i]), value.Vector(want[i])) {
			t.Errorf("path %d = %v, want %v", i, got[i], want[i])
		}
	}
	if p := Paths(a, a); len(p) != 0 {
		t.Errorf("Paths(a, a) = %v, want none", p)
	}
}

func TestDiffSaysWhatChangedBetweenTwoPositions(t *testing.T) {
	p1, p2, j, t1, t2 := kw("p1"), kw("p2"), kw("j1"), kw("t1"), kw("t2")
	es := []value.Entry{
		set(0, kPeers, value.Vector{p1}, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap(t1, value.Vector{p1}))),
		set(1, kPeers, value.Vector{p1, p2}, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap(t1, value.Vector{p2}, t2, value.Vector{p1}))),
		set(2, kPeers, value.Vector{p2}, kJobs, value.Vector{}, kKilledJobs, value.Vector{j}),
	}
	tl := New(simVersion, -1, value0(), Options{Apply: setApply})
	tl.Append(es...)
	d := tl.Diff(0, 1)
	if len(d.PeersJoined) != 1 || d.PeersJoined[0] != value.Value(p2) || len(d.PeersLeft) != 0 {
		t.Errorf("peers joined %v left %v, want [:p2] []", d.PeersJoined, d.PeersLeft)
	}
	if len(d.Moved) != 1 || d.Moved[0].Peer != value.Value(p1) || d.Moved[0].ToTask != value.Value(t2) {
		t.Errorf("moved %v, want :p1 to :t2", d.Moved)
	}
	if len(d.Tasks) != 2 {
		t.Errorf("task changes %v, want two", d.Tasks)
	}
	d = tl.Diff(-1, 2)
	if len(d.JobsAdded) != 1 || len(d.PeersJoined) != 1 {
		t.Errorf("from the origin: jobs added %v, peers joined %v", d.JobsAdded, d.PeersJoined)
	}
	d = tl.Diff(1, 2)
	if len(d.JobStatus) != 1 || d.JobStatus[0].From != "running" || d.JobStatus[0].To != "killed" {
		t.Errorf("job status %v, want running → killed", d.JobStatus)
	}
	if len(d.PeersLeft) != 1 || len(d.Paths) == 0 {
		t.Errorf("peers left %v, paths %v", d.PeersLeft, d.Paths)
	}
	want := "job :j1: running → killed\npeers left: :p1\n"
	if s := d.String(); !strings.HasPrefix(s, want) || !strings.Contains(s, "changed [:killed-jobs]\n") {
		t.Errorf("Diff(1, 2).String() =\n%s\nwant it to start with\n%s and name [:killed-jobs]", s, want)
	}
	if s := tl.Diff(0, 1).String(); !strings.Contains(s, "peer :p1 moved from task :t1 of job :j1 to task :t2 of job :j1\n") {
		t.Errorf("Diff(0, 1).String() =\n%s\nwant the move of :p1", s)
	}
}

func TestProvenanceFindsTheEntriesThatChangedAPath(t *testing.T) {
	es := genLog(31, 1500, 10, 3)
	want := naive(es)
	tl := newSim(Options{Every: 64})
	tl.Append(es...)
	var job, task value.Value
	for _, e := range es {
		if e.Fn == kSubmitJob {
			job, task = e.Arg("id"), value.Items(e.Arg("tasks"))[0]
			break
		}
	}
	peer := es[0].Arg("joiner")
	for _, path := range [][]value.Value{
		{kAllocations}, {kAllocations, job}, {kAllocations, job, task}, {kPeerState, peer}, {kPeers},
		{kw("nowhere")}, {kTasks, job, int64(0)},
	} {
		var changes []int
		prev := value.Value(nil)
		for pos := range es {
			cur := value.GetIn(want[pos].Map(), path...)
			if changed(prev, cur) {
				changes = append(changes, pos)
			}
			prev = cur
		}
		slices.Reverse(changes)
		at := len(es) - 1
		h := tl.History(path, at, 0)
		got := make([]int, len(h))
		for i, c := range h {
			got[i] = c.Pos
			if !value.Equal(c.After, value.GetIn(want[c.Pos].Map(), path...)) {
				t.Errorf("%v at pos %d: After differs from the replica", path, c.Pos)
			}
		}
		if !slices.Equal(got, changes) {
			t.Errorf("History(%v) = %d changes %v, want %d %v", path, len(got), head(got), len(changes), head(changes))
		}
		if len(changes) > 1 {
			mid := changes[len(changes)/2]
			if c, ok := tl.LastChange(path, mid+0); !ok || c.Pos != mid {
				t.Errorf("LastChange(%v, %d) = %d, %v; want %d", path, mid, c.Pos, ok, mid)
			}
		}
	}
}

func TestSeriesFollowTheReplicas(t *testing.T) {
	es := genLog(41, 2000, 12, 3)
	want := naive(es)
	tl := newSim(Options{})
	tl.Append(es...)
	at := func(ps []Point, pos int) int {
		v := 0
		for _, p := range ps {
			if p.Pos > pos {
				break
			}
			v = p.Value
		}
		return v
	}
	peers := tl.Series(MetricPeers, nil)
	running := tl.Series(MetricJobsRunning, nil)
	var job value.Value
	for _, e := range es {
		if e.Fn == kSubmitJob {
			job = e.Arg("id")
			break
		}
	}
	jobPeersSeries := tl.Series(MetricJobPeers, job)
	for pos := range es {
		m := want[pos].Map()
		if got, w := at(peers, pos), len(value.Items(m.Val(kPeers))); got != w {
			t.Fatalf("pos %d: peers series %d, want %d", pos, got, w)
		}
		_, st := jobStatuses(m)
		n := 0
		for _, s := range st {
			if s == statusRunning {
				n++
			}
		}
		if got := at(running, pos); got != n {
			t.Fatalf("pos %d: running jobs series %d, want %d", pos, got, n)
		}
		if got, w := at(jobPeersSeries, pos), jobPeerCount(asMap(m.Val(kAllocations)).Val(job)); got != w {
			t.Fatalf("pos %d: peers of the first job %d, want %d", pos, got, w)
		}
	}
	for _, p := range peers[1:] {
		if p.Time != tl.Entry(p.Pos).Created || p.Seq != tl.Seq(p.Pos) {
			t.Fatalf("point at pos %d: seq %d time %d, want the entry's", p.Pos, p.Seq, p.Time)
		}
	}
}

func TestProvenanceOfPathsUnderAHugeMapIsFoundByReplay(t *testing.T) {
	big := value.NewMap()
	for i := range provWalkMax + 10 {
		big = big.Assoc(int64(i), int64(0))
	}
	k := kw("big")
	es := []value.Entry{
		set(0, k, big),
		set(1, k, big.Assoc(int64(7), int64(1))),
		set(2, k, big.Assoc(int64(7), int64(1)).Assoc(int64(8), int64(1))),
		set(3, k, big.Assoc(int64(7), int64(2)).Assoc(int64(8), int64(1))),
	}
	tl := New(simVersion, -1, value0(), Options{Apply: setApply})
	tl.Append(es...)
	var got []int
	for _, c := range tl.History([]value.Value{k, int64(7)}, 3, 0) {
		got = append(got, c.Pos)
	}
	if want := []int{3, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("History([:big 7]) = %v, want %v", got, want)
	}
}

func TestFreeTextFollowsTyping(t *testing.T) {
	es := genLog(22, 3000, 12, 3)
	tl := newSim(Options{})
	tl.Append(es[:2000]...)
	u := es[0].Arg("joiner").(value.UUID).String()
	check := func(q string, upTo int) {
		t.Helper()
		want := []int{}
		match := hasText(es, q)
		for p := range upTo {
			if match(p) {
				want = append(want, p)
			}
		}
		if got := tl.Filter(Filter{Text: q}); !slices.Equal(got, want) {
			t.Errorf("%q after %d entries: got %d positions, want %d (first got %v, want %v)", q, upTo, len(got), len(want), head(got), head(want))
		}
	}
	// Type a peer's id a character at a time, entries arriving meanwhile;
	// then delete characters and type something else.
	for i := 1; i <= 12; i++ {
		if i == 7 {
			tl.Append(es[2000:]...)
		}
		check(strings.ToUpper(u[:i]), tl.Len())
	}
	for i := 11; i >= 1; i-- {
		check(u[:i], len(es))
	}
	for _, q := range []string{":s", ":si", ":sig", ":signal-ready", "{:fn :signal-ready", "zz", "zzz"} {
		check(q, len(es))
	}
}
