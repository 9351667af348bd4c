package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// The Jobs tab's right side: the selected job's tasks at the position, and
// its data loaded on demand (workflow graph, catalog, flow conditions,
// lifecycles, windows, triggers, metadata, exception).

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
		status += " · submitted at entry " + fmt.Sprint(p.Reader.Seq(s.submit))
		if t := clock(p.Reader.Entry(s.submit).Created); t != "" {
			status += ", " + t
		}
	}
	head := fmt.Sprintf("Job %s · %s", idKey(job), status)
	if d != nil && d.job.Name != nil && shortID(d.job.Name) != idKey(job) {
		head = fmt.Sprintf("Job %s (%s) · %s", shortID(d.job.Name), idKey(job), status)
	}
	j.header.SetText(head)
	r := p.Replica
	allocs := mapOf(r.AllocationsMap().Val(job))
	sched := r.TaskScheduler(job).Name()
	for _, t := range r.Tasks(job) {
		peers := value.Items(allocs.Val(t))
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
	for _, e := range value.Items(catalog) {
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
		for _, pair := range value.Items(d.job.Workflow) {
			if ends := value.Items(pair); len(ends) == 2 {
				edges = append(edges, [2]int{node(shortID(ends[0])), node(shortID(ends[1]))})
			}
		}
		j.graphNote.SetText(plural(len(edges), "edge") + " from the job's workflow")
	} else if inOut := mapOf(getIn(r, kwInToOut, job)); inOut.Len() > 0 {
		for _, t := range tasks {
			node(names.name(t))
		}
		inOut.Range(func(from, tos value.Value) bool {
			for _, to := range value.Items(tos) {
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
