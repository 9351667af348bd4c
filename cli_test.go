package main

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"

	"onyx-dashboard/ui"
)

// run calls runCommand and returns its exit code and output.
func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runCommand(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunCommandExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring; "" means stdout must be empty
		wantStderr string // substring; "" means stderr must be empty
	}{
		{"no arguments print the usage and fail", nil, exitUsage, "", "usage:"},
		{"an unknown command names itself and prints the usage", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"version prints the app version", []string{"version"}, exitOK, "onyx-dashboard " + appVersion, ""},
		{"version --help prints its usage to stdout", []string{"version", "--help"}, exitOK, "usage: onyx-dashboard version", ""},
		{"version -h is --help", []string{"version", "-h"}, exitOK, "usage: onyx-dashboard version", ""},
		{"version with a bad flag fails with usage", []string{"version", "--bogus"}, exitUsage, "", "flag provided but not defined: -bogus"},
		{"version with an argument fails with usage", []string{"version", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{"help prints the usage to stdout", []string{"help"}, exitOK, "commands:", ""},
		{"help COMMAND prints that command's usage", []string{"help", "version"}, exitOK, "usage: onyx-dashboard version", ""},
		{"help of an unknown command fails", []string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{"help with two arguments fails", []string{"help", "version", "replay"}, exitUsage, "", "usage:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(tt.args...)
			if code != tt.wantCode {
				t.Errorf("%q: exit code %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.wantCode, stdout, stderr)
			}
			checkOutput(t, "stdout", stdout, tt.wantStdout)
			checkOutput(t, "stderr", stderr, tt.wantStderr)
		})
	}
}

func checkOutput(t *testing.T, name, got, want string) {
	t.Helper()
	if want == "" && got != "" {
		t.Errorf("%s: got %q, want nothing", name, got)
	}
	if !strings.Contains(got, want) {
		t.Errorf("%s: got %q, want it to contain %q", name, got, want)
	}
}

func TestVersionNamesGoAndOnyxVersions(t *testing.T) {
	code, stdout, _ := run("version")
	if code != exitOK {
		t.Fatalf("exit code %d, want 0", code)
	}
	for _, want := range []string{
		"onyx-dashboard 0.1.0\n",
		"go " + strings.TrimPrefix(runtime.Version(), "go") + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
		"onyx 0.5.0–0.14.6\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version output %q lacks %q", stdout, want)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range all() {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(c.name, "--help")
			if code != exitOK {
				t.Errorf("%s --help: exit code %d, want 0; stderr: %s", c.name, code, stderr)
			}
			if want := "usage: onyx-dashboard " + c.name; !strings.HasPrefix(stdout, want) {
				t.Errorf("%s --help: stdout %q, want it to start with %q", c.name, stdout, want)
			}
			if c.summary == "" {
				t.Errorf("%s: no summary", c.name)
			}
		})
	}
}

func TestPlannedCommandsAreAllListed(t *testing.T) {
	want := []string{"deployments", "replay", "decode", "events", "archive", "simulate", "version"}
	var got []string
	for _, c := range all()[:len(want)] {
		got = append(got, c.name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q first", got, want)
	}
	var usageText bytes.Buffer
	usage(&usageText)
	for _, name := range append(want, "help") {
		if !strings.Contains(usageText.String(), "\n  "+name+" ") {
			t.Errorf("usage does not list %s:\n%s", name, usageText.String())
		}
	}
}

// withPlanned adds a planned command for the length of a test.
func withPlanned(t *testing.T, c command) {
	t.Helper()
	saved := planned
	planned = append(slices.Clone(planned), c)
	t.Cleanup(func() { planned = saved })
}

// withRegistered registers a command for the length of a test.
func withRegistered(t *testing.T, c command) {
	t.Helper()
	register(c)
	t.Cleanup(func() { delete(commands, c.name) })
}

func TestUnregisteredPlannedCommandIsNotImplemented(t *testing.T) {
	withPlanned(t, command{name: "zz-later", summary: "do something later"})

	code, stdout, stderr := run("zz-later", "some-arg")
	if code != exitFailure {
		t.Errorf("exit code %d, want %d", code, exitFailure)
	}
	if stdout != "" || !strings.Contains(stderr, "onyx-dashboard zz-later: not implemented yet") {
		t.Errorf("stdout %q, stderr %q; want a not-implemented message on stderr only", stdout, stderr)
	}

	code, stdout, _ = run("zz-later", "--help")
	if code != exitOK || !strings.Contains(stdout, "Do something later.") {
		t.Errorf("--help: exit code %d, stdout %q; want 0 and the summary", code, stdout)
	}
}

func TestRegisteredCommandIsDispatched(t *testing.T) {
	var gotArgs []string
	withRegistered(t, command{
		name:     "zz-echo",
		summary:  "print the arguments",
		synopsis: "[--upper] WORD…",
		run: func(args []string, stdout, stderr io.Writer) int {
			fs := newFlagSet("zz-echo", "[--upper] WORD…")
			upper := fs.Bool("upper", false, "print in upper case")
			if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
				return code
			}
			gotArgs = fs.Args()
			s := strings.Join(fs.Args(), " ")
			if *upper {
				s = strings.ToUpper(s)
			}
			io.WriteString(stdout, s+"\n")
			return exitOK
		},
	})

	code, stdout, stderr := run("zz-echo", "--upper", "a", "b")
	if code != exitOK || stdout != "A B\n" || stderr != "" {
		t.Errorf("zz-echo --upper a b: exit %d, stdout %q, stderr %q; want 0, %q, nothing", code, stdout, stderr, "A B\n")
	}
	if !slices.Equal(gotArgs, []string{"a", "b"}) {
		t.Errorf("args %q, want [a b]", gotArgs)
	}

	code, stdout, _ = run("zz-echo", "--help")
	for _, want := range []string{"usage: onyx-dashboard zz-echo [--upper] WORD…", "Print the arguments.", "-upper"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--help output %q lacks %q", stdout, want)
		}
	}
	if code != exitOK {
		t.Errorf("--help: exit %d, want 0", code)
	}

	code, _, stderr = run("zz-echo", "--lower")
	if code != exitUsage || !strings.Contains(stderr, "flag provided but not defined: -lower") || !strings.Contains(stderr, "usage: onyx-dashboard zz-echo") {
		t.Errorf("bad flag: exit %d, stderr %q; want 2 with the error and usage", code, stderr)
	}

	var u bytes.Buffer
	usage(&u)
	if !strings.Contains(u.String(), "zz-echo") {
		t.Errorf("usage does not list a registered command:\n%s", u.String())
	}
}

func TestRegisteredCommandReplacesItsPlaceholder(t *testing.T) {
	withPlanned(t, command{name: "zz-soon", summary: "arrive soon"})
	withRegistered(t, command{name: "zz-soon", summary: "arrived", run: func(_ []string, stdout, _ io.Writer) int {
		io.WriteString(stdout, "here\n")
		return exitOK
	}})
	if code, stdout, _ := run("zz-soon"); code != exitOK || stdout != "here\n" {
		t.Errorf("exit %d, stdout %q; want the registered command to run", code, stdout)
	}
	n := 0
	for _, c := range all() {
		if c.name == "zz-soon" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("all() lists zz-soon %d times, want once", n)
	}
}

func TestRegisterRejectsMistakes(t *testing.T) {
	noop := func([]string, io.Writer, io.Writer) int { return 0 }
	tests := []struct {
		name string
		c    command
	}{
		{"a duplicate name", command{name: "version", run: noop}},
		{"an empty name", command{run: noop}},
		{"a name that looks like a flag", command{name: "-x", run: noop}},
		{"a missing run function", command{name: "zz-norun"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("register(%+v) did not panic", tt.c)
				}
			}()
			register(tt.c)
		})
	}
	if _, ok := commands["zz-norun"]; ok {
		t.Error("a rejected command was registered")
	}
}

func TestIsCommand(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--zk", "localhost:2181"}, false},
		{[]string{"-v"}, false},
		{[]string{"replay", "--at", "3"}, true},
		{[]string{"nonsense"}, true},
	}
	for _, tt := range tests {
		if got := isCommand(tt.args); got != tt.want {
			t.Errorf("isCommand(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestParseAppFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     appFlags
		wantCode int
		wantOK   bool
		wantErr  string // substring of stderr
	}{
		{
			name: "no flags open the app with defaults", args: nil,
			want: appFlags{Options: ui.Options{At: -1}}, wantOK: true,
		},
		{
			name:   "every flag is parsed",
			args:   []string{"--zk", "zk1:2181,zk2:2181", "--open", "a.edn", "--tenancy", "prod", "--at", "42", "--allow-writes", "-v"},
			want:   appFlags{Options: ui.Options{ZK: "zk1:2181,zk2:2181", Open: "a.edn", Tenancy: "prod", At: 42, AllowWrites: true}, Verbose: true},
			wantOK: true,
		},
		{name: "--help exits 0", args: []string{"--help"}, want: appFlags{Options: ui.Options{At: -1}}, wantCode: exitOK},
		{name: "an unknown flag exits 2", args: []string{"--nope"}, wantCode: exitUsage, wantErr: "flag provided but not defined: -nope"},
		{name: "a non-number --at exits 2", args: []string{"--at", "x"}, wantCode: exitUsage, wantErr: `invalid value "x" for flag -at`},
		{name: "a stray argument exits 2", args: []string{"-v", "extra"}, wantCode: exitUsage, wantErr: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got, code, ok := parseAppFlags(tt.args, &stdout, &stderr)
			if ok != tt.wantOK || code != tt.wantCode {
				t.Fatalf("%q: ok %v code %d, want ok %v code %d; stderr: %s", tt.args, ok, code, tt.wantOK, tt.wantCode, stderr.String())
			}
			if tt.wantOK && !sameAppFlags(got, tt.want) {
				t.Errorf("%q: got %+v, want %+v", tt.args, got, tt.want)
			}
			if tt.wantErr != "" && !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantErr)
			}
			if tt.wantErr != "" && !strings.Contains(stderr.String(), "usage:") {
				t.Errorf("stderr %q lacks the usage", stderr.String())
			}
			if tt.args != nil && tt.args[0] == "--help" && !strings.Contains(stdout.String(), "--allow-writes") {
				t.Errorf("--help output %q lacks the app flags", stdout.String())
			}
		})
	}
}

// sameAppFlags compares what the flags set; ui.Options also holds functions
// (Dial, Do), which main fills in and Go cannot compare.
func sameAppFlags(a, b appFlags) bool {
	pa, pb := a, b
	pa.Dial, pa.Do, pb.Dial, pb.Do = nil, nil, nil, nil
	return pa.ZK == pb.ZK && pa.Open == pb.Open && pa.Tenancy == pb.Tenancy &&
		pa.At == pb.At && pa.AllowWrites == pb.AllowWrites && pa.Verbose == pb.Verbose
}
