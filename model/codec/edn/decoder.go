package edn

import (
	"errors"
	"io"

	"onyx-dashboard/model/value"
)

// Decoder reads a stream of top-level forms from an io.Reader. It buffers:
// a form is parsed once the buffer holds all of it (and the byte after it, so
// a number or symbol cut by a read boundary is never taken for a whole one).
type Decoder struct {
	r     io.Reader
	buf   []byte // unread input; buf[0] is at pos
	pos   position
	final bool // r is exhausted
	err   error
	stack []value.Value
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r, pos: position{line: 1, col: 1}}
}

const minRead = 32 << 10

// Decode returns the next form, or io.EOF after the last one. After a syntax
// error it keeps returning that error.
func (d *Decoder) Decode() (value.Value, error) {
	if d.err != nil {
		return nil, d.err
	}
	for {
		p := &parser{data: d.buf, base: d.pos, stack: d.stack}
		more := p.skipSpace()
		if p.err == nil && !more {
			if d.final {
				d.err = io.EOF
				return nil, io.EOF
			}
			d.consume(p.pos) // drop whitespace and comments already read
			if err := d.fill(); err != nil {
				return nil, err
			}
			continue
		}
		var v value.Value
		err := p.err
		if err == nil {
			v, err = p.read()
		}
		d.stack = p.stack[:0]
		if (p.short || p.pos >= len(d.buf)) && !d.final {
			if err := d.fill(); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			d.err = err
			return nil, err
		}
		d.consume(p.pos)
		return v, nil
	}
}

// consume drops the first n bytes of the buffer.
func (d *Decoder) consume(n int) {
	d.pos = d.pos.advance(d.buf[:n])
	d.buf = d.buf[n:]
}

// fill reads more input: at least as many bytes as the buffer holds (or to the
// end of input), so a form split over many reads is parsed only O(log n) times
// and O(n) bytes of parsing are spent on it. The cost is that a Decoder waits
// for that much input before it retries a partial form: it suits files and
// logs, not an interactive stream.
func (d *Decoder) fill() error {
	want := max(1, len(d.buf))
	if cap(d.buf)-len(d.buf) < max(want, minRead) {
		nb := make([]byte, len(d.buf), len(d.buf)+max(want, minRead))
		copy(nb, d.buf)
		d.buf = nb
	}
	for added, empty := 0, 0; added < want; {
		n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+n]
		added += n
		if n == 0 && err == nil {
			if empty++; empty >= 100 {
				err = io.ErrNoProgress
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			d.final = true
			return nil
		case err != nil:
			d.err = err
			return err
		}
	}
	return nil
}
