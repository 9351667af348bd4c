package ui

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

func TestAllocationsTreeHoldsTheReplicasPeersPerTask(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	a := newAllocationsTab(&fakeActions{})
	test.NewTempWindow(t, a.object()).Resize(fyne.NewSize(1200, 800))
	for _, pos := range []int{-1, firstPos(t, tl, timeline.KindJobStarted), tl.Len() / 2, tl.Len() - 1} {
		p := at(tl, pos)
		a.show(p)
		jobs := jobsOf(p.Replica)
		if got := len(a.nodes[""].children); got != len(jobs) {
			t.Fatalf("pos %d: %d job nodes, want %d", pos, got, len(jobs))
		}
		for _, ref := range jobs {
			jn := a.node("j|" + idKey(ref.id)) // built when first asked, as the tree asks
			if jn == nil {
				t.Fatalf("pos %d: no node for job %s", pos, shortID(ref.id))
			}
			allocs := p.Replica.Allocations()[ref.id]
			n := 0
			for _, ps := range allocs {
				n += len(ps)
			}
			if want := fmt.Sprintf("job %s · %s · %s", shortID(ref.id), ref.status, plural(n, "peer")); jn.label != want {
				t.Errorf("pos %d: job label %q, want %q", pos, jn.label, want)
			}
			for i, task := range p.Replica.Tasks(ref.id) {
				tn := a.nodes[jn.children[i]]
				var got, want []string
				for _, c := range tn.children {
					got = append(got, strings.Split(a.nodes[c].label, " · ")[0])
				}
				for _, pr := range allocs[task] {
					want = append(want, shortID(pr))
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("pos %d task %s: peers %v, want the replica's %v", pos, shortID(task), got, want)
				}
			}
		}
		total := 0
		for _, h := range a.hosts {
			total += len(h.peers)
		}
		if total != len(p.Replica.Peers()) {
			t.Errorf("pos %d: %d peers by host, want %d", pos, total, len(p.Replica.Peers()))
		}
	}
	var hosts []string
	for _, h := range a.hosts {
		hosts = append(hosts, h.host)
	}
	if fmt.Sprint(hosts) != "[10.0.0.1 10.0.0.2 10.0.0.3]" {
		t.Errorf("hosts %v", hosts)
	}
	if a.note.Text != "" {
		t.Errorf("0.6.0 placement is exact, but the note says %q", a.note.Text)
	}
	a.show(Position{Reader: tl, Pos: 3, Replica: tl.Replica(3), Start: at(tl, 3).Start})
	p := at(tl, 3)
	p.Start.Version = replay.MustVersion("0.9.0")
	a.show(p)
	if !strings.Contains(a.note.Text, "Placement estimated") {
		t.Errorf("0.9.0 shows no placement note: %q", a.note.Text)
	}
}

// coveredAt returns the labels of lanes with a segment over pos.
func coveredAt(lanes []lane, pos int) []string {
	var out []string
	for _, l := range lanes {
		for _, s := range l.segs {
			if s.from <= pos && pos <= s.to {
				out = append(out, l.label)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestAllocationsSwimlanesMatchTheReplicaAtEveryPosition(t *testing.T) {
	test.NewTempApp(t)
	for _, name := range []string{"0.6.0-port-two-job-test", "0.6.0-doc-example-7-2", "0.5.3-port-one-job-test"} {
		t.Run(name, func(t *testing.T) {
			tl := fixture(t, name)
			act := &fakeActions{}
			a := newAllocationsTab(act)
			test.NewTempWindow(t, a.object()).Resize(fyne.NewSize(1200, 900))
			started := firstPos(t, tl, timeline.KindJobStarted)
			a.show(at(tl, started))
			job := jobsOf(tl.Replica(started))[0].id
			task := tl.Replica(started).Tasks(job)[0]
			a.selectNode("j|" + idKey(job) + "|" + idKey(task))
			lanes := a.lanes.lanes
			if len(lanes) == 0 {
				t.Fatal("no lanes for a task that had peers")
			}
			for pos := -1; pos < tl.Len(); pos++ {
				var want []string
				for _, pr := range value.Items(value.GetIn(tl.Replica(pos).Map(), kwAllocations, job, task)) {
					want = append(want, shortID(pr))
				}
				sort.Strings(want)
				if got := coveredAt(lanes, pos); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("pos %d: lanes show %v on the task, the replica %v", pos, got, want)
				}
			}
			seg := lanes[0].segs[0]
			a.lanes.Tapped(&fyne.PointEvent{Position: fyne.NewPos(a.lanes.xFor(seg.from, a.lanes.Size().Width)+1, laneH/2)})
			if len(act.seeks) != 1 || act.seeks[0] != seg.from {
				t.Errorf("tapping the first segment seeks %v, want [%d]", act.seeks, seg.from)
			}

			// A peer's lanes: which task it ran at each position.
			peer := value.Items(value.GetIn(tl.Replica(started).Map(), kwAllocations, job, task))[0]
			a.subJob, a.subTask, a.subPeer = nil, nil, peer
			a.laned = logKey{}
			a.show(at(tl, tl.Len()-1))
			for pos := -1; pos < tl.Len(); pos++ {
				var want []string
				if j, tk, ok := tl.Replica(pos).PeerAllocation(peer); ok {
					want = []string{shortID(tk) + " · " + shortID(j)}
				}
				if got := coveredAt(a.lanes.lanes, pos); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("pos %d: peer lanes show %v, the replica %v", pos, got, want)
				}
			}
		})
	}
}

func TestAllocationsOpenOnTheFirstRunningTasksHistory(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	a := newAllocationsTab(&fakeActions{})
	test.NewTempWindow(t, a.object()).Resize(fyne.NewSize(1200, 900))
	a.show(at(tl, -1))
	if a.subTask != nil || a.subPeer != nil {
		t.Fatalf("no job yet, yet the subject is task %v peer %v", a.subTask, a.subPeer)
	}
	last := at(tl, tl.Len()-1)
	a.show(last)
	var job value.Value
	for _, ref := range jobsOf(last.Replica) {
		if ref.status == jobRunning && job == nil {
			job = ref.id
		}
	}
	want := last.Replica.Tasks(job)[0]
	if !value.Equal(a.subJob, job) || !value.Equal(a.subTask, want) || len(a.lanes.lanes) == 0 {
		t.Errorf("subject job %v task %v with %d lanes, want the first task %v of the first running job %v",
			a.subJob, a.subTask, len(a.lanes.lanes), want, job)
	}
	// A subject the user picked stays across moves.
	peer := last.Replica.Peers()[0]
	a.subJob, a.subTask, a.subPeer = nil, nil, peer
	a.show(at(tl, tl.Len()/2))
	if a.subPeer != peer || a.subTask != nil {
		t.Errorf("after a move the subject is task %v peer %v, want peer %v", a.subTask, a.subPeer, peer)
	}
}

// TestAllocationsReadHistoryOffTheUIGoroutine: the swimlanes come from a
// Background call, the label says so meanwhile, and a history superseded by
// another subject is dropped.
func TestAllocationsReadHistoryOffTheUIGoroutine(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	act := &fakeActions{hold: true}
	a := newAllocationsTab(act)
	test.NewTempWindow(t, a.object()).Resize(fyne.NewSize(1200, 900))
	last := at(tl, tl.Len()-1)
	a.show(last)
	if a.subTask == nil || len(act.pending) != 1 {
		t.Fatalf("subject task %v, %d background calls; want the first running task's history asked for", a.subTask, len(act.pending))
	}
	if a.laneOf.Text != "Reading the history…" || len(a.lanes.lanes) != 0 {
		t.Fatalf("before the history arrives: %q with %d lanes", a.laneOf.Text, len(a.lanes.lanes))
	}
	a.show(at(tl, tl.Len()-1)) // a refresh while it is read asks nothing more
	if len(act.pending) != 1 {
		t.Fatalf("%d background calls after a refresh, want 1", len(act.pending))
	}
	act.release()
	if len(a.lanes.lanes) == 0 || !strings.HasPrefix(a.laneOf.Text, "Peers on task") {
		t.Fatalf("after the history arrived: %q with %d lanes", a.laneOf.Text, len(a.lanes.lanes))
	}

	// A peer picked while a task's history is read: the task's is dropped.
	a.laned = logKey{}
	a.showLanes(last)
	task := act.pending
	act.pending = nil
	peer := last.Replica.Peers()[0]
	a.subJob, a.subTask, a.subPeer = nil, nil, peer
	a.laned = logKey{}
	a.showLanes(last)
	for _, p := range task {
		p()
	}
	if !strings.HasPrefix(a.laneOf.Text, "Reading") {
		t.Fatalf("the superseded task history was shown: %q", a.laneOf.Text)
	}
	act.release()
	if !strings.HasPrefix(a.laneOf.Text, "Tasks of peer") {
		t.Fatalf("the peer's history: %q", a.laneOf.Text)
	}
}
