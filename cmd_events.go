package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
)

const eventsSynopsis = logSynopsis + " [--kind K[,K…]]"

func init() {
	register(command{
		name:     "events",
		summary:  plannedSummary("events"),
		synopsis: eventsSynopsis,
		run:      runEvents,
	})
}

func runEvents(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("events", eventsSynopsis)
	var src logFlags
	src.declare(fs)
	kinds := fs.String("kind", "", "print only events of these `KINDS`, comma-separated; \"anomaly\" selects every anomaly ("+kindList()+")")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "%s events: %s\n", progName, msg)
		fs.Usage()
		return exitUsage
	}
	if fs.NArg() > 0 {
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if err := src.check(); err != nil {
		return usageErr(err.Error())
	}
	keep, err := kindFilter(*kinds)
	if err != nil {
		return usageErr("--kind: " + err.Error())
	}
	l, err := src.load("events", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s events: %v\n", progName, err)
		return exitFailure
	}
	if err := printEvents(stdout, l, keep); err != nil {
		fmt.Fprintf(stderr, "%s events: %v\n", progName, err)
		return exitFailure
	}
	return exitOK
}

// printEvents replays a log and prints one line per event it keeps:
// "seq  time  kind  text". The ZooKeeper source (--zk, --tenancy) hands
// over its log the same way.
func printEvents(w io.Writer, l *replay.Log, keep func(timeline.Kind) bool) error {
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{})
	tl.Append(l.Entries...)
	bw := bufio.NewWriter(w)
	for pos := 0; pos < tl.Len(); pos++ {
		for _, ev := range tl.Events(pos) {
			if keep(ev.Kind) {
				fmt.Fprintf(bw, "%d  %s  %s  %s\n", ev.Seq, eventTime(ev.Time), ev.Kind, ev.Text)
			}
		}
	}
	return bw.Flush()
}

func eventTime(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

// kindFilter parses --kind: comma-separated kind names, "anomaly" for all
// anomalies; empty keeps every event.
func kindFilter(s string) (func(timeline.Kind) bool, error) {
	if strings.TrimSpace(s) == "" {
		return func(timeline.Kind) bool { return true }, nil
	}
	want := map[timeline.Kind]bool{}
	anomalies := false
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "anomaly" {
			anomalies = true
			continue
		}
		k, err := timeline.ParseKind(name)
		if err != nil {
			return nil, err
		}
		want[k] = true
	}
	return func(k timeline.Kind) bool { return want[k] || anomalies && k.Anomaly() }, nil
}

func kindList() string {
	var names []string
	for _, k := range timeline.Kinds() {
		names = append(names, k.String())
	}
	return strings.Join(names, ", ")
}
