package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"onyx-dashboard/ui"
)

// Exit codes of the binary.
const (
	exitOK      = 0 // success, or help asked for and printed
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // unknown command, bad flag or bad arguments
)

const (
	progName = "onyx-dashboard"
	// appVersion matches Details.Version in FyneApp.toml.
	appVersion = "0.1.0"
	// onyxVersions is the range of Onyx releases whose logs the app replays.
	onyxVersions = "0.5.0–0.14.6"
)

// command is one headless subcommand. A file cmd_<name>.go registers it from
// an init function:
//
//	func init() {
//		register(command{name: "replay", summary: "replay a log …", run: runReplay})
//	}
//
// run gets the arguments after the command's name and returns the exit code.
// It parses them with newFlagSet and parseFlags, so that --help prints to
// stdout and exits 0, and a bad flag prints the usage to stderr and exits 2.
type command struct {
	name     string
	summary  string // one line, lower case, shown in the command list
	synopsis string // arguments after the name, e.g. "[flags] FILE"; optional
	run      func(args []string, stdout, stderr io.Writer) int
}

// planned are the subcommands the app has, in the order the usage lists
// them. Until a cmd_<name>.go registers one, it says it is not implemented.
var planned = []command{
	{name: "deployments", summary: "list the Onyx tenancies (deployments) stored in ZooKeeper"},
	{name: "replay", summary: "replay a log into the replica at a position and print it"},
	{name: "decode", summary: "decode znode payloads (Nippy, Fressian, EDN) and print them as EDN"},
	{name: "events", summary: "list what happened in a log: joins, leaves, jobs, failures"},
	{name: "archive", summary: "save a tenancy's log from ZooKeeper into an archive file"},
	{name: "simulate", summary: "write a realistic simulated Onyx log to ZooKeeper or an archive"},
	{name: "version", summary: "print the app, Go and supported Onyx versions"},
}

// commands is the registry, filled by register from init functions.
var commands = map[string]command{}

// register adds c to the subcommands. A duplicate or incomplete command is a
// programming error, found the moment the binary starts.
func register(c command) {
	switch {
	case c.name == "" || strings.HasPrefix(c.name, "-"):
		panic(fmt.Sprintf("register command: bad name %q", c.name))
	case c.run == nil:
		panic(fmt.Sprintf("register command %s: no run function", c.name))
	}
	if _, dup := commands[c.name]; dup {
		panic(fmt.Sprintf("register command %s: registered twice", c.name))
	}
	commands[c.name] = c
}

func init() {
	register(command{name: "version", summary: plannedSummary("version"), run: runVersion})
}

// plannedSummary is the summary of a planned command, or "".
func plannedSummary(name string) string {
	for _, c := range planned {
		if c.name == name {
			return c.summary
		}
	}
	return ""
}

// lookup finds a subcommand: a registered one, or a placeholder for a planned
// one that nobody registered yet.
func lookup(name string) (command, bool) {
	if c, ok := commands[name]; ok {
		return c, true
	}
	if s := plannedSummary(name); s != "" {
		c := command{name: name, summary: s}
		c.run = func(args []string, stdout, stderr io.Writer) int { return notImplemented(c, args, stdout, stderr) }
		return c, true
	}
	return command{}, false
}

// all lists every command: the planned ones in order, then any others by name.
func all() []command {
	var out []command
	for _, p := range planned {
		c, _ := lookup(p.name)
		out = append(out, c)
	}
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		if plannedSummary(name) == "" {
			out = append(out, commands[name])
		}
	}
	return out
}

func notImplemented(c command, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet(c.name, c.synopsis)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	fmt.Fprintf(stderr, "%s %s: not implemented yet\n", progName, c.name)
	return exitFailure
}

// isCommand says whether args name a subcommand rather than the app's flags.
func isCommand(args []string) bool {
	return len(args) > 0 && !strings.HasPrefix(args[0], "-")
}

// runCommand runs the subcommand args[0] with the rest of args.
func runCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	if name == "help" {
		return runHelp(rest, stdout, stderr)
	}
	c, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", progName, name)
		usage(stderr)
		return exitUsage
	}
	return c.run(rest, stdout, stderr)
}

// runHelp prints the usage, or a command's help: "help [COMMAND]".
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1:
		if _, ok := lookup(args[0]); ok {
			return runCommand([]string{args[0], "--help"}, stdout, stderr)
		}
		fmt.Fprintf(stderr, "%s help: unknown command %q\n\n", progName, args[0])
	}
	usage(stderr)
	return exitUsage
}

// appFlags are the flags of the desktop app (no subcommand).
type appFlags struct {
	ui.Options
	Verbose bool
}

// appFlagSet declares the app's flags on a new flag set writing into f.
func appFlagSet(f *appFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(progName, flag.ContinueOnError)
	fs.StringVar(&f.ZK, "zk", "", "connect to ZooKeeper at `HOST:PORT[,HOST:PORT…]`")
	fs.StringVar(&f.Open, "open", "", "open an archive `FILE` instead of ZooKeeper")
	fs.StringVar(&f.Tenancy, "tenancy", "", "select the tenancy `ID` at start")
	fs.IntVar(&f.At, "at", -1, "open at log position `N`; -1: where you left off")
	fs.BoolVar(&f.AllowWrites, "allow-writes", false, "permit actions that write to ZooKeeper")
	fs.BoolVar(&f.Verbose, "v", false, "log debug messages to stderr")
	fs.Usage = func() { usage(fs.Output()) }
	return fs
}

// parseAppFlags parses the app's flags. When ok is false the caller exits
// with code: 0 after --help, 2 after a bad flag or a stray argument.
func parseAppFlags(args []string, stdout, stderr io.Writer) (f appFlags, code int, ok bool) {
	fs := appFlagSet(&f)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return f, code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n\n", progName, fs.Arg(0))
		usage(stderr)
		return f, exitUsage, false
	}
	return f, exitOK, true
}

// usage prints the binary's usage: app flags and the command list.
func usage(w io.Writer) {
	fmt.Fprintf(w, `Onyx Dashboard %s: replay and inspect the coordination log of Onyx %s clusters.

usage:
  %[3]s [--zk HOST:PORT] [--open FILE] [--tenancy ID] [--at N] [--allow-writes] [-v]
        open the desktop app (with no source: the bundled demo)
  %[3]s COMMAND [flags] [args]
        run a headless command

app flags:
`, appVersion, onyxVersions, progName)
	var f appFlags
	fs := appFlagSet(&f)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range all() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  help\tshow this, or a command's help: help COMMAND\n")
	tw.Flush()
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags.\n", progName)
}

// newFlagSet returns a flag set for the subcommand name whose usage shows its
// synopsis, summary and flags. Parse it with parseFlags.
func newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(progName+" "+name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s %s", progName, name)
		if synopsis != "" {
			fmt.Fprintf(w, " %s", synopsis)
		}
		fmt.Fprintln(w)
		if c, ok := lookup(name); ok && c.summary != "" {
			fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(w, "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args into fs. When ok is false the caller returns code:
// --help printed the usage to stdout (0), or a bad flag printed its error and
// the usage to stderr (2).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	switch {
	case err == nil:
		fs.SetOutput(stderr)
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(out.Bytes())
		return exitOK, false
	default:
		_, _ = stderr.Write(out.Bytes())
		return exitUsage, false
	}
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s version: unexpected argument %q\n", progName, fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	fmt.Fprintf(stdout, "onyx-dashboard %s\n", appVersion)
	fmt.Fprintf(stdout, "go %s %s/%s\n", strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(stdout, "onyx %s\n", onyxVersions)
	return exitOK
}
