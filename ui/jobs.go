package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
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
	list     *widget.List
	rows     []jobRow
	selected value.Value
	spans    map[value.Value]*jobSpan
	spanned  logKey
	data     map[string]*jobData // by idKey of the job
	last     Position

	header     *widget.Label
	note       *widget.Label // loading, errors
	taskRows   [][]string
	tasks      *widget.Table
	graph      *graph
	graphNote  *widget.Label
	catRows    [][]string
	catalog    *widget.Table
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
	j.list = widget.NewList(
		func() int { return len(j.rows) },
		func() fyne.CanvasObject {
			dot := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
			dot.CornerRadius = 5
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateClip
			return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), dot)), nil, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(j.rows) {
				return
			}
			row := j.rows[id]
			c := o.(*fyne.Container)
			setText(c.Objects[0].(*widget.Label), row.text())
			dot := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Rectangle)
			dot.FillColor = row.status.color()
			dot.Refresh()
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
	j.tasks = textTable(taskHeaders, []float32{160, 60, 50, 50, 110, 300}, &j.taskRows, nil)
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
	right.Offset = 0.4
	split := container.NewHSplit(widget.NewCard("Jobs", "", j.list), right)
	split.Offset = 0.3
	j.obj = split
	return j
}

func (j *jobsTab) title() string             { return "Jobs" }
func (j *jobsTab) icon() fyne.Resource       { return theme.ListIcon() }
func (j *jobsTab) object() fyne.CanvasObject { return j.obj }

func (r jobRow) text() string {
	id := shortID(r.id)
	if r.name != "" {
		id = r.name + " (" + id + ")"
	}
	return fmt.Sprintf("%s · %s · %s · %s", id, r.status, r.duration, plural(r.tasks, "task"))
}

func (j *jobsTab) show(p Position) {
	j.last = p
	j.rows = j.rows[:0]
	if p.Reader != nil {
		j.trackSpans(p)
		for _, ref := range jobsOf(p.Replica) {
			row := jobRow{
				id: ref.id, status: ref.status,
				duration: j.duration(p, ref.id),
				tasks:    len(p.Replica.Tasks(ref.id)),
			}
			if d := j.data[idKey(ref.id)]; d != nil && !d.loading && d.job.Name != nil {
				row.name = shortID(d.job.Name)
			}
			j.rows = append(j.rows, row)
		}
	}
	j.list.Refresh()
	j.syncSelection()
	j.showDetail()
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

// duration is how long job ran up to p: from its submit entry to its
// completion or kill, or to the position while it is live.
func (j *jobsTab) duration(p Position, job value.Value) string {
	s := j.spans[job]
	if s == nil || s.submit < 0 || s.submit > p.Pos {
		return "submitted before the origin"
	}
	end := p.Pos
	if s.end >= 0 && s.end <= p.Pos {
		end = s.end
	}
	t0, t1 := p.Reader.Entry(s.submit).Created, p.Reader.Entry(end).Created
	if t0 == 0 || t1 == 0 {
		return plural(end-s.submit, "entry")
	}
	return duration(t1 - t0)
}

// choose selects a job and starts loading its data if it is not cached.
func (j *jobsTab) choose(job value.Value) {
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
	j.showDetail()
}

// jobIDString is a job id as its znodes name it.
func jobIDString(job value.Value) string {
	if s, ok := job.(string); ok {
		return s
	}
	return idKey(job)
}

// showDetail fills the right side for the selected job at the last position.
func (j *jobsTab) showDetail() {
	p, job := j.last, j.selected
	j.taskRows = j.taskRows[:0]
	if job == nil || p.Reader == nil {
		j.header.SetText("No job selected")
		j.note.SetText("")
		j.note.Hide()
		j.tasks.Refresh()
		j.fillData(nil, nil)
		j.filled = nil
		j.graphNote.SetText("")
		j.drawn = ""
		j.graph.setWorkflow(nil, nil)
		return
	}
	d := j.data[idKey(job)]
	names := taskNamesOf(d)
	status := "not in the replica at this position"
	for _, row := range j.rows {
		if value.Equal(row.id, job) {
			status = row.status.String() + " · " + row.duration
		}
	}
	if s := j.spans[job]; s != nil && s.submit >= 0 && s.submit <= p.Pos {
		status += " · submitted at entry " + fmt.Sprint(s.submit)
		if t := clock(p.Reader.Entry(s.submit).Created); t != "" {
			status += ", " + t
		}
	}
	head := fmt.Sprintf("Job %s · %s", idKey(job), status)
	if d != nil && d.job.Name != nil {
		head = fmt.Sprintf("Job %s (%s) · %s", shortID(d.job.Name), idKey(job), status)
	}
	j.header.SetText(head)
	r := p.Replica
	allocs := mapOf(r.AllocationsMap().Val(job))
	sched := r.TaskScheduler(job).Name()
	for _, t := range r.Tasks(job) {
		peers := items(allocs.Val(t))
		short := make([]string, len(peers))
		for i, pr := range peers {
			short[i] = shortID(pr)
		}
		j.taskRows = append(j.taskRows, []string{
			names.name(t), fmt.Sprint(len(peers)),
			number(getIn(r, kwMinRequiredPeers, job, t)), number(getIn(r, kwTaskSaturation, job, t)),
			sched, strings.Join(short, ", "),
		})
	}
	j.tasks.Refresh()
	defer func() { showIf(j.note, j.note.Text != "") }()
	switch {
	case d == nil:
		j.note.SetText("")
	case d.loading:
		j.note.SetText("loading job data…")
	case d.err != nil:
		j.note.SetText("could not load the job's data: " + d.err.Error())
	default:
		var errs []string
		for _, e := range d.job.Errs {
			errs = append(errs, e.Error())
		}
		j.note.SetText(strings.Join(errs, "\n"))
	}
	if d != j.filled || (d != nil && d.loading != j.filledLoading) {
		j.fillData(d, names)
		j.filled = d
		j.filledLoading = d != nil && d.loading
	}
	j.drawWorkflow(r, job, d, names)
}

// taskNamesOf names the job's tasks: keyword ids are names already; UUID
// ids take :name from the task maps of loaded job data.
func taskNamesOf(d *jobData) taskNames {
	names := taskNames{}
	if d == nil || d.loading {
		return names
	}
	kwID, kwName := value.Kw("id"), value.Kw("name")
	for _, tm := range d.job.Tasks {
		m := mapOf(tm)
		if id, name := m.Val(kwID), m.Val(kwName); id != nil && name != nil {
			names[id] = shortID(name)
		}
	}
	return names
}

// fillData shows the loaded parts of a job (or why there are none).
func (j *jobsTab) fillData(d *jobData, names taskNames) {
	j.catRows = j.catRows[:0]
	msg := "select a job"
	if d != nil {
		msg = "loading…"
		if !d.loading {
			msg = "none"
		}
	}
	part := func(l *widget.Label, v value.Value) {
		if d == nil || d.loading || v == nil {
			l.SetText(msg)
			return
		}
		l.SetText(value.Pretty(v, 100))
	}
	var job zklog.Job
	if d != nil {
		job = d.job
	}
	part(j.flow, job.Flow)
	part(j.lifecycles, job.Lifecycles)
	part(j.windows, job.Windows)
	part(j.triggers, job.Triggers)
	part(j.metadata, job.Metadata)
	part(j.exception, job.Exception)
	if d != nil && !d.loading {
		j.catRows = catalogRows(job.Catalog)
	}
	j.catalog.Refresh()
}

var catalogKeys = []value.Keyword{kwOnyxName, kwOnyxType, kwOnyxPlugin, kwOnyxBatchSize, kwOnyxMinPeers, kwOnyxMaxPeers, kwOnyxNPeers}

// catalogRows is one row per catalog entry: name, type, plugin, batch size,
// min and max peers, and the other keys.
func catalogRows(catalog value.Value) [][]string {
	var rows [][]string
	for _, e := range items(catalog) {
		m := mapOf(e)
		if m == nil {
			rows = append(rows, []string{value.PrStr(e), "", "", "", "", "", ""})
			continue
		}
		get := func(k value.Keyword) string {
			if v := m.Val(k); v != nil {
				return shortID(v)
			}
			return ""
		}
		minP, maxP := number(m.Val(kwOnyxMinPeers)), number(m.Val(kwOnyxMaxPeers))
		if n := m.Val(kwOnyxNPeers); n != nil {
			minP, maxP = number(n), number(n)
		}
		rest := m
		for _, k := range catalogKeys {
			rest = rest.Dissoc(k)
		}
		details := ""
		if rest.Len() > 0 {
			details = value.PrStr(rest)
		}
		rows = append(rows, []string{get(kwOnyxName), get(kwOnyxType), get(kwOnyxPlugin),
			number(m.Val(kwOnyxBatchSize)), minP, maxP, details})
	}
	return rows
}

// drawWorkflow draws the job's workflow: the loaded :workflow pairs, else
// era D's :in->out, else the tasks alone.
func (j *jobsTab) drawWorkflow(r replay.Replica, job value.Value, d *jobData, names taskNames) {
	var labels []string
	index := map[string]int{}
	node := func(label string) int {
		if i, ok := index[label]; ok {
			return i
		}
		index[label] = len(labels)
		labels = append(labels, label)
		return index[label]
	}
	var edges [][2]int
	tasks := r.Tasks(job)
	if d != nil && !d.loading && d.job.Workflow != nil {
		for _, pair := range items(d.job.Workflow) {
			if ends := items(pair); len(ends) == 2 {
				edges = append(edges, [2]int{node(shortID(ends[0])), node(shortID(ends[1]))})
			}
		}
		j.graphNote.SetText(plural(len(edges), "edge") + " from the job's workflow")
	} else if inOut := mapOf(getIn(r, kwInToOut, job)); inOut.Len() > 0 {
		for _, t := range tasks {
			node(names.name(t))
		}
		inOut.Range(func(from, tos value.Value) bool {
			for _, to := range items(tos) {
				edges = append(edges, [2]int{node(names.name(from)), node(names.name(to))})
			}
			return true
		})
		j.graphNote.SetText("edges from the replica's :in->out")
	} else {
		for _, t := range tasks {
			node(names.name(t))
		}
		note := "the workflow is not loaded: tasks only"
		if d != nil && d.loading {
			note = "loading the workflow…"
		}
		j.graphNote.SetText(note)
	}
	if key := fmt.Sprint(labels, edges); key != j.drawn {
		j.drawn = key
		j.graph.setWorkflow(labels, edges)
	}
}
