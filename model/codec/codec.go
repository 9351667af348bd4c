// Package codec turns the bytes of a znode into a value: it recognises the
// format Onyx used (Nippy with or without LZ4 for 0.6.0+, Fressian for 0.5,
// EDN text for dumps and tests) and hands the bytes to the matching package
// (model/codec/nippy, model/codec/fressian, model/codec/edn).
//
// Every decoding failure comes back as a *DecodeError naming the format and the
// byte offset; callers branch with errors.Is on ErrUnknownFormat, ErrTruncated
// and ErrUnsupported. The package does no I/O and imports no UI.
package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/codec/fressian"
	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/value"
)

// Format is a byte format of a znode payload.
type Format int

const (
	Unknown  Format = iota // empty or blank input
	Nippy                  // "NPY" and a meta byte other than 8
	NippyLZ4               // "NPY", meta byte 8: an LZ4 block follows
	Fressian               // anything else that is not EDN text
	EDN                    // printable UTF-8 text starting like an EDN form
)

func (f Format) String() string {
	switch f {
	case Nippy:
		return "nippy"
	case NippyLZ4:
		return "nippy+lz4"
	case Fressian:
		return "fressian"
	case EDN:
		return "edn"
	}
	return "unknown"
}

// Sentinels wrapped by DecodeError. ErrTruncated is io.ErrUnexpectedEOF and
// ErrUnsupported is errors.ErrUnsupported, so the codec packages can wrap them
// without importing this one.
var (
	// ErrUnknownFormat: the bytes are empty or blank, so no format applies.
	ErrUnknownFormat = errors.New("codec: unknown format")
	// ErrTruncated: the input ends inside a value.
	ErrTruncated = io.ErrUnexpectedEOF
	// ErrUnsupported: valid in its format, but not something we read
	// (encrypted or Snappy Nippy, a deftype, an unknown custom type).
	ErrUnsupported = errors.ErrUnsupported
)

// DecodeError is a failure to decode, at a byte offset. For an LZ4-compressed
// Nippy payload the offset counts in the decompressed body (InLZ4Body).
type DecodeError struct {
	Format    string // "nippy", "fressian", "edn" or "unknown"
	Offset    int64
	InLZ4Body bool
	Msg       string // what was wrong or expected
	Err       error  // a sentinel above and/or the codec package's own error
}

func (e *DecodeError) Error() string {
	if e.InLZ4Body {
		return fmt.Sprintf("%s: lz4 body offset %d: %s", e.Format, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s: offset %d: %s", e.Format, e.Offset, e.Msg)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Sniff guesses the format of b from its first bytes: "NPY" is Nippy (LZ4
// when the meta byte is 8); printable UTF-8 whose first non-blank character
// can start an EDN form is EDN; blank input is Unknown; anything else is
// Fressian (0.5 maps start 0xC0, and its zero padding is not text).
func Sniff(b []byte) Format {
	if len(b) == 0 {
		return Unknown
	}
	if bytes.HasPrefix(b, []byte("NPY")) {
		if len(b) > 3 && b[3] == 8 {
			return NippyLZ4
		}
		return Nippy
	}
	switch looksLikeEDN(b) {
	case blank:
		return Unknown
	case text:
		return EDN
	}
	return Fressian
}

type textKind int

const (
	binary textKind = iota
	blank
	text
)

func looksLikeEDN(b []byte) textKind {
	if !utf8.Valid(b) {
		return binary
	}
	first := rune(-1)
	for _, r := range string(b) {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == ',':
			continue
		case !unicode.IsPrint(r):
			return binary
		case first < 0:
			first = r
		}
	}
	switch {
	case first < 0:
		return blank
	case first < utf8.RuneSelf && bytes.ContainsRune([]byte(`{[(#:"\;-+*!?_.<>=&%'`), first),
		unicode.IsLetter(first), unicode.IsDigit(first):
		return text
	}
	return binary
}

// Decode detects the format of b and decodes one value. Fressian input must
// be one value followed only by zero padding.
func Decode(b []byte) (value.Value, Format, error) {
	f := Sniff(b)
	switch f {
	case Nippy, NippyLZ4:
		v, err := nippy.Decode(b)
		return v, f, wrap(f, err)
	case Fressian:
		v, n, err := fressian.Decode(b)
		if err != nil {
			return nil, f, wrap(f, err)
		}
		for i := n; i < len(b); i++ {
			if b[i] != 0 {
				return nil, f, &DecodeError{Format: "fressian", Offset: int64(i),
					Msg: fmt.Sprintf("byte %#02x after the value, want only zero padding", b[i])}
			}
		}
		return v, f, nil
	case EDN:
		v, err := edn.Read(b)
		return v, f, wrap(f, err)
	}
	return nil, f, &DecodeError{Format: "unknown", Msg: "empty or blank input, want Nippy, Fressian or EDN", Err: ErrUnknownFormat}
}

// offsetter and offsetMethod are errors of other codecs that know their
// byte offset.
type (
	offsetter    interface{ ByteOffset() int64 }
	offsetMethod interface{ Offset() int64 }
)

// wrap turns a codec package's error into a *DecodeError.
func wrap(f Format, err error) error {
	if err == nil {
		return nil
	}
	var ne *nippy.Error
	var fe *fressian.DecodeError
	var se *edn.SyntaxError
	var oe offsetter
	var om offsetMethod
	switch {
	case errors.As(err, &ne):
		return &DecodeError{Format: "nippy", Offset: ne.Offset, InLZ4Body: ne.InBody, Msg: ne.Msg, Err: ne.Err}
	case errors.As(err, &fe):
		cause := error(fe)
		if errors.Is(fe, fressian.ErrTruncated) {
			cause = errors.Join(ErrTruncated, fe)
		}
		return &DecodeError{Format: "fressian", Offset: fe.Offset, Msg: fe.Msg, Err: cause}
	case errors.As(err, &se):
		return &DecodeError{Format: "edn", Offset: se.Offset, Msg: fmt.Sprintf("line %d, col %d: %s", se.Line, se.Col, se.Msg), Err: se}
	case errors.As(err, &oe):
		return &DecodeError{Format: formatName(f), Offset: oe.ByteOffset(), Msg: err.Error(), Err: err}
	case errors.As(err, &om):
		return &DecodeError{Format: formatName(f), Offset: om.Offset(), Msg: err.Error(), Err: err}
	}
	return &DecodeError{Format: formatName(f), Msg: err.Error(), Err: err}
}

func formatName(f Format) string {
	if f == NippyLZ4 {
		return "nippy"
	}
	return f.String()
}
