package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/archive"
)

// The Log tab's entry pane and row summaries: what an entry asked, what it
// did, how it is stored.

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
	bad := t.decodeErr(e)
	if bad != nil {
		t.head.SetText(fmt.Sprintf("Entry %d · %s · did not decode", e.Seq, entryTime(e.Created)))
		t.flag.SetText("Its znode did not decode, so replay skipped it: " + bad.Error())
		t.flag.Show()
		t.evs.SetText("It caused no event.")
		t.enc.SetText("Stored with the codec of Onyx " + t.rd.Version().String() + ", but the bytes are not a valid entry.")
		t.edn.SetText("")
		return
	}
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
