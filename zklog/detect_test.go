package zklog

import (
	"slices"
	"strings"
	"testing"

	"onyx-dashboard/model/value"
)

func fns(names ...string) map[value.Keyword]bool {
	m := map[value.Keyword]bool{}
	for _, n := range names {
		m[value.Kw(n)] = true
	}
	return m
}

var (
	nippyMap27  = []byte("NPY\x00\x1b\x00\x00\x00\x04")
	nippyMap112 = []byte("NPY\x00\x70\x02")
	fressianMap = []byte{0xc0, 0xe6}
)

func TestDetect(t *testing.T) {
	dirs06 := []string{"log", "origin", "pulse", "job-scheduler", "messaging", "catalog", "workflow", "lifecycles", "chunk"}
	cases := []struct {
		name    string
		ev      Evidence
		version string
		era     string
		exact   bool
	}{
		{"the log-version names the exact release", Evidence{HasLogParameters: true, LogVersion: "0.14.6-SNAPSHOT", FirstBytes: nippyMap112}, "0.14.6", "D", true},
		{"log-parameters without a version is 0.9.11 or later", Evidence{HasLogParameters: true, FirstBytes: nippyMap112}, "0.9.11–0.14.6", "C", false},
		{"fressian entries without parameters are 0.5.0–0.5.1", Evidence{FirstBytes: fressianMap}, "0.5.0–0.5.1", "A", false},
		{"fressian entries with a job scheduler are 0.5.2–0.5.3", Evidence{HasJobScheduler: true, FirstBytes: fressianMap}, "0.5.2–0.5.3", "A", false},
		{"immediate? with messaging is 0.6.0–0.7.x", Evidence{HasJobScheduler: true, HasMessaging: true, FirstBytes: nippyMap27, Immediate: true}, "0.6.0–0.7.x", "B", false},
		{"the directories of 0.6 narrow to 0.6.0–0.7.x", Evidence{Dirs: dirs06, HasJobScheduler: true, HasMessaging: true, FirstBytes: nippyMap27}, "0.6.0–0.7.x", "B", false},
		{"windows without exception is 0.8.0–0.8.3", Evidence{Dirs: append(slices.Clone(dirs06), "windows"), HasMessaging: true, FirstBytes: nippyMap27}, "0.8.0–0.8.3", "B", false},
		{"peer groups are 0.9.7–0.9.10 with messaging", Evidence{HasMessaging: true, FirstBytes: nippyMap112, PeerParent: true, Fns: fns("add-virtual-peer")}, "0.9.7–0.9.10", "C", false},
		{"complete-job is era D", Evidence{Fns: fns("complete-job"), FirstBytes: nippyMap112}, "0.10.0–0.14.6", "D", false},
		{"an LZ4 entry is 0.8.1 or later", Evidence{HasMessaging: true, FirstBytes: []byte("NPY\x08\x00")}, "0.8.1–0.9.10", "B", false},
		{"no evidence is any release", Evidence{}, "0.5.0–0.5.1", "A", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Detect(c.ev)
			if d.Version != c.version || d.Era != c.era || d.Exact != c.exact {
				t.Errorf("got %s era %s exact %v, want %s era %s exact %v; evidence:\n%s",
					d.Version, d.Era, d.Exact, c.version, c.era, c.exact, strings.Join(d.Evidence, "\n"))
			}
			if len(d.Evidence) == 0 {
				t.Errorf("no evidence lines")
			}
		})
	}
}

func TestDetectIgnoresContradictions(t *testing.T) {
	d := Detect(Evidence{HasLogParameters: true, LogVersion: "0.13.0", Fns: fns("volunteer-for-task")})
	if d.Version != "0.13.0" {
		t.Fatalf("got %s, want 0.13.0", d.Version)
	}
	if !slices.ContainsFunc(d.Evidence, func(s string) bool { return strings.Contains(s, "contradicts") }) {
		t.Errorf("evidence does not mention the contradiction: %q", d.Evidence)
	}
}

func TestDetectSaysWhenTheRangeSpansEras(t *testing.T) {
	d := Detect(Evidence{HasMessaging: true, FirstBytes: nippyMap27})
	if d.Version != "0.6.0–0.9.0" || d.Era != "B" {
		t.Fatalf("got %s era %s, want 0.6.0–0.9.0 era B", d.Version, d.Era)
	}
	if !strings.Contains(d.Evidence[len(d.Evidence)-1], "spans eras B–C") {
		t.Errorf("last evidence line %q, want the era span", d.Evidence[len(d.Evidence)-1])
	}
}

func TestObserve(t *testing.T) {
	var ev Evidence
	m := value.NewMap(value.Kw("fn"), value.Kw("notify-join-cluster"), value.Kw("args"), value.NewMap(), value.Kw("peer-parent"), value.UUID{Hi: 1})
	e, err := value.EntryFromValue(m, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev.Observe(e)
	if !ev.PeerParent || ev.Immediate || !ev.Fns[value.Kw("notify-join-cluster")] {
		t.Errorf("got %+v, want peer-parent and the fn", ev)
	}
}
