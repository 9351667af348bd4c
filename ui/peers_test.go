package ui

import (
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

func TestPeersTableShowsEachPeersStateSiteAndTask(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	pt := newPeersTab(&fakeActions{})
	test.NewTempWindow(t, pt.object()).Resize(fyne.NewSize(1200, 600))
	for _, pos := range []int{-1, 5, tl.Len() / 2, tl.Len() - 1} {
		p := at(tl, pos)
		pt.show(p)
		r := p.Replica
		if want := plural(len(r.Peers()), "peer"); pt.count.Text[:len(want)] != want {
			t.Errorf("pos %d: count %q, want %q", pos, pt.count.Text, want)
		}
		byID := map[string][]string{}
		for _, row := range pt.rows {
			byID[row[colPeer]] = row
		}
		for _, id := range r.Peers() {
			row := byID[shortID(id)]
			if row == nil {
				t.Fatalf("pos %d: peer %s missing", pos, shortID(id))
			}
			if row[colState] != r.PeerState(id).Name() {
				t.Errorf("pos %d peer %s: state %q, want %q", pos, row[colPeer], row[colState], r.PeerState(id).Name())
			}
			if want := siteOf(r.PeerSites().Val(id)).host; row[colHost] != want || want == "" {
				t.Errorf("pos %d peer %s: host %q, want %q", pos, row[colPeer], row[colHost], want)
			}
			job, task, ok := r.PeerAllocation(id)
			wantJob, wantTask := "", ""
			if ok {
				wantJob, wantTask = shortID(job), shortID(task)
			}
			if row[colJob] != wantJob || row[colTask] != wantTask {
				t.Errorf("pos %d peer %s: on %s/%s, want %s/%s", pos, row[colPeer], row[colJob], row[colTask], wantJob, wantTask)
			}
		}
	}
	if len(pt.rows) != 10 || pt.rows[0][colPorts] != "40200–40215" {
		t.Errorf("at the end: %d rows, ports %q", len(pt.rows), pt.rows[0][colPorts])
	}
	var host *widget.Button
	for _, o := range test.LaidOutObjects(pt.table) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "Host") {
			host = b
		}
	}
	if host == nil {
		t.Fatal("no Host header button in the table")
	}
	test.Tap(host)
	if !sort.SliceIsSorted(pt.rows, func(i, j int) bool { return pt.rows[i][colHost] < pt.rows[j][colHost] }) {
		t.Error("not sorted by host")
	}
	if host.Text != "Host ▲" {
		t.Errorf("the sorted column's header says %q", host.Text)
	}
	test.Tap(host)
	if !sort.SliceIsSorted(pt.rows, func(i, j int) bool { return pt.rows[i][colHost] > pt.rows[j][colHost] }) {
		t.Error("a second tap does not reverse the order")
	}
	pt.show(at(tl, 5)) // the sort holds across positions
	if !sort.SliceIsSorted(pt.rows, func(i, j int) bool { return pt.rows[i][colHost] > pt.rows[j][colHost] }) {
		t.Error("the order is lost after a move")
	}
}

func TestPeersTableShowsGroupsAndTags(t *testing.T) {
	test.NewTempApp(t)
	tl := fixture(t, "0.6.0-port-two-job-test")
	p := at(tl, tl.Len()-1)
	peer := p.Replica.Peers()[0]
	g := value.MustUUID("00000000-0000-0000-0000-00000000abcd")
	m := p.Replica.Map().
		Assoc(kwGroupsReverse, value.NewMap(peer, g)).
		Assoc(kwPeerTags, value.NewMap(peer, value.Vector{value.Kw("gpu"), value.Kw("ssd")}))
	p.Replica = replay.FromMap(m)
	pt := newPeersTab(&fakeActions{})
	pt.show(p)
	for _, row := range pt.rows {
		if row[colPeer] == shortID(peer) {
			if row[colGroup] != "00000000" || row[colTags] != "gpu ssd" {
				t.Errorf("group %q tags %q", row[colGroup], row[colTags])
			}
			return
		}
	}
	t.Fatal("peer not listed")
}
