package nippy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/pierrec/lz4/v4"

	"onyx-dashboard/model/value"
)

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
// Onyx's deepest values (replicas) nest about six levels.
const maxDepth = 512

// headerLen is "NPY" plus the meta byte.
const headerLen = 4

// Decode reads one whole Nippy frame: header, meta byte and one value, which
// must use every byte of the body. With meta byte 8 the body is a 4-byte
// big-endian uncompressed length and one raw LZ4 block; error offsets then
// count in the decompressed body (the message says "lz4 body offset").
func Decode(b []byte) (value.Value, error) {
	if len(b) < 3 || b[0] != 'N' || b[1] != 'P' || b[2] != 'Y' {
		if len(b) < 3 && string(b) == "NPY"[:len(b)] {
			return nil, &Error{Offset: int64(len(b)), Msg: "truncated header: want \"NPY\" and a meta byte", Err: errTruncated}
		}
		return nil, &Error{Offset: 0, Msg: "no \"NPY\" header", Err: ErrCorrupt}
	}
	if len(b) < headerLen {
		return nil, &Error{Offset: 3, Msg: "truncated header: want a meta byte", Err: errTruncated}
	}
	switch meta := b[3]; meta {
	case metaPlain:
		return decode(b[headerLen:], headerLen, false)
	case metaLZ4:
		// The decoded value never points into the body (strings, bytes and
		// serialized objects are copied out), so the body's buffer is reused.
		bp := bodies.Get().(*[]byte)
		body, err := decompressLZ4(*bp, b[headerLen:], headerLen)
		if err != nil {
			bodies.Put(bp)
			return nil, err
		}
		v, err := decode(body, 0, true)
		if cap(body) <= maxPooledBody {
			*bp = body[:0]
			bodies.Put(bp)
		}
		return v, err
	default:
		what := metaNames[meta]
		if what == "" {
			what = "unknown"
		}
		return nil, &Error{Offset: 3, Msg: fmt.Sprintf("unsupported compression/encryption (meta byte %d: %s)", meta, what), Err: errors.ErrUnsupported}
	}
}

// DecodeBody reads one value from a Nippy body without header (what follows
// the meta byte 0, or a decompressed LZ4 body); offsets count from b[0].
func DecodeBody(b []byte) (value.Value, error) {
	return decode(b, 0, false)
}

// DecompressLZ4 reads the LZ4 form of a body: a 4-byte big-endian length and
// one raw LZ4 block. base is the offset of p in the frame, for errors.
func DecompressLZ4(p []byte, base int64) ([]byte, error) {
	return decompressLZ4(nil, p, base)
}

// bodies recycles decompressed bodies of up to maxPooledBody bytes.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBody = 1 << 20

// decompressLZ4 is DecompressLZ4 into buf when it is large enough.
func decompressLZ4(buf, p []byte, base int64) ([]byte, error) {
	if len(p) < 4 {
		return nil, &Error{Offset: base + int64(len(p)), Msg: "truncated lz4 body: want a 4-byte uncompressed length", Err: errTruncated}
	}
	n := uint64(binary.BigEndian.Uint32(p))
	block := p[4:]
	// An LZ4 block expands at most about 255-fold (a run of 255-bytes in
	// match lengths), so a larger claim is a lie we must not allocate for.
	if n == 0 || n > 255*uint64(len(block))+16 {
		return nil, &Error{Offset: base, Msg: fmt.Sprintf("lz4 uncompressed length %d is impossible for a %d-byte block", n, len(block)), Err: ErrCorrupt}
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	out := buf[:n]
	got, err := lz4.UncompressBlock(block, out)
	if err != nil {
		return nil, &Error{Offset: base + 4, Msg: fmt.Sprintf("corrupted lz4 block: %v", err), Err: ErrCorrupt}
	}
	if uint64(got) != n {
		return nil, &Error{Offset: base + 4, Msg: fmt.Sprintf("corrupted lz4 block: it holds %d bytes, the header says %d", got, n), Err: ErrCorrupt}
	}
	return out, nil
}
