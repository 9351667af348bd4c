package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"onyx-dashboard/model/value"
)

// The era C/D replay is pinned by goldens of our own making: the benchmark's
// generated logs (benchLogCD) replayed by the code as it was before its
// optimisation. testdata/cd/bench/<version>-seed<N>.edn holds the final
// replica's EDN; <version>-seed<N>.sha256 a digest of the EDN of every
// 100th replica on the way. Refresh with -update-cd only for a deliberate
// change of results, and review the diff.

var updateCD = flag.Bool("update-cd", false, "rewrite the era C/D replay goldens in testdata/cd/bench")

func TestBenchLogGoldenCD(t *testing.T) {
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		for seed := uint64(1); seed <= 3; seed++ {
			name := fmt.Sprintf("%s-seed%d", vs, seed)
			t.Run(name, func(t *testing.T) {
				v := MustVersion(vs)
				start, log, end := benchLogCD(t, v, seed, 3000)
				// Replay again from the start: the generator's own replay
				// and this one must agree, and give the digest.
				h := sha256.New()
				r := start
				for i, e := range log {
					next, err := Apply(v, r, e)
					if err != nil {
						t.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
					}
					r = next
					if i%100 == 99 {
						fmt.Fprintf(h, "%d %s\n", e.Seq, value.PrStr(r.Map()))
					}
				}
				got := value.PrStr(r.Map())
				if want := value.PrStr(end.Map()); got != want {
					t.Fatalf("the second replay differs from the generator's at %s", textDiff(got, want))
				}
				digest := hex.EncodeToString(h.Sum(nil))
				base := filepath.Join("testdata", "cd", "bench", name)
				if *updateCD {
					if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(base+".edn", []byte(got+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(base+".sha256", []byte(digest+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(base + ".edn")
				if err != nil {
					t.Fatalf("read golden (run with -update-cd to make it): %v", err)
				}
				if w := strings.TrimSuffix(string(want), "\n"); got != w {
					t.Fatalf("final replica after %d entries differs from %s.edn at %s", len(log), base, textDiff(got, w))
				}
				wantDigest, err := os.ReadFile(base + ".sha256")
				if err != nil {
					t.Fatal(err)
				}
				if w := strings.TrimSpace(string(wantDigest)); digest != w {
					t.Fatalf("digest of every 100th replica: got %s, want %s", digest, w)
				}
			})
		}
	}
}

// textDiff names the first byte where got and want differ, with context.
func textDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("offset %d: got …%s…, want …%s…", i, got[lo:min(len(got), i+80)], want[lo:min(len(want), i+80)])
}

// replayPrints replays log from start and returns the EDN of every replica
// (or the error an entry gave).
func replayPrints(v Version, start Replica, log []value.Entry) []string {
	out := make([]string, 0, len(log))
	r := start
	for _, e := range log {
		next, err := Apply(v, r, e)
		if err != nil {
			out = append(out, "error: "+err.Error())
			continue
		}
		r = next
		out = append(out, value.PrStr(r.Map()))
	}
	return out
}

// cdVariant rewrites a generated log so that other parts of the scheduler
// and of the fast path's checks run.
type cdVariant struct {
	name    string
	sched   value.Keyword // the job scheduler
	rewrite func(i int, e value.Entry) value.Entry
}

var cdVariants = []cdVariant{
	{name: "balanced", sched: kwCDJobBalanced},
	{name: "greedy", sched: kwCDJobGreedy},
	{name: "percentage tasks", sched: kwCDJobBalanced, rewrite: func(_ int, e value.Entry) value.Entry {
		if e.Fn == value.Kw("submit-job") {
			pcts := value.NewMap()
			for i, t := range items(e.Args.Val(kwTasks)) {
				pcts = pcts.Assoc(t, int64(50-10*i))
			}
			e.Args = e.Args.Assoc(kwTaskScheduler, kwCDTaskPct).Assoc(kwTaskPercentages, pcts)
		}
		return e
	}},
	{name: "flux policies", sched: kwCDJobBalanced, rewrite: func(i int, e value.Entry) value.Entry {
		if e.Fn == value.Kw("submit-job") {
			pol := []value.Value{kwCDKill, kwCDContinue, kwCDRecover}[i%3]
			t0 := items(e.Args.Val(kwTasks))[0]
			e.Args = e.Args.Assoc(kwFluxPolicies, value.NewMap(t0, pol))
		}
		return e
	}},
	{name: "tags", sched: kwCDJobBalanced, rewrite: func(i int, e value.Entry) value.Entry {
		switch {
		case e.Fn == value.Kw("add-virtual-peer") && i%3 == 0:
			e.Args = e.Args.Assoc(kwCDTags, value.Vector{value.Kw("gpu")})
		case e.Fn == value.Kw("submit-job") && i%4 == 0:
			t0 := items(e.Args.Val(kwTasks))[0]
			e.Args = e.Args.Assoc(kwCDRequired, value.NewMap(t0, value.Vector{value.Kw("gpu")}))
		}
		return e
	}},
}

// The incremental placement (placement_cd_index.go) and the plan memo must
// give, replica by replica, what the general code gives on the random logs
// of the property tests (groups joining and leaving, kills, completions, gc),
// also rewritten to use other schedulers, flux policies and tags.
func TestFastPlacementMatchesFullCD(t *testing.T) {
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		for _, vr := range cdVariants {
			for seed := uint64(10); seed < 12; seed++ {
				t.Run(fmt.Sprintf("onyx %s %s seed %d", vs, vr.name, seed), func(t *testing.T) {
					v := MustVersion(vs)
					start, log := variantLogCD(t, v, vr, seed)
					fast := replayPrints(v, start, log)
					fastPathCD.Store(false)
					defer fastPathCD.Store(true)
					full := replayPrints(v, start, log)
					for i := range full {
						if fast[i] != full[i] {
							t.Fatalf("after entry %d %s: the fast path differs at %s", log[i].Seq, log[i].Fn, textDiff(fast[i], full[i]))
						}
					}
				})
			}
		}
	}
}

// variantLogCD is a 400-entry random log of the property tests, for the job
// scheduler of variant vr and rewritten as vr says, and where it starts.
func variantLogCD(t *testing.T, v Version, vr cdVariant, seed uint64) (Replica, []value.Entry) {
	t.Helper()
	g := newGenCD(t, v, seed, false)
	g.r = Replica{g.r.Map().Assoc(kwJobScheduler, vr.sched)}
	start := g.r
	for g.seq < 400 {
		g.step()
	}
	log := g.out
	if vr.rewrite != nil {
		log = make([]value.Entry, len(g.out))
		for i, e := range g.out {
			log[i] = vr.rewrite(i, e)
		}
	}
	return start, log
}

// Replays running at the same time share the index and plan memos; each
// must still get the replicas it gets alone.
func TestConcurrentReplaysCD(t *testing.T) {
	type job struct {
		v     Version
		start Replica
		log   []value.Entry
		want  string
	}
	var jobs []job
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		for seed := uint64(20); seed < 22; seed++ {
			v := MustVersion(vs)
			start, log, end := benchLogCD(t, v, seed, 600)
			jobs = append(jobs, job{v, start, log, value.PrStr(end.Map())})
		}
	}
	errs := make(chan string, 2*len(jobs))
	var wg sync.WaitGroup
	for range 2 {
		for _, j := range jobs {
			wg.Go(func() {
				r := j.start
				for _, e := range j.log {
					next, err := Apply(j.v, r, e)
					if err != nil {
						errs <- fmt.Sprintf("onyx %s entry %d: %v", j.v, e.Seq, err)
						return
					}
					r = next
				}
				if got := value.PrStr(r.Map()); got != j.want {
					errs <- fmt.Sprintf("onyx %s: final replica differs at %s", j.v, textDiff(got, j.want))
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
