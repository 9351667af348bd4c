package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// jobRow is a job of the list as shown at a position.
type jobRow struct {
	id       value.Value
	status   jobStatus
	duration string
	tasks    int
	name     string // the job's name once its data is loaded (0.12+)
}

// jobSpan is where a job was submitted and ended, in positions (-1: not in
// the log, e.g. submitted before the origin, or not ended).
type jobSpan struct{ submit, end int }

// jobData is a job's data as loaded through Actions.LoadJob.
type jobData struct {
	loading bool
	job     zklog.Job
	err     error
}

// jobsTab lists the jobs and shows the selected one: its tasks at the
// position, and its workflow, catalog and other data loaded on demand.
type jobsTab struct {
	act      Actions
	list     *keyList
	rows     []jobRow
	selected value.Value
	spans    map[value.Value]*jobSpan
	spanned  logKey
	data     map[string]*jobData // by idKey of the job
	last     Position
	owner    timeline.Reader // the log selected and data belong to

	header     *widget.Label
	note       *widget.Label // loading, errors
	taskRows   [][]string
	tasks      *keyTable
	graph      *graph
	graphNote  *widget.Label
	catRows    [][]string
	catalog    *keyTable
	flow       *widget.Label
	lifecycles *widget.Label
	windows    *widget.Label
	triggers   *widget.Label
	metadata   *widget.Label
	exception  *widget.Label
	obj        fyne.CanvasObject

	selIndex int  // the list's selected row, -1 for none
	syncing  bool // show is moving the list's selection to the selected job

	filled        *jobData // what fillData last showed, and whether it was loading
	filledLoading bool
	drawn         string // the workflow the graph shows, as a key
}

var taskHeaders = []string{"Task", "Peers", "Min", "Max", "Scheduler", "Allocated peers"}
var catalogHeaders = []string{"Name", "Type", "Plugin", "Batch size", "Min peers", "Max peers", "Details"}

func newJobsTab(act Actions) *jobsTab {
	j := &jobsTab{act: act, spans: map[value.Value]*jobSpan{}, data: map[string]*jobData{}, selIndex: -1}
	j.list = newKeyList(
		func() int { return len(j.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateClip
			return withDot(l, theme.Color(theme.ColorNameForeground))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(j.rows) {
				return
			}
			row := j.rows[id]
			c := o.(*fyne.Container)
			setText(c.Objects[0].(*widget.Label), row.text())
			setDot(c, row.status.color())
		})
	j.list.OnSelected = func(id widget.ListItemID) {
		j.selIndex = id
		if id < len(j.rows) && !j.syncing {
			j.choose(j.rows[id].id)
		}
	}
	j.header = widget.NewLabelWithStyle("No job selected", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	j.header.Wrapping = fyne.TextWrapWord
	j.note = widget.NewLabel("")
	j.note.Wrapping = fyne.TextWrapWord
	j.tasks = textTable(taskHeaders, []float32{140, 55, 45, 45, 100, 280}, &j.taskRows, nil)
	j.graph = newGraph()
	j.graphNote = widget.NewLabel("")
	j.catalog = textTable(catalogHeaders, []float32{140, 90, 200, 80, 80, 80, 400}, &j.catRows, nil)
	mono := func() *widget.Label {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Selectable = true
		return l
	}
	j.flow, j.lifecycles, j.windows, j.triggers, j.metadata, j.exception = mono(), mono(), mono(), mono(), mono(), mono()
	j.exception.Importance = widget.DangerImportance
	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewScroll(o) }
	details := container.NewAppTabs(
		container.NewTabItem("Workflow", container.NewBorder(j.graphNote, nil, nil, nil, scroll(j.graph))),
		container.NewTabItem("Catalog", j.catalog),
		container.NewTabItem("Flow", scroll(j.flow)),
		container.NewTabItem("Lifecycles", scroll(j.lifecycles)),
		container.NewTabItem("Windows", scroll(j.windows)),
		container.NewTabItem("Triggers", scroll(j.triggers)),
		container.NewTabItem("Metadata", scroll(j.metadata)),
		container.NewTabItem("Exception", scroll(j.exception)),
	)
	right := container.NewVSplit(
		container.NewBorder(container.NewVBox(j.header, j.note), nil, nil, nil, j.tasks),
		details)
	right.Offset = 0.5
	split := container.NewHSplit(j.list, right)
	split.Offset = 0.3
	j.obj = split
	return j
}

func (j *jobsTab) title() string             { return "Jobs" }
func (j *jobsTab) icon() fyne.Resource       { return theme.ListIcon() }
func (j *jobsTab) object() fyne.CanvasObject { return j.obj }

func (r jobRow) text() string {
	id := shortID(r.id)
	if r.name != "" && r.name != idKey(r.id) {
		id = r.name + " (" + id + ")"
	}
	return fmt.Sprintf("%s · %s · %s · %s", id, r.status, r.duration, plural(r.tasks, "task"))
}

func (j *jobsTab) show(p Position) {
	j.last = p
	if p.Reader != j.owner { // another deployment: its own jobs
		j.owner = p.Reader
		j.selected = nil
		j.data = map[string]*jobData{}
	}
	j.rows = j.rows[:0]
	if p.Reader != nil {
		j.trackSpans(p)
		refs := jobsOf(p.Replica)
		durations := j.durations(p, refs)
		for i, ref := range refs {
			row := jobRow{
				id: ref.id, status: ref.status,
				duration: durations[i],
				tasks:    len(p.Replica.Tasks(ref.id)),
			}
			if d := j.data[idKey(ref.id)]; d != nil && !d.loading && d.job.Name != nil {
				row.name = shortID(d.job.Name)
			}
			j.rows = append(j.rows, row)
		}
	}
	if j.selected == nil && len(j.rows) > 0 {
		j.pick(j.defaultJob())
	}
	j.list.Refresh()
	j.syncSelection()
	j.showDetail()
}

// revealed scrolls the list to the selected job once the tab is shown: a
// list scrolled while hidden has no height to scroll by.
func (j *jobsTab) revealed() {
	if j.selIndex >= 0 {
		j.list.ScrollTo(j.selIndex)
	}
}

// defaultJob is the job selected when none is: the first running one, else
// the first listed.
func (j *jobsTab) defaultJob() value.Value {
	for _, row := range j.rows {
		if row.status == jobRunning {
			return row.id
		}
	}
	return j.rows[0].id
}

// syncSelection keeps the list's highlight on the selected job as rows come
// and go between positions.
func (j *jobsTab) syncSelection() {
	want := -1
	for i, row := range j.rows {
		if j.selected != nil && value.Equal(row.id, j.selected) {
			want = i
		}
	}
	if want == j.selIndex {
		return
	}
	j.syncing = true
	if want < 0 {
		j.list.UnselectAll()
		j.selIndex = -1
	} else {
		j.list.Select(want)
		if j.list.Size().Height < 1 { // hidden: Select scrolled by nothing; revealed scrolls
			j.list.ScrollToTop()
		}
	}
	j.syncing = false
}

// trackSpans reads the submit and end positions of jobs from the events the
// log gained since the last call.
func (j *jobsTab) trackSpans(p Position) {
	k := keyOf(p)
	from := j.spanned.n
	if k.rd != j.spanned.rd || k.gen != j.spanned.gen || k.n < j.spanned.n {
		j.spans, from = map[value.Value]*jobSpan{}, 0
	}
	j.spanned = k
	if from >= k.n {
		return
	}
	for _, ev := range p.Reader.EventsIn(from, k.n-1, timeline.KindJobSubmitted, timeline.KindJobCompleted, timeline.KindJobKilled) {
		if len(ev.Jobs) == 0 {
			continue
		}
		s := j.spans[ev.Jobs[0]]
		if s == nil {
			s = &jobSpan{submit: -1, end: -1}
			j.spans[ev.Jobs[0]] = s
		}
		if ev.Kind == timeline.KindJobSubmitted {
			s.submit = ev.Pos
		} else if s.end < 0 {
			s.end = ev.Pos
		}
	}
}

// durations is how long each job ran up to p: from its submit entry to its
// completion or kill, or to the position while it is live.
func (j *jobsTab) durations(p Position, refs []jobRef) []string {
	out := make([]string, len(refs))
	type span struct{ i, from, to int }
	var timed []span
	var positions []int
	for i, ref := range refs {
		s := j.spans[ref.id]
		if s == nil || s.submit < 0 || s.submit > p.Pos {
			out[i] = "submitted before the origin"
			continue
		}
		end := p.Pos
		if s.end >= 0 && s.end <= p.Pos {
			end = s.end
		}
		timed = append(timed, span{i, s.submit, end})
		positions = append(positions, s.submit, end)
	}
	times := p.Reader.Times(positions) // one wait for the writer, not one per job
	for k, sp := range timed {
		t0, t1 := times[2*k], times[2*k+1]
		if t0 == 0 || t1 == 0 {
			out[sp.i] = plural(sp.to-sp.from, "entry")
		} else {
			out[sp.i] = duration(t1 - t0)
		}
	}
	return out
}

// choose selects a job (the user picked it) and shows it.
func (j *jobsTab) choose(job value.Value) {
	j.pick(job)
	j.showDetail()
}

// pick selects a job and starts loading its data if it is not cached.
func (j *jobsTab) pick(job value.Value) {
	j.selected = job
	key := idKey(job)
	if _, ok := j.data[key]; !ok && j.last.Reader != nil {
		d := &jobData{loading: true}
		j.data[key] = d
		var ids []string
		for _, t := range j.last.Replica.Tasks(job) {
			ids = append(ids, idKey(t))
		}
		j.act.LoadJob(jobIDString(job), ids, func(zj zklog.Job, err error) {
			d.loading, d.job, d.err = false, zj, err
			if zj.Name != nil {
				for i := range j.rows {
					if idKey(j.rows[i].id) == key {
						j.rows[i].name = shortID(zj.Name)
					}
				}
				j.list.Refresh()
			}
			if j.selected != nil && idKey(j.selected) == key {
				j.showDetail()
			}
		})
	}
}

// jobIDString is a job id as its znodes name it.
func jobIDString(job value.Value) string {
	if s, ok := job.(string); ok {
		return s
	}
	return idKey(job)
}
