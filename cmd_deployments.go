package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zk"
)

func init() {
	register(command{
		name:     "deployments",
		summary:  plannedSummary("deployments"),
		synopsis: "--zk HOST:PORT[,HOST:PORT…][/CHROOT] [--timeout D] [--auth USER:PASS] [--tls] [--tls-ca FILE]",
		run:      runDeployments,
	})
}

// zkFlags are the flags of a command that connects to ZooKeeper.
type zkFlags struct {
	addr, auth, tlsCA string
	timeout           time.Duration
	tls               bool
}

func (f *zkFlags) declare(fs interface {
	StringVar(*string, string, string, string)
	DurationVar(*time.Duration, string, time.Duration, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.addr, "zk", "", "the ZooKeeper ensemble `HOST:PORT[,HOST:PORT…][/CHROOT]`")
	fs.DurationVar(&f.timeout, "timeout", zk.DefaultSessionTimeout, "session timeout, and how long to wait for the ensemble")
	fs.StringVar(&f.auth, "auth", "", "digest credentials `USER:PASS`")
	fs.BoolVar(&f.tls, "tls", false, "connect with TLS")
	fs.StringVar(&f.tlsCA, "tls-ca", "", "trust the CA certificates in PEM `FILE` (implies --tls)")
}

// options turns the flags into zk.Options.
func (f *zkFlags) options() (zk.Options, error) {
	o := zk.Options{SessionTimeout: f.timeout}
	if f.auth != "" {
		o.Auth = []string{f.auth}
	}
	if f.tls || f.tlsCA != "" {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		if f.tlsCA != "" {
			pem, err := os.ReadFile(f.tlsCA)
			if err != nil {
				return o, fmt.Errorf("--tls-ca: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return o, fmt.Errorf("--tls-ca %s: no PEM certificate", f.tlsCA)
			}
			o.TLS.RootCAs = pool
		}
	}
	return o, nil
}

func runDeployments(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("deployments", "--zk HOST:PORT[,HOST:PORT…][/CHROOT] [flags]")
	var f zkFlags
	f.declare(fs)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s deployments: unexpected argument %q\n", progName, fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if f.addr == "" {
		fmt.Fprintf(stderr, "%s deployments: --zk is required\n", progName)
		fs.Usage()
		return exitUsage
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintf(stderr, "%s deployments: %v\n", progName, err)
		return exitUsage
	}
	ctx := context.Background()
	c, err := zk.Dial(ctx, f.addr, opts)
	if err != nil {
		fmt.Fprintf(stderr, "%s deployments: %v\n", progName, err)
		return exitFailure
	}
	defer c.Close()
	ts, err := c.Tenancies(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "%s deployments: %v\n", progName, err)
		return exitFailure
	}
	if len(ts) == 0 {
		fmt.Fprintf(stdout, "no tenancies under %s\n", f.addr)
		return exitOK
	}
	if err := printTenancies(stdout, ts); err != nil {
		fmt.Fprintf(stderr, "%s deployments: %v\n", progName, err)
		return exitFailure
	}
	return exitOK
}

// printTenancies prints one line per tenancy: id, times (UTC), entry range
// and count, pulses, detected Onyx version and era.
func printTenancies(w io.Writer, ts []zklog.Tenancy) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANCY\tCREATED\tMODIFIED\tFIRST\tLAST\tENTRIES\tPULSES\tONYX\tERA")
	for _, t := range ts {
		first, last := "-", "-"
		if t.Count > 0 {
			first, last = strconv.FormatInt(t.FirstSeq, 10), strconv.FormatInt(t.LastSeq, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", t.ID, stamp(t.Created), stamp(t.Modified),
			first, last, t.Count, t.Pulses, t.Version.Version, t.Version.Era)
	}
	return tw.Flush()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}
