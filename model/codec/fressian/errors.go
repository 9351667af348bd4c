package fressian

import (
	"errors"
	"fmt"
)

// ErrTruncated is wrapped by every DecodeError caused by input that ends inside
// a value.
var ErrTruncated = errors.New("unexpected end of input")

// DecodeError reports bytes that cannot be decoded: the offset of the byte where
// the problem was found (counted from the start of the input) and what was wrong.
type DecodeError struct {
	Offset int64
	Msg    string
	Err    error // ErrTruncated, or nil
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("fressian: offset %d: %s", e.Offset, e.Msg)
}

// ByteOffset returns Offset; it lets callers ask any codec's error for its
// position through one interface (a method cannot share the field's name).
func (e *DecodeError) ByteOffset() int64 { return e.Offset }

func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError reports a value Encode cannot write.
type EncodeError struct {
	Msg string
}

func (e *EncodeError) Error() string { return "fressian: encode: " + e.Msg }
