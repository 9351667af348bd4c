package sim

import (
	"errors"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
)

// Era C and D logs, which the simulator writes by protocol rules of its own,
// replay through the era C/D commands without a flagged entry, starting where
// a reader starts (the header).
func TestSimulatedEraCDLogsReplayWithoutFlags(t *testing.T) {
	for _, v := range []string{"0.9.15", "0.14.6"} {
		for seed := uint64(1); seed <= 3; seed++ {
			s, err := New(Config{Version: v, Seed: seed, Entries: 1500, Peers: 8, Jobs: 3})
			if err != nil {
				t.Fatal(err)
			}
			st0, err := zklog.StartOf(s.Header(), v)
			if err != nil {
				t.Fatal(err)
			}
			r, n := st0.Replica, 0
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
					t.Fatalf("%s seed %d: seq %d: %v", v, seed, st.Entry.Seq, e.Err)
				}
				if r, err = replay.Apply(st0.Version, r, e.Entry); err != nil {
					t.Fatalf("%s seed %d: seq %d %s: %v", v, seed, e.Seq, e.Fn, err)
				}
				n++
			}
			if n < 1000 {
				t.Fatalf("%s seed %d: only %d entries", v, seed, n)
			}
		}
	}
}
