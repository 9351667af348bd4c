package timeline

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

var update = flag.Bool("update", false, "rewrite the event goldens in testdata/events")

// fixtureLogs reads the replay fixtures copied from shared/fixtures/replay.
func fixtureLogs(t *testing.T) map[string]*replay.Log {
	t.Helper()
	files, _ := filepath.Glob("testdata/*/*.edn*")
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	out := map[string]*replay.Log{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		l, err := replay.ReadLog(b, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".gz"), ".edn")
		out[filepath.Base(filepath.Dir(f))+"-"+name] = l
	}
	return out
}

func TestRealLogsSeekFromCheckpointsLikeANaiveReplay(t *testing.T) {
	for name, l := range fixtureLogs(t) {
		t.Run(name, func(t *testing.T) {
			tl := New(l.Version, l.OriginSeq, l.Origin, Options{Every: 5, Cache: 2})
			tl.Append(l.Entries...)
			r := l.Origin
			for pos, e := range l.Entries {
				r, _ = replay.Apply(l.Version, r, e)
				if !value.Equal(tl.Replica(pos).Map(), r.Map()) {
					t.Fatalf("seq %d: replica from checkpoints differs from the naive replay", e.Seq)
				}
			}
		})
	}
}

// TestRealLogsGiveTheEventsOfTheGoldens replays the fixtures with the real
// commands and compares every event line with testdata/events/NAME.txt
// (regenerate with -update and review the diff).
func TestRealLogsGiveTheEventsOfTheGoldens(t *testing.T) {
	for name, l := range fixtureLogs(t) {
		t.Run(name, func(t *testing.T) {
			tl := New(l.Version, l.OriginSeq, l.Origin, Options{Patience: 50})
			tl.Append(l.Entries...)
			var b strings.Builder
			for _, ev := range tl.EventsIn(0, tl.Len()-1) {
				fmt.Fprintf(&b, "%d %s %s\n", ev.Seq, ev.Kind, ev.Text)
			}
			golden := filepath.Join("testdata", "events", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			got, wantLines := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
			for i := range max(len(got), len(wantLines)) {
				g, w := at(got, i), at(wantLines, i)
				if g != w {
					t.Fatalf("line %d:\n got  %q\n want %q", i+1, g, w)
				}
			}
		})
	}
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return "<none>"
}
