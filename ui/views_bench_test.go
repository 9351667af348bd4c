package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// syntheticLog is a timeline of n entries over a cluster of peers peers and
// jobs jobs of 5 tasks each; entry i rotates the allocations by i, so every
// entry moves peers. The replay step is a stand-in that returns the replica
// built for the entry's Seq.
func syntheticLog(peers, jobs, n int) *timeline.Timeline {
	uuid := func(kind, i int) value.UUID {
		return value.UUID{Hi: uint64(kind)<<32 | uint64(i), Lo: uint64(i) * 7919}
	}
	var peerIDs, jobIDs []value.Value
	var states, sites []value.Value
	for i := range peers {
		p := uuid(1, i)
		peerIDs = append(peerIDs, p)
		states = append(states, p, value.Kw("active"))
		sites = append(sites, p, value.NewMap(kwNettyAddr, fmt.Sprintf("10.0.0.%d", i%10), kwNettyPorts, value.Vector{int64(40200), int64(40201)}))
	}
	var tasks, mins, sats, scheds []value.Value
	taskIDs := map[value.Value][]value.Value{}
	for j := range jobs {
		id := uuid(2, j)
		jobIDs = append(jobIDs, id)
		var ts, mn, st []value.Value
		for k := range 5 {
			t := uuid(3, j*5+k)
			ts = append(ts, t)
			mn = append(mn, t, int64(1))
			st = append(st, t, int64(20))
		}
		taskIDs[id] = ts
		tasks = append(tasks, id, value.Vector(ts))
		mins = append(mins, id, value.NewMap(mn...))
		sats = append(sats, id, value.NewMap(st...))
		scheds = append(scheds, id, value.Kw("onyx.task-scheduler/balanced"))
	}
	replicaAt := func(i int) replay.Replica {
		byJob := map[value.Value][]value.Value{}
		for k, p := range peerIDs {
			j := jobIDs[(k+i)%(jobs-4)] // the last four jobs stay unallocated or finished
			byJob[j] = append(byJob[j], p)
		}
		var allocs []value.Value
		for _, j := range jobIDs[:jobs-4] {
			ts := taskIDs[j]
			per := map[int][]value.Value{}
			for k, p := range byJob[j] {
				per[k%len(ts)] = append(per[k%len(ts)], p)
			}
			var m []value.Value
			for k, t := range ts {
				m = append(m, t, value.Vector(per[k]))
			}
			allocs = append(allocs, j, value.NewMap(m...))
		}
		return replay.FromMap(value.NewMap(
			value.Kw("peers"), value.Vector(peerIDs),
			value.Kw("peer-state"), value.NewMap(states...),
			value.Kw("peer-sites"), value.NewMap(sites...),
			value.Kw("jobs"), value.Vector(jobIDs[:jobs-2]),
			value.Kw("completed-jobs"), value.Vector{jobIDs[jobs-2]},
			value.Kw("killed-jobs"), value.Vector{jobIDs[jobs-1]},
			kwTasks, value.NewMap(tasks...),
			kwAllocations, value.NewMap(allocs...),
			kwMinRequiredPeers, value.NewMap(mins...),
			kwTaskSaturation, value.NewMap(sats...),
			value.Kw("task-schedulers"), value.NewMap(scheds...),
		))
	}
	replicas := make([]replay.Replica, n)
	for i := range replicas {
		replicas[i] = replicaAt(i)
	}
	apply := func(_ replay.Version, r replay.Replica, e value.Entry) (replay.Replica, error) {
		return replicas[e.Seq], nil
	}
	tl := timeline.New(replay.MustVersion("0.6.0"), -1, replay.FromMap(value.NewMap()), timeline.Options{Apply: apply})
	entries := make([]value.Entry, n)
	for i := range entries {
		entries[i] = value.Entry{Seq: int64(i), Created: 1433808105917 + int64(i)*250, Fn: value.Kw("signal-ready"), Args: value.NewMap()}
	}
	tl.Append(entries...)
	return tl
}

// BenchmarkShowAllViews moves through a 200-peer, 20-job log and shows each
// position in all four views laid out in a window, a job selected in Jobs
// and a task's swimlanes in Allocations.
func BenchmarkShowAllViews(b *testing.B) {
	test.NewTempApp(b)
	tl := syntheticLog(200, 20, 64)
	act := &fakeActions{jobs: map[string]zklog.Job{}}
	o, j, a, p := newOverviewTab(act), newJobsTab(act), newAllocationsTab(act), newPeersTab(act)
	tabs := []tab{o, j, a, p}
	grid := container.NewGridWithColumns(2)
	for _, t := range tabs {
		grid.Add(t.object())
	}
	w := test.NewTempWindow(b, grid)
	w.Resize(fyne.NewSize(2400, 1600))
	positions := make([]Position, tl.Len())
	for i := range positions {
		positions[i] = at(tl, i)
	}
	for _, t := range tabs {
		t.show(positions[0])
	}
	j.list.Select(0)
	job := positions[0].Replica.Jobs()[0]
	a.selectNode("j|" + idKey(job) + "|" + idKey(positions[0].Replica.Tasks(job)[0]))
	if len(a.lanes.lanes) == 0 || len(p.rows) != 200 || len(j.taskRows) != 5 {
		b.Fatalf("setup: %d lanes, %d peer rows, %d task rows", len(a.lanes.lanes), len(p.rows), len(j.taskRows))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pos := positions[i%len(positions)]
		for _, t := range tabs {
			t.show(pos)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/move")
}
