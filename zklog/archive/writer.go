package archive

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
)

// Bookmark is a position in the log the user marked, with a note.
type Bookmark struct {
	Seq     int64
	Note    string
	Created time.Time
}

// Writer writes an archive into a temporary file beside its destination;
// Close makes it appear at the destination at once (fsync, then rename), so
// a reader never sees half an archive under the final name. A Writer is not
// safe for concurrent use.
type Writer struct {
	path, tmp string
	f         *os.File
	bw        *bufio.Writer
	off       int64
	idx       index
	meta      Meta
	err       error // the first failure; every later call returns it

	// What an origin made dead, for Close to leave out (see compact).
	origin     int64           // offset of the last origin record; 0: none
	originJobs map[string]bool // the jobs the last origin's replica names
	deadEnd    int64           // offset of the last entry an origin dropped; 0: none
	dirty      bool            // some record written is dead

	// Checkpoint spacing (see CheckpointDue).
	sinceN     int   // entries written since the last checkpoint
	sinceBytes int64 // their record bytes
	cpBytes    int64 // the last checkpoint record's bytes
}

// checkpointShare bounds what checkpoints cost: CheckpointDue spaces them
// so that every checkpoint but the last is preceded by entries taking at
// least checkpointShare times its size.
const checkpointShare = 4

// Create starts an archive that Close will put at path.
func Create(path string, meta Meta) (*Writer, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("create archive %s: %w", path, err)
	}
	w := &Writer{path: path, tmp: f.Name(), f: f, bw: bufio.NewWriterSize(f, 1<<20), meta: meta}
	w.write(header())
	w.other(kindMeta, encodeMeta(meta))
	if w.err != nil {
		w.Abort()
		return nil, w.err
	}
	return w, nil
}

func header() []byte {
	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, magic...)
	hdr = binary.BigEndian.AppendUint16(hdr, FormatVersion)
	return append(hdr, 0, 0, 0, 0, 0, 0)
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	if _, err := w.bw.Write(b); err != nil {
		w.err = fmt.Errorf("write archive %s: %w", w.path, err)
		return
	}
	w.off += int64(len(b))
}

// record appends a record and returns its offset.
func (w *Writer) record(kind byte, p []byte) int64 {
	off := w.off
	w.write(frame(kind, p))
	return off
}

func (w *Writer) other(kind byte, p []byte) {
	w.idx.others = append(w.idx.others, w.record(kind, p))
}

// SetMeta replaces the metadata (written again; the last record wins).
func (w *Writer) SetMeta(m Meta) error {
	w.meta = m
	w.other(kindMeta, encodeMeta(m))
	return w.err
}

// Origin stores /origin/origin's bytes (nil: the znode is absent) and
// forgets the entries and checkpoints it covers, as GC deletes them. It
// replaces the origin written before. Close leaves out of the file what the
// archive can no longer show: the forgotten entries and checkpoints, the
// origins replaced, and the znodes of jobs submitted by forgotten entries
// that this origin's replica does not name.
func (w *Writer) Origin(raw []byte) error {
	p := payload{0}
	var jobs map[string]bool
	if raw != nil {
		o, err := zklog.DecodeOrigin("origin", raw)
		if err != nil {
			return fmt.Errorf("write archive %s: %w", w.path, err)
		}
		p = payload{1}.varint(o.MessageID).bytes(raw)
		w.drop(o.MessageID) // Onyx deletes entries 0 … gc-id−1 (§1.5)
		jobs = originJobs(o.Replica)
	}
	if w.origin > 0 {
		w.idx.others = slices.DeleteFunc(w.idx.others, func(off int64) bool { return off == w.origin })
		w.dirty = true
	}
	w.origin = w.record(kindOrigin, p)
	w.idx.others = append(w.idx.others, w.origin)
	w.originJobs = jobs
	return w.err
}

// drop forgets the entries and checkpoints below seq.
func (w *Writer) drop(seq int64) {
	if i, _ := slices.BinarySearch(w.idx.seqs, seq); i > 0 {
		w.deadEnd = max(w.deadEnd, w.idx.offs[i-1])
		w.dirty = true
	}
	if j, _ := slices.BinarySearch(w.idx.cpSeqs, seq); j > 0 {
		w.dirty = true
	}
	w.idx.dropBefore(seq)
}

// Param stores a parameter znode by its path relative to the tenancy
// (zklog.ParamJobScheduler …).
func (w *Writer) Param(rel string, raw []byte) error {
	w.other(kindParam, payload{}.str(rel).bytes(raw))
	return w.err
}

// Entry stores a log entry; Seq must grow.
func (w *Writer) Entry(r zklog.RawEntry) error {
	if n := len(w.idx.seqs); n > 0 && r.Seq <= w.idx.seqs[n-1] {
		return fmt.Errorf("write archive %s: entry %d after %d", w.path, r.Seq, w.idx.seqs[n-1])
	}
	off := w.record(kindEntry, payload(make([]byte, 0, len(r.Data)+16)).varint(r.Seq).varint(r.Created).bytes(r.Data))
	w.sinceN++
	w.sinceBytes += w.off - off
	w.idx.seqs = append(w.idx.seqs, r.Seq)
	w.idx.offs = append(w.idx.offs, off)
	return w.err
}

// Job stores one of a job's znodes by its path relative to the tenancy
// ("catalog/<job>", "task/<task>" …).
func (w *Writer) Job(jobID, rel string, raw []byte) error {
	off := w.record(kindJob, payload{}.str(jobID).str(rel).bytes(raw))
	w.idx.jobs = append(w.idx.jobs, jobRef{jobID, off})
	return w.err
}

// Checkpoint stores the replica after entry seq, Nippy-encoded.
func (w *Writer) Checkpoint(seq int64, r replay.Replica) error {
	if n := len(w.idx.cpSeqs); n > 0 && seq <= w.idx.cpSeqs[n-1] {
		return fmt.Errorf("write archive %s: checkpoint %d after %d", w.path, seq, w.idx.cpSeqs[n-1])
	}
	b, err := nippy.Encode(r.Map(), nippy.EncodeOptions{})
	if err != nil {
		return fmt.Errorf("write archive %s: checkpoint %d: %w", w.path, seq, err)
	}
	off := w.record(kindCheckpoint, payload{}.varint(seq).bytes(b))
	w.idx.cpSeqs = append(w.idx.cpSeqs, seq)
	w.idx.cpOffs = append(w.idx.cpOffs, off)
	w.cpBytes, w.sinceN, w.sinceBytes = w.off-off, 0, 0
	return w.err
}

// CheckpointDue reports whether a checkpoint after the last entry written
// keeps the checkpoints apart as an archive wants them: at least every
// entries since the previous checkpoint (or the start), and entries whose
// records take at least checkpointShare (4) times the previous checkpoint's
// size. A replica grows with the jobs a cluster ever ran, so checkpoints
// spaced by count alone would cost the square of the log's length; spaced
// by size too, all checkpoints but the last take at most a quarter of the
// entries' bytes. every <= 0: never.
func (w *Writer) CheckpointDue(every int) bool {
	return every > 0 && w.sinceN >= every && w.sinceBytes >= checkpointShare*w.cpBytes
}

// EndCheckpointDue reports whether a checkpoint after the last entry
// written saves a reader a replay worth saving: at least every entries
// follow the last checkpoint (or, with none left, the origin, whose
// replica is where a replay starts). every <= 0: never.
func (w *Writer) EndCheckpointDue(every int) bool {
	if every <= 0 || len(w.idx.seqs) == 0 {
		return false
	}
	after := len(w.idx.seqs)
	if n := len(w.idx.cpSeqs); n > 0 {
		i, _ := slices.BinarySearch(w.idx.seqs, w.idx.cpSeqs[n-1]+1)
		after = len(w.idx.seqs) - i
	}
	return after >= every
}

// Bookmarks stores the archive's bookmarks: the whole list, which replaces
// any list written before it.
func (w *Writer) Bookmarks(bs []Bookmark) error {
	w.other(kindBookmark, encodeBookmarks(bs))
	return w.err
}

func encodeBookmarks(bs []Bookmark) []byte {
	p := payload{}.uvarint(uint64(len(bs)))
	for _, b := range bs {
		var ms int64
		if !b.Created.IsZero() {
			ms = b.Created.UnixMilli()
		}
		p = p.varint(b.Seq).varint(ms).str(b.Note)
	}
	return p
}

func decodeBookmarks(b []byte) ([]Bookmark, error) {
	c := cursor{b: b}
	n := c.uvarint()
	if n > uint64(len(b)) {
		c.fail("bookmark count")
	}
	var out []Bookmark
	for i := uint64(0); i < n && c.err == nil; i++ {
		bm := Bookmark{Seq: c.varint()}
		if ms := c.varint(); ms != 0 {
			bm.Created = time.UnixMilli(ms).UTC()
		}
		bm.Note = c.str()
		out = append(out, bm)
	}
	if c.err != nil {
		return nil, fmt.Errorf("bookmarks: %w", c.err)
	}
	return out, nil
}

// Close writes the index and the trailer, syncs the file and renames it to
// its destination. After a failure the temporary file is removed.
func (w *Writer) Close() error {
	if w.f == nil {
		return w.err
	}
	if w.dirty {
		w.compact()
	}
	ixOff := w.record(kindIndex, w.idx.encode())
	tr := binary.BigEndian.AppendUint64(make([]byte, 0, trailerLen), uint64(ixOff))
	w.write(append(tr, trailerMagic...))
	if w.err == nil {
		if err := w.bw.Flush(); err != nil {
			w.err = fmt.Errorf("write archive %s: %w", w.path, err)
		}
	}
	if w.err == nil {
		if err := w.f.Chmod(0o644); err != nil {
			w.err = fmt.Errorf("write archive %s: %w", w.path, err)
		}
	}
	if w.err == nil {
		if err := w.f.Sync(); err != nil {
			w.err = fmt.Errorf("sync archive %s: %w", w.path, err)
		}
	}
	f := w.f
	w.f = nil
	if err := f.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("close archive %s: %w", w.path, err)
	}
	if w.err == nil {
		if err := os.Rename(w.tmp, w.path); err != nil {
			w.err = fmt.Errorf("rename archive into %s: %w", w.path, err)
		}
	}
	if w.err != nil {
		_ = os.Remove(w.tmp)
		return w.err
	}
	syncDir(filepath.Dir(w.path))
	return nil
}

// Abort discards the archive being written.
func (w *Writer) Abort() {
	if w.f != nil {
		_ = w.f.Close()
		w.f = nil
	}
	_ = os.Remove(w.tmp)
	if w.err == nil {
		w.err = errors.New("archive aborted")
	}
}

// syncDir makes the rename durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
