package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

const replayTestLog = `{:onyx-version "0.5.3"
 :origin {:message-id -1 :replica {:job-scheduler :onyx.job-scheduler/greedy}}
 :entries
 [{:fn :prepare-join-cluster :args {:joiner :p1}}
  {:fn :no-such-command :args {}}
  {:fn :prepare-join-cluster :args {:joiner :p2}}]}`

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunReplay(t *testing.T) {
	file := writeTemp(t, "log.edn", replayTestLog)
	bare := writeTemp(t, "bare.edn", `[{:fn :prepare-join-cluster :args {:joiner :p1}}]`)
	one := `{:job-scheduler :onyx.job-scheduler/greedy, :peers [:p1], :peer-state {:p1 :idle}}`
	two := `{:job-scheduler :onyx.job-scheduler/greedy, :peers [:p1], :peer-state {:p1 :idle}, :prepared {:p1 :p2}}`
	tests := []struct {
		name       string
		args       []string
		code       int
		wantOut    []string // replicas, one per line, compared as values
		wantErrSub string
	}{
		{"the last replica by default", []string{"--open", file}, exitOK, []string{two}, "entry 1 :no-such-command"},
		{"the replica after a message-id", []string{"--open", file, "--to", "0"}, exitOK, []string{one}, ""},
		{"the origin itself", []string{"--open", file, "--to", "-1"}, exitOK, []string{`{:job-scheduler :onyx.job-scheduler/greedy}`}, ""},
		{"every replica", []string{"--open", file, "--each"}, exitOK, []string{
			`{:message-id 0 :replica ` + one + `}`,
			`{:message-id 1 :replica ` + one + `}`,
			`{:message-id 2 :replica ` + two + `}`}, "not a command"},
		{"a bare vector with a version", []string{"--open", bare, "--onyx-version", "0.5.3"}, exitOK, []string{`{:peers [:p1], :peer-state {:p1 :idle}}`}, ""},
		{"a bare vector without a version", []string{"--open", bare}, exitFailure, nil, "no onyx version"},
		{"an unknown version", []string{"--open", file, "--onyx-version", "0.4.2"}, exitUsage, nil, "not supported"},
		{"a missing file", []string{"--open", filepath.Join(t.TempDir(), "nope.edn")}, exitFailure, nil, "no such file"},
		{"a message-id past the end", []string{"--open", file, "--to", "7"}, exitFailure, nil, "message-ids -1 (origin) to 2"},
		{"no file", nil, exitUsage, nil, "give one of --open FILE and --zk ADDR"},
		{"--to with --each", []string{"--open", file, "--to", "1", "--each"}, exitUsage, nil, "exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runReplay(tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if !strings.Contains(errb.String(), tt.wantErrSub) {
				t.Errorf("stderr %q does not say %q", errb.String(), tt.wantErrSub)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(tt.wantOut) == 0 {
				if out.Len() != 0 {
					t.Errorf("stdout %q, want nothing", out.String())
				}
				return
			}
			if len(lines) != len(tt.wantOut) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(tt.wantOut), out.String())
			}
			for i, want := range tt.wantOut {
				got, err := edn.Read([]byte(lines[i]))
				if err != nil {
					t.Fatalf("line %d %q: %v", i, lines[i], err)
				}
				w, _ := edn.Read([]byte(want))
				if !value.Equal(got, w) {
					t.Errorf("line %d: got %s, want %s", i, lines[i], want)
				}
			}
		})
	}
}

func TestRunReplayPrettyReadsBack(t *testing.T) {
	file := writeTemp(t, "log.edn", replayTestLog)
	var out, plain, errb bytes.Buffer
	if code := runReplay([]string{"--open", file, "--pretty"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	runReplay([]string{"--open", file}, &plain, &errb)
	a, err := edn.Read(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := edn.Read(plain.Bytes())
	if !value.Equal(a, b) {
		t.Errorf("pretty %s differs from plain %s", out.String(), plain.String())
	}
}
