package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
	"onyx-dashboard/zklog/zktest"
)

// replayOut runs the replay command and returns what it printed on stdout.
func replayOut(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := runReplay(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("replay %q: exit %d: %s", args, code, stderr.String())
	}
	return stdout.String()
}

// Every source of the same log prints the same replica: an archive, the EDN
// log exported from it, and (below) ZooKeeper.
func TestReplayOpensArchivesAsItOpensEDNLogs(t *testing.T) {
	dir := t.TempDir()
	arch := filepath.Join(dir, "c.onyx")
	cfg := sim.Config{Version: "0.8.3", Seed: 11, Entries: 400, Peers: 6, Jobs: 2, Tenancy: "c"}
	if err := sim.WriteArchive(context.Background(), cfg, arch, appVersion, nil); err != nil {
		t.Fatal(err)
	}
	src, err := archive.Open(arch)
	if err != nil {
		t.Fatal(err)
	}
	l, err := archive.LogOf(context.Background(), src, "c")
	if err != nil {
		t.Fatal(err)
	}
	var edn bytes.Buffer
	if err := replay.WriteLog(&edn, l); err != nil {
		t.Fatal(err)
	}
	ednPath := filepath.Join(dir, "c.edn")
	if err := os.WriteFile(ednPath, edn.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	mid := fmt.Sprint(l.Entries[len(l.Entries)/2].Seq)
	for _, extra := range [][]string{nil, {"--to", mid}} {
		fromArchive := replayOut(t, append([]string{"--open", arch}, extra...)...)
		fromEDN := replayOut(t, append([]string{"--open", ednPath}, extra...)...)
		if fromArchive != fromEDN || len(fromArchive) < 100 {
			t.Fatalf("replay %v: the archive printed %d bytes, the EDN log %d, and they differ", extra, len(fromArchive), len(fromEDN))
		}
	}
}

func TestIntegration_ReplayFromZooKeeperPrintsWhatTheArchivePrints(t *testing.T) {
	addr := zktest.Addr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tenancy := fmt.Sprintf("replay-it-%d", time.Now().UnixNano())
	z, err := sim.DialZK(ctx, addr, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = sim.Run(ctx, sim.Config{Version: "0.7.14", Seed: 5, Entries: 600, Peers: 6, Jobs: 2, Tenancy: tenancy}, z, 0, nil)
	z.Close()
	if err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(t.TempDir(), "z.onyx")
	var stdout, stderr bytes.Buffer
	if code := runArchive([]string{"--zk", addr, "--tenancy", tenancy, "-o", arch}, &stdout, &stderr); code != exitOK {
		t.Fatalf("archive: exit %d: %s", code, stderr.String())
	}
	fromZK := replayOut(t, "--zk", addr, "--tenancy", tenancy)
	fromArchive := replayOut(t, "--open", arch)
	if fromZK != fromArchive || len(fromZK) < 100 {
		t.Fatalf("replay --zk printed %d bytes, replay --open of its archive %d, and they differ", len(fromZK), len(fromArchive))
	}
}

func TestReplayDiffAndEventsReadArchives(t *testing.T) {
	arch := filepath.Join(t.TempDir(), "d.onyx")
	cfg := sim.Config{Version: "0.6.0", Seed: 3, Entries: 300, Peers: 5, Jobs: 2, Tenancy: "d"}
	if err := sim.WriteArchive(context.Background(), cfg, arch, appVersion, nil); err != nil {
		t.Fatal(err)
	}
	src, err := archive.Open(arch)
	if err != nil {
		t.Fatal(err)
	}
	l, err := archive.LogOf(context.Background(), src, "d")
	if err != nil {
		t.Fatal(err)
	}
	first, last := fmt.Sprint(l.Entries[0].Seq), fmt.Sprint(l.Entries[len(l.Entries)-1].Seq)
	diff := replayOut(t, "--open", arch, "--diff", first, last)
	if !strings.Contains(diff, "peers joined") && !strings.Contains(diff, "jobs") {
		t.Fatalf("a diff from the origin to the end names joined peers or jobs:\n%s", diff)
	}
	if same := replayOut(t, "--open", arch, "--diff", last, last); strings.Contains(same, "joined") {
		t.Fatalf("a position compared with itself has no changes:\n%s", same)
	}
	var stdout, stderr bytes.Buffer
	if code := runEvents([]string{"--open", arch, "--kind", "peer-joined"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("events: exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) < 5 || !strings.Contains(lines[0], "peer-joined") {
		t.Fatalf("events from an archive: %d lines, first %q", len(lines), lines[0])
	}
	var bad bytes.Buffer
	if code := runReplay([]string{"--open", arch, "--diff", "1"}, &bytes.Buffer{}, &bad); code != exitUsage {
		t.Fatalf("--diff with one id: exit %d, want %d", code, exitUsage)
	}
}
