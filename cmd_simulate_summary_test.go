package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/zklog/archive"
)

// simulate -o says how many entries the archive kept: a gc deletes the
// entries before it, as ZooKeeper does.
func TestSimulateSaysWhatTheArchiveKept(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "sim.onyxarc")
	var out, errb bytes.Buffer
	if code := runCommand([]string{"simulate", "--onyx-version", "0.8.3", "--seed", "2", "--entries", "3000", "--peers", "8", "--jobs", "3", "-o", arc}, &out, &errb); code != exitOK {
		t.Fatalf("simulate: exit %d: %s", code, errb.String())
	}
	a, err := archive.Load(arc)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	want := fmt.Sprintf("wrote %s: ", arc)
	kept := fmt.Sprintf(" bytes, %d entries", a.Len())
	if msg := errb.String(); !strings.Contains(msg, want) || !strings.Contains(msg, kept) {
		t.Errorf("stderr %q does not say %q…%q", msg, want, kept)
	}
	if first := a.Seqs()[0]; first > 0 && !strings.Contains(errb.String(), fmt.Sprintf("the gc at %d deleted", first)) {
		t.Errorf("stderr %q does not name the gc at %d", errb.String(), first)
	}
}
