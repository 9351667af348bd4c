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

// recentEvents is how many events the Overview lists.
const recentEvents = 20

// logKey says which timeline and how much of it a view computed from: it
// recomputes what covers the whole log only when the key changes.
type logKey struct {
	rd  timeline.Reader
	gen uint64
	n   int
}

func keyOf(p Position) logKey {
	if p.Reader == nil {
		return logKey{}
	}
	return logKey{p.Reader, p.Reader.Generation(), p.Reader.Len()}
}

// overviewTab shows counts of peers and jobs, the latest events and charts
// of both over the log.
type overviewTab struct {
	act        Actions
	peers      *widget.Card
	peerStates *widget.Label
	jobs       *widget.Card
	jobCounts  *widget.Label
	where      *widget.Label
	events     *keyList
	shown      []timeline.Event // what the list shows, newest first
	peerChart  *chart
	jobChart   *chart
	charted    logKey
	obj        fyne.CanvasObject
}

func newOverviewTab(act Actions) *overviewTab {
	o := &overviewTab{act: act}
	o.peerStates = widget.NewLabel("")
	o.peers = widget.NewCard("Peers", "", o.peerStates)
	o.jobCounts = widget.NewLabel("")
	o.jobs = widget.NewCard("Jobs", "", o.jobCounts)
	o.where = widget.NewLabel("")
	o.where.Wrapping = fyne.TextWrapWord // a long line must not widen the window
	o.events = newKeyList(
		func() int { return len(o.shown) },
		func() fyne.CanvasObject {
			text := widget.NewLabel("")
			text.Truncation = fyne.TextTruncateClip
			return withDot(text, theme.Color(theme.ColorNameForeground))
		},
		func(id widget.ListItemID, obj fyne.CanvasObject) {
			if id >= len(o.shown) {
				return
			}
			ev := o.shown[id]
			c := obj.(*fyne.Container)
			text := c.Objects[0].(*widget.Label)
			setText(text, fmt.Sprintf("#%d  %s", ev.Seq, ev.Text))
			setDot(c, kindColor(ev.Kind))
		})
	o.events.OnSelected = func(id widget.ListItemID) {
		if id < len(o.shown) {
			o.act.Seek(o.shown[id].Pos)
		}
		o.events.UnselectAll()
	}
	o.peerChart = newChart("Peers", act.Seek)
	o.jobChart = newChart("Jobs", act.Seek)
	cards := container.NewGridWithColumns(2, o.peers, o.jobs)
	charts := container.NewGridWithRows(2, o.peerChart, o.jobChart)
	recent := widget.NewCard("Recent events", "", o.events)
	split := container.NewHSplit(charts, recent)
	split.Offset = 0.55
	o.obj = container.NewBorder(container.NewVBox(cards, o.where), nil, nil, nil, split)
	return o
}

func (o *overviewTab) title() string             { return "Overview" }
func (o *overviewTab) icon() fyne.Resource       { return theme.HomeIcon() }
func (o *overviewTab) object() fyne.CanvasObject { return o.obj }

func (o *overviewTab) show(p Position) {
	if p.Reader == nil {
		o.peers.SetSubTitle("no tenancy open")
		o.peerStates.SetText("")
		o.jobs.SetSubTitle("")
		o.jobCounts.SetText("")
		o.where.SetText("")
		o.shown = nil
		o.events.Refresh()
		o.peerChart.setData(0, nil)
		o.jobChart.setData(0, nil)
		o.charted = logKey{}
		return
	}
	r := p.Replica
	o.peers.SetSubTitle(plural(len(r.Peers()), "peer"))
	o.peerStates.SetText(peerStateCounts(p))
	var counts [4]int
	refs := jobsOf(r)
	for _, j := range refs {
		counts[j.status]++
	}
	o.jobs.SetSubTitle(plural(len(refs), "job"))
	var parts []string
	for s, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, jobStatus(s)))
	}
	o.jobCounts.SetText(strings.Join(parts, " · "))
	where := posLabel(p.Reader, p.Pos) + fmt.Sprintf(" (%s loaded)", plural(p.Reader.Len(), "entry"))
	if p.Version().PlacementEstimated() {
		where += " · placement estimated: per-task counts are right, which peer runs where may differ"
	}
	o.where.SetText(where)
	o.shown = lastEvents(p.Reader, p.Pos, recentEvents)
	o.events.Refresh()
	if k := keyOf(p); k != o.charted {
		o.charted = k
		o.chartLog(p.Reader)
	}
	o.peerChart.setCursor(p.Pos)
	o.jobChart.setCursor(p.Pos)
}

// chartLog recomputes the charts' lines (only when the log changed).
func (o *overviewTab) chartLog(rd timeline.Reader) {
	n := rd.Len()
	line := func(name string, m timeline.Metric, c fyne.ThemeColorName) chartLine {
		return chartLine{name: name, color: theme.Color(c), steps: bucketize(rd.Series(m, nil), n)}
	}
	o.peerChart.setData(n, []chartLine{line("peers", timeline.MetricPeers, theme.ColorNamePrimary)})
	o.jobChart.setData(n, []chartLine{
		line("running", timeline.MetricJobsRunning, theme.ColorNameSuccess),
		line("unallocated", timeline.MetricJobsWaiting, theme.ColorNameWarning),
		line("completed", timeline.MetricJobsCompleted, theme.ColorNameDisabled),
		line("killed", timeline.MetricJobsKilled, theme.ColorNameError),
	})
}

// peerStateCounts says how many peers are in each :peer-state, or that the
// era keeps none.
func peerStateCounts(p Position) string {
	states := p.Replica.PeerStates()
	if states == nil {
		return "no peer states in this version"
	}
	counts := map[string]int{}
	states.Range(func(_, s value.Value) bool {
		counts[shortID(s)]++
		return true
	})
	names := make([]string, 0, len(counts))
	for s := range counts {
		names = append(names, s)
	}
	sort.Strings(names)
	var parts []string
	for _, s := range names {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " · ")
}

// lastEvents returns up to max events at or before pos, newest first. It
// looks back in growing windows so a dense log costs one short scan.
func lastEvents(rd timeline.Reader, pos, max int) []timeline.Event {
	var evs []timeline.Event
	to := pos
	for width := 1; to >= 0 && len(evs) < max; width *= 4 {
		from := to - width + 1
		batch := rd.EventsIn(from, to)
		for i := len(batch) - 1; i >= 0 && len(evs) < max; i-- {
			evs = append(evs, batch[i])
		}
		to = from - 1
	}
	return evs
}
