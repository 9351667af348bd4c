package timeline

import (
	"slices"
	"strings"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// setApply applies :set-replica! {:replica R} by taking R, and anything else
// as simApply does: a way to write any replica a test needs.
func setApply(v replay.Version, r replay.Replica, e value.Entry) (replay.Replica, error) {
	if e.Fn == value.Kw("set-replica!") {
		return replay.FromMap(asMap(e.Arg("replica"))), nil
	}
	return simApply(v, r, e)
}

func set(seq int64, kvs ...value.Value) value.Entry {
	return mkEntry(seq, "set-replica!", kw("replica"), value.NewMap(kvs...))
}

func allocs(job, task value.Value, peers ...value.Value) *value.Map {
	return value.NewMap(job, value.NewMap(task, value.Vector(peers)))
}

func kinds(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind.String()+": "+e.Text)
	}
	return out
}

func TestEventsSayWhatEachEntryDid(t *testing.T) {
	p1, p2, p3 := kw("p1"), kw("p2"), kw("p3")
	j, t1, t2 := kw("j1"), kw("t1"), kw("t2")
	u := value.MustUUID("3f6e0e4c-0000-4000-8000-000000000001")
	cases := []struct {
		name    string
		version string
		entries []value.Entry
		pos     int
		want    []string
	}{
		{"the first peer joins at once, without a watcher", "0.8.3", []value.Entry{
			mkEntry(0, "prepare-join-cluster", kw("joiner"), u)},
			0, []string{"peer-joined: peer 3f6e0e4c… joined"}},
		{"a peer joining through prepare, notify and accept is reported with its watcher", "0.8.3", []value.Entry{
			mkEntry(0, "prepare-join-cluster", kw("joiner"), p1),
			mkEntry(1, "prepare-join-cluster", kw("joiner"), p2),
			mkEntry(2, "notify-join-cluster", kw("observer"), p2, kw("subject"), p1),
			mkEntry(3, "accept-join-cluster", kw("observer"), p2, kw("subject"), p1, kw("accepted-observer"), p1, kw("accepted-joiner"), p2)},
			3, []string{"peer-joined: peer :p2 joined, watched by :p1"}},
		{"a prepared join that is aborted is reported", "0.8.3", []value.Entry{
			mkEntry(0, "prepare-join-cluster", kw("joiner"), p1),
			mkEntry(1, "prepare-join-cluster", kw("joiner"), p2),
			mkEntry(2, "abort-join-cluster", kw("id"), p2)},
			2, []string{"join-aborted: join of peer :p2 aborted"}},
		{"a submitted job with peers starts and its tasks gain them", "0.8.3", []value.Entry{
			set(0, kPeers, value.Vector{p1, p2}, kJobs, value.Vector{}),
			set(1, kPeers, value.Vector{p1, p2}, kJobs, value.Vector{j}, kTasks, value.NewMap(j, value.Vector{t1}),
				kAllocations, allocs(j, t1, p1, p2))},
			1, []string{"job-submitted: job :j1 submitted with 1 task", "job-started: job :j1 started on 2 peers",
				"task-peers: task :t1 of job :j1 gained :p1, :p2"}},
		{"a peer moving between tasks is reported once per task and once as a move", "0.8.3", []value.Entry{
			set(0, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap(t1, value.Vector{p1, p2}, t2, value.Vector{}))),
			set(1, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap(t1, value.Vector{p1}, t2, value.Vector{p2})))},
			1, []string{"task-peers: task :t1 of job :j1 lost :p2", "task-peers: task :t2 of job :j1 gained :p2",
				"peer-moved: peer :p2 moved from task :t1 of job :j1 to task :t2 of job :j1"}},
		{"a job that loses all its peers starves", "0.8.3", []value.Entry{
			set(0, kJobs, value.Vector{j}, kAllocations, allocs(j, t1, p1)),
			set(1, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap()))},
			1, []string{"job-starved: job :j1 lost all its peers", "task-peers: task :t1 of job :j1 lost :p1"}},
		{"sealing the last output completes the job", "0.8.3", []value.Entry{
			mkEntry(0, "submit-job", kw("id"), j, kw("tasks"), value.List{t1, t2}, kw("outputs"), value.List{t2}),
			mkEntry(1, "exhaust-input", kw("job"), j, kw("task"), t1),
			mkEntry(2, "seal-output", kw("job"), j, kw("task"), t2)},
			2, []string{"output-sealed: output task :t2 of job :j1 sealed", "job-completed: job :j1 completed"}},
		{"an exhausted input is reported", "0.8.3", []value.Entry{
			mkEntry(0, "submit-job", kw("id"), j, kw("tasks"), value.List{t1, t2}, kw("outputs"), value.List{t2}),
			mkEntry(1, "exhaust-input", kw("job"), j, kw("task"), t1)},
			1, []string{"input-exhausted: input task :t1 of job :j1 exhausted"}},
		{"a killed job is reported", "0.8.3", []value.Entry{
			mkEntry(0, "submit-job", kw("id"), j, kw("tasks"), value.List{t1}, kw("outputs"), value.List{t1}),
			mkEntry(1, "kill-job", kw("job"), j)},
			1, []string{"job-killed: job :j1 killed"}},
		{"gc says which jobs it removed", "0.8.3", []value.Entry{
			mkEntry(0, "submit-job", kw("id"), j, kw("tasks"), value.List{t1}, kw("outputs"), value.List{t1}),
			mkEntry(1, "kill-job", kw("job"), j),
			mkEntry(2, "gc", kw("id"), kw("g"))},
			2, []string{"gc: gc removed jobs: :j1"}},
		{"backpressure on is reported", "0.8.3", []value.Entry{
			set(0, kPeerState, value.NewMap(p1, kActive)),
			mkEntry(1, "backpressure-on", kw("peer"), p1)},
			1, []string{"backpressure-on: peer :p1 under backpressure"}},
		{"a peer in two allocations is an anomaly", "0.8.3", []value.Entry{
			set(0, kJobs, value.Vector{j}, kAllocations, value.NewMap(j, value.NewMap(t1, value.Vector{p3}, t2, value.Vector{p3})))},
			0, []string{"job-submitted: job :j1 submitted with 0 tasks", "job-started: job :j1 started on 2 peers",
				"task-peers: task :t1 of job :j1 gained :p3", "task-peers: task :t2 of job :j1 gained :p3",
				"peer-in-two-allocations: peer :p3 is allocated to task :t1 of job :j1 and task :t2 of job :j1"}},
		{"estimated placement is said at the first allocation change", "0.9.16", []value.Entry{
			set(0, kJobs, value.Vector{j}, kAllocations, allocs(j, t1, p1))},
			0, []string{"job-submitted: job :j1 submitted with 0 tasks", "job-started: job :j1 started on 1 peer",
				"placement-estimated: peer placement of this Onyx version is estimated: per-task counts are right, which peer runs where may differ",
				"task-peers: task :t1 of job :j1 gained :p1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := New(replay.MustVersion(c.version), -1, replay.Replica{}, Options{Apply: setApply})
			tl.Append(c.entries...)
			got := kinds(tl.Events(c.pos))
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("pos %d:\n got  %q\n want %q", c.pos, got, want)
			}
		})
	}
}

func TestAnomaliesAreReportedOnceTheyLastPatienceEntries(t *testing.T) {
	p1, p2, j, t1 := kw("p1"), kw("p2"), kw("j1"), kw("t1")
	es := []value.Entry{
		mkEntry(0, "prepare-join-cluster", kw("joiner"), p1),
		mkEntry(1, "prepare-join-cluster", kw("joiner"), p2), // prepared, never accepted
		// one peer cannot give each of two tasks a peer: the job waits
		mkEntry(2, "submit-job", kw("id"), j, kw("tasks"), value.List{t1, kw("t2")}, kw("outputs"), value.List{t1}),
	}
	for i := 3; i < 10; i++ {
		es = append(es, mkEntry(int64(i), "gc", kw("id"), kw("g")))
	}
	tl := New(simVersion, -1, replay.Replica{}, Options{Apply: simApply, Patience: 4})
	tl.Append(es...)
	got := map[Kind][]int{}
	for _, ev := range tl.EventsIn(0, tl.Len()-1, KindJobWithoutPeers, KindJoinNeverAccepted) {
		got[ev.Kind] = append(got[ev.Kind], ev.Pos)
		if !strings.Contains(ev.Text, "4 entries") {
			t.Errorf("pos %d: %q does not say how long", ev.Pos, ev.Text)
		}
	}
	if !slices.Equal(got[KindJoinNeverAccepted], []int{5}) {
		t.Errorf("join never accepted at %v, want [5]", got[KindJoinNeverAccepted])
	}
	if !slices.Equal(got[KindJobWithoutPeers], []int{6}) {
		t.Errorf("job without peers at %v, want [6]", got[KindJobWithoutPeers])
	}
	if pos := tl.Filter(Filter{Anomalies: true}); !slices.Equal(pos, []int{5, 6}) {
		t.Errorf("Filter(anomalies) = %v, want [5 6]", pos)
	}
}

func TestEventsCarryTheIdsTheyConcern(t *testing.T) {
	tl := newSim(Options{})
	tl.Append(genLog(8, 400, 10, 3)...)
	n := 0
	for _, ev := range tl.EventsIn(0, tl.Len()-1, KindPeerMoved) {
		n++
		if len(ev.Peers) != 1 || len(ev.Jobs) == 0 || len(ev.Tasks) != 2 {
			t.Fatalf("pos %d: moved event with peers %v jobs %v tasks %v", ev.Pos, ev.Peers, ev.Jobs, ev.Tasks)
		}
		if ev.Seq != tl.Seq(ev.Pos) || ev.Time != tl.Entry(ev.Pos).Created {
			t.Fatalf("pos %d: seq %d time %d, want the entry's", ev.Pos, ev.Seq, ev.Time)
		}
	}
	if n == 0 {
		t.Fatal("the generated log moved no peer")
	}
}

func TestKindNamesReadBack(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseKind("nope"); err == nil {
		t.Error("ParseKind(nope) did not fail")
	}
}

func value0() replay.Replica { return replay.FromMap(value.NewMap()) }
