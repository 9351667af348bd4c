package zklog

import (
	"testing"

	"onyx-dashboard/model/value"
)

func TestStartOf(t *testing.T) {
	cases := []struct {
		name        string
		det         Detection
		override    string
		wantVersion string
		wantChosen  string
	}{
		{"an exact detection is used as it is", Detection{Version: "0.8.3", Exact: true}, "", "0.8.3", "detected"},
		{"a range resolves to its newest release", Detection{Version: "0.6.0–0.7.x"}, "", "0.7.14", "assumed from the range 0.6.0–0.7.x: its newest release"},
		{"a range across eras stays in the era of its low end", Detection{Version: "0.8.0–0.9.x"}, "", "0.8.3", "assumed from the range 0.8.0–0.9.x: its newest release"},
		{"an exact range end is taken as it is", Detection{Version: "0.5.2–0.5.3"}, "", "0.5.3", "assumed from the range 0.5.2–0.5.3: its newest release"},
		{"the user's version wins", Detection{Version: "0.6.0–0.7.x"}, "0.7.14", "0.7.14", "given by the user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := Header{Version: c.det, Params: Params{JobScheduler: value.NewMap(value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/greedy"))}}
			s, err := StartOf(h, c.override)
			if err != nil {
				t.Fatal(err)
			}
			if s.Version.String() != c.wantVersion || s.Chosen != c.wantChosen {
				t.Fatalf("got %s (%s), want %s (%s)", s.Version, s.Chosen, c.wantVersion, c.wantChosen)
			}
			if s.FromSeq != 0 {
				t.Fatalf("a fresh tenancy starts at seq 0, got %d", s.FromSeq)
			}
			if got := s.Replica.Get(value.Kw("job-scheduler")); got != value.Kw("onyx.job-scheduler/greedy") {
				t.Fatalf("the job scheduler parameter is merged in: %v", got)
			}
		})
	}
	t.Run("an origin after GC starts replay after its message-id", func(t *testing.T) {
		h := Header{Version: Detection{Version: "0.5.3", Exact: true},
			Origin: Origin{MessageID: 41, Replica: value.NewMap(value.Kw("peers"), value.Vector{}), Raw: []byte{1}}}
		s, err := StartOf(h, "")
		if err != nil || s.FromSeq != 42 {
			t.Fatalf("got from %d, err %v", s.FromSeq, err)
		}
	})
	t.Run("an unsupported override is an error", func(t *testing.T) {
		if _, err := StartOf(Header{}, "0.4.0"); err == nil {
			t.Fatal("0.4.0 must be refused")
		}
	})
}
