package edn

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// SyntaxError reports EDN text that cannot be read: where (byte offset, and
// 1-based line and column counted in characters) and what was wrong.
type SyntaxError struct {
	Offset    int64
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("edn: line %d, col %d (offset %d): %s", e.Line, e.Col, e.Offset, e.Msg)
}

// position is where a parser's buffer starts in the whole input.
type position struct {
	offset    int64
	line, col int // of data[0], 1-based
}

// advance returns the position just after b, which starts at pos.
func (pos position) advance(b []byte) position {
	pos.offset += int64(len(b))
	if last := bytes.LastIndexByte(b, '\n'); last >= 0 {
		pos.line += bytes.Count(b, []byte{'\n'})
		pos.col = 1 + utf8.RuneCount(b[last+1:])
	} else {
		pos.col += utf8.RuneCount(b)
	}
	return pos
}

// describe names the byte at data[i] for an error message.
func describe(data []byte, i int) string {
	if i >= len(data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(data[i:])
	switch {
	case r == utf8.RuneError:
		return fmt.Sprintf("byte 0x%02x", data[i])
	case r < ' ' || r == 0x7f:
		return fmt.Sprintf("%U", r)
	}
	return fmt.Sprintf("'%c'", r)
}
