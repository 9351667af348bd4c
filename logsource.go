package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/zk"
)

// logFlags say where a command reads a log from: an archive or EDN file
// (--open), or a tenancy in ZooKeeper (--zk, --tenancy); --onyx-version
// overrides the version the source names or detection finds.
type logFlags struct {
	open, tenancy, version string
	zk                     zkFlags
}

const logSynopsis = "(--open FILE [--tenancy ID] | --zk ADDR --tenancy ID) [--onyx-version V]"

func (f *logFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&f.open, "open", "", "read the log from `FILE`: an archive, an EDN log, a bare vector of entries or a replay fixture")
	fs.StringVar(&f.tenancy, "tenancy", "", "tenancy `id` (with --zk, or an archive holding several)")
	fs.StringVar(&f.version, "onyx-version", "", "replay as Onyx `version` instead of the one the source names or detection finds")
	f.zk.declare(fs)
}

// check reports a wrong combination of flags or a version that is not one:
// usage errors, as opposed to a source that fails.
func (f *logFlags) check() error {
	switch {
	case (f.open == "") == (f.zk.addr == ""):
		return errors.New("give one of --open FILE and --zk ADDR")
	case f.zk.addr != "" && f.tenancy == "":
		return errors.New("--zk needs --tenancy ID")
	}
	if f.version != "" {
		if _, err := zklog.ParseRelease(f.version); err != nil {
			return fmt.Errorf("--onyx-version: %w", err)
		}
	}
	return nil
}

// load reads the whole log. What the reader chose or could not decode is
// reported on stderr, prefixed with the command's name; replay then flags
// undecodable entries and goes on.
func (f *logFlags) load(cmd string, stderr io.Writer) (*replay.Log, error) {
	ctx := context.Background()
	if f.zk.addr != "" {
		o, err := f.zk.options()
		if err != nil {
			return nil, err
		}
		c, err := zk.Dial(ctx, f.zk.addr, o)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return f.report(cmd, stderr)(zklog.Load(ctx, c, f.tenancy, f.version, nil))
	}
	b, err := os.ReadFile(f.open)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte(archive.Magic)) {
		var override *replay.Version
		if f.version != "" {
			v, err := zklog.ParseRelease(f.version)
			if err != nil {
				return nil, err
			}
			override = &v
		}
		l, err := replay.ReadLog(b, override)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.open, err)
		}
		return l, nil
	}
	a, err := archive.Load(f.open)
	if a == nil {
		return nil, err
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s %s: %v (reading the intact part)\n", progName, cmd, err)
	}
	id := f.tenancy
	if id == "" {
		ts, err := a.Tenancies(ctx)
		if err != nil {
			return nil, err
		}
		if len(ts) != 1 {
			return nil, fmt.Errorf("%s holds %d tenancies: name one with --tenancy", f.open, len(ts))
		}
		id = ts[0].ID
	}
	return f.report(cmd, stderr)(zklog.Load(ctx, a, id, f.version, nil))
}

// report says how the version was chosen and which entries did not decode.
func (f *logFlags) report(cmd string, stderr io.Writer) func(*zklog.Loaded, error) (*replay.Log, error) {
	return func(l *zklog.Loaded, err error) (*replay.Log, error) {
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "%s %s: tenancy %s: onyx %s (%s)\n", progName, cmd, l.Log.TenancyID, l.Start.Version, l.Start.Chosen)
		for _, e := range l.Undecodable {
			fmt.Fprintf(stderr, "%s %s: entry %d: %v\n", progName, cmd, e.Seq, e.Err)
		}
		return l.Log, nil
	}
}
