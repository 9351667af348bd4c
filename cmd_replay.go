package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/zk"
)

const replaySynopsis = "(--open FILE [--tenancy ID] | --zk ADDR --tenancy ID) [--onyx-version V] [--to N | --each] [--pretty]"

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
	open := fs.String("open", "", "EDN log `file` to replay (a log, a bare vector of entries, or a replay fixture)")
	version := fs.String("onyx-version", "", "Onyx `version` that wrote the log (required for a bare vector of entries)")
	to := fs.String("to", "", "print the replica after the entry with this message-`id` (default: the last)")
	each := fs.Bool("each", false, "print {:message-id N :replica R} after every entry")
	pretty := fs.Bool("pretty", false, "pretty-print the replica instead of one line of EDN")
	tenancy := fs.String("tenancy", "", "tenancy `id` to replay (with --zk, or an archive holding several)")
	var zf zkFlags
	zf.declare(fs)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "%s replay: %s\n", progName, fmt.Sprintf(format, a...))
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case (*open == "") == (zf.addr == ""):
		return usageErr("give one of --open FILE and --zk ADDR")
	case zf.addr != "" && *tenancy == "":
		return usageErr("--zk needs --tenancy ID")
	case *each && *to != "":
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
	var override *replay.Version
	if *version != "" {
		v, err := replay.ParseVersion(*version)
		if err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
			return exitFailure
		}
		override = &v
	}
	if zf.addr != "" {
		l, err := loadFromZK(zf, *tenancy, *version, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
			return exitFailure
		}
		return runReplayLog(l, opts, stdout, stderr)
	}
	b, err := os.ReadFile(*open)
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
		return exitFailure
	}
	if bytes.HasPrefix(b, []byte(archive.Magic)) {
		l, err := loadArchive(*open, *tenancy, *version, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", progName, err)
			return exitFailure
		}
		return runReplayLog(l, opts, stdout, stderr)
	}
	l, err := replay.ReadLog(b, override)
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: %s: %v\n", progName, *open, err)
		return exitFailure
	}
	return runReplayLog(l, opts, stdout, stderr)
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

// loadArchive reads the log of an archive file's tenancy (the --tenancy one, or
// its only one). A damaged archive still replays the entries before the
// damage; the damage is reported on stderr.
func loadArchive(path, id, version string, stderr io.Writer) (*replay.Log, error) {
	a, err := archive.Load(path)
	if a == nil {
		return nil, err
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s replay: %v (replaying the intact part)\n", progName, err)
	}
	ctx := context.Background()
	if id == "" {
		ts, err := a.Tenancies(ctx)
		if err != nil {
			return nil, err
		}
		if len(ts) != 1 {
			return nil, fmt.Errorf("%s holds %d tenancies: name one with --tenancy", path, len(ts))
		}
		id = ts[0].ID
	}
	return reportLoad(zklog.Load(ctx, a, id, version, nil))(stderr, id)
}

// loadFromZK reads tenancy id's log through a read-only connection and
// reports, on stderr, how the version was chosen and every entry that did not
// decode (replay flags those and goes on).
func loadFromZK(f zkFlags, id, version string, stderr io.Writer) (*replay.Log, error) {
	o, err := f.options()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	c, err := zk.Dial(ctx, f.addr, o)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return reportLoad(zklog.Load(ctx, c, id, version, nil))(stderr, id)
}

// reportLoad says on stderr how the version was chosen and which entries did
// not decode (replay flags those and goes on), and hands on the log.
func reportLoad(l *zklog.Loaded, err error) func(io.Writer, string) (*replay.Log, error) {
	return func(stderr io.Writer, id string) (*replay.Log, error) {
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "%s replay: tenancy %s: onyx %s (%s)\n", progName, id, l.Start.Version, l.Start.Chosen)
		for _, e := range l.Undecodable {
			fmt.Fprintf(stderr, "%s replay: entry %d: %v\n", progName, e.Seq, e.Err)
		}
		return l.Log, nil
	}
}
