package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// Swimlane history is bounded: each change it reads costs a seek.
const (
	maxTaskChanges = 200
	maxPeerEntries = 150
)

// allocNode is a node of the allocations tree: a job, a task or a peer.
type allocNode struct {
	label      string
	children   []string
	job, task  value.Value
	peer       value.Value
	isPeerNode bool
	status     jobStatus // a job node's
	unbuilt    bool      // a job node whose label and children node builds when asked
}

// hostRow is a host and the peers on it.
type hostRow struct {
	host  string
	peers []string
}

// allocationsTab shows task → peers for every job, peers grouped by host,
// and the history of a selected task or peer as swimlanes.
type allocationsTab struct {
	act    Actions
	tree   *keyTree
	nodes  map[string]*allocNode // by tree node id; "" is the root
	hosts  []hostRow
	hostL  *keyList
	note   *widget.Label
	lanes  *swimlane
	laneOf *widget.Label
	last   Position
	owner  timeline.Reader // the log the subject belongs to
	// running is the tree node of the first running job, "" when none.
	running string

	// The swimlane's subject: a task (job, task) or a peer.
	subJob, subTask, subPeer value.Value
	laned                    logKey
	lanesDue                 bool // the lanes of laned are being read
	lanesAsked               int  // numbers the reads: only the last one asked is shown
	obj                      fyne.CanvasObject
}

func newAllocationsTab(act Actions) *allocationsTab {
	a := &allocationsTab{act: act, nodes: map[string]*allocNode{"": {}}}
	a.tree = newKeyTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID {
			if n := a.node(id); n != nil {
				return n.children
			}
			return nil
		},
		func(id widget.TreeNodeID) bool {
			n := a.nodes[id]
			return n != nil && !n.isPeerNode
		},
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			if n := a.node(id); n != nil {
				setText(o.(*widget.Label), n.label)
			}
		})
	a.tree.OnSelected = func(id widget.TreeNodeID) { a.selectNode(id) }
	a.hostL = newKeyList(
		func() int { return len(a.hosts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateClip
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(a.hosts) {
				h := a.hosts[id]
				setText(o.(*widget.Label), fmt.Sprintf("%s · %s: %s", h.host, plural(len(h.peers), "peer"), strings.Join(h.peers, ", ")))
			}
		})
	a.note = widget.NewLabel("")
	a.note.Importance = widget.WarningImportance
	a.note.Wrapping = fyne.TextWrapWord // a long line must not widen the window
	a.lanes = newSwimlane(act.Seek)
	a.laneOf = widget.NewLabel("Select a task or a peer to see its history")
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() {
		a.laned = logKey{}
		a.showLanes(a.last)
	})
	history := container.NewBorder(container.NewBorder(nil, nil, nil, refresh, a.laneOf), nil, nil, nil,
		container.NewVScroll(a.lanes))
	top := container.NewHSplit(
		widget.NewCard("Tasks → peers", "", a.tree),
		widget.NewCard("Peers by host", "", a.hostL))
	top.Offset = 0.55
	split := container.NewVSplit(top, widget.NewCard("History", "", history))
	split.Offset = 0.6
	a.obj = container.NewBorder(a.note, nil, nil, nil, split)
	return a
}

func (a *allocationsTab) title() string             { return "Allocations" }
func (a *allocationsTab) icon() fyne.Resource       { return theme.GridIcon() }
func (a *allocationsTab) object() fyne.CanvasObject { return a.obj }

func (a *allocationsTab) show(p Position) {
	a.last = p
	a.nodes = map[string]*allocNode{"": {}}
	a.hosts = nil
	if p.Reader == nil {
		a.note.SetText("")
		a.note.Hide()
		a.tree.Refresh()
		a.hostL.Refresh()
		a.lanes.setLanes(0, -1, nil)
		return
	}
	if p.Version().PlacementEstimated() {
		a.note.SetText("Placement estimated: Onyx " + p.Version().String() + " placed peers with a solver; per-task counts are right, which peer runs where may differ.")
	} else {
		a.note.SetText("")
	}
	showIf(a.note, a.note.Text != "")
	if p.Reader != a.owner { // another deployment: its own subject
		a.owner = p.Reader
		a.subJob, a.subTask, a.subPeer = nil, nil, nil
	}
	a.buildTree(p)
	a.buildHosts(p)
	a.tree.Refresh()
	a.hostL.Refresh()
	if a.subTask == nil && a.subPeer == nil && a.running != "" {
		// Nothing chosen yet: the history of the first running job's
		// first task, so the tab opens on something.
		if n := a.node(a.running); len(n.children) > 0 {
			a.tree.OpenBranch(a.running)
			a.tree.Select(n.children[0])
		}
	}
	a.showLanes(p)
}

// buildTree makes the job nodes of the replica at p. A job's label, tasks
// and peers are made when the tree first asks for them (node): a 0.10+ log
// that is never gc'ed lists thousands of finished jobs, and building every
// one on each slider move took longer than a frame; the tree asks only for
// the rows on screen and the branches open.
func (a *allocationsTab) buildTree(p Position) {
	root := a.nodes[""]
	a.running = ""
	for _, ref := range jobsOf(p.Replica) {
		jid := "j|" + idKey(ref.id)
		if ref.status == jobRunning && a.running == "" {
			a.running = jid
		}
		a.nodes[jid] = &allocNode{job: ref.id, status: ref.status, unbuilt: true}
		root.children = append(root.children, jid)
	}
}

// node is the tree node id, a job's built first (nil when there is none).
func (a *allocationsTab) node(id string) *allocNode {
	n := a.nodes[id]
	if n != nil && n.unbuilt {
		a.buildJob(id, n)
	}
	return n
}

// buildJob makes the label and the task → peer nodes of job node jn.
func (a *allocationsTab) buildJob(jid string, jn *allocNode) {
	r := a.last.Replica
	job := jn.job
	byTask := mapOf(r.AllocationsMap().Val(job))
	total := 0
	for _, t := range r.Tasks(job) {
		tid := jid + "|" + idKey(t)
		peers := value.Items(byTask.Val(t))
		total += len(peers)
		tn := &allocNode{job: job, task: t, label: fmt.Sprintf("%s · %s", shortID(t), plural(len(peers), "peer"))}
		for _, pr := range peers {
			pid := tid + "|" + idKey(pr)
			label := shortID(pr)
			if st := r.PeerState(pr); !st.IsZero() {
				label += " · " + st.Name()
			}
			a.nodes[pid] = &allocNode{peer: pr, label: label, isPeerNode: true}
			tn.children = append(tn.children, pid)
		}
		a.nodes[tid] = tn
		jn.children = append(jn.children, tid)
	}
	jn.label = fmt.Sprintf("job %s · %s · %s", shortID(job), jn.status, plural(total, "peer"))
	jn.unbuilt = false
}

// buildHosts groups the peers by the host of their :peer-sites entry.
func (a *allocationsTab) buildHosts(p Position) {
	r := p.Replica
	sites := r.PeerSites()
	by := map[string][]string{}
	for _, pr := range r.Peers() {
		h := siteOf(sites.Val(pr)).host
		if h == "" {
			h = "unknown host"
		}
		by[h] = append(by[h], shortID(pr))
	}
	for h, ps := range by {
		a.hosts = append(a.hosts, hostRow{h, ps})
	}
	sort.Slice(a.hosts, func(i, j int) bool { return a.hosts[i].host < a.hosts[j].host })
}

// selectNode makes a task or peer node the swimlane's subject.
func (a *allocationsTab) selectNode(id string) {
	n := a.nodes[id]
	if n == nil {
		return
	}
	switch {
	case n.isPeerNode:
		a.subJob, a.subTask, a.subPeer = nil, nil, n.peer
	case n.task != nil:
		a.subJob, a.subTask, a.subPeer = n.job, n.task, nil
	default:
		return
	}
	a.laned = logKey{}
	a.showLanes(a.last)
}

// showLanes computes the subject's history when the subject or the log's
// generation changed; when the log only grew, open segments are extended.
func (a *allocationsTab) showLanes(p Position) {
	k := keyOf(p)
	if p.Reader == nil || (a.subTask == nil && a.subPeer == nil) {
		a.lanesDue, a.lanesAsked = false, a.lanesAsked+1 // drops a read in flight
		a.lanes.setLanes(k.n, lastSeq(p), nil)
		return
	}
	if k.rd == a.laned.rd && k.gen == a.laned.gen && k.n >= a.laned.n {
		if a.lanesDue { // the history is being read: it will come with the cursor
			return
		}
		if k.n > a.laned.n {
			extendLanes(a.lanes.lanes, a.laned.n, k.n)
			a.laned = k
			a.lanes.setLanes(k.n, lastSeq(p), a.lanes.lanes)
		}
		a.lanes.setCursor(p.Pos)
		return
	}
	// A task's history replays entries: read it off the UI goroutine, and
	// show it unless another subject or log was asked for meanwhile.
	a.laned, a.lanesDue = k, true
	a.lanesAsked++
	asked := a.lanesAsked
	a.laneOf.SetText("Reading the history…")
	job, task, peer, rd := a.subJob, a.subTask, a.subPeer, p.Reader
	var lanes []lane
	var what string
	a.act.Background(func() {
		if task != nil {
			lanes = taskLanes(rd, job, task)
			what = fmt.Sprintf("Peers on task %s of job %s", shortID(task), shortID(job))
		} else {
			lanes = peerLanes(rd, peer)
			what = fmt.Sprintf("Tasks of peer %s", shortID(peer))
		}
	}, func() {
		if asked != a.lanesAsked {
			return // superseded
		}
		a.lanesDue = false
		if len(lanes) == 0 {
			what += ": nothing in the log"
		} else {
			what += " · tap a bar to go to its start"
		}
		a.laneOf.SetText(what)
		a.lanes.setLanes(k.n, lastSeq(p), lanes)
		a.lanes.setCursor(a.last.Pos)
	})
}

// extendLanes stretches segments that reached the old end to the new one.
func extendLanes(lanes []lane, oldN, newN int) {
	for i := range lanes {
		for j := range lanes[i].segs {
			if lanes[i].segs[j].to == oldN-1 {
				lanes[i].segs[j].to = newN - 1
			}
		}
	}
}

// taskLanes is one lane per peer that held the task, from the history of
// [:allocations job task] (the latest maxTaskChanges changes).
func taskLanes(rd timeline.Reader, job, task value.Value) []lane {
	changes := rd.History([]value.Value{kwAllocations, job, task}, rd.Len()-1, maxTaskChanges)
	if len(changes) == 0 {
		return nil
	}
	first := changes[len(changes)-1]
	start := -1 // the earliest state held since the origin, unless truncated
	if len(changes) == maxTaskChanges {
		start = first.Pos - 1
	}
	type open struct {
		lane int
		from int
	}
	var lanes []lane
	index := map[string]int{}
	cur := map[string]open{}
	begin := func(pr value.Value, from int) {
		k := idKey(pr)
		i, ok := index[k]
		if !ok {
			i = len(lanes)
			index[k] = i
			lanes = append(lanes, lane{label: shortID(pr)})
		}
		cur[k] = open{i, from}
	}
	end := func(k string, to int) {
		o := cur[k]
		lanes[o.lane].segs = append(lanes[o.lane].segs, segment{o.from, to})
		delete(cur, k)
	}
	for _, pr := range value.Items(first.Before) {
		begin(pr, start)
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		after := map[string]bool{}
		for _, pr := range value.Items(c.After) {
			k := idKey(pr)
			after[k] = true
			if _, ok := cur[k]; !ok {
				begin(pr, c.Pos)
			}
		}
		for _, k := range sortedKeys(cur) {
			if !after[k] {
				end(k, c.Pos-1)
			}
		}
	}
	for _, k := range sortedKeys(cur) {
		end(k, rd.Len()-1)
	}
	return lanes
}

// peerLanes is one lane per job/task the peer ran, from its allocation at
// each of the latest maxPeerEntries entries that concern it.
func peerLanes(rd timeline.Reader, peer value.Value) []lane {
	pos := rd.Filter(timeline.Filter{Peer: peer})
	if len(pos) > maxPeerEntries {
		pos = pos[len(pos)-maxPeerEntries:]
	}
	if len(pos) == 0 {
		return nil
	}
	var lanes []lane
	index := map[string]int{}
	curKey, curFrom := "", 0
	flush := func(to int) {
		if curKey == "" {
			return
		}
		lanes[index[curKey]].segs = append(lanes[index[curKey]].segs, segment{curFrom, to})
		curKey = ""
	}
	at := func(p int) {
		job, task, ok := rd.Replica(p).PeerAllocation(peer)
		k := ""
		if ok {
			k = idKey(job) + "|" + idKey(task)
		}
		if k == curKey {
			return
		}
		flush(p - 1)
		if k == "" {
			return
		}
		if _, seen := index[k]; !seen {
			index[k] = len(lanes)
			lanes = append(lanes, lane{label: shortID(task) + " · " + shortID(job)})
		}
		curKey, curFrom = k, p
	}
	at(pos[0] - 1)
	for _, p := range pos {
		at(p)
	}
	flush(rd.Len() - 1)
	return lanes
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lastSeq is the Seq of the newest entry of p's log; -1 when none is open.
func lastSeq(p Position) int64 {
	if p.Reader == nil {
		return -1
	}
	return p.Reader.Seq(p.Reader.Len() - 1)
}
