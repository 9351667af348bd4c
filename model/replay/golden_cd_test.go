package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
