package ui

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// cannedJob is job data for a job of the fixture: its three tasks named
// in → inc → out, a catalog, a workflow and some metadata.
func cannedJob(id string, tasks []value.Value) zklog.Job {
	names := []value.Keyword{value.Kw("in"), value.Kw("inc"), value.Kw("out")}
	j := zklog.Job{ID: id, Tasks: map[string]value.Value{}}
	for i, t := range tasks {
		j.Tasks[idKey(t)] = value.NewMap(value.Kw("id"), t, value.Kw("name"), names[i%3])
	}
	j.Catalog = value.Vector{
		value.NewMap(kwOnyxName, names[0], kwOnyxType, value.Kw("input"), kwOnyxPlugin, value.Kw("onyx.plugin.core-async/input"), kwOnyxBatchSize, int64(20), kwOnyxMaxPeers, int64(1)),
		value.NewMap(kwOnyxName, names[1], kwOnyxType, value.Kw("function"), value.Kw("onyx/fn"), value.Kw("my.ns/inc"), kwOnyxBatchSize, int64(20)),
		value.NewMap(kwOnyxName, names[2], kwOnyxType, value.Kw("output"), kwOnyxNPeers, int64(2), kwOnyxBatchSize, int64(20)),
	}
	j.Workflow = value.Vector{value.Vector{names[0], names[1]}, value.Vector{names[1], names[2]}}
	j.Metadata = value.NewMap(value.Kw("owner"), "tests")
	j.Name = "word-count"
	return j
}

func TestJobsListsStatusDurationAndTasks(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	j := newJobsTab(&fakeActions{})
	test.NewTempWindow(t, j.object()).Resize(fyne.NewSize(1200, 800))
	submitted := firstPos(t, tl, timeline.KindJobSubmitted)
	j.show(at(tl, submitted-1))
	if len(j.rows) != 0 || j.list.Length() != 0 {
		t.Fatalf("before the first submit: %d jobs listed", len(j.rows))
	}
	j.show(at(tl, submitted))
	if len(j.rows) != 1 || j.rows[0].tasks != 3 || j.rows[0].duration != "0.0s" {
		t.Fatalf("at the submit: got %+v, want one job of 3 tasks, 0.0s old", j.rows)
	}
	last := tl.Len() - 1
	j.show(at(tl, last))
	if len(j.rows) != 2 {
		t.Fatalf("at the end: %d jobs listed, want 2", len(j.rows))
	}
	wantMs := tl.Entry(last).Created - tl.Entry(submitted).Created
	if got, want := j.rows[0].duration, duration(wantMs); got != want {
		t.Errorf("duration of the first job: got %s, want %s", got, want)
	}
	for _, r := range j.rows {
		if r.status != jobRunning {
			t.Errorf("job %s: %s, want running", shortID(r.id), r.status)
		}
		if !strings.Contains(r.text(), "running") || !strings.Contains(r.text(), "3 tasks") {
			t.Errorf("row text %q", r.text())
		}
	}
}

func TestJobsShowsTheSelectedJobsTasksAndLoadsItsData(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	act := &fakeActions{jobs: map[string]zklog.Job{}, hold: true}
	j := newJobsTab(act)
	test.NewTempWindow(t, j.object()).Resize(fyne.NewSize(1200, 800))
	last := at(tl, tl.Len()-1)
	job := last.Replica.Jobs()[0]
	tasks := last.Replica.Tasks(job)
	act.jobs[idKey(job)] = cannedJob(idKey(job), tasks)
	j.show(last)
	j.list.Select(0)
	if len(act.loads) != 1 || act.loads[0] != idKey(job) {
		t.Fatalf("LoadJob calls: %v, want one for %s", act.loads, idKey(job))
	}
	if got := act.taskIDs[0]; len(got) != 3 || got[0] != idKey(tasks[0]) {
		t.Errorf("task ids given to LoadJob: %v", got)
	}
	if j.note.Text != "loading job data…" || j.flow.Text != "loading…" {
		t.Errorf("while loading: note %q, flow %q", j.note.Text, j.flow.Text)
	}
	checkTaskRows := func(names []string) {
		t.Helper()
		if len(j.taskRows) != 3 {
			t.Fatalf("%d task rows, want 3", len(j.taskRows))
		}
		allocs := last.Replica.Allocations()[job]
		for i, task := range tasks {
			row := j.taskRows[i]
			var peers []string
			for _, p := range allocs[task] {
				peers = append(peers, shortID(p))
			}
			want := []string{names[i], strconv.Itoa(len(peers)), "1", "∞", "balanced", strings.Join(peers, ", ")}
			for c := range want {
				if row[c] != want[c] {
					t.Errorf("task %d column %s: got %q, want %q", i, taskHeaders[c], row[c], want[c])
				}
			}
		}
	}
	checkTaskRows([]string{shortID(tasks[0]), shortID(tasks[1]), shortID(tasks[2])})

	act.release()
	checkTaskRows([]string{"in", "inc", "out"})
	if j.note.Text != "" {
		t.Errorf("after loading, the note says %q", j.note.Text)
	}
	if len(j.catRows) != 3 {
		t.Fatalf("catalog: %d rows, want 3", len(j.catRows))
	}
	wantCat := [][]string{
		{"in", "input", "onyx.plugin.core-async/input", "20", "–", "1", ""},
		{"inc", "function", "", "20", "–", "–", "{:onyx/fn :my.ns/inc}"},
		{"out", "output", "", "20", "2", "2", ""},
	}
	for r := range wantCat {
		for c := range wantCat[r] {
			if j.catRows[r][c] != wantCat[r][c] {
				t.Errorf("catalog row %d column %s: got %q, want %q", r, catalogHeaders[c], j.catRows[r][c], wantCat[r][c])
			}
		}
	}
	if !strings.HasPrefix(j.rows[0].text(), "word-count (") || !strings.HasPrefix(j.header.Text, "Job word-count (") {
		t.Errorf("the loaded name is not shown: row %q, header %q", j.rows[0].text(), j.header.Text)
	}
	if !strings.Contains(j.metadata.Text, `"tests"`) || j.exception.Text != "none" {
		t.Errorf("metadata %q, exception %q", j.metadata.Text, j.exception.Text)
	}
	g := j.graph.layout
	if len(g.nodes) != 3 || len(g.edges) != 2 {
		t.Fatalf("workflow: %d nodes and %d edges, want 3 and 2", len(g.nodes), len(g.edges))
	}
	for i, want := range []string{"in", "inc", "out"} {
		if g.nodes[i].label != want || g.nodes[i].layer != i {
			t.Errorf("node %d: %q in layer %d, want %q in layer %d", i, g.nodes[i].label, g.nodes[i].layer, want, i)
		}
	}

	// Selecting it again reads the cache; the other job loads once.
	j.list.Select(1)
	j.list.Select(0)
	act.release()
	if len(act.loads) != 2 {
		t.Errorf("LoadJob calls: %v, want one per job", act.loads)
	}
}

func TestJobsShowsLoadErrorsAndTheKillingException(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-doc-example-7-2")
	act := &fakeActions{jobs: map[string]zklog.Job{}, errs: map[string]error{}}
	j := newJobsTab(act)
	test.NewTempWindow(t, j.object()).Resize(fyne.NewSize(1200, 800))
	killed := firstPos(t, tl, timeline.KindJobKilled)
	p := at(tl, killed)
	j.show(p)
	if len(j.rows) != 2 || j.rows[0].status != jobCompleted || j.rows[1].status != jobKilled {
		t.Fatalf("after the kill: %+v, want a completed and a killed job", j.rows)
	}
	// No job runs, so the first one listed is selected and loaded.
	if j.selIndex != 0 || len(act.loads) != 1 || act.loads[0] != idKey(j.rows[0].id) || len(j.taskRows) == 0 {
		t.Errorf("opening: selected row %d, loads %v, %d task rows; want the first job selected and loaded", j.selIndex, act.loads, len(j.taskRows))
	}
	job := j.rows[1].id
	submitted := -1
	for _, ev := range tl.EventsIn(0, killed, timeline.KindJobSubmitted) {
		if value.Equal(ev.Jobs[0], job) {
			submitted = ev.Pos
		}
	}
	want := duration(tl.Entry(killed).Created - tl.Entry(submitted).Created)
	if got := j.rows[1].duration; got != want {
		t.Errorf("duration: got %s, want %s (submit to kill)", got, want)
	}
	j.show(at(tl, tl.Len()-2))
	if got := j.rows[1].duration; got != want {
		t.Errorf("duration after the kill: got %s, want %s (it stops at the kill)", got, want)
	}
	j.show(p)
	act.jobs[idKey(job)] = zklog.Job{ID: idKey(job), Exception: value.NewMap(value.Kw("message"), "flux policy :kill")}
	j.list.Select(1)
	if !strings.Contains(j.exception.Text, "flux policy :kill") {
		t.Errorf("exception tab shows %q", j.exception.Text)
	}
	if !strings.Contains(j.header.Text, "killed") {
		t.Errorf("header %q does not say killed", j.header.Text)
	}

	// The selection follows the job, not the row, across positions.
	j.show(at(tl, killed-1))
	if j.selIndex != 0 || !strings.Contains(j.header.Text, "running") { // live jobs list first
		t.Errorf("before the kill: selected row %d, header %q", j.selIndex, j.header.Text)
	}
	j.show(at(tl, submitted-1))
	if j.selIndex != -1 || !strings.Contains(j.header.Text, "not in the replica") {
		t.Errorf("before its submit: selected row %d, header %q", j.selIndex, j.header.Text)
	}
	j.show(p)
	if j.selIndex != 1 || len(act.loads) != 2 { // the default job's and the killed one's
		t.Errorf("back after the kill: selected row %d, %d loads", j.selIndex, len(act.loads))
	}

	// A failed load is shown, not swallowed.
	j2 := newJobsTab(&fakeActions{errs: map[string]error{idKey(job): errors.New("read /onyx/t/catalog/x: connection lost")}})
	j2.show(p)
	j2.list.Select(1)
	if !strings.Contains(j2.note.Text, "connection lost") {
		t.Errorf("error note: %q", j2.note.Text)
	}
}

func TestJobsSelectsTheFirstRunningJobAndKeepsTheSelectionPerDeployment(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-doc-example-7-2")
	act := &fakeActions{hold: true}
	j := newJobsTab(act)
	test.NewTempWindow(t, j.object()).Resize(fyne.NewSize(1200, 800))
	j.show(at(tl, -1))
	if j.selected != nil || j.header.Text != "No job selected" {
		t.Fatalf("no job yet: selected %v, header %q", j.selected, j.header.Text)
	}
	killed := firstPos(t, tl, timeline.KindJobKilled)
	j.show(at(tl, killed-1))
	running := -1
	for i, r := range j.rows {
		if r.status == jobRunning && running < 0 {
			running = i
		}
	}
	if running < 0 {
		t.Fatalf("before the kill: no running job in %+v", j.rows)
	}
	if j.selIndex != running || !value.Equal(j.selected, j.rows[running].id) || len(j.taskRows) == 0 {
		t.Errorf("selected row %d (%v) with %d task rows, want the running job at row %d", j.selIndex, j.selected, len(j.taskRows), running)
	}
	if !strings.HasPrefix(j.header.Text, "Job "+idKey(j.rows[running].id)) {
		t.Errorf("header %q does not name the running job", j.header.Text)
	}
	chosen := j.selected
	j.show(at(tl, tl.Len()-1))
	if !value.Equal(j.selected, chosen) {
		t.Errorf("moving changed the selection to %v", j.selected)
	}
	other := fixture(t, "0.6.0-port-two-job-test")
	j.show(at(other, other.Len()-1))
	if j.selected == nil || value.Equal(j.selected, chosen) || j.selIndex != 0 {
		t.Errorf("another deployment: selected %v at row %d, want its own first running job", j.selected, j.selIndex)
	}
}

func TestJobsDrawsEraDWorkflowsFromTheReplica(t *testing.T) {
	test.NewTempApp(t)
	job := value.MustUUID("7b1e0c3a-2222-4a2b-9c3d-0e1f2a3b4c52")
	in, inc, out := value.Kw("in"), value.Kw("inc"), value.Kw("out")
	p1, p2 := value.MustUUID("00000000-0000-0000-0000-000000000001"), value.MustUUID("00000000-0000-0000-0000-000000000002")
	origin := replay.FromMap(value.NewMap(
		value.Kw("peers"), value.Vector{p1, p2},
		value.Kw("jobs"), value.Vector{job},
		kwTasks, value.NewMap(job, value.Vector{in, inc, out}),
		kwInToOut, value.NewMap(job, value.NewMap(in, value.NewSet(inc), inc, value.NewSet(out))),
		kwAllocations, value.NewMap(job, value.NewMap(in, value.Vector{p1}, inc, value.Vector{p2}, out, value.Vector{})),
	))
	tl := timeline.New(replay.MustVersion("0.14.6"), 41, origin, timeline.Options{})
	act := &fakeActions{hold: true}
	j := newJobsTab(act)
	j.show(at(tl, -1))
	if len(j.rows) != 1 || j.rows[0].status != jobRunning || j.rows[0].duration != "submitted before the origin" {
		t.Fatalf("rows %+v", j.rows)
	}
	j.list.Select(0)
	if got := act.taskIDs[0]; len(got) != 3 || got[0] != ":in" {
		t.Errorf("keyword task ids go to LoadJob as Clojure prints them: %v", got)
	}
	g := j.graph.layout
	if len(g.nodes) != 3 || len(g.edges) != 2 || j.graphNote.Text != "edges from the replica's :in->out" {
		t.Fatalf("graph of %d nodes, %d edges, note %q", len(g.nodes), len(g.edges), j.graphNote.Text)
	}
	for i, want := range []string{"in", "inc", "out"} {
		if g.nodes[i].label != want || g.nodes[i].layer != i {
			t.Errorf("node %d: %q in layer %d, want %q in layer %d", i, g.nodes[i].label, g.nodes[i].layer, want, i)
		}
		if j.taskRows[i][0] != want {
			t.Errorf("task row %d named %q, want %q", i, j.taskRows[i][0], want)
		}
	}
	if j.taskRows[2][1] != "0" || j.taskRows[0][5] != "00000000" {
		t.Errorf("task rows %v", j.taskRows)
	}
}
