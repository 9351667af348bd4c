package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

// TestFastReallocationMatchesPersistent replays generated logs of 0.7.14 and
// 0.8.3 twice, with the fast reallocation and with the persistent one (the
// fallback for ids Go cannot compare), and checks that every replica prints
// the same: same content, same iteration order.
func TestFastReallocationMatchesPersistent(t *testing.T) {
	for _, ver := range []string{"0.7.14", "0.8.3"} {
		v := MustVersion(ver)
		start, log := eraBLog(t, v, 16, 4, 1200)
		replay := func(slow bool) []string {
			bSlowOnly = slow
			defer func() { bSlowOnly = false }()
			lastUnchangedB.Store(nil)
			r := start
			out := make([]string, len(log))
			for i, e := range log {
				var err error
				if r, err = Apply(v, r, e); err != nil {
					t.Fatalf("%s entry %d %s: %v", ver, e.Seq, e.Fn, err)
				}
				out[i] = value.PrStr(r.Map())
			}
			return out
		}
		fast, slow := replay(false), replay(true)
		for i := range fast {
			if fast[i] != slow[i] {
				t.Fatalf("%s entry %d %s: fast and persistent reallocation differ:\nfast %s\nslow %s", ver, i, log[i].Fn, fast[i], slow[i])
			}
		}
	}
}
