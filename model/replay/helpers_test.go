package replay

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// replayEach replays log from start at v and hands fn the position of each
// entry, the entry and the replica after it. It fails the test at the first
// entry Apply refuses.
func replayEach(tb testing.TB, v Version, start Replica, log []value.Entry, fn func(i int, e value.Entry, r Replica)) {
	tb.Helper()
	r := start
	for i, e := range log {
		next, err := Apply(v, r, e)
		if err != nil {
			tb.Fatalf("%s entry %d %s: %v", v, e.Seq, e.Fn, err)
		}
		r = next
		fn(i, e, r)
	}
}

// requireSameReplayB replays generated era B logs of each version in vers
// (nPeers peers, nJobs jobs, nEntries entries) twice, with *alt false and
// then true, calling reset before each replay to drop what the replay
// carries between replicas, and fails at the first entry whose replicas
// print differently: same content, same iteration order. what names the
// pair compared in the failure, as "fast and persistent reallocation"; a
// and b label the replicas of the replay with *alt false and true.
func requireSameReplayB(t *testing.T, vers []string, nPeers, nJobs, nEntries int, alt *bool, reset func(), what, a, b string) {
	t.Helper()
	for _, ver := range vers {
		v := MustVersion(ver)
		start, log := eraBLog(t, v, nPeers, nJobs, nEntries)
		replay := func(on bool) []string {
			*alt = on
			defer func() { *alt = false }()
			reset()
			out := make([]string, len(log))
			replayEach(t, v, start, log, func(i int, _ value.Entry, r Replica) {
				out[i] = value.PrStr(r.Map())
			})
			return out
		}
		first, second := replay(false), replay(true)
		w := max(len(a), len(b))
		for i := range first {
			if first[i] != second[i] {
				t.Fatalf("%s entry %d %s: %s differ:\n%-*s %s\n%-*s %s", ver, i, log[i].Fn, what, w, a, first[i], w, b, second[i])
			}
		}
	}
}

// eachSeedLogCD runs fn as a subtest on a random log of n entries at
// version ver (benchLogCD) for each seed from seed0 up to, not including,
// seed1.
func eachSeedLogCD(t *testing.T, ver string, seed0, seed1 uint64, n int, fn func(t *testing.T, v Version, start Replica, log []value.Entry)) {
	t.Helper()
	for seed := seed0; seed < seed1; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			v := MustVersion(ver)
			start, log, _ := benchLogCD(t, v, seed, n)
			fn(t, v, start, log)
		})
	}
}
