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
		fmt.Printf("%s: %d bytes\n", out, st.Size())
	}
	return nil
}
