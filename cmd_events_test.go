package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eventsLog is the start of the worked example of onyx-log-format.md §7.3:
// two peers join, the second through prepare, notify and accept.
const eventsLog = `{:onyx-version "0.5.3"
 :initial-replica {:job-scheduler :onyx.job-scheduler/greedy}
 :entries
 [{:fn :prepare-join-cluster, :args {:joiner #uuid "3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01"}, :message-id 0, :created-at 1433808000000}
  {:fn :prepare-join-cluster, :args {:joiner #uuid "a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02"}, :message-id 1, :created-at 1433808001000}
  {:fn :notify-join-cluster, :args {:observer #uuid "a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02", :subject #uuid "3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01"}, :immediate? true, :message-id 2, :created-at 1433808002000}
  {:fn :accept-join-cluster, :args {:observer #uuid "a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02", :subject #uuid "3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01", :accepted-observer #uuid "3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01", :accepted-joiner #uuid "a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02"}, :immediate? true, :message-id 3, :created-at 1433808003000}
  {:fn :no-such-command, :args {}, :message-id 4, :created-at 1433808004000}]}
`

func writeEventsLog(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "log.edn")
	if err := os.WriteFile(p, []byte(eventsLog), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEventsCommand(t *testing.T) {
	file := writeEventsLog(t)
	cases := []struct {
		name      string
		args      []string
		code      int
		stdout    []string // lines, in order
		stderrHas string
	}{
		{"prints one line per event of the log", []string{"--open", file}, exitOK, []string{
			"0  2015-06-09T00:00:00.000Z  peer-joined  peer 3f6e1a52… joined",
			"3  2015-06-09T00:00:03.000Z  peer-joined  peer a72c5e90… joined, watched by 3f6e1a52…",
			"4  2015-06-09T00:00:04.000Z  flagged  entry flagged: not a command of onyx 0.5.3",
		}, ""},
		{"keeps only the kinds asked for", []string{"--open", file, "--kind", "flagged"}, exitOK, []string{
			"4  2015-06-09T00:00:04.000Z  flagged  entry flagged: not a command of onyx 0.5.3",
		}, ""},
		{"anomaly selects every anomaly kind", []string{"--open", file, "--kind", "anomaly"}, exitOK, []string{
			"4  2015-06-09T00:00:04.000Z  flagged  entry flagged: not a command of onyx 0.5.3",
		}, ""},
		{"an unknown kind is a usage error", []string{"--open", file, "--kind", "nope"}, exitUsage, nil, `unknown event kind "nope"`},
		{"without --open it is a usage error", nil, exitUsage, nil, "give one of --open FILE and --zk ADDR"},
		{"a bad version is a usage error", []string{"--open", file, "--onyx-version", "1.2"}, exitUsage, nil, "--onyx-version"},
		{"a missing file fails", []string{"--open", file + ".missing"}, exitFailure, nil, "no such file"},
		{"help prints the kinds", []string{"--help"}, exitOK, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runCommand(append([]string{"events"}, c.args...), &out, &errb)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, errb.String())
			}
			if c.stdout != nil {
				got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
				if strings.Join(got, "\n") != strings.Join(c.stdout, "\n") {
					t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), strings.Join(c.stdout, "\n"))
				}
			}
			if c.stderrHas != "" && !strings.Contains(errb.String(), c.stderrHas) {
				t.Errorf("stderr %q does not mention %q", errb.String(), c.stderrHas)
			}
		})
	}
}

func TestEventsHelpListsTheKinds(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runCommand([]string{"events", "--help"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--open", "--kind", "peer-joined", "join-never-accepted", "--onyx-version"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %s:\n%s", want, out.String())
		}
	}
}
