package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog/archive"
)

// lastStep is a sink that remembers the last step beside an ArchiveSink.
type lastStep struct {
	*ArchiveSink
	last Step
}

func (l *lastStep) Step(ctx context.Context, st Step) error {
	l.last = st
	return l.ArchiveSink.Step(ctx, st)
}

// bytesPerEntry bounds what a simulated archive costs per entry simulated.
// An entry record takes about 80 bytes and checkpoints at most a quarter of
// the entries' bytes (Writer.CheckpointDue); a job's znodes take about
// 1 KB and a cluster submits one every 70 entries or so; the origin and the
// last checkpoint are replicas, which grow by about 250 bytes with every
// job ever run (under 10 bytes per entry together). A gc leaves out every
// entry before it, so a simulation with gcs stays far below the bound; the
// bound holds without them too. Before the fix, a 20,000-entry 0.8.3 log
// wrote 207 bytes per entry and a 100,000-entry one 585.
const bytesPerEntry = 128

// A simulated archive costs about what its entries cost, and opening it
// gives the replica the simulation ended with, as a replay of its log
// from its origin does.
func TestASimulatedArchiveStaysProportionalToItsLog(t *testing.T) {
	const n = 20_000
	cfg := Config{Version: "0.8.3", Seed: 1, Entries: n, Peers: 20, Jobs: 10}
	path := filepath.Join(t.TempDir(), "sim.onyxarc")
	sink := &lastStep{ArchiveSink: &ArchiveSink{Path: path}}
	if err := Run(context.Background(), cfg, sink, 0, nil); err != nil {
		sink.Abort()
		t.Fatal(err)
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(bytesPerEntry*n + 64<<10); st.Size() > limit {
		t.Errorf("a %d-entry archive takes %d bytes (%.0f per entry), more than %d", n, st.Size(), float64(st.Size())/n, limit)
	}
	t.Logf("%d entries simulated: %d bytes, %.1f per entry", n, st.Size(), float64(st.Size())/n)

	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	id := a.Meta().Tenancy.ID
	h, err := a.Open(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	es, err := a.Read(ctx, id, -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := sink.last
	if len(es) == 0 || es[len(es)-1].Seq != want.Entry.Seq || es[0].Seq != max(h.Origin.MessageID, 0) {
		t.Fatalf("entries %d… of %d, origin %d; the log ends at %d", es[0].Seq, len(es), h.Origin.MessageID, want.Entry.Seq)
	}
	v := archive.VersionOf(h.Version)
	om, _ := h.Origin.Replica.(*value.Map)
	r, next, err := replay.Initial(v, value.NewMap(value.KeyMessageID, h.Origin.MessageID, value.Kw("replica"), om),
		replay.Params{JobScheduler: h.Params.JobScheduler, Messaging: h.Params.Messaging})
	if err != nil {
		t.Fatal(err)
	}
	cps, err := a.Checkpoints()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Err != nil {
			t.Fatalf("seq %d: %v", e.Seq, e.Err)
		}
		if e.Seq < next {
			continue
		}
		if r, err = replay.Apply(v, r, e.Entry); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
		for _, cp := range cps {
			if cp.Seq == e.Seq && !value.Equal(cp.Replica.Map(), r.Map()) {
				t.Fatalf("checkpoint %d differs from the replay", cp.Seq)
			}
		}
	}
	if !value.Equal(r.Map(), want.Replica.Map()) {
		t.Fatal("the replay of the archive ends with another replica than the simulation")
	}
	// The replay a reader needs to reach the end is short: fewer than
	// DefaultEvery entries from the last checkpoint or the origin, or none
	// when a checkpoint follows the last entry.
	from := h.Origin.MessageID
	if last, ok := a.LastCheckpoint(); ok {
		from = last.Seq
		if last.Seq == want.Entry.Seq && !value.Equal(last.Replica.Map(), want.Replica.Map()) {
			t.Errorf("the checkpoint after the last entry %d is not the simulation's replica", last.Seq)
		}
	}
	if want.Entry.Seq-from >= archive.DefaultEvery {
		t.Errorf("the last checkpoint or origin is at %d, %d entries before the end", from, want.Entry.Seq-from)
	}
	for _, j := range value.Items(want.Replica.Get(value.Kw("jobs"))) {
		parts, err := a.RawJob(ctx, id, archive.IDString(j), nil)
		if err != nil || parts["catalog/"+archive.IDString(j)] == nil {
			t.Errorf("running job %s: no catalog (%v)", archive.IDString(j), err)
		}
	}
}

// An archive captured from the simulated archive (what a user re-saves)
// keeps the same entries and bounds, and is written without compaction.
func TestCapturingASimulatedArchiveKeepsItsSize(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Version: "0.8.3", Seed: 3, Entries: 3000, Peers: 8, Jobs: 4}
	path := filepath.Join(dir, "sim.onyxarc")
	if err := WriteArchive(context.Background(), cfg, path, "test", nil); err != nil {
		t.Fatal(err)
	}
	a, err := archive.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	out := filepath.Join(dir, "again.onyxarc")
	if err := archive.Capture(context.Background(), a, a.Meta().Tenancy.ID, out, archive.CaptureOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := archive.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Len() != a.Len() {
		t.Fatalf("%d entries captured, want %d", b.Len(), a.Len())
	}
	s1, _ := os.Stat(path)
	s2, _ := os.Stat(out)
	if s2.Size() > s1.Size()*5/4 {
		t.Errorf("captured again: %d bytes, the simulated archive %d", s2.Size(), s1.Size())
	}
	ca, okA := a.LastCheckpoint()
	cb, okB := b.LastCheckpoint()
	if okA != okB || cb.Seq != ca.Seq || (okA && !value.Equal(cb.Replica.Map(), ca.Replica.Map())) {
		t.Errorf("last checkpoint %d (%v), want %d (%v) with the same replica", cb.Seq, okB, ca.Seq, okA)
	}
}
