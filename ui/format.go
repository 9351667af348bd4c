package ui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// Replica keys the views read that replay has no accessor for
// (onyx-log-format.md §4.1). A missing key reads as empty.
var (
	kwAllocations      = value.Kw("allocations")
	kwMinRequiredPeers = value.Kw("min-required-peers")
	kwTaskSaturation   = value.Kw("task-saturation")
	kwGroupsReverse    = value.Kw("groups-reverse-index")
	kwPeerTags         = value.Kw("peer-tags")
	kwTaskMetadata     = value.Kw("task-metadata")
	kwInToOut          = value.Kw("in->out")
	kwCompletions      = value.Kw("completions")
	kwCompletedJobs    = value.Kw("completed-jobs")
	kwKilledJobs       = value.Kw("killed-jobs")
	kwTasks            = value.Kw("tasks")
	kwOnyxName         = value.Kw("onyx/name")
	kwOnyxType         = value.Kw("onyx/type")
	kwOnyxPlugin       = value.Kw("onyx/plugin")
	kwOnyxBatchSize    = value.Kw("onyx/batch-size")
	kwOnyxMinPeers     = value.Kw("onyx/min-peers")
	kwOnyxMaxPeers     = value.Kw("onyx/max-peers")
	kwOnyxNPeers       = value.Kw("onyx/n-peers")
	kwNettyAddr        = value.Kw("netty/external-addr")
	kwNettyPorts       = value.Kw("netty/ports")
	kwAeronAddr        = value.Kw("aeron/external-addr")
	kwAeronPort        = value.Kw("aeron/port")
	kwAeronID          = value.Kw("aeron/id")
	kwAddress          = value.Kw("address")
	kwPort             = value.Kw("port")
)

// shortID names an id compactly: a UUID by its first 8 hex digits, a
// keyword by its name (with namespace), a string as it is.
func shortID(v value.Value) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case value.UUID:
		return x.String()[:8]
	case value.Keyword:
		return strings.TrimPrefix(x.String(), ":")
	case string:
		return x
	}
	return value.PrStr(v)
}

// idKey is a comparable key for an id value, for Go maps and tree node ids.
func idKey(v value.Value) string {
	if u, ok := v.(value.UUID); ok {
		return u.String()
	}
	return value.PrStr(v)
}

// mapOf returns v as a map; nil (which reads as empty) otherwise.
func mapOf(v value.Value) *value.Map {
	m, _ := v.(*value.Map)
	return m
}

// getIn reads a path of the replica.
func getIn(r replay.Replica, path ...value.Value) value.Value {
	return value.GetIn(r.Map(), path...)
}

// number prints a peer count or cap: integers plainly, +Inf as ∞, nil as –.
func number(v value.Value) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsInf(x, 1) {
			return "∞"
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	return value.PrStr(v)
}

// plural says "1 peer", "3 peers", "2 entries".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if stem, ok := strings.CutSuffix(word, "y"); ok && stem != "" && !strings.ContainsAny(stem[len(stem)-1:], "aeiou") {
		return fmt.Sprintf("%d %sies", n, stem)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// clock prints an entry time (epoch ms) in UTC; "" when unknown.
func clock(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05")
}

// duration prints a span in ms as "1h02m", "3m05s", "4.2s".
func duration(ms int64) string {
	if ms < 0 {
		return "–"
	}
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// jobStatus is where a job stands at a position.
type jobStatus uint8

const (
	jobRunning jobStatus = iota
	jobUnallocated
	jobCompleted
	jobKilled
)

var jobStatusNames = [...]string{"running", "unallocated", "completed", "killed"}

func (s jobStatus) String() string { return jobStatusNames[s] }

// color is the status's theme colour.
func (s jobStatus) color() color.Color {
	switch s {
	case jobRunning:
		return theme.Color(theme.ColorNameSuccess)
	case jobUnallocated:
		return theme.Color(theme.ColorNameWarning)
	case jobKilled:
		return theme.Color(theme.ColorNameError)
	}
	return theme.Color(theme.ColorNameDisabled)
}

// jobRef is a job the replica knows and its status.
type jobRef struct {
	id     value.Value
	status jobStatus
}

// jobsOf lists the jobs of r with their status in the order :jobs,
// :completed-jobs, :killed-jobs list them, as the timeline's series count
// them (era A keeps finished jobs in :jobs; a job whose completions cover
// its tasks is completed). A job listed twice keeps its first place and
// takes the status of the last list that names it.
func jobsOf(r replay.Replica) []jobRef {
	fin := finishedOf(r.Get(kwCompletedJobs), r.Get(kwKilledJobs))
	live := r.Jobs()
	out := make([]jobRef, 0, len(live)+len(fin.refs))
	seen := make(map[any]bool, len(live)) // live jobs by idMapKey
	var taken []bool                      // fin.refs already placed among the live jobs
	allocs := r.AllocationsMap()
	completions := mapOf(r.Get(kwCompletions))
	tasks := mapOf(r.Get(kwTasks))
	for _, j := range live {
		if seen[idMapKey(j)] {
			continue // listed twice: the first place, the same status
		}
		seen[idMapKey(j)] = true
		s := jobUnallocated
		if peerCount(allocs.Val(j)) > 0 {
			s = jobRunning
		}
		if c := value.Items(completions.Val(j)); len(c) > 0 && len(c) >= len(value.Items(tasks.Val(j))) {
			s = jobCompleted
		}
		if k, ok := fin.at[idMapKey(j)]; ok { // also finished: that list's status, here
			s = fin.refs[k].status
			if taken == nil {
				taken = make([]bool, len(fin.refs))
			}
			taken[k] = true
		}
		out = append(out, jobRef{j, s})
	}
	for k, ref := range fin.refs {
		if taken == nil || !taken[k] {
			out = append(out, ref)
		}
	}
	return out
}

// finishedJobs is the finished half of jobsOf, made from one :completed-jobs
// and one :killed-jobs value. A 0.10+ log that is never gc'ed lists
// thousands of finished jobs and every view asks on every slider move, but
// the lists change only when a job ends: they are kept while both values
// are the same reference (value.SameRef; replicas are immutable).
type finishedJobs struct {
	completed, killed value.Value
	refs              []jobRef
	at                map[any]int // position in refs, by idMapKey
}

var lastFinished atomic.Pointer[finishedJobs]

func finishedOf(completed, killed value.Value) *finishedJobs {
	if f := lastFinished.Load(); f != nil && value.SameRef(f.completed, completed) && value.SameRef(f.killed, killed) {
		return f
	}
	f := &finishedJobs{completed: completed, killed: killed, at: map[any]int{}}
	add := func(j value.Value, s jobStatus) {
		k := idMapKey(j)
		if i, ok := f.at[k]; ok {
			f.refs[i].status = s
			return
		}
		f.at[k] = len(f.refs)
		f.refs = append(f.refs, jobRef{j, s})
	}
	for _, j := range value.Items(completed) {
		add(j, jobCompleted)
	}
	for _, j := range value.Items(killed) {
		add(j, jobKilled)
	}
	lastFinished.Store(f)
	return f
}

// printedID is an id Go cannot compare, as a map key: its printed form.
type printedID string

// idMapKey is id as a Go map key: itself when Go compares it as Clojure
// does, its printed form otherwise (a vector as a job id, which a damaged
// log may hold, must not make a map panic).
func idMapKey(id value.Value) any {
	switch id.(type) {
	case nil, value.UUID, value.Keyword, value.Symbol, string, int64, bool, value.Char:
		return id
	}
	return printedID(value.PrStr(id))
}

// peerCount counts the peers of one job's allocation {task → [peer]}.
func peerCount(alloc value.Value) int {
	n := 0
	mapOf(alloc).Range(func(_, ps value.Value) bool {
		n += len(value.Items(ps))
		return true
	})
	return n
}

// placement is where a peer runs.
type placement struct{ job, task value.Value }

// placements inverts :allocations once: peer → job and task (the last place
// in map order wins, as replay.PeerAllocation resolves duplicates).
func placements(r replay.Replica) map[value.Value]placement {
	out := map[value.Value]placement{}
	r.AllocationsMap().Range(func(j, tasks value.Value) bool {
		mapOf(tasks).Range(func(t, peers value.Value) bool {
			for _, p := range value.Items(peers) {
				out[p] = placement{j, t}
			}
			return true
		})
		return true
	})
	return out
}

// site is a peer's messaging address as host and ports.
type site struct{ host, ports string }

// siteOf reads a :peer-sites value: netty's or aeron's external address
// (eras B–C), or 0.14's :address and :port.
func siteOf(v value.Value) site {
	m := mapOf(v)
	if m == nil {
		return site{}
	}
	var s site
	for _, k := range []value.Keyword{kwNettyAddr, kwAeronAddr, kwAddress} {
		if h, ok := m.Val(k).(string); ok {
			s.host = h
			break
		}
	}
	var ports []string
	for _, k := range []value.Keyword{kwAeronPort, kwPort} {
		if p := m.Val(k); p != nil {
			ports = append(ports, value.PrStr(p))
		}
	}
	if ps := value.Items(m.Val(kwNettyPorts)); len(ps) > 0 {
		ports = append(ports, portRange(ps))
	}
	s.ports = strings.Join(ports, ", ")
	return s
}

// portRange prints a run of consecutive ports as "a–b".
func portRange(ps []value.Value) string {
	lo, lok := ps[0].(int64)
	hi, hok := ps[len(ps)-1].(int64)
	if lok && hok && hi-lo == int64(len(ps)-1) && len(ps) > 1 {
		return fmt.Sprintf("%d–%d", lo, hi)
	}
	var b []string
	for _, p := range ps {
		b = append(b, value.PrStr(p))
	}
	return strings.Join(b, " ")
}

// taskNames maps task ids to names: keyword ids (0.9.7+) are their own
// names; UUID ids take :onyx/name from :task-metadata when the replica has
// it, or from a loaded job's task maps (see jobTaskNames).
type taskNames map[value.Value]string

// name is the task's name, or its short id.
func (n taskNames) name(task value.Value) string {
	if s, ok := n[task]; ok {
		return s
	}
	return shortID(task)
}

// kindColor is the colour of an event kind in lists and charts.
func kindColor(k timeline.Kind) color.Color {
	switch {
	case k.Anomaly():
		return theme.Color(theme.ColorNameError)
	}
	switch k {
	case timeline.KindPeerJoined, timeline.KindGroupJoined, timeline.KindJobStarted, timeline.KindJobResumed:
		return theme.Color(theme.ColorNameSuccess)
	case timeline.KindPeerLeft, timeline.KindGroupLeft, timeline.KindJobStarved, timeline.KindJoinAborted, timeline.KindBackpressureOn:
		return theme.Color(theme.ColorNameWarning)
	case timeline.KindJobKilled:
		return theme.Color(theme.ColorNameError)
	case timeline.KindJobSubmitted, timeline.KindJobCompleted:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNameForeground)
}

// posLabel names a position by its entry's Seq, the number users know:
// "entry 12 · 2015-06-09 00:01:46".
func posLabel(rd timeline.Reader, pos int) string {
	if pos < 0 {
		return "origin"
	}
	s := fmt.Sprintf("entry %d", rd.Seq(pos))
	if t := clock(rd.Entry(pos).Created); t != "" {
		s += " · " + t
	}
	return s
}

// textTable is a table of text cells under a header row, read from *rows
// (a snapshot the view replaces in show, then calls Refresh). onHeader, when
// not nil, is called with the column of a tapped header.
func textTable(headers []string, widths []float32, rows *[][]string, onHeader func(col int)) *keyTable {
	t := newKeyTable(
		func() (int, int) { return len(*rows), len(headers) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateClip
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := ""
			if id.Row < len(*rows) && id.Col < len((*rows)[id.Row]) {
				text = (*rows)[id.Row][id.Col]
			}
			setText(o.(*widget.Label), text)
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Row >= 0 || id.Col < 0 || id.Col >= len(headers) {
			b.SetText("")
			b.OnTapped = nil
			return
		}
		b.SetText(headers[id.Col])
		col := id.Col
		b.OnTapped = nil
		if onHeader != nil {
			b.OnTapped = func() { onHeader(col) }
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// setText changes a label only when its text changed: collections call
// their update functions for every visible item on each Refresh, and
// re-rendering unchanged text is what makes a move slow.
func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// showIf shows o when cond holds and hides it otherwise, so an empty note
// takes no room.
func showIf(o fyne.CanvasObject, cond bool) {
	if cond && !o.Visible() {
		o.Show()
	} else if !cond && o.Visible() {
		o.Hide()
	}
}
