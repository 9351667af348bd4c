package ui

import (
	"fmt"
	"sort"
	"strings"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

// The Log tab's filters: command, job, peer, event kind and free text,
// combined with AND through Reader.Filter, with match counts and
// next/previous match.

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
