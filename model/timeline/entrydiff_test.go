package timeline

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// recorded is everything appendChunk records, by name, the checkpoints'
// replicas aside (the rebuild tests compare those): what a reader can ever
// be told about the entries.
func recorded(tl *Timeline) map[string]any {
	tl.mu.RLock()
	defer tl.mu.RUnlock()
	lists := func(ps []postings) [][]int32 {
		out := make([][]int32, len(ps))
		for i, p := range ps {
			out[i] = p.list()
		}
		return out
	}
	byFn := map[value.Keyword][]int32{}
	for fn, p := range tl.index.byFn {
		byFn[fn] = p.list()
	}
	prov := map[pathKey][]int32{}
	for k, p := range tl.prov.byPath {
		prov[k] = p.list()
	}
	var kinds []bool
	var deltas []int
	for _, c := range tl.checkpoints.list {
		kinds, deltas = append(kinds, c.isFull), append(deltas, len(c.delta))
	}
	flags := map[int32]string{}
	for pos, err := range tl.flags {
		flags[pos] = err.Error()
	}
	return map[string]any{
		"flags":                         flags,
		"checkpoint positions":          tl.checkpoints.pos,
		"full checkpoints":              kinds,
		"delta lengths":                 deltas,
		"interned ids":                  tl.ids.vals,
		"events":                        tl.events,
		"postings by command":           byFn,
		"postings by kind":              lists(tl.index.byKind[:]),
		"anomaly postings":              tl.index.anomaly.list(),
		"postings by id":                lists(tl.index.byID),
		"texts":                         string(tl.index.text),
		"text bounds":                   tl.index.textAt,
		"text of each position":         tl.index.textOf,
		"global series":                 tl.series.global,
		"per-job series":                tl.series.perJob,
		"jobs present":                  tl.series.present,
		"provenance":                    prov,
		"partial provenance":            tl.prov.partial,
		"entries derived incrementally": tl.der.fastJobs,
	}
}

// sameRecords fails at the first thing a and b recorded differently.
func sameRecords(t *testing.T, a, b *Timeline) {
	t.Helper()
	ra, rb := recorded(a), recorded(b)
	names := make([]string, 0, len(ra))
	for name := range ra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !reflect.DeepEqual(ra[name], rb[name]) {
			t.Fatalf("%s: recorded with direct diffs\n%s\nbut with the shared diff\n%s", name, short(ra[name]), short(rb[name]))
		}
	}
}

// TestSharedDiffRecordsWhatDirectDiffsDo records real logs (the fixtures,
// replayed by the real commands, and the generated 0.8.3 benchmark log) and
// simulated ones of every era twice: with entryDiff answering from the root
// diff and second-level diffs it worked out once, and with every question
// computed afresh from the two replicas (shareDiffs off: before.Val,
// value.DiffKeys and diffKeys, as before entryDiff). Everything recorded must
// be the same.
func TestSharedDiffRecordsWhatDirectDiffsDo(t *testing.T) {
	defer func() { shareDiffs = true }()
	both := func(t *testing.T, build func() *Timeline) {
		shareDiffs = false
		direct := build()
		shareDiffs = true
		shared := build()
		if direct.Len() == 0 || len(direct.events.kinds) == 0 {
			t.Fatalf("%d entries, %d events: the test tests nothing", direct.Len(), len(direct.events.kinds))
		}
		sameRecords(t, direct, shared)
	}
	for name, l := range fixtureLogs(t) {
		t.Run(name, func(t *testing.T) {
			both(t, func() *Timeline {
				tl := New(l.Version, l.OriginSeq, l.Origin, Options{Every: 5, Patience: 50})
				tl.Append(l.Entries...)
				return tl
			})
		})
	}
	t.Run("generated 0.8.3", func(t *testing.T) {
		es := genRealLog(11, 20_000, 40, 6)
		both(t, func() *Timeline {
			tl := New(simVersion, -1, realOrigin(), Options{Every: 64})
			tl.Append(es...)
			return tl
		})
	})
	for _, c := range []struct {
		v           string
		seed        uint64
		peers, jobs int
	}{
		{"0.5.3", 1, 6, 3}, {"0.6.0", 2, 8, 3}, {"0.7.14", 3, 8, 4}, {"0.8.3", 4, 10, 3},
		{"0.9.15", 5, 8, 3}, {"0.14.6", 6, 10, 4},
	} {
		t.Run(fmt.Sprintf("simulated %s", c.v), func(t *testing.T) {
			both(t, func() *Timeline { return simulatedTimeline(t, c.v, c.seed, 3000, c.peers, c.jobs) })
		})
	}
}

// short prints v, cut to a few lines.
func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 400 {
		s = s[:400] + " …"
	}
	return s
}

// TestRootKeysBeginWithTheJobKeys: jobsChanged and the job views read the
// job keys by their place in jobKeys.
func TestRootKeysBeginWithTheJobKeys(t *testing.T) {
	if !slices.Equal(rootKeys[:len(jobKeys)], jobKeys) {
		t.Fatalf("root keys %v do not begin with the job keys %v", rootKeys, jobKeys)
	}
	for i, k := range rootKeys {
		if r, ok := rootKeyOf(k); !ok || int(r) != i {
			t.Errorf("rootKeyOf(%s) = %d, %v; want %d", value.PrStr(k), r, ok, i)
		}
	}
}
