package sim

import (
	"bytes"
	"errors"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// versions are the releases the simulator writes.
var versions = []string{"0.5.3", "0.6.0", "0.7.14", "0.8.3", "0.9.15", "0.14.6"}

// run simulates cfg to the end and returns its steps.
func run(t testing.TB, cfg Config) []Step {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []Step
	for {
		st, err := s.Next()
		if errors.Is(err, ErrDone) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st)
	}
}

func TestSimulatedLogsReplayWithoutAFlaggedEntry(t *testing.T) {
	for _, v := range versions[:4] {
		for seed := uint64(1); seed <= 4; seed++ {
			steps := run(t, Config{Version: v, Seed: seed, Entries: 1500, Peers: 3 + int(seed), Jobs: 2})
			fns := map[string]int{}
			for _, st := range steps {
				if st.Flag != nil {
					t.Fatalf("%s seed %d: seq %d %s: %v", v, seed, st.Entry.Seq, value.PrStr(st.Decoded.Value()), st.Flag)
				}
				fns[st.Decoded.Fn.Name()]++
			}
			t.Logf("%s seed %d: %v", v, seed, fns)
		}
	}
}

// The replica the simulation kept equals a replay of its log from the
// header, as a reader does it, through every GC.
func TestSimulatedLogsReplayFromTheHeader(t *testing.T) {
	for _, v := range versions[:4] {
		s, err := New(Config{Version: v, Seed: 9, Entries: 2000})
		if err != nil {
			t.Fatal(err)
		}
		h := s.Header()
		ver := s.Version()
		r, _, err := replay.Initial(ver, nil, replay.Params{JobScheduler: h.Params.JobScheduler, Messaging: h.Params.Messaging})
		if err != nil {
			t.Fatal(err)
		}
		gcs := 0
		for {
			st, err := s.Next()
			if errors.Is(err, ErrDone) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			e := zklog.DecodeEntry("e", st.Entry)
			if e.Err != nil {
				t.Fatalf("%s: seq %d: %v", v, st.Entry.Seq, e.Err)
			}
			if r, err = replay.Apply(ver, r, e.Entry); err != nil {
				t.Fatalf("%s: seq %d: %v", v, st.Entry.Seq, err)
			}
			if !value.Equal(r.Map(), st.Replica.Map()) {
				t.Fatalf("%s: seq %d: replica differs from the simulation's", v, st.Entry.Seq)
			}
			if st.Origin != nil {
				gcs++
				o, err := zklog.DecodeOrigin("origin", st.Origin())
				if err != nil || o.MessageID != st.Entry.Seq || !value.Equal(o.Replica, r.Map()) {
					t.Fatalf("%s: seq %d: origin %v, message-id %d", v, st.Entry.Seq, err, o.MessageID)
				}
			}
		}
		t.Logf("%s: %d gcs", v, gcs)
	}
}

func TestTheSameSeedGivesTheSameLog(t *testing.T) {
	for _, v := range versions {
		a := run(t, Config{Version: v, Seed: 42, Entries: 500})
		b := run(t, Config{Version: v, Seed: 42, Entries: 500})
		c := run(t, Config{Version: v, Seed: 43, Entries: 500})
		same := len(a) == len(c)
		for i := range a {
			if a[i].Entry.Created != b[i].Entry.Created || !bytes.Equal(a[i].Entry.Data, b[i].Entry.Data) {
				t.Fatalf("%s: seq %d differs between two runs of seed 42", v, i)
			}
			if same && !bytes.Equal(a[i].Entry.Data, c[i].Entry.Data) {
				same = false
			}
		}
		if same {
			t.Errorf("%s: seeds 42 and 43 gave the same log", v)
		}
	}
}
