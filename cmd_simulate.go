package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
	"onyx-dashboard/zklog/zk"
)

func init() {
	register(command{
		name:     "simulate",
		summary:  plannedSummary("simulate"),
		synopsis: "--onyx-version V [--seed S] [--entries N] [--peers N] [--jobs N] [--rate R] (--zk ADDR --tenancy ID [--append] | -o FILE)",
		run:      runSimulate,
	})
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("simulate", "--onyx-version V [flags] (--zk ADDR --tenancy ID | -o FILE)")
	var cfg sim.Config
	var seed uint64
	var out, addr string
	var appendTo bool
	fs.StringVar(&cfg.Version, "onyx-version", "", "the Onyx release to simulate: 0.5.3, 0.6.0, 0.7.x, 0.8.x, 0.9.x, 0.14.6")
	fs.Uint64Var(&seed, "seed", 1, "random seed: the same seed gives the same log")
	fs.IntVar(&cfg.Entries, "entries", sim.DefaultEntries, "how many log entries to write")
	fs.IntVar(&cfg.Peers, "peers", 4, "virtual peers the cluster keeps running")
	fs.IntVar(&cfg.Jobs, "jobs", 2, "jobs kept submitted at a time")
	fs.Float64Var(&cfg.Rate, "rate", 0, "entries per second written to ZooKeeper (0: as fast as possible); also the simulated clock's rate")
	fs.StringVar(&addr, "zk", "", "write into the ZooKeeper ensemble `HOST:PORT[,…][/CHROOT]`")
	fs.StringVar(&cfg.Tenancy, "tenancy", "", "the tenancy `ID` to create under /onyx")
	fs.BoolVar(&appendTo, "append", false, "continue an existing tenancy a previous run wrote (0.5.2–0.8.x) with --entries more entries")
	fs.StringVar(&out, "o", "", "write an archive `FILE` instead")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	cfg.Seed = seed
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "%s simulate: %s\n", progName, msg)
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case cfg.Version == "":
		return usageErr("--onyx-version is required")
	case (addr == "") == (out == ""):
		return usageErr("give either --zk ADDR --tenancy ID or -o FILE")
	case addr != "" && cfg.Tenancy == "":
		return usageErr("--zk needs --tenancy ID")
	case appendTo && addr == "":
		return usageErr("--append needs --zk ADDR --tenancy ID")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	progress := func(done, total int) { fmt.Fprintf(stderr, "\rsimulate: %d/%d entries", done, total) }
	var err error
	if out != "" {
		err = sim.WriteArchive(ctx, cfg, out, appVersion, progress)
	} else {
		var z *sim.ZKSink
		if z, err = sim.DialZK(ctx, addr, 0); err == nil {
			if appendTo {
				err = appendZK(ctx, cfg, addr, z, progress)
			} else {
				err = sim.Run(ctx, cfg, z, cfg.Rate, progress)
			}
			z.Close()
		}
	}
	fmt.Fprintln(stderr)
	if err == nil && out != "" {
		err = summarizeArchive(stderr, out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s simulate: %v\n", progName, err)
		return exitFailure
	}
	return exitOK
}

// summarizeArchive says what the archive at path kept: a gc deletes the
// entries before it, so a long simulation may keep few of them.
func summarizeArchive(w io.Writer, path string) error {
	a, err := archive.Load(path)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "simulate: wrote %s: %d bytes, %d entries", path, st.Size(), a.Len())
	if seqs := a.Seqs(); len(seqs) > 0 && seqs[0] > 0 {
		fmt.Fprintf(w, " (%d to %d; the gc at %d deleted the %d before it)", seqs[0], seqs[len(seqs)-1], seqs[0], seqs[0])
	}
	fmt.Fprintln(w)
	return nil
}

// appendZK continues the tenancy cfg.Tenancy that a previous run wrote.
func appendZK(ctx context.Context, cfg sim.Config, addr string, z *sim.ZKSink, progress func(done, total int)) error {
	c, err := zk.Dial(ctx, addr, zk.Options{})
	if err != nil {
		return err
	}
	l, err := zklog.Load(ctx, c, cfg.Tenancy, cfg.Version, nil)
	c.Close()
	if errors.Is(err, zklog.ErrNoTenancy) {
		return fmt.Errorf("--append: no tenancy %s: %w", cfg.Tenancy, err)
	}
	if err != nil {
		return fmt.Errorf("--append: %w", err)
	}
	s, err := sim.Resume(cfg, l)
	if err != nil {
		return fmt.Errorf("--append: %w", err)
	}
	z.Append(l.Start.FromSeq)
	return s.Run(ctx, z, cfg.Rate, progress)
}
