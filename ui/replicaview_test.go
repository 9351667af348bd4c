package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"onyx-dashboard/model/value"
)

func TestReplicaTabShowsWhoLastChangedANodeAndJumpsThere(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	rt := newReplicaTab(h)
	pos := tl.Len() - 1
	rt.show(inspectAt(tl, pos))
	top := rt.children("")
	if len(top) != tl.Replica(pos).Map().Len() {
		t.Fatalf("%d top-level nodes, want one per replica key (%d)", len(top), tl.Replica(pos).Map().Len())
	}
	job := tl.Replica(pos).Jobs()[0]
	path := []value.Value{value.Kw("allocations"), job}
	rt.children(nodeID(path[:1]))
	id := nodeID(path)
	if !rt.isBranch(id) {
		t.Fatalf("node %s is not a branch", id)
	}
	rt.tree.Select(id)
	c, ok := tl.LastChange(path, pos)
	if !ok {
		t.Fatalf("the timeline knows no change of %s", id)
	}
	if want := fmt.Sprintf("Last changed by entry %d", c.Seq); !strings.Contains(rt.change.Text, want) {
		t.Errorf("change %q: want %q", rt.change.Text, want)
	}
	if !strings.HasPrefix(rt.hist.Text, "History:") {
		t.Errorf("history %q", rt.hist.Text)
	}
	rt.jumpThere()
	if len(h.seeks) != 1 || h.seeks[0] != c.Pos {
		t.Errorf("jump there: seeks %v, want [%d]", h.seeks, c.Pos)
	}
	rt.copySelected()
	v := value.GetIn(tl.Replica(pos).Map(), path...)
	if got := fyne.CurrentApp().Clipboard().Content(); got != value.Pretty(v, 100) {
		t.Errorf("copied %q, want the node's EDN %q", got, value.Pretty(v, 100))
	}
	copyReplica(inspectAt(tl, pos))
	if got := fyne.CurrentApp().Clipboard().Content(); got != value.Pretty(tl.Replica(pos).Map(), 100) {
		t.Errorf("copied replica differs from the replica's EDN")
	}
}

func TestReplicaTabSearchKeepsThePathsToMatches(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	rt := newReplicaTab(h)
	pos := tl.Len() - 1
	rt.show(inspectAt(tl, pos))
	peer := tl.Replica(pos).Peers()[0].(value.UUID)
	rt.search.SetText(peer.String()[:13])
	if !strings.HasSuffix(rt.found.Text, "found") || rt.found.Text == "0 found" {
		t.Fatalf("search for a peer: %q", rt.found.Text)
	}
	state := nodeID([]value.Value{value.Kw("peer-state"), peer})
	if !rt.keep[state] || !rt.keep[nodeID([]value.Value{value.Kw("peer-state")})] {
		t.Errorf("the path to %s is not kept", state)
	}
	for _, id := range rt.children("") {
		if !rt.keep[id] {
			t.Errorf("top-level node %s has no match but is listed", id)
		}
	}
	if !rt.tree.IsBranchOpen(nodeID([]value.Value{value.Kw("peer-state")})) {
		t.Error("the branch holding a match is not opened")
	}
	rt.search.SetText("")
	if rt.keep != nil || len(rt.children("")) != tl.Replica(pos).Map().Len() {
		t.Error("clearing the search does not list every node again")
	}
}

func TestReplicaTabKeepsTheSelectionAcrossPositions(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	rt := newReplicaTab(h)
	rt.show(inspectAt(tl, tl.Len()-1))
	rt.children("")
	id := nodeID([]value.Value{value.Kw("peers")})
	rt.tree.Select(id)
	rt.show(inspectAt(tl, 3))
	want := value.Pretty(tl.Replica(3).Map().Val(value.Kw("peers")), 80)
	if rt.val.Text != want {
		t.Errorf("at position 3 the selected :peers shows %q, want %q", rt.val.Text, want)
	}
}

func TestReplicaTabHistoryFollowsThePosition(t *testing.T) {
	h := newFakeHost(t)
	tl := inspectTimeline(t, "0.8.3-port-two-job-test")
	rt := newReplicaTab(h)
	rt.show(inspectAt(tl, tl.Len()-1))
	rt.children("")
	path := []value.Value{value.Kw("peers")}
	rt.tree.Select(nodeID(path))
	for _, pos := range []int{tl.Len() - 1, tl.Len() / 2, 2, tl.Len() / 2} {
		rt.show(inspectAt(tl, pos))
		want := tl.History(path, pos, historyLen)
		if len(want) == 0 {
			t.Fatalf("pos %d: :peers never changed", pos)
		}
		if rt.last.Pos != want[0].Pos {
			t.Errorf("pos %d: last change at %d, want %d", pos, rt.last.Pos, want[0].Pos)
		}
		if n := strings.Count(rt.hist.Text, "\n"); n != len(want) {
			t.Errorf("pos %d: %d history lines, want %d", pos, n, len(want))
		}
	}
}
