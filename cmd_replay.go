package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
)

const replaySynopsis = logSynopsis + " [--to N | --each | --diff A B] [--pretty]"

func init() {
	register(command{
		name:     "replay",
		summary:  "replay a log into the replica at a position and print it",
		synopsis: replaySynopsis,
		run:      runReplay,
	})
}

// replayOptions say what runReplayLog prints.
type replayOptions struct {
	to     int64 // message-id to stop after; meaningful when hasTo
	hasTo  bool
	each   bool // print every replica as {:message-id N :replica R}
	pretty bool // pretty-print instead of one line
}

func runReplay(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("replay", replaySynopsis)
	var src logFlags
	src.declare(fs)
	to := fs.String("to", "", "print the replica after the entry with this message-`id` (default: the last)")
	each := fs.Bool("each", false, "print {:message-id N :replica R} after every entry")
	pretty := fs.Bool("pretty", false, "pretty-print the replica instead of one line of EDN")
	diff := fs.Bool("diff", false, "with two message-ids A B as arguments: print what changed between the replicas after A and after B")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "%s replay: %s\n", progName, fmt.Sprintf(format, a...))
		fs.Usage()
		return exitUsage
	}
	var diffAB [2]int64
	switch {
	case *diff && fs.NArg() != 2:
		return usageErr("--diff takes two message-ids A B")
	case *diff:
		for i := range diffAB {
			n, err := strconv.ParseInt(fs.Arg(i), 10, 64)
			if err != nil {
				return usageErr("--diff: %q is not a message-id", fs.Arg(i))
			}
			diffAB[i] = n
		}
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if err := src.check(); err != nil {
		return usageErr("%v", err)
	}
	if *each && *to != "" {
		return usageErr("--to and --each exclude each other")
	}
	opts := replayOptions{each: *each, pretty: *pretty}
	if *to != "" {
		n, err := strconv.ParseInt(*to, 10, 64)
		if err != nil {
			return usageErr("--to %q is not a message-id", *to)
		}
		opts.to, opts.hasTo = n, true
	}
	l, err := src.load("replay", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
		return exitFailure
	}
	if *diff {
		return printDiff(l, diffAB[0], diffAB[1], stdout, stderr)
	}
	return runReplayLog(l, opts, stdout, stderr)
}

// printDiff prints the domain diff between the replicas after message-ids a
// and b (the origin's id names the origin).
func printDiff(l *replay.Log, a, b int64, stdout, stderr io.Writer) int {
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{})
	tl.Append(l.Entries...)
	pos := func(seq int64) (int, bool) {
		if seq == l.OriginSeq {
			return -1, true
		}
		return tl.Pos(seq)
	}
	pa, oka := pos(a)
	pb, okb := pos(b)
	if !oka || !okb {
		fmt.Fprintf(stderr, "%s replay: --diff %d %d: the log holds message-ids %d (origin) to %d\n", progName, a, b, l.OriginSeq, tl.Seq(tl.Len()-1))
		return exitFailure
	}
	fmt.Fprint(stdout, tl.Diff(pa, pb).String())
	return exitOK
}

// runReplayLog replays l and prints what opts ask for. It is the part of the
// command that does not care where the log came from (a file now, ZooKeeper
// later). A flagged entry is reported on stderr and replay goes on.
func runReplayLog(l *replay.Log, opts replayOptions, stdout, stderr io.Writer) int {
	if opts.hasTo && (opts.to < l.OriginSeq || len(l.Entries) == 0 && opts.to != l.OriginSeq ||
		len(l.Entries) > 0 && opts.to > l.Entries[len(l.Entries)-1].Seq) {
		last := l.OriginSeq
		if len(l.Entries) > 0 {
			last = l.Entries[len(l.Entries)-1].Seq
		}
		fmt.Fprintf(stderr, "%s replay: --to %d: the log holds message-ids %d (origin) to %d\n", progName, opts.to, l.OriginSeq, last)
		return exitFailure
	}
	if l.Version.PlacementEstimated() { // onyx-log-format.md §4.6, docs/replay.md
		fmt.Fprintf(stderr, "%s replay: note: onyx %s places peers with a constraint solver; the peer → task placement (and coordinators, slot ids, ackers) is an estimate, the per-task counts are exact\n", progName, l.Version)
	}
	print := func(v value.Value) {
		if opts.pretty {
			fmt.Fprintln(stdout, value.Pretty(v, 100))
			return
		}
		fmt.Fprintln(stdout, value.PrStr(v))
	}
	r := l.Origin
	done := opts.hasTo && opts.to == l.OriginSeq
	for _, e := range l.Entries {
		if done {
			break
		}
		next, err := replay.Apply(l.Version, r, e)
		if err != nil {
			var ae *replay.ApplyError
			if !errors.As(err, &ae) {
				fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
				return exitFailure
			}
			fmt.Fprintln(stderr, ae.Error())
		}
		r = next
		if opts.each {
			print(value.NewMap(value.KeyMessageID, e.Seq, value.Kw("replica"), r.Map()))
		}
		done = opts.hasTo && e.Seq >= opts.to
	}
	if !opts.each {
		print(r.Map())
	}
	return exitOK
}
