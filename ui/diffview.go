package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// diffTab compares two positions: each side is typed as an entry number
// (Seq), picked from the bookmarks and event markers, or set to the current
// position; Compare shows the domain diff (jobs, peers, tasks, moved peers)
// and the replica paths that changed.
type diffTab struct {
	act      Actions
	p        Position
	from, to *widget.SelectEntry
	summary  *widget.Label
	paths    []string
	list     *keyList
	box      fyne.CanvasObject
	optsFor  string   // tenancy|len the options were made for
	opts     []string // the ends offered: bookmarks, then markers
	markers  []string
	last     timeline.Diff
}

// markerKinds are the events offered as diff ends besides bookmarks.
var markerKinds = []timeline.Kind{
	timeline.KindJobSubmitted, timeline.KindJobKilled, timeline.KindJobCompleted, timeline.KindJobStarved,
	timeline.KindPeerLeft, timeline.KindJobWithoutPeers, timeline.KindPeerInTwoAllocations, timeline.KindJoinNeverAccepted,
}

// maxMarkers is how many of the latest event markers are offered.
const maxMarkers = 100

func newDiffTab(act Actions) *diffTab {
	t := &diffTab{act: act}
	t.from, t.to = widget.NewSelectEntry(nil), widget.NewSelectEntry(nil)
	t.from.SetPlaceHolder("from: entry number, bookmark or event")
	t.to.SetPlaceHolder("to: entry number, bookmark or event")
	t.summary = widget.NewLabel("")
	t.summary.Wrapping = fyne.TextWrapWord
	t.list = newKeyList(func() int { return len(t.paths) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle.Monospace = true
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(t.paths[id]) })
	cur := func(e *widget.SelectEntry) *widget.Button {
		return widget.NewButtonWithIcon("", theme.MediaRecordIcon(), func() {
			if t.p.Reader != nil {
				e.SetText(strconv.FormatInt(t.p.Reader.Seq(t.p.Pos), 10))
			}
		})
	}
	compare := widget.NewButtonWithIcon("Compare", theme.ViewRefreshIcon(), t.compare)
	compare.Importance = widget.HighImportance
	ends := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel("From"), cur(t.from), t.from),
		container.NewBorder(nil, nil, widget.NewLabel("To"), cur(t.to), t.to))
	top := container.NewBorder(nil, nil, nil, compare, ends)
	split := container.NewVSplit(container.NewScroll(t.summary), t.list)
	split.Offset = 0.5
	t.box = container.NewBorder(top, nil, nil, nil, split)
	t.summary.SetText("Pick two positions and Compare. Empty ends compare the previous entry with the current one.")
	return t
}

// revealed compares the previous entry with the current one when the tab is
// switched to with both ends empty: the tab opens on what the current entry
// changed, at the cost of one diff per switch, never per move.
func (t *diffTab) revealed() {
	if t.p.Reader != nil && strings.TrimSpace(t.from.Text) == "" && strings.TrimSpace(t.to.Text) == "" {
		t.compare()
	}
}

func (t *diffTab) title() string             { return "Diff" }
func (t *diffTab) icon() fyne.Resource       { return theme.ContentCopyIcon() }
func (t *diffTab) object() fyne.CanvasObject { return t.box }

// show keeps the offered ends up to date; the diff itself is computed on
// Compare, as it can cost a walk of two whole replicas.
func (t *diffTab) show(p Position) {
	t.p = p
	if p.Reader == nil {
		return
	}
	// Bookmarks are read each time (a few preference lines); the markers
	// only when the log grew.
	var marks []string
	for _, b := range bookmarksOf(t.act, p.Tenancy) {
		marks = append(marks, fmt.Sprintf("#%d bookmark: %s", b.Seq, b.Note))
	}
	key := fmt.Sprintf("%s|%d|%d", p.Tenancy, p.Reader.Generation(), p.Reader.Len())
	if key != t.optsFor {
		t.optsFor = key
		t.markers = t.markerOptions()
	}
	opts := append(marks, t.markers...)
	if slices.Equal(opts, t.opts) {
		return
	}
	t.opts = opts
	t.from.SetOptions(t.opts)
	t.to.SetOptions(t.opts)
}

// markerOptions are the latest event markers, newest first, as "#SEQ what".
func (t *diffTab) markerOptions() []string {
	var out []string
	rd := t.p.Reader
	n := rd.Len()
	evs := rd.EventsIn(max(0, n-20000), n-1, markerKinds...)
	for i := len(evs) - 1; i >= 0 && len(evs)-i <= maxMarkers; i-- {
		out = append(out, fmt.Sprintf("#%d %s", evs[i].Seq, evs[i].Text))
	}
	return out
}

// parseEnd reads a diff end: "#SEQ …" or a bare Seq; -1 is the origin.
// It returns the position and whether the text named one.
func parseEnd(rd timeline.Reader, s string) (int, bool, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if s == "" {
		return 0, false, nil
	}
	num, _, _ := strings.Cut(s, " ")
	seq, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%q: want an entry number", num)
	}
	if origin, _ := rd.Origin(); seq <= origin {
		return -1, true, nil
	}
	pos, ok := rd.Pos(seq)
	if !ok {
		return 0, false, fmt.Errorf("entry %d is not in the log", seq)
	}
	return pos, true, nil
}

// compare diffs the two ends and shows the result.
func (t *diffTab) compare() {
	rd := t.p.Reader
	if rd == nil {
		t.summary.SetText("No log is open.")
		return
	}
	a, aok, err := parseEnd(rd, t.from.Text)
	if err == nil {
		var b int
		var bok bool
		b, bok, err = parseEnd(rd, t.to.Text)
		if err == nil {
			if !bok {
				b = t.p.Pos
			}
			if !aok {
				a = b - 1
			}
			t.showDiff(rd.Diff(max(a, -1), b))
			return
		}
	}
	t.summary.SetText("Cannot compare: " + err.Error())
	t.paths = nil
	t.list.Refresh()
}

// showDiff renders d.
func (t *diffTab) showDiff(d timeline.Diff) {
	t.last = d
	rd := t.p.Reader
	var b strings.Builder
	fmt.Fprintf(&b, "From entry %d to entry %d\n", rd.Seq(d.From), rd.Seq(d.To))
	list := func(what string, ids []value.Value) {
		if len(ids) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", what, idList(ids))
		}
	}
	list("Jobs added", d.JobsAdded)
	list("Jobs removed", d.JobsRemoved)
	for _, c := range d.JobStatus {
		fmt.Fprintf(&b, "Job %s: %s → %s\n", shortValue(c.Job), orNone(c.From), orNone(c.To))
	}
	list("Peers joined", d.PeersJoined)
	list("Peers left", d.PeersLeft)
	for _, c := range d.Tasks {
		fmt.Fprintf(&b, "Task %s of job %s:", shortValue(c.Task), shortValue(c.Job))
		if len(c.Gained) > 0 {
			fmt.Fprintf(&b, " gained %s", idList(c.Gained))
		}
		if len(c.Lost) > 0 {
			fmt.Fprintf(&b, " lost %s", idList(c.Lost))
		}
		b.WriteString("\n")
	}
	for _, m := range d.Moved {
		fmt.Fprintf(&b, "Peer %s moved from %s/%s to %s/%s\n", shortValue(m.Peer),
			shortValue(m.FromJob), shortValue(m.FromTask), shortValue(m.ToJob), shortValue(m.ToTask))
	}
	fmt.Fprintf(&b, "%d replica paths changed (listed below)", len(d.Paths))
	t.summary.SetText(b.String())
	t.paths = make([]string, len(d.Paths))
	for i, p := range d.Paths {
		t.paths[i] = value.PrStr(value.Vector(p))
	}
	t.list.Refresh()
}

func idList(ids []value.Value) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = shortValue(id)
	}
	return strings.Join(s, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}
