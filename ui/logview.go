package ui

import (
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// logTab lists every entry of the log in a virtualised list kept in step
// with the timeline, with filters and an entry pane (docs/inspecting.md).
// Row text is made on demand from Reader.Entry and cached for a few hundred
// rows, so a million-entry log costs no more than a short one.
type logTab struct {
	act  Actions
	p    Position
	gen  uint64
	rd   timeline.Reader
	rows []int // the matching positions while a filter is on; nil: every entry
	on   bool  // a filter is on
	n    int   // Reader.Len when rows were computed
	text map[int]string
	sync bool // the list is being moved to the timeline's position
	cur  int  // the row selected for the position; -1: none
	pane int  // the position the entry pane shows; -2: none

	list                 *keyList
	fn                   *widget.SelectEntry
	job, peer, free      *widget.Entry
	kind                 *widget.Select
	count                *widget.Label
	prev, next, mark     *widget.Button
	head, flag, evs, enc *widget.Label
	edn                  *widget.Label
	box                  fyne.CanvasObject
}

// rowCache is how many row texts the log list keeps.
const rowCache = 512

func newLogTab(act Actions) *logTab {
	t := &logTab{act: act, pane: -2, cur: -1, text: map[int]string{}}
	t.list = newKeyList(t.length, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateClip
		return l
	}, t.updateRow)
	t.list.OnSelected = t.selected

	t.fn = widget.NewSelectEntry(knownFns)
	t.fn.SetPlaceHolder("command")
	t.job, t.peer, t.free = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	t.job.SetPlaceHolder("job id or prefix")
	t.peer.SetPlaceHolder("peer id or prefix")
	t.free.SetPlaceHolder("text in the entry")
	kinds := []string{anyKind, anomalyKind}
	for _, k := range timeline.Kinds() {
		kinds = append(kinds, k.String())
	}
	t.kind = widget.NewSelect(kinds, func(string) { t.refilter() })
	t.kind.SetSelectedIndex(0)
	for _, e := range []*widget.Entry{&t.fn.Entry, t.job, t.peer, t.free} {
		e.OnChanged = func(string) { t.refilter() }
	}
	t.count = widget.NewLabel("")
	t.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { t.step(-1) })
	t.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { t.step(1) })
	t.mark = widget.NewButtonWithIcon("Bookmark…", theme.ContentAddIcon(), t.showBookmark)
	marks := widget.NewButton("Bookmarks", t.showBookmarks)

	t.head, t.flag, t.evs, t.enc = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{t.head, t.flag, t.evs, t.enc} {
		l.Wrapping = fyne.TextWrapWord
	}
	t.head.TextStyle.Bold = true
	t.flag.Importance = widget.WarningImportance
	t.edn = widget.NewLabel("")
	t.edn.TextStyle.Monospace = true

	filters := container.NewGridWithColumns(5, t.fn, t.job, t.peer, t.kind, t.free)
	nav := container.NewHBox(t.prev, t.next, t.count, t.mark, marks)
	if h, ok := act.(inspectHost); ok && h.writesAllowed() {
		nav.Add(widget.NewButtonWithIcon("Kill job…", theme.WarningIcon(), func() { h.showKillJob(t.p, nil) }))
	}
	pane := container.NewBorder(container.NewVBox(t.head, t.flag, t.evs, t.enc), nil, nil, nil,
		container.NewScroll(t.edn))
	split := container.NewHSplit(t.list, pane)
	split.Offset = 0.55
	t.box = container.NewBorder(container.NewVBox(filters, nav), nil, nil, nil, split)
	t.show(Position{Pos: -1})
	return t
}

func (t *logTab) title() string             { return "Log" }
func (t *logTab) icon() fyne.Resource       { return theme.ListIcon() }
func (t *logTab) object() fyne.CanvasObject { return t.box }

// show keeps the list and the pane in step with p: new entries extend the
// list (and the matches), and the row of p.Pos is selected and scrolled to.
func (t *logTab) show(p Position) {
	t.p = p
	if p.Reader != t.rd || (p.Reader != nil && p.Reader.Generation() != t.gen) {
		t.rd = p.Reader
		if t.rd != nil {
			t.gen = t.rd.Generation()
		}
		clear(t.text)
		t.pane = -2
		t.n = -1
	}
	n := 0
	if t.rd != nil {
		n = t.rd.Len()
	}
	if n != t.n {
		t.n = n
		t.recount()
		t.list.Refresh()
	}
	t.syncRow()
	t.showEntry(p.Pos)
}

func (t *logTab) length() int {
	if t.on {
		return len(t.rows)
	}
	return t.n
}

// posOf is the timeline position of list row id.
func (t *logTab) posOf(id widget.ListItemID) int {
	if t.on {
		if id < 0 || id >= len(t.rows) {
			return -1
		}
		return t.rows[id]
	}
	return id
}

// rowOf is the list row of position pos; false when it is not listed.
func (t *logTab) rowOf(pos int) (int, bool) {
	if pos < 0 || pos >= t.n {
		return 0, false
	}
	if !t.on {
		return pos, true
	}
	i := sort.SearchInts(t.rows, pos)
	return i, i < len(t.rows) && t.rows[i] == pos
}

func (t *logTab) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	pos := t.posOf(id)
	s, ok := t.text[pos]
	if !ok {
		if len(t.text) >= rowCache {
			clear(t.text)
		}
		s = t.rowText(pos)
		t.text[pos] = s
	}
	o.(*widget.Label).SetText(s)
}

// rowText is one row: Seq, time, command and what the entry did.
func (t *logTab) rowText(pos int) string {
	if t.rd == nil || pos < 0 {
		return ""
	}
	e := t.rd.Entry(pos)
	if err := t.decodeErr(e); err != nil {
		return fmt.Sprintf("⚠ %d  %s  did not decode: %v", e.Seq, entryTime(e.Created), err)
	}
	mark := ""
	if t.rd.Flag(pos) != nil {
		mark = "⚠ "
	}
	return fmt.Sprintf("%s%d  %s  %s  %s", mark, e.Seq, entryTime(e.Created), e.Fn, summary(e, t.rd.Events(pos)))
}

// decodeErr is why the znode of e did not decode, for an entry that has no
// command (the bridge keeps the error by Seq); nil for a decoded entry.
func (t *logTab) decodeErr(e value.Entry) error {
	if e.Fn != (value.Keyword{}) {
		return nil
	}
	if h, ok := t.act.(inspectHost); ok {
		return h.decodeError(e.Seq)
	}
	return nil
}

// syncRow selects the row of the current position without seeking.
func (t *logTab) syncRow() {
	t.sync = true
	defer func() { t.sync = false }()
	if row, ok := t.rowOf(t.p.Pos); ok {
		t.cur = row
		t.list.Select(row)
		return
	}
	t.cur = -1
	t.list.UnselectAll()
	if t.on && t.p.Pos >= 0 {
		t.list.ScrollTo(min(sort.SearchInts(t.rows, t.p.Pos), max(0, len(t.rows)-1)))
	}
}

// selected is a row the user picked: the timeline moves there.
func (t *logTab) selected(id widget.ListItemID) {
	if t.sync {
		return
	}
	if pos := t.posOf(id); pos >= 0 && pos != t.p.Pos {
		t.act.Seek(pos)
	}
}
