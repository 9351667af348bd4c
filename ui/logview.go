package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/archive"
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

	list                 *widget.List
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

// anyKind is the kind filter's "no filter" choice; anomalyKind picks every
// anomaly kind at once.
const (
	anyKind     = "any event"
	anomalyKind = "anomaly"
)

// knownFns are the commands of every era (onyx-log-format.md, Appendix A),
// offered by the command filter.
var knownFns = []string{
	":prepare-join-cluster", ":notify-join-cluster", ":accept-join-cluster", ":abort-join-cluster",
	":leave-cluster", ":group-leave-cluster", ":add-virtual-peer", ":submit-job", ":kill-job", ":gc",
	":volunteer-for-task", ":seal-task", ":complete-task", ":signal-ready", ":exhaust-input",
	":seal-output", ":backpressure-on", ":backpressure-off", ":assign-bookkeeper-log-id",
	":compact-bookkeeper-log-ids", ":deleted-bookkeeper-log-ids", ":complete-job",
}

func newLogTab(act Actions) *logTab {
	t := &logTab{act: act, pane: -2, cur: -1, text: map[int]string{}}
	t.list = widget.NewList(t.length, func() fyne.CanvasObject {
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
	mark := ""
	if t.rd.Flag(pos) != nil {
		mark = "⚠ "
	}
	return fmt.Sprintf("%s%d  %s  %s  %s", mark, e.Seq, entryTime(e.Created), e.Fn, summary(e, t.rd.Events(pos)))
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

// filter is what the filter widgets ask for; on is false when they ask
// nothing.
func (t *logTab) filter() (f timeline.Filter, on bool) {
	if fn := strings.TrimPrefix(strings.TrimSpace(t.fn.Text), ":"); fn != "" {
		f.Fns = []value.Keyword{value.Kw(fn)}
	}
	var jobs, peers []value.Value
	if t.rd != nil && (t.job.Text != "" || t.peer.Text != "") {
		// Prefixes are resolved against the ids of the current and the
		// newest replica.
		newest := t.rd.Replica(t.rd.Len() - 1)
		jobs = append(append(jobs, t.p.Replica.Jobs()...), newest.Jobs()...)
		peers = append(append(peers, t.p.Replica.Peers()...), newest.Peers()...)
	}
	f.Job = parseID(t.job.Text, jobs)
	f.Peer = parseID(t.peer.Text, peers)
	switch k := t.kind.Selected; k {
	case "", anyKind:
	case anomalyKind:
		f.Anomalies = true
	default:
		if kk, err := timeline.ParseKind(k); err == nil {
			f.Kinds = []timeline.Kind{kk}
		}
	}
	f.Text = strings.TrimSpace(t.free.Text)
	on = len(f.Fns) > 0 || f.Job != nil || f.Peer != nil || f.Anomalies || len(f.Kinds) > 0 || f.Text != ""
	return f, on
}

// parseID reads an id typed in a filter: a UUID, a :keyword, or the prefix
// of one of known's UUIDs (the replica's jobs or peers); an unknown prefix
// is kept as a string, which matches nothing.
func parseID(s string, known []value.Value) value.Value {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil
	case strings.HasPrefix(s, ":"):
		return value.Kw(s[1:])
	}
	if u, err := value.ParseUUID(s); err == nil {
		return u
	}
	for _, k := range known {
		if u, ok := k.(value.UUID); ok && strings.HasPrefix(u.String(), strings.ToLower(s)) {
			return u
		}
	}
	return s
}

// refilter runs the filter again after a widget changed.
func (t *logTab) refilter() {
	if t.list == nil || t.count == nil {
		return // still being built
	}
	t.recount()
	t.list.Refresh()
	t.syncRow()
}

// recount computes the matches and the count label.
func (t *logTab) recount() {
	f, on := t.filter()
	t.on = on
	t.rows = nil
	if on && t.rd != nil {
		t.rows = t.rd.Filter(f)
	}
	switch {
	case t.rd == nil:
		t.count.SetText("no log open")
	case on:
		t.count.SetText(fmt.Sprintf("%d of %d entries match", len(t.rows), t.n))
	default:
		t.count.SetText(fmt.Sprintf("%d entries", t.n))
	}
	if on && len(t.rows) > 0 {
		t.prev.Enable()
		t.next.Enable()
	} else {
		t.prev.Disable()
		t.next.Disable()
	}
}

// matchFrom is the next (dir 1) or previous (dir -1) match from pos.
func (t *logTab) matchFrom(pos, dir int) (int, bool) {
	if !t.on {
		return 0, false
	}
	if dir > 0 {
		i := sort.SearchInts(t.rows, pos+1)
		if i < len(t.rows) {
			return t.rows[i], true
		}
		return 0, false
	}
	i := sort.SearchInts(t.rows, pos) - 1
	if i >= 0 {
		return t.rows[i], true
	}
	return 0, false
}

// step moves the timeline to the next or previous match.
func (t *logTab) step(dir int) {
	if pos, ok := t.matchFrom(t.p.Pos, dir); ok {
		t.act.Seek(pos)
	}
}

// showEntry fills the entry pane with the entry at pos.
func (t *logTab) showEntry(pos int) {
	if pos == t.pane {
		return
	}
	t.pane = pos
	if t.rd == nil || pos < 0 || pos >= t.n {
		t.head.SetText("The origin: no entry selected")
		t.flag.Hide()
		t.evs.SetText("")
		t.enc.SetText("")
		t.edn.SetText("")
		return
	}
	e := t.rd.Entry(pos)
	t.head.SetText(fmt.Sprintf("Entry %d · %s · %s", e.Seq, entryTime(e.Created), e.Fn))
	if err := t.rd.Flag(pos); err != nil {
		t.flag.SetText("Replay ignored this entry: " + err.Error())
		t.flag.Show()
	} else {
		t.flag.Hide()
	}
	var lines []string
	for _, ev := range t.rd.Events(pos) {
		lines = append(lines, "• "+ev.Text)
	}
	if len(lines) == 0 {
		lines = []string{"It caused no event."}
	}
	t.evs.SetText(strings.Join(lines, "\n"))
	t.enc.SetText(encodingLine(t.rd.Version(), e))
	t.edn.SetText(value.Pretty(e.Value(), 80))
}

// encodingLine says how the entry is stored. Sources do not keep the bytes
// of decoded entries, so the size is that of the entry encoded again with
// the codec of the version (archive.Encode, which picks LZ4 by the same
// thresholds), which matches what Onyx stored for the maps Onyx writes.
func encodingLine(v replay.Version, e value.Entry) string {
	b, err := archive.Encode(v, e.Map)
	if err != nil {
		return fmt.Sprintf("Stored with the codec of Onyx %s; it does not encode again: %v", v, err)
	}
	return fmt.Sprintf("Stored as %s by Onyx %s: %d bytes (encoded again here)", codecName(v, b), v, len(b))
}

// codecName names the codec of encoded bytes b of version v.
func codecName(v replay.Version, b []byte) string {
	switch {
	case v.Era() == replay.EraA:
		return "Fressian"
	case len(b) > 3 && b[3] == 8:
		return "Nippy with LZ4"
	}
	return "Nippy"
}

// entryTime prints an entry's znode ctime in UTC; 0.5.0 kept none.
func entryTime(ms int64) string {
	if ms == 0 {
		return "(no time)"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000")
}

// summary is a row's plain-language line: the entry's events when it had
// any, else what its command asks, from the args.
func summary(e value.Entry, evs []timeline.Event) string {
	if len(evs) > 0 {
		s := make([]string, len(evs))
		for i, ev := range evs {
			s[i] = ev.Text
		}
		return strings.Join(s, "; ")
	}
	a := func(k string) string { return shortValue(e.Arg(k)) }
	switch e.Fn.Name() {
	case "prepare-join-cluster":
		return "peer " + a("joiner") + " asks to join"
	case "notify-join-cluster":
		return a("observer") + " is told to watch " + a("subject")
	case "accept-join-cluster":
		return "peer " + a("accepted-joiner") + " accepted, watched by " + a("accepted-observer")
	case "abort-join-cluster":
		return "join of " + a("id") + " aborted"
	case "leave-cluster", "group-leave-cluster":
		return a("id") + " leaves"
	case "submit-job":
		return "job " + a("id") + " submitted"
	case "kill-job":
		return "kill job " + a("job")
	case "complete-job":
		return "job " + a("job-id") + " completes"
	case "volunteer-for-task", "signal-ready":
		return "peer " + a("id") + " " + strings.ReplaceAll(e.Fn.Name(), "-", " ")
	case "gc":
		return "garbage collection by " + a("id")
	}
	var parts []string
	e.Args.Range(func(k, v value.Value) bool {
		parts = append(parts, value.PrStr(k)+" "+shortValue(v))
		return len(parts) < 6
	})
	return strings.Join(parts, " ")
}

// shortValue prints a value for a row: UUIDs as their first 8 digits, long
// collections cut.
func shortValue(v value.Value) string {
	switch x := v.(type) {
	case nil:
		return "?"
	case value.UUID:
		return x.String()[:8] + "…"
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	}
	s := value.PrStr(v)
	if len(s) > 60 {
		s = s[:57] + "…"
	}
	return s
}
