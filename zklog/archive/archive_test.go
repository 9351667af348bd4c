package archive_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/sim"
)

// simulate writes a simulated archive and returns it with the Memory the
// same simulation filled (the reference).
func simulate(t testing.TB, v string, entries int) (string, *zklog.Memory, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.onyxarc")
	cfg := sim.Config{Version: v, Seed: 5, Entries: entries}
	if err := sim.WriteArchive(context.Background(), cfg, path, "test", nil); err != nil {
		t.Fatal(err)
	}
	m := zklog.NewMemory()
	s, _ := sim.New(cfg)
	if err := s.Run(context.Background(), &sim.MemorySink{M: m}, 0, nil); err != nil {
		t.Fatal(err)
	}
	return path, m, s.Tenancy()
}

func replayAll(t testing.TB, src zklog.Source, id string) (zklog.Header, []zklog.Entry, []replay.Replica) {
	t.Helper()
	ctx := context.Background()
	h, err := src.Open(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	es, err := src.Read(ctx, id, h.Origin.MessageID+1, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := archive.VersionOf(h.Version)
	om, _ := h.Origin.Replica.(*value.Map)
	var origin *value.Map
	if h.Origin.Raw != nil {
		origin = value.NewMap(value.KeyMessageID, h.Origin.MessageID, value.Kw("replica"), om)
	}
	params := replay.Params{JobScheduler: h.Params.JobScheduler, Messaging: h.Params.Messaging}
	if h.Params.LogParameters != nil { // 0.9.11 on
		params.LogParameters = h.Params.LogParameters
	}
	r, _, err := replay.Initial(v, origin, params)
	if err != nil {
		t.Fatal(err)
	}
	var rs []replay.Replica
	for _, e := range es {
		if e.Err != nil {
			t.Fatalf("seq %d: %v", e.Seq, e.Err)
		}
		r, err = replay.Apply(v, r, e.Entry)
		if err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
		rs = append(rs, r)
	}
	return h, es, rs
}

func TestAnArchiveServesWhatTheSimulationWrote(t *testing.T) {
	for _, v := range []string{"0.5.3", "0.6.0", "0.7.14", "0.8.3", "0.9.15", "0.14.6"} {
		path, m, id := simulate(t, v, 3000)
		a, err := archive.Load(path)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		defer a.Close()
		ctx := context.Background()
		want, _ := m.Read(ctx, id, -1, nil)
		got, err := a.Read(ctx, id, -1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", v, len(got), len(want))
		}
		for i := range got {
			if got[i].Seq != want[i].Seq || got[i].Created != want[i].Created || !value.Equal(got[i].Value(), want[i].Value()) {
				t.Fatalf("%s: entry %d: got %s, want %s", v, i, value.PrStr(got[i].Value()), value.PrStr(want[i].Value()))
			}
		}
		hm, _ := m.Open(ctx, id)
		ha, _ := a.Open(ctx, id)
		if ha.Origin.MessageID != hm.Origin.MessageID || !value.Equal(ha.Origin.Replica, hm.Origin.Replica) {
			t.Fatalf("%s: origin %d, want %d", v, ha.Origin.MessageID, hm.Origin.MessageID)
		}
		if ha.Version.Version != v {
			t.Errorf("%s: version %q", v, ha.Version.Version)
		}
		if !archive.Replayable(archive.VersionOf(ha.Version)) {
			continue
		}
		_, es, rs := replayAll(t, a, id)
		cps, err := a.Checkpoints()
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range cps {
			i := int(cp.Seq - es[0].Seq)
			if !value.Equal(cp.Replica.Map(), rs[i].Map()) {
				t.Fatalf("%s: checkpoint at seq %d differs from the replay", v, cp.Seq)
			}
		}
		if last, ok := a.LastCheckpoint(); len(cps) > 0 && (!ok || last.Seq != cps[len(cps)-1].Seq) {
			t.Errorf("%s: last checkpoint %d", v, last.Seq)
		}
	}
}

// Capturing from an archive (raw) and from a Memory (decoded, re-encoded)
// gives archives that replay to the same replica at every position.
func TestCaptureGivesTheSameReplicaAtEveryPosition(t *testing.T) {
	for _, v := range []string{"0.5.3", "0.6.0", "0.8.3"} {
		path, m, id := simulate(t, v, 2500)
		a, err := archive.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		_, wantEs, want := replayAll(t, a, id)
		for name, src := range map[string]zklog.Source{"archive": a, "memory": m} {
			out := filepath.Join(t.TempDir(), name+".onyxarc")
			if err := archive.Capture(context.Background(), src, id, out, archive.CaptureOptions{Every: 100}); err != nil {
				t.Fatalf("%s from %s: %v", v, name, err)
			}
			b, err := archive.Load(out)
			if err != nil {
				t.Fatalf("%s from %s: %v", v, name, err)
			}
			_, es, got := replayAll(t, b, id)
			if len(got) != len(want) {
				t.Fatalf("%s from %s: %d positions, want %d", v, name, len(got), len(want))
			}
			for i := range got {
				if es[i].Seq != wantEs[i].Seq || !value.Equal(got[i].Map(), want[i].Map()) {
					t.Fatalf("%s from %s: seq %d: replica differs", v, name, es[i].Seq)
				}
			}
			cps, _ := b.Checkpoints()
			if len(cps) == 0 {
				t.Errorf("%s from %s: no checkpoints", v, name)
			}
			b.Close()
		}
	}
}

func TestEDNExportAndImportRoundTrip(t *testing.T) {
	for _, v := range []string{"0.5.3", "0.7.14", "0.14.6"} {
		path, _, id := simulate(t, v, 800)
		a, err := archive.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		l, err := archive.LogOf(context.Background(), a, id)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := replay.WriteLog(&buf, l); err != nil {
			t.Fatal(err)
		}
		m, err := archive.FromEDN(buf.Bytes(), "x", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := m.Read(context.Background(), id, -1, nil)
		want, _ := a.Read(context.Background(), id, -1, nil)
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", v, len(got), len(want))
		}
		for i := range got {
			if !value.Equal(got[i].Value(), want[i].Value()) {
				t.Fatalf("%s: entry %d: %s, want %s", v, i, value.PrStr(got[i].Value()), value.PrStr(want[i].Value()))
			}
		}
		a.Close()
	}
}

func TestEveryTruncationGivesAnOffsetAndKeepsTheIntactEntries(t *testing.T) {
	path, _, id := simulate(t, "0.6.0", 25)
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := archive.Load(path)
	want, _ := a.Read(context.Background(), id, -1, nil)
	a.Close()
	cut := filepath.Join(t.TempDir(), "cut.onyxarc")
	for n := 16; n < len(full); n++ {
		if err := os.WriteFile(cut, full[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := archive.Load(cut)
		var ce *archive.CorruptError
		if !errors.As(err, &ce) || !errors.Is(err, archive.ErrCorrupt) || !strings.Contains(err.Error(), "offset") {
			t.Fatalf("cut at %d: error %v, want a CorruptError", n, err)
		}
		if ce.Offset > int64(n) {
			t.Fatalf("cut at %d: damage at offset %d past the end", n, ce.Offset)
		}
		if b == nil {
			t.Fatalf("cut at %d: no archive", n)
		}
		got, err := b.Read(context.Background(), b.Meta().Tenancy.ID, -1, nil)
		if err != nil {
			t.Fatalf("cut at %d: %v", n, err)
		}
		for i, e := range got {
			if e.Err != nil || !value.Equal(e.Value(), want[i].Value()) {
				t.Fatalf("cut at %d: entry %d: %v", n, i, e.Err)
			}
		}
		b.Close()
	}
}

func TestAFlippedByteFlagsOneEntryAndNamesItsOffset(t *testing.T) {
	path, _, id := simulate(t, "0.8.3", 200)
	a, _ := archive.Load(path)
	want, _ := a.Read(context.Background(), id, -1, nil)
	a.Close()
	b, _ := os.ReadFile(path)
	// Find the 100th entry record's payload: its data is Nippy ("NPY").
	i, n := 0, 0
	for n < 100 {
		k := bytes.Index(b[i+1:], []byte("NPY"))
		i += k + 1
		n++
	}
	b[i+5] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := archive.Load(path)
	if err != nil {
		t.Fatalf("the index is intact, so Load succeeds: %v", err)
	}
	got, _ := c.Read(context.Background(), id, -1, nil)
	flagged := 0
	for k, e := range got {
		switch {
		case e.Err != nil:
			flagged++
			if !errors.Is(e.Err, archive.ErrCorrupt) || !strings.Contains(e.Err.Error(), "checksum") {
				t.Errorf("entry %d: %v", k, e.Err)
			}
		case !value.Equal(e.Value(), want[k].Value()):
			t.Errorf("entry %d differs", k)
		}
	}
	if flagged != 1 {
		t.Errorf("%d entries flagged, want 1", flagged)
	}
	c.Close()
}

func TestBookmarksAreSavedIntoTheArchive(t *testing.T) {
	path, _, id := simulate(t, "0.5.3", 300)
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	a.AddBookmark(archive.Bookmark{Seq: 40, Note: "the job starts", Created: at})
	a.AddBookmark(archive.Bookmark{Seq: 12, Note: "peer 3 joins", Created: at})
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if es, err := a.Read(context.Background(), id, -1, nil); err != nil || len(es) == 0 || es[0].Err != nil {
		t.Fatalf("reading after Save: %v", err)
	}
	a.AddBookmark(archive.Bookmark{Seq: 99, Note: "gc", Created: at})
	a.RemoveBookmark(40)
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := b.Bookmarks()
	if len(got) != 2 || got[0].Seq != 12 || got[0].Note != "peer 3 joins" || !got[0].Created.Equal(at) || got[1].Seq != 99 {
		t.Errorf("bookmarks %+v", got)
	}
}

func TestOpenSniffsTheFileKind(t *testing.T) {
	path, _, id := simulate(t, "0.7.14", 300)
	a, _ := archive.Load(path)
	l, _ := archive.LogOf(context.Background(), a, id)
	a.Close()
	dir := t.TempDir()
	var logFile, bare bytes.Buffer
	replay.WriteLog(&logFile, l)
	bare.WriteString("[")
	for _, e := range l.Entries {
		bare.WriteString(value.PrStr(e.Value()) + "\n")
	}
	bare.WriteString("]")
	os.WriteFile(filepath.Join(dir, "log.edn"), logFile.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "bare.edn"), bare.Bytes(), 0o644)
	for _, tc := range []struct{ file, id, version string }{
		{path, id, "0.7.14"},
		{filepath.Join(dir, "log.edn"), id, "0.7.14"},
		{filepath.Join(dir, "bare.edn"), "bare", "0.7.0"},
	} {
		src, err := archive.Open(tc.file)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		ts, _ := src.Tenancies(context.Background())
		if len(ts) != 1 || ts[0].ID != tc.id || ts[0].Count != len(l.Entries) || ts[0].Version.Version != tc.version {
			t.Errorf("%s: tenancies %+v", tc.file, ts)
		}
	}
	os.WriteFile(filepath.Join(dir, "junk"), []byte{0xca, 0xfe, 0x01}, 0o644)
	if _, err := archive.Open(filepath.Join(dir, "junk")); err == nil {
		t.Error("junk opened")
	}
}
