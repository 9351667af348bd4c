package archive

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// The file layout (docs/archive-format.md):
//
//	header  "ONYXARCH" version:u16 flags:u16 reserved:u32        16 bytes
//	record* kind:u8 len:u32 payload[len] crc32:u32                 9+len bytes
//	trailer indexOffset:u64 "ONYXAEND"                             16 bytes
//
// All integers in the frame are big-endian; payloads use varints. The crc
// (IEEE) covers kind, len and payload, so a scan from the header can check
// every record and stop at the first damaged one.
// Magic opens every archive file; commands sniff it to tell an archive from
// an EDN log.
const Magic = magic

const (
	magic        = "ONYXARCH"
	trailerMagic = "ONYXAEND"
	// FormatVersion is the version this package writes; it reads 1 only.
	FormatVersion = 1
	headerLen     = 16
	trailerLen    = 16
	frameLen      = 9 // kind, len and crc around a payload
	// maxRecord bounds a record's payload so a corrupt length cannot make a
	// reader allocate gigabytes.
	maxRecord = 1 << 30
)

// Record kinds.
const (
	kindMeta       byte = 1 // EDN map: capture metadata (the last one wins)
	kindOrigin     byte = 2 // present:u8 [messageID:varint raw…]
	kindParam      byte = 3 // rel:str raw…
	kindEntry      byte = 4 // seq:varint created:varint raw…
	kindJob        byte = 5 // job:str rel:str raw…
	kindCheckpoint byte = 6 // seq:varint nippy(replica)…
	kindBookmark   byte = 7 // count:uvarint (seq:varint created:varint(ms) note:str)*; the last one wins
	kindIndex      byte = 8 // see index.go
)

func kindName(k byte) string {
	switch k {
	case kindMeta:
		return "meta"
	case kindOrigin:
		return "origin"
	case kindParam:
		return "param"
	case kindEntry:
		return "entry"
	case kindJob:
		return "job"
	case kindCheckpoint:
		return "checkpoint"
	case kindBookmark:
		return "bookmark"
	case kindIndex:
		return "index"
	}
	return fmt.Sprintf("kind %d", k)
}

// Sentinel errors; callers test them with errors.Is.
var (
	// ErrNotArchive: the file does not start with the archive magic.
	ErrNotArchive = errors.New("not an onyx-dashboard archive")
	// ErrCorrupt: a record fails its checksum or framing, or the file ends
	// early. The part before the damage is still served.
	ErrCorrupt = errors.New("archive damaged")
	// ErrVersion: the archive was written by a newer format version.
	ErrVersion = errors.New("unsupported archive format version")
)

// CorruptError says where an archive is damaged.
type CorruptError struct {
	Path   string
	Offset int64 // byte offset of the damaged record or field
	Msg    string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("archive %s: offset %d: %s", e.Path, e.Offset, e.Msg)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// frame returns kind, len, payload and crc as one record.
func frame(kind byte, payload []byte) []byte {
	b := make([]byte, 0, frameLen+len(payload))
	b = append(b, kind)
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// parseRecord reads the record at the start of b (which starts at file offset
// off): its kind, payload (aliasing b) and total length. need > 0 says b is
// too short and how many bytes the record needs.
func parseRecord(b []byte, off int64, path string) (kind byte, payload []byte, n int, need int, err error) {
	if len(b) < 5 {
		return 0, nil, 0, 5, nil
	}
	kind = b[0]
	l := binary.BigEndian.Uint32(b[1:5])
	if kind < kindMeta || kind > kindIndex {
		return 0, nil, 0, 0, &CorruptError{path, off, fmt.Sprintf("unknown record kind %d", kind)}
	}
	if l > maxRecord {
		return 0, nil, 0, 0, &CorruptError{path, off, fmt.Sprintf("%s record length %d is too large", kindName(kind), l)}
	}
	n = frameLen + int(l)
	if len(b) < n {
		return 0, nil, 0, n, nil
	}
	want := binary.BigEndian.Uint32(b[n-4 : n])
	if got := crc32.ChecksumIEEE(b[:n-4]); got != want {
		return 0, nil, 0, 0, &CorruptError{path, off, fmt.Sprintf("%s record checksum %08x, want %08x", kindName(kind), got, want)}
	}
	return kind, b[5 : n-4], n, 0, nil
}

// payload builds record payloads.
type payload []byte

func (p payload) varint(x int64) payload   { return binary.AppendVarint(p, x) }
func (p payload) uvarint(x uint64) payload { return binary.AppendUvarint(p, x) }
func (p payload) str(s string) payload     { return append(p.uvarint(uint64(len(s))), s...) }
func (p payload) bytes(b []byte) payload   { return append(p, b...) }

// cursor reads record payloads; the first failure sticks.
type cursor struct {
	b   []byte
	i   int
	err error
}

func (c *cursor) fail(what string) {
	if c.err == nil {
		c.err = fmt.Errorf("payload byte %d: bad %s", c.i, what)
	}
}

func (c *cursor) varint() int64 {
	if c.err != nil {
		return 0
	}
	x, n := binary.Varint(c.b[c.i:])
	if n <= 0 {
		c.fail("varint")
		return 0
	}
	c.i += n
	return x
}

func (c *cursor) uvarint() uint64 {
	if c.err != nil {
		return 0
	}
	x, n := binary.Uvarint(c.b[c.i:])
	if n <= 0 {
		c.fail("uvarint")
		return 0
	}
	c.i += n
	return x
}

func (c *cursor) str() string {
	n := c.uvarint()
	if c.err != nil {
		return ""
	}
	if n > uint64(len(c.b)-c.i) {
		c.fail("string length")
		return ""
	}
	s := string(c.b[c.i : c.i+int(n)])
	c.i += int(n)
	return s
}

func (c *cursor) byte1() byte {
	if c.err != nil {
		return 0
	}
	if c.i >= len(c.b) {
		c.fail("byte")
		return 0
	}
	c.i++
	return c.b[c.i-1]
}

// rest returns the remaining bytes (aliasing the payload).
func (c *cursor) rest() []byte {
	if c.err != nil {
		return nil
	}
	r := c.b[c.i:]
	c.i = len(c.b)
	return r
}
