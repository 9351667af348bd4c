package nippy

import (
	"errors"
	"fmt"
	"io"
)

// Error is a decoding failure at a byte offset. Offset counts from the first
// byte of the frame ("NPY"), except when InBody is set: then it counts in the
// decompressed LZ4 body, which is what a reader of a hex dump of the
// decompressed bytes needs.
//
// Err is a sentinel callers can test with errors.Is: io.ErrUnexpectedEOF for
// truncated input, errors.ErrUnsupported for valid Nippy this package does not
// read (encryption, deftypes, unknown custom types), ErrCorrupt otherwise.
type Error struct {
	Offset int64
	InBody bool // Offset is in the decompressed LZ4 body
	Msg    string
	Err    error
}

// ErrCorrupt reports bytes that are not valid Nippy (an unknown type id, bad
// UTF-8, a corrupted LZ4 block, a negative count).
var ErrCorrupt = errors.New("corrupt input")

func (e *Error) Error() string {
	if e.InBody {
		return fmt.Sprintf("nippy: lz4 body offset %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("nippy: offset %d: %s", e.Offset, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Where is Offset as the phrase used in messages ("offset 12" or
// "lz4 body offset 12").
func (e *Error) Where() string {
	if e.InBody {
		return fmt.Sprintf("lz4 body offset %d", e.Offset)
	}
	return fmt.Sprintf("offset %d", e.Offset)
}

// errTruncated is the sentinel of truncated input.
var errTruncated = io.ErrUnexpectedEOF
