package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/zk"
)

func init() {
	register(command{
		name:     "archive",
		summary:  plannedSummary("archive"),
		synopsis: "(--zk ADDR --tenancy ID | --open FILE) -o FILE [--edn [--redact]]",
		run:      runArchive,
	})
}

func runArchive(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("archive", "(--zk ADDR --tenancy ID | --open FILE) -o FILE [--edn [--redact]]")
	var f zkFlags
	f.declare(fs)
	var id, open, out string
	var ednOut, redact bool
	fs.StringVar(&id, "tenancy", "", "the tenancy `ID` to save (with --open: optional)")
	fs.StringVar(&open, "open", "", "read an archive, EDN log file or bare vector of entries `FILE` instead of ZooKeeper")
	fs.StringVar(&out, "o", "", "write to `FILE`")
	fs.BoolVar(&ednOut, "edn", false, "write the decoded log as an EDN log file instead of an archive")
	fs.BoolVar(&redact, "redact", false, "with --edn: rename ids and remove host names, ports and catalog user keys")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "%s archive: %s\n", progName, msg)
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case (f.addr == "") == (open == ""):
		return usageErr("give either --zk ADDR --tenancy ID or --open FILE")
	case f.addr != "" && id == "":
		return usageErr("--zk needs --tenancy ID")
	case out == "":
		return usageErr("-o FILE is required")
	case redact && !ednOut:
		return usageErr("--redact needs --edn")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	src, source, err := archiveSource(ctx, f, open)
	if err != nil {
		fmt.Fprintf(stderr, "%s archive: %v\n", progName, err)
		return exitFailure
	}
	if c, ok := src.(interface{ Close() error }); ok {
		defer c.Close()
	}
	if id == "" {
		ts, err := src.Tenancies(ctx)
		if err != nil || len(ts) != 1 {
			fmt.Fprintf(stderr, "%s archive: %s holds %d tenancies: give --tenancy (%v)\n", progName, open, len(ts), err)
			return exitFailure
		}
		id = ts[0].ID
	}
	if ednOut {
		err = writeEDN(ctx, src, id, out, redact)
	} else {
		err = archive.Capture(ctx, src, id, out, archive.CaptureOptions{Source: source, AppVersion: appVersion,
			Progress: func(stage string, done, total int) { fmt.Fprintf(stderr, "\rarchive: %s %d/%d   ", stage, done, total) }})
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s archive: %v\n", progName, err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "archive: wrote %s\n", out)
	return exitOK
}

// archiveSource opens ZooKeeper or a file; a damaged archive is used for
// what it still holds, with a warning.
func archiveSource(ctx context.Context, f zkFlags, open string) (zklog.Source, string, error) {
	if open != "" {
		src, err := archive.Open(open)
		if src == nil {
			return nil, "", err
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "archive: warning: %v; saving the intact part\n", err)
		}
		return src, "file " + filepath.Base(open), nil
	}
	o, err := f.options()
	if err != nil {
		return nil, "", err
	}
	c, err := zk.Dial(ctx, f.addr, o)
	if err != nil {
		return nil, "", err
	}
	return closingConn{c}, "zk " + f.addr, nil
}

type closingConn struct{ *zk.Conn }

func (c closingConn) Close() error { c.Conn.Close(); return nil }

// writeEDN writes the decoded log as replay.WriteLog does, atomically.
func writeEDN(ctx context.Context, src zklog.Source, id, out string, redact bool) error {
	l, err := archive.LogOf(ctx, src, id)
	if err != nil {
		return err
	}
	if redact {
		l = archive.Redact(l)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := replay.WriteLog(tmp, l); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
