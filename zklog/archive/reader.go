package archive

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// Archive is an archive file opened for reading: a Source of its one
// tenancy. Opening reads the header, the index, the small records and the
// last checkpoint; entries are read and decoded when asked for. Its methods
// are safe from any goroutine.
type Archive struct {
	name string // the file's path, or what the caller named the bytes
	path string // "" when not backed by a file (Save then fails)

	mu     sync.Mutex // guards r, closer, bookmarks, dataEnd
	r      io.ReaderAt
	closer io.Closer
	size   int64

	dataEnd   int64 // where the index record starts (or the damage)
	meta      Meta
	origin    zklog.Origin
	params    map[string][]byte
	idx       index
	otherKind map[int64]byte
	bookmarks []Bookmark
	last      *Checkpoint
	damage    error
}

// Checkpoint is the replica after the entry Seq, stored at capture time at
// least Meta.Every entries after the previous one (Writer.CheckpointDue).
type Checkpoint struct {
	Seq     int64
	Replica replay.Replica
}

var (
	_ zklog.Source      = (*Archive)(nil)
	_ zklog.RawSource   = (*Archive)(nil)
	_ zklog.ChunkReader = (*Archive)(nil)
)

// Load opens the archive file at path. A damaged archive (truncated, or a
// record failing its checksum) is still returned, serving the part before
// the damage, together with an error wrapping ErrCorrupt (a *CorruptError
// naming the offset); any other error returns a nil Archive.
func Load(path string) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open archive: %w", err)
	}
	a, err := NewReader(f, st.Size(), path)
	if a == nil {
		f.Close()
		return nil, err
	}
	a.path, a.closer = path, f
	return a, err
}

// NewReader opens an archive held by r (size bytes), e.g. embedded bytes;
// name stands for it in errors. Damage is reported as by Load.
func NewReader(r io.ReaderAt, size int64, name string) (*Archive, error) {
	a := &Archive{name: name, r: r, size: size, params: map[string][]byte{}, otherKind: map[int64]byte{}}
	hdr := make([]byte, headerLen)
	if n, _ := r.ReadAt(hdr, 0); n < headerLen || string(hdr[:8]) != magic {
		if n >= 8 && string(hdr[:8]) == magic {
			return nil, &CorruptError{name, int64(n), "header truncated"}
		}
		return nil, fmt.Errorf("open archive %s: %w", name, ErrNotArchive)
	}
	if v := binary.BigEndian.Uint16(hdr[8:10]); v != FormatVersion {
		return nil, fmt.Errorf("open archive %s: format version %d: %w", name, v, ErrVersion)
	}
	if err := a.readIndex(); err != nil {
		a.damage = err
		a.idx, a.otherKind = index{}, map[int64]byte{}
		a.scan()
	}
	for _, off := range a.idx.others {
		if err := a.readOther(off); err != nil && a.damage == nil {
			a.damage = err
		}
	}
	if a.origin.Raw == nil && a.origin.Replica == nil {
		a.origin, _ = zklog.DecodeOrigin("", nil)
	}
	if n := len(a.idx.cpSeqs); n > 0 {
		cp, err := a.checkpoint(n - 1)
		if err != nil && a.damage == nil {
			a.damage = err
		}
		if err == nil {
			a.last = &cp
		}
	}
	return a, a.damage
}

// readIndex reads the trailer and the index it points to.
func (a *Archive) readIndex() error {
	if a.size < headerLen+trailerLen {
		return &CorruptError{a.name, a.size, "truncated: no index"}
	}
	tr := make([]byte, trailerLen)
	if _, err := a.r.ReadAt(tr, a.size-trailerLen); err != nil {
		return &CorruptError{a.name, a.size - trailerLen, fmt.Sprintf("read trailer: %v", err)}
	}
	if string(tr[8:]) != trailerMagic {
		return &CorruptError{a.name, a.size - trailerLen, "truncated or damaged: no trailer at the end of the file"}
	}
	off := int64(binary.BigEndian.Uint64(tr[:8]))
	if off < headerLen || off > a.size-trailerLen-frameLen {
		return &CorruptError{a.name, a.size - trailerLen, fmt.Sprintf("trailer points to offset %d outside the file", off)}
	}
	b := make([]byte, a.size-trailerLen-off)
	if _, err := a.r.ReadAt(b, off); err != nil {
		return &CorruptError{a.name, off, fmt.Sprintf("read index: %v", err)}
	}
	kind, p, n, need, err := parseRecord(b, off, a.name)
	switch {
	case err != nil:
		return err
	case need > 0 || n != len(b) || kind != kindIndex:
		return &CorruptError{a.name, off, "the trailer does not point to the index record"}
	}
	x, err := decodeIndex(p, off)
	if err != nil {
		return &CorruptError{a.name, off, err.Error()}
	}
	a.idx, a.dataEnd = x, off
	return nil
}

// scan rebuilds the index by reading the records one by one from the
// header, stopping at the first damaged one, which it reports.
func (a *Archive) scan() {
	off := int64(headerLen)
	section := func(at int64) io.Reader { return io.NewSectionReader(a.r, at, a.size-at) }
	br := bufio.NewReaderSize(section(off), 64<<10)
	var x index
	defer func() { a.idx, a.dataEnd = x, off }()
	damaged := func(msg string, args ...any) { a.damage = &CorruptError{a.name, off, fmt.Sprintf(msg, args...)} }
	for {
		if a.size-off == trailerLen {
			t := make([]byte, trailerLen)
			if _, err := a.r.ReadAt(t, off); err == nil && string(t[8:]) == trailerMagic {
				return // only the index was damaged: that is reported already
			}
		}
		if off == a.size {
			damaged("truncated: the file ends before the index")
			return
		}
		head, _ := br.Peek(5)
		if len(head) < 5 {
			damaged("truncated: a record header needs 5 bytes, the file ends %d bytes on", a.size-off)
			return
		}
		kind, l := head[0], binary.BigEndian.Uint32(head[1:5])
		if kind < kindMeta || kind > kindIndex {
			damaged("unknown record kind %d", kind)
			return
		}
		n := int64(frameLen) + int64(l)
		if l > maxRecord || n > a.size-off {
			damaged("truncated: a %s record needs %d bytes, the file ends %d bytes on", kindName(kind), n, a.size-off)
			return
		}
		var b []byte
		if n <= int64(br.Size()) {
			b, _ = br.Peek(int(n))
		} else {
			b = make([]byte, n)
			if _, err := a.r.ReadAt(b, off); err != nil {
				damaged("read %s record: %v", kindName(kind), err)
				return
			}
		}
		kind, p, _, _, err := parseRecord(b, off, a.name)
		if err != nil {
			a.damage = err
			return
		}
		a.note(&x, kind, p, off)
		if n <= int64(br.Size()) {
			_, _ = br.Discard(int(n))
		} else {
			br.Reset(section(off + n))
		}
		off += n
	}
}

// note adds the record at off to x as the writer did.
func (a *Archive) note(x *index, kind byte, p []byte, off int64) {
	c := cursor{b: p}
	switch kind {
	case kindEntry:
		seq := c.varint()
		if n := len(x.seqs); c.err == nil && (n == 0 || seq > x.seqs[n-1]) {
			x.seqs, x.offs = append(x.seqs, seq), append(x.offs, off)
		}
	case kindCheckpoint:
		seq := c.varint()
		if n := len(x.cpSeqs); c.err == nil && (n == 0 || seq > x.cpSeqs[n-1]) {
			x.cpSeqs, x.cpOffs = append(x.cpSeqs, seq), append(x.cpOffs, off)
		}
	case kindJob:
		x.jobs = append(x.jobs, jobRef{c.str(), off})
	case kindOrigin:
		if c.byte1() == 1 {
			x.dropBefore(c.varint())
		}
		x.others = append(x.others, off)
	case kindMeta, kindParam, kindBookmark:
		x.others = append(x.others, off)
	}
}

// readRecord reads the whole record at off.
func (a *Archive) readRecord(off int64) (byte, []byte, error) {
	a.mu.Lock()
	r := a.r
	a.mu.Unlock()
	head := make([]byte, 5)
	if _, err := r.ReadAt(head, off); err != nil {
		return 0, nil, &CorruptError{a.name, off, fmt.Sprintf("read record: %v", err)}
	}
	l := binary.BigEndian.Uint32(head[1:5])
	if l > maxRecord || int64(l) > a.size-off {
		return 0, nil, &CorruptError{a.name, off, fmt.Sprintf("record length %d runs past the end of the file", l)}
	}
	b := make([]byte, frameLen+int(l))
	if _, err := r.ReadAt(b, off); err != nil {
		return 0, nil, &CorruptError{a.name, off, fmt.Sprintf("read record: %v", err)}
	}
	kind, p, _, _, err := parseRecord(b, off, a.name)
	return kind, p, err
}

// readOther reads a meta, origin, param or bookmarks record.
func (a *Archive) readOther(off int64) error {
	kind, p, err := a.readRecord(off)
	if err != nil {
		return err
	}
	a.otherKind[off] = kind
	c := cursor{b: p}
	fail := func(err error) error {
		return &CorruptError{a.name, off, fmt.Sprintf("%s record: %v", kindName(kind), err)}
	}
	switch kind {
	case kindMeta:
		m, err := decodeMeta(p)
		if err != nil {
			return fail(err)
		}
		a.meta = m
	case kindOrigin:
		if c.byte1() == 0 {
			a.origin, _ = zklog.DecodeOrigin("", nil)
			return nil
		}
		c.varint()
		raw := c.rest()
		if c.err != nil {
			return fail(c.err)
		}
		o, err := zklog.DecodeOrigin(a.name+":origin/origin", raw)
		if err != nil {
			return fail(err)
		}
		a.origin = o
	case kindParam:
		rel := c.str()
		raw := c.rest()
		if c.err != nil {
			return fail(c.err)
		}
		a.params[rel] = raw
	case kindBookmark:
		bs, err := decodeBookmarks(p)
		if err != nil {
			return fail(err)
		}
		a.bookmarks = bs
	default:
		return fail(errors.New("not expected here"))
	}
	return nil
}

// checkpoint decodes checkpoint i.
func (a *Archive) checkpoint(i int) (Checkpoint, error) {
	off := a.idx.cpOffs[i]
	_, p, err := a.readRecord(off)
	if err != nil {
		return Checkpoint{}, err
	}
	c := cursor{b: p}
	seq := c.varint()
	raw := c.rest()
	if c.err != nil {
		return Checkpoint{}, &CorruptError{a.name, off, c.err.Error()}
	}
	v, err := nippy.Decode(raw)
	if err != nil {
		return Checkpoint{}, &CorruptError{a.name, off, fmt.Sprintf("checkpoint %d: %v", seq, err)}
	}
	m, ok := v.(*value.Map)
	if !ok {
		return Checkpoint{}, &CorruptError{a.name, off, fmt.Sprintf("checkpoint %d is a %s, want a map", seq, value.TypeName(v))}
	}
	return Checkpoint{Seq: seq, Replica: replay.FromMap(m)}, nil
}

// Meta returns the capture metadata.
func (a *Archive) Meta() Meta { return a.meta }

// Damage is the error Load returned: nil for an intact archive.
func (a *Archive) Damage() error { return a.damage }

// Len is the number of entries.
func (a *Archive) Len() int { return len(a.idx.seqs) }

// Seqs returns the entries' Seqs in order; the caller must not modify them.
func (a *Archive) Seqs() []int64 { return a.idx.seqs }

// LastCheckpoint is the checkpoint closest to the end of the log, decoded
// on open; false when the archive has none.
func (a *Archive) LastCheckpoint() (Checkpoint, bool) {
	if a.last == nil {
		return Checkpoint{}, false
	}
	return *a.last, true
}

// Checkpoints decodes every checkpoint, in Seq order. A damaged one is
// left out and reported in the error.
func (a *Archive) Checkpoints() ([]Checkpoint, error) {
	out := make([]Checkpoint, 0, len(a.idx.cpSeqs))
	var errs []error
	for i := range a.idx.cpSeqs {
		cp, err := a.checkpoint(i)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, cp)
	}
	return out, errors.Join(errs...)
}

// Close releases the file.
func (a *Archive) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closer == nil {
		return nil
	}
	err := a.closer.Close()
	a.closer = nil
	return err
}

// Entry reads and decodes the entry at index i (0 ≤ i < Len).
func (a *Archive) Entry(i int) zklog.Entry {
	if i < 0 || i >= len(a.idx.seqs) {
		return zklog.Entry{Err: fmt.Errorf("archive %s: entry index %d out of range", a.name, i)}
	}
	raw, err := a.rawAt(i)
	if err != nil {
		return zklog.Entry{Entry: value.Entry{Seq: a.idx.seqs[i]}, Err: err}
	}
	return zklog.DecodeEntry(a.entryPath(raw.Seq), raw)
}

func (a *Archive) entryPath(seq int64) string {
	return a.name + ":log/" + zklog.EntryName(seq)
}

func (a *Archive) rawAt(i int) (zklog.RawEntry, error) {
	off := a.idx.offs[i]
	kind, p, err := a.readRecord(off)
	if err != nil {
		return zklog.RawEntry{}, err
	}
	return a.rawEntry(kind, p, off)
}

func (a *Archive) rawEntry(kind byte, p []byte, off int64) (zklog.RawEntry, error) {
	if kind != kindEntry {
		return zklog.RawEntry{}, &CorruptError{a.name, off, fmt.Sprintf("the index points to a %s record, want an entry", kindName(kind))}
	}
	c := cursor{b: p}
	r := zklog.RawEntry{Seq: c.varint(), Created: c.varint(), Data: c.rest()}
	if c.err != nil {
		return zklog.RawEntry{}, &CorruptError{a.name, off, "entry record: " + c.err.Error()}
	}
	return r, nil
}

// rawRange reads the raw entries i..j-1 in one pass over the file. A record
// that is damaged is returned with Data nil and its error in errs.
func (a *Archive) rawRange(i, j int, progress zklog.Progress) ([]zklog.RawEntry, map[int]error) {
	out := make([]zklog.RawEntry, 0, j-i)
	errs := map[int]error{}
	if i >= j {
		return out, errs
	}
	a.mu.Lock()
	r := a.r
	a.mu.Unlock()
	start := a.idx.offs[i]
	br := bufio.NewReaderSize(io.NewSectionReader(r, start, a.dataEnd-start), 64<<10)
	off := start
	k := i
	for k < j {
		want := a.idx.offs[k]
		if off != want { // skip what lies between (checkpoints, jobs, damage)
			if off > want {
				br.Reset(io.NewSectionReader(r, want, a.dataEnd-want))
			} else if _, err := br.Discard(int(want - off)); err != nil {
				br.Reset(io.NewSectionReader(r, want, a.dataEnd-want))
			}
			off = want
		}
		raw, n, err := a.nextRecord(br, off)
		if err == nil {
			out = append(out, raw)
		} else {
			errs[k] = err
			out = append(out, zklog.RawEntry{Seq: a.idx.seqs[k]})
		}
		off += int64(n)
		k++
		if progress != nil && (k-i)%65536 == 0 {
			progress(k-i, j-i)
		}
	}
	return out, errs
}

// nextRecord reads the entry record at the reader's position off; n is how
// many bytes it consumed.
func (a *Archive) nextRecord(br *bufio.Reader, off int64) (zklog.RawEntry, int, error) {
	head, err := br.Peek(5)
	if err != nil {
		return zklog.RawEntry{}, 0, &CorruptError{a.name, off, fmt.Sprintf("read entry record: %v", err)}
	}
	l := binary.BigEndian.Uint32(head[1:5])
	if l > maxRecord {
		return zklog.RawEntry{}, 0, &CorruptError{a.name, off, fmt.Sprintf("record length %d is too large", l)}
	}
	b := make([]byte, frameLen+int(l))
	if _, err := io.ReadFull(br, b); err != nil {
		return zklog.RawEntry{}, 0, &CorruptError{a.name, off, fmt.Sprintf("read entry record: %v", err)}
	}
	kind, p, _, _, err := parseRecord(b, off, a.name)
	if err != nil {
		return zklog.RawEntry{}, len(b), err
	}
	raw, err := a.rawEntry(kind, p, off)
	return raw, len(b), err
}

// span is the index range of the entries with Seq >= from.
func (a *Archive) span(id string, from int64) (int, int, error) {
	if id != a.meta.Tenancy.ID {
		return 0, 0, fmt.Errorf("archive %s: tenancy %q: %w", a.name, id, zklog.ErrNoTenancy)
	}
	seqs := a.idx.seqs
	if len(seqs) > 0 && from >= 0 && from < seqs[0] {
		return 0, 0, fmt.Errorf("read archive %s from %d: %w: the first entry is %d", a.name, from, zklog.ErrTruncated, seqs[0])
	}
	i, _ := slices.BinarySearch(seqs, from)
	return i, len(seqs), nil
}
