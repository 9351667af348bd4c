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
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/zk"
	"onyx-dashboard/zklog/zktest"
)

func TestSimulateWritesAnArchiveThatArchiveConverts(t *testing.T) {
	dir := t.TempDir()
	arc := filepath.Join(dir, "sim.onyxarc")
	var out, errb bytes.Buffer
	if code := runCommand([]string{"simulate", "--onyx-version", "0.7.14", "--seed", "3", "--entries", "400", "-o", arc}, &out, &errb); code != exitOK {
		t.Fatalf("simulate: exit %d: %s", code, errb.String())
	}
	a, err := archive.Load(arc)
	if err != nil {
		t.Fatal(err)
	}
	id := a.Meta().Tenancy.ID
	want, _ := a.Read(context.Background(), id, -1, nil)
	a.Close()
	ednFile := filepath.Join(dir, "log.edn")
	if code := runCommand([]string{"archive", "--open", arc, "-o", ednFile, "--edn"}, &out, &errb); code != exitOK {
		t.Fatalf("archive --edn: exit %d: %s", code, errb.String())
	}
	back := filepath.Join(dir, "back.onyxarc")
	if code := runCommand([]string{"archive", "--open", ednFile, "-o", back}, &out, &errb); code != exitOK {
		t.Fatalf("archive from EDN: exit %d: %s", code, errb.String())
	}
	b, err := archive.Load(back)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, _ := b.Read(context.Background(), id, -1, nil)
	if len(got) != len(want) {
		t.Fatalf("%d entries after the EDN round trip, want %d", len(got), len(want))
	}
	redacted := filepath.Join(dir, "redacted.edn")
	if code := runCommand([]string{"archive", "--open", arc, "-o", redacted, "--edn", "--redact"}, &out, &errb); code != exitOK {
		t.Fatalf("archive --redact: exit %d: %s", code, errb.String())
	}
	text, _ := os.ReadFile(redacted)
	if bytes.Contains(text, []byte("10.0.0.")) || bytes.Contains(text, []byte(id)) || bytes.Contains(text, []byte("40200")) {
		t.Errorf("the redacted log still names a host, port or the tenancy")
	}
}

func TestSimulateAndArchiveRejectBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"simulate", "-o", "x"},
		{"simulate", "--onyx-version", "0.8.3"},
		{"simulate", "--onyx-version", "0.8.3", "--zk", "h:1"},
		{"archive", "-o", "x"},
		{"archive", "--open", "a", "-o", "x", "--redact"},
	} {
		var out, errb bytes.Buffer
		if code := runCommand(args, &out, &errb); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}

func TestIntegration_SimulateAppendContinuesATenancy(t *testing.T) {
	addr := zktest.Addr(t)
	id := fmt.Sprintf("cmd-append-%d", time.Now().UnixNano())
	sim := func(extra ...string) (int, string) {
		var out, errb bytes.Buffer
		args := append([]string{"simulate", "--onyx-version", "0.8.3", "--entries", "300", "--zk", addr, "--tenancy", id}, extra...)
		return runCommand(args, &out, &errb), errb.String()
	}
	if code, msg := sim("--append"); code != exitFailure || !strings.Contains(msg, "--append: no tenancy") {
		t.Errorf("--append to a missing tenancy: exit %d: %s", code, msg)
	}
	if code, msg := sim(); code != exitOK {
		t.Fatalf("simulate: exit %d: %s", code, msg)
	}
	if code, msg := sim(); code != exitFailure || !strings.Contains(msg, "tenancy exists") {
		t.Errorf("simulate into an existing tenancy: exit %d: %s", code, msg)
	}
	if code, msg := sim("--append", "--seed", "9"); code != exitOK {
		t.Fatalf("simulate --append: exit %d: %s", code, msg)
	}
	ctx := context.Background()
	c, err := zk.Dial(ctx, addr, zk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	l, err := zklog.Load(ctx, c, id, "0.8.3", nil)
	if err != nil {
		t.Fatal(err)
	}
	es := l.Log.Entries
	if len(es) == 0 || es[len(es)-1].Seq != 599 {
		t.Fatalf("%d entries after --append, want the last seq 599", len(es))
	}
	r := l.Start.Replica
	for i, e := range es {
		if e.Seq != l.Start.FromSeq+int64(i) || (i > 0 && e.Created < es[i-1].Created) {
			t.Fatalf("entry %d: seq %d created %d out of order", i, e.Seq, e.Created)
		}
		if r, err = replay.Apply(l.Start.Version, r, e); err != nil {
			t.Fatalf("entry %d flagged: %v", e.Seq, err)
		}
	}
}
