package archive

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// recordBytes sums the records of the archive at path by kind: how many,
// and their bytes with the frame.
func recordBytes(t *testing.T, path string) (count map[byte]int, bytes map[byte]int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	count, bytes = map[byte]int{}, map[byte]int64{}
	off := int64(headerLen)
	for off < int64(len(b))-trailerLen {
		kind, _, n, need, err := parseRecord(b[off:], off, path)
		if err != nil || need > 0 {
			t.Fatalf("record at %d: need %d, %v", off, need, err)
		}
		count[kind]++
		bytes[kind] += int64(n)
		off += int64(n)
	}
	return count, bytes
}

func origin(t *testing.T, v replay.Version, seq int64, jobs ...value.Value) []byte {
	t.Helper()
	r := value.NewMap(kwJobs, value.Vector(jobs))
	b, err := Encode(v, value.NewMap(value.KeyMessageID, seq, kwReplica, r))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A gc's origin makes the entries, checkpoints and job znodes before it
// unreachable: Close leaves them out of the file, with the origins it
// replaced, and keeps the znodes of the jobs the last origin names.
func TestCloseLeavesOutWhatAnOriginMadeUnreachable(t *testing.T) {
	v := replay.MustVersion("0.8.3")
	named, gone, later := value.UUID{Hi: 1, Lo: 1}, value.UUID{Hi: 2, Lo: 2}, value.UUID{Hi: 3, Lo: 3}
	path := filepath.Join(t.TempDir(), "gc.onyxarc")
	w, err := Create(path, Meta{Tenancy: zklog.Tenancy{ID: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	w.Origin(origin(t, v, -1))
	r := replay.FromMap(value.NewMap(kwJobs, value.Vector{}))
	for seq := range int64(100) {
		switch seq {
		case 10:
			w.Job(IDString(named), "catalog/"+IDString(named), []byte("named"))
		case 20:
			w.Job(IDString(gone), "catalog/"+IDString(gone), []byte("gone"))
		case 60:
			w.Job(IDString(later), "catalog/"+IDString(later), []byte("later"))
		}
		if err := w.Entry(zklog.RawEntry{Seq: seq, Created: seq, Data: []byte("entry")}); err != nil {
			t.Fatal(err)
		}
		if seq%25 == 24 {
			w.Checkpoint(seq, r)
		}
		if seq == 30 {
			w.Origin(origin(t, v, 30, named, gone))
		}
	}
	w.Origin(origin(t, v, 50, named))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	count, _ := recordBytes(t, path)
	want := map[byte]int{kindMeta: 1, kindOrigin: 1, kindEntry: 50, kindJob: 2, kindCheckpoint: 2, kindIndex: 1}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d %s records, want %d", count[k], kindName(k), n)
		}
	}
	a, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Len() != 50 || a.Seqs()[0] != 50 {
		t.Fatalf("%d entries from %d, want 50 from 50", a.Len(), a.Seqs()[0])
	}
	for i := range a.Len() {
		if e := a.Entry(i); e.Seq != int64(50+i) || e.Created != e.Seq {
			t.Fatalf("entry %d: seq %d created %d", i, e.Seq, e.Created)
		}
	}
	if h, _ := a.Open(context.Background(), "t"); h.Origin.MessageID != 50 {
		t.Errorf("origin message-id %d, want 50", h.Origin.MessageID)
	}
	for id, want := range map[value.UUID]string{named: "named", later: "later", gone: ""} {
		parts, _ := a.RawJob(context.Background(), "t", IDString(id), nil)
		if got := string(parts["catalog/"+IDString(id)]); got != want {
			t.Errorf("job %s: catalog %q, want %q", IDString(id), got, want)
		}
	}
	cps, err := a.Checkpoints()
	if err != nil || len(cps) != 2 || cps[0].Seq != 74 || cps[1].Seq != 99 {
		t.Errorf("checkpoints %v, %v; want 74 and 99", cps, err)
	}
}

// A writer whose origin drops nothing (a capture) writes its file once:
// the records stay where they were written.
func TestCloseWithoutGCKeepsEveryRecord(t *testing.T) {
	v := replay.MustVersion("0.8.3")
	path := filepath.Join(t.TempDir(), "plain.onyxarc")
	w, err := Create(path, Meta{Tenancy: zklog.Tenancy{ID: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	w.Origin(origin(t, v, 4))
	for seq := range int64(20) {
		w.Entry(zklog.RawEntry{Seq: seq + 5, Data: []byte("e")})
	}
	w.Job("j", "catalog/j", []byte("c"))
	if w.dirty {
		t.Fatal("an origin before the entries made records dead")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if count, _ := recordBytes(t, path); count[kindEntry] != 20 || count[kindJob] != 1 || count[kindOrigin] != 1 {
		t.Errorf("records %v", count)
	}
}

// growing is a replica whose encoding grows by about n bytes per call, as
// one does with every job a cluster runs.
func growing(i int) replay.Replica {
	xs := make(value.Vector, i)
	for k := range xs {
		xs[k] = int64(1_000_000 + k)
	}
	return replay.FromMap(value.NewMap(kwJobs, xs))
}

// Spaced by CheckpointDue, the checkpoints of a growing replica take at
// most a quarter of the entries' bytes, besides the last one.
func TestCheckpointsCostAtMostAQuarterOfTheEntries(t *testing.T) {
	const n, every = 20_000, 64
	path := filepath.Join(t.TempDir(), "cp.onyxarc")
	w, err := Create(path, Meta{Tenancy: zklog.Tenancy{ID: "t"}, Every: every})
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 60)
	var last int64
	for seq := range int64(n) {
		w.Entry(zklog.RawEntry{Seq: seq, Data: data})
		if w.CheckpointDue(every) {
			r := growing(int(seq) / 4)
			w.Checkpoint(seq, r)
			b, _ := Encode(replay.MustVersion("0.14.6"), r.Map())
			last = int64(len(b))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	count, bytes := recordBytes(t, path)
	if count[kindCheckpoint] < 2 {
		t.Fatalf("%d checkpoints", count[kindCheckpoint])
	}
	// last is the nippy bytes of the last replica; its record adds a
	// frame and a seq varint.
	if limit := bytes[kindEntry]/4 + last + frameLen + binary.MaxVarintLen64; bytes[kindCheckpoint] > limit {
		t.Errorf("%d checkpoints take %d bytes, more than a quarter of %d entry bytes plus the last (%d)",
			count[kindCheckpoint], bytes[kindCheckpoint], bytes[kindEntry], last)
	}
	t.Logf("%d checkpoints, %d bytes; entries %d bytes", count[kindCheckpoint], bytes[kindCheckpoint], bytes[kindEntry])
}

// A checkpoint after the last entry is due when every or more entries
// follow the last checkpoint, or the origin when an origin dropped them.
func TestEndCheckpointDueCountsFromTheLastCheckpointOrTheOrigin(t *testing.T) {
	v := replay.MustVersion("0.8.3")
	w, err := Create(filepath.Join(t.TempDir(), "end.onyxarc"), Meta{Tenancy: zklog.Tenancy{ID: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	r := replay.FromMap(value.NewMap())
	steps := []struct {
		entries  int   // entries written before the check
		cp       bool  // a checkpoint after them
		origin   int64 // an origin at this seq after them (0: none)
		every    int
		want     bool
		describe string
	}{
		{9, false, 0, 10, false, "9 entries from the start"},
		{1, false, 0, 10, true, "10 entries from the start"},
		{0, false, 0, 0, false, "every 0: never"},
		{5, true, 0, 10, false, "a checkpoint after the 15th"},
		{10, false, 0, 10, true, "10 entries after the checkpoint"},
		{0, false, 20, 10, false, "an origin at 20 drops the checkpoint: 5 entries after it"},
		{5, false, 0, 10, true, "10 entries from the origin"},
	}
	seq := int64(0)
	for _, s := range steps {
		for range s.entries {
			w.Entry(zklog.RawEntry{Seq: seq, Data: []byte("e")})
			seq++
		}
		if s.cp {
			w.Checkpoint(seq-1, r)
		}
		if s.origin > 0 {
			w.Origin(origin(t, v, s.origin))
		}
		if got := w.EndCheckpointDue(s.every); got != s.want {
			t.Errorf("%s: due %v, want %v", s.describe, got, s.want)
		}
	}
}
