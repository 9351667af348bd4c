// Command gendemo writes the demo archives embedded by assets/demo:
//
//	go run ./zklog/sim/cmd/gendemo [-dir assets/demo]
//
// Each is a simulated tenancy captured as ZooKeeper would hold it after its
// last GC; the same run always writes the same bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
)

// demos are the archives: version, seed, entries, peers, jobs.
var demos = []sim.Config{
	{Version: "0.5.3", Seed: 53, Entries: 3000, Peers: 4, Jobs: 2, Tenancy: "demo-0.5.3"},
	{Version: "0.7.14", Seed: 714, Entries: 3000, Peers: 5, Jobs: 2, Tenancy: "demo-0.7.14"},
	{Version: "0.8.3", Seed: 83, Entries: 4000, Peers: 6, Jobs: 3, Tenancy: "demo-0.8.3"},
	{Version: "0.14.6", Seed: 146, Entries: 800, Peers: 6, Jobs: 2, Tenancy: "demo-0.14.6"},
}

func main() {
	dir := flag.String("dir", "assets/demo", "where to write the archives")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "gendemo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, cfg := range demos {
		if cfg.Entries, err = endBeforeGC(cfg); err != nil {
			return err
		}
		raw := filepath.Join(tmp, cfg.Tenancy+".onyxarc")
		if err := sim.WriteArchive(ctx, cfg, raw, "gendemo", nil); err != nil {
			return err
		}
		a, err := archive.Load(raw)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, cfg.Tenancy+".onyxarc")
		// Capturing again keeps only what survived GC, as ZooKeeper does.
		err = archive.Capture(ctx, a, cfg.Tenancy, out, archive.CaptureOptions{
			Source: fmt.Sprintf("simulate %s seed %d", cfg.Version, cfg.Seed), AppVersion: "gendemo", Every: 512,
			Now: func() time.Time { return sim.Epoch },
		})
		a.Close()
		if err != nil {
			return err
		}
		st, _ := os.Stat(out)
		fmt.Printf("%s: %d entries written, %d bytes\n", out, cfg.Entries, st.Size())
	}
	return nil
}

// endBeforeGC picks how many of cfg's entries to write so that the capture,
// which keeps only what follows the last gc, is worth looking at: the log
// ends just before the gc that closes the longest stretch without one (or at
// cfg.Entries when the stretch after the last gc is the longest). The same
// seed writes the same log, so fewer entries are a prefix of it.
func endBeforeGC(cfg sim.Config) (int, error) {
	s, err := sim.New(cfg)
	if err != nil {
		return 0, err
	}
	last, best, end := -1, -1, cfg.Entries
	for i := 0; i < cfg.Entries; i++ {
		st, err := s.Next()
		if err != nil {
			return 0, fmt.Errorf("%s entry %d: %w", cfg.Tenancy, i, err)
		}
		if st.Decoded.Fn.Name() != "gc" {
			continue
		}
		if span := i - last - 1; span > best {
			best, end = span, i
		}
		last = i
	}
	if cfg.Entries-last-1 > best {
		end = cfg.Entries
	}
	return end, nil
}
