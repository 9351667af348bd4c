package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// replicaTab shows the replica at the position as a tree. A node's id is
// its key path printed as an EDN vector; maps, vectors and sets are
// branches. Children are listed when a branch opens, so a large replica
// costs only what is shown. The selected node tells which entry last
// changed it, with a jump there, and its recent history.
type replicaTab struct {
	act   Actions
	p     Position
	root  *value.Map
	paths map[string][]value.Value // node id → key path, for the nodes listed
	keep  map[string]bool          // while searching: the ids on a path to a match
	sel   string                   // the selected node; "" when none
	last  timeline.Change          // the selected node's last change, when found
	// histFor is the node, generation and last change the history shown was
	// made for.
	histFor string

	tree          *keyTree
	search        *widget.Entry
	found         *widget.Label
	path, change  *widget.Label
	hist          *widget.Label
	val           *widget.Label
	jump          *widget.Button
	copyNode, all *widget.Button
	box           fyne.CanvasObject
}

// maxMatches bounds a search, so a short query on a large replica stays quick.
const maxMatches = 500

// historyLen is how many past changes of the selected node are listed.
const historyLen = 8

func newReplicaTab(act Actions) *replicaTab {
	t := &replicaTab{act: act, paths: map[string][]value.Value{}}
	t.tree = newKeyTree(t.children, t.isBranch, func(bool) fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, t.updateNode)
	t.tree.OnSelected = t.selected
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder("Search keys and values")
	t.search.OnChanged = func(string) { t.runSearch() }
	t.found = widget.NewLabel("")
	t.path, t.change, t.hist = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	t.path.TextStyle.Monospace = true
	t.path.Wrapping, t.change.Wrapping = fyne.TextWrapBreak, fyne.TextWrapWord
	t.val = widget.NewLabel("")
	t.val.TextStyle.Monospace = true
	t.jump = widget.NewButtonWithIcon("Jump there", theme.MediaSkipPreviousIcon(), t.jumpThere)
	t.copyNode = widget.NewButtonWithIcon("Copy node", theme.ContentCopyIcon(), t.copySelected)
	t.all = widget.NewButtonWithIcon("Copy replica", theme.ContentCopyIcon(), func() { copyReplica(t.p) })
	buttons := container.NewHBox(t.jump, t.copyNode, t.all)
	if h, ok := act.(inspectHost); ok && h.writesAllowed() {
		buttons.Add(widget.NewButtonWithIcon("Kill job…", theme.WarningIcon(), func() { h.showKillJob(t.p, t.selectedJob()) }))
	}
	detail := container.NewBorder(container.NewVBox(t.path, t.change, buttons, t.hist), nil, nil, nil,
		container.NewScroll(t.val))
	left := container.NewBorder(container.NewBorder(nil, nil, nil, t.found, t.search), nil, nil, nil, t.tree)
	split := container.NewHSplit(left, detail)
	split.Offset = 0.5
	t.box = split
	t.show(Position{Pos: -1})
	return t
}

func (t *replicaTab) title() string             { return "Replica" }
func (t *replicaTab) icon() fyne.Resource       { return theme.StorageIcon() }
func (t *replicaTab) object() fyne.CanvasObject { return t.box }

// show takes the replica of p. Nodes keep their ids across positions, so
// open branches and the selection stay while the timeline moves.
func (t *replicaTab) show(p Position) {
	t.p = p
	root := p.Replica.Map()
	if p.Reader == nil {
		root = nil
	}
	if root == t.root && root != nil {
		t.showSelected()
		return
	}
	t.root = root
	if t.search.Text != "" {
		t.runSearch()
	} else {
		t.tree.Refresh()
	}
	t.showSelected()
}

// nodeID is the id of the node at path: the path printed as a vector.
func nodeID(path []value.Value) string {
	if len(path) == 0 {
		return ""
	}
	return value.PrStr(value.Vector(path))
}

// at is the value at path of the current replica; sets are stepped into
// by the index of the item in their order.
func (t *replicaTab) at(path []value.Value) (value.Value, bool) {
	var v value.Value = t.root
	for _, k := range path {
		switch x := v.(type) {
		case *value.Map:
			if !x.Has(k) {
				return nil, false
			}
			v = x.Val(k)
		case value.Vector, value.List, *value.Set:
			xs := value.Items(x)
			i, ok := k.(int64)
			if !ok || i < 0 || i >= int64(len(xs)) {
				return nil, false
			}
			v = xs[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// childPaths are the paths of the children of the node at path.
func (t *replicaTab) childPaths(path []value.Value) [][]value.Value {
	v, ok := t.at(path)
	if !ok {
		return nil
	}
	var out [][]value.Value
	add := func(k value.Value) {
		out = append(out, append(append(make([]value.Value, 0, len(path)+1), path...), k))
	}
	switch x := v.(type) {
	case *value.Map:
		x.Range(func(k, _ value.Value) bool { add(k); return true })
	case value.Vector, value.List, *value.Set:
		for i := range value.Items(x) {
			add(int64(i))
		}
	}
	return out
}

func (t *replicaTab) children(id widget.TreeNodeID) []widget.TreeNodeID {
	if t.root == nil {
		return nil
	}
	path, ok := t.paths[id]
	if !ok && id != "" {
		return nil
	}
	var out []widget.TreeNodeID
	for _, cp := range t.childPaths(path) {
		cid := nodeID(cp)
		if t.keep != nil && !t.keep[cid] {
			continue
		}
		t.paths[cid] = cp
		out = append(out, cid)
	}
	return out
}

func (t *replicaTab) isBranch(id widget.TreeNodeID) bool {
	if id == "" {
		return true
	}
	v, ok := t.at(t.paths[id])
	if !ok {
		return false
	}
	switch v.(type) {
	case *value.Map, value.Vector, value.List, *value.Set:
		return true
	}
	return false
}

func (t *replicaTab) updateNode(id widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	path := t.paths[id]
	if len(path) == 0 {
		o.(*widget.Label).SetText("")
		return
	}
	v, _ := t.at(path)
	o.(*widget.Label).SetText(shortValue(path[len(path)-1]) + "  " + nodeSummary(v))
}

// nodeSummary is what a node row says of its value: a branch's size, a
// leaf's printed value.
func nodeSummary(v value.Value) string {
	switch x := v.(type) {
	case *value.Map:
		return fmt.Sprintf("{%d}", x.Len())
	case *value.Set:
		return fmt.Sprintf("#{%d}", x.Len())
	case value.Vector, value.List:
		return fmt.Sprintf("[%d]", len(value.Items(x)))
	}
	s := value.PrStr(v)
	if len(s) > 120 {
		s = s[:117] + "…"
	}
	return s
}

// runSearch keeps only the nodes on a path to a key or leaf whose printed
// form contains the query, and opens their branches.
func (t *replicaTab) runSearch() {
	q := strings.ToLower(strings.TrimSpace(t.search.Text))
	t.keep = nil
	if q == "" || t.root == nil {
		t.found.SetText("")
		t.tree.Refresh()
		return
	}
	keep := map[string]bool{}
	n := 0
	var walk func(path []value.Value)
	walk = func(path []value.Value) {
		for _, cp := range t.childPaths(path) {
			if n >= maxMatches {
				return
			}
			v, _ := t.at(cp)
			hit := strings.Contains(strings.ToLower(value.PrStr(cp[len(cp)-1])), q)
			if !hit && !t.isBranchValue(v) {
				hit = strings.Contains(strings.ToLower(value.PrStr(v)), q)
			}
			if hit {
				n++
				for i := 1; i <= len(cp); i++ {
					keep[nodeID(cp[:i])] = true
					t.paths[nodeID(cp[:i])] = cp[:i]
				}
			}
			walk(cp)
		}
	}
	walk(nil)
	t.keep = keep
	t.found.SetText(fmt.Sprintf("%d found", n))
	if n >= maxMatches {
		t.found.SetText(fmt.Sprintf("first %d found", n))
	}
	t.tree.Refresh()
	for id := range keep {
		t.tree.OpenBranch(id)
	}
}

func (t *replicaTab) isBranchValue(v value.Value) bool {
	switch v.(type) {
	case *value.Map, value.Vector, value.List, *value.Set:
		return true
	}
	return false
}

func (t *replicaTab) selected(id widget.TreeNodeID) {
	t.sel = id
	t.showSelected()
}

// provenancePath is the part of path the timeline can track: map keys and
// vector indexes, up to the first step into a set.
func (t *replicaTab) provenancePath(path []value.Value) []value.Value {
	var v value.Value = t.root
	for i, k := range path {
		if _, ok := v.(*value.Set); ok {
			return path[:i]
		}
		v = value.GetIn(v, k)
	}
	return path
}

// showSelected fills the detail pane for the selected node.
func (t *replicaTab) showSelected() {
	defer func() { // empty lines take no room
		showIf(t.change, t.change.Text != "")
		showIf(t.hist, t.hist.Text != "")
	}()
	path, ok := t.paths[t.sel]
	v, found := t.at(path)
	if t.sel == "" || !ok || !found || t.p.Reader == nil {
		t.histFor = ""
		t.path.TextStyle.Monospace, t.path.Wrapping = false, fyne.TextWrapWord
		t.path.SetText("Select a node to see its value and the entries that changed it")
		t.change.SetText("")
		t.hist.SetText("")
		t.val.SetText("")
		t.jump.Disable()
		t.copyNode.Disable()
		return
	}
	t.path.TextStyle.Monospace, t.path.Wrapping = true, fyne.TextWrapBreak // an EDN path
	t.path.SetText(t.sel)
	t.val.SetText(value.Pretty(v, 80))
	t.copyNode.Enable()
	pp := t.provenancePath(path)
	rd := t.p.Reader
	// The history at pos is fixed by its latest change: while that stays
	// the same (the timeline moved elsewhere), the list is not made again,
	// as each change costs a seek.
	last, ok := rd.LastChange(pp, t.p.Pos)
	if !ok {
		t.histFor = ""
		t.change.SetText("Unchanged since the origin.")
		t.hist.SetText("")
		t.jump.Disable()
		return
	}
	key := fmt.Sprintf("%s|%d|%d", t.sel, rd.Generation(), last.Pos)
	t.last = last
	t.jump.Enable()
	if key == t.histFor {
		return
	}
	t.histFor = key
	hist := rd.History(pp, t.p.Pos, historyLen)
	e := rd.Entry(t.last.Pos)
	t.change.SetText(fmt.Sprintf("Last changed by entry %d (%s, %s)", t.last.Seq, e.Fn, entryTime(e.Created)))
	lines := make([]string, len(hist))
	for i, c := range hist {
		lines[i] = fmt.Sprintf("entry %d: %s → %s", c.Seq, nodeSummary(c.Before), nodeSummary(c.After))
	}
	t.hist.SetText("History:\n" + strings.Join(lines, "\n"))
}

// jumpThere moves the timeline to the entry that last changed the node.
func (t *replicaTab) jumpThere() {
	if t.p.Reader != nil && t.jump != nil && !t.jump.Disabled() {
		t.act.Seek(t.last.Pos)
	}
}

// copySelected puts the selected node's value, as EDN, on the clipboard.
func (t *replicaTab) copySelected() {
	if v, ok := t.at(t.paths[t.sel]); ok && t.sel != "" {
		fyne.CurrentApp().Clipboard().SetContent(value.Pretty(v, 100))
	}
}

// selectedJob is the job the selected node is under ([:jobs i],
// [:allocations J …], [:tasks J …]), or nil.
func (t *replicaTab) selectedJob() value.Value {
	path := t.paths[t.sel]
	if len(path) < 2 {
		return nil
	}
	if path[0] == value.Kw("jobs") {
		v, _ := t.at(path[:2])
		return v
	}
	return path[1]
}
