package edn

import (
	"fmt"
	"sync"

	"onyx-dashboard/model/value"
)

// MaxDepth is how deeply collections, tags, metadata and discards may nest;
// deeper input is an error rather than a stack that grows without bound.
const MaxDepth = 10000

// Read reads exactly one form from b; whitespace, commas, comments and #_
// discards may follow it, anything else is an error.
func Read(b []byte) (value.Value, error) {
	p := newParser(b)
	defer p.release()
	if !p.skipSpace() {
		if p.err != nil {
			return nil, p.err
		}
		return nil, p.fail(p.pos, "unexpected end of input, want a form")
	}
	v, err := p.read()
	if err != nil {
		return nil, err
	}
	if p.skipSpace() {
		return nil, p.fail(p.pos, "unexpected %s after the form", describe(p.data, p.pos))
	}
	if p.err != nil {
		return nil, p.err
	}
	return v, nil
}

// ReadAll reads every top-level form in b.
func ReadAll(b []byte) ([]value.Value, error) {
	p := newParser(b)
	defer p.release()
	var out []value.Value
	for p.skipSpace() {
		v, err := p.read()
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, p.err
}

// parser reads forms from data. It never panics and never recurses deeper
// than MaxDepth.
type parser struct {
	data  []byte
	pos   int
	depth int
	base  position
	stack []value.Value // items of the collections being read, innermost last
	err   error         // an error met while skipping (a bad #_ form)
	// short is set when reading failed because data ended inside a form.
	short bool
}

// parsers keeps parsers, with their grown stacks, between calls of Read.
var parsers = sync.Pool{New: func() any { return new(parser) }}

func newParser(b []byte) *parser {
	p := parsers.Get().(*parser)
	*p = parser{data: b, base: position{line: 1, col: 1}, stack: p.stack[:0]}
	return p
}

// release returns p to the pool. Slots past len(p.stack) were cleared as each
// collection was popped; items left by an error are cleared here, and a stack
// grown huge is dropped.
func (p *parser) release() {
	clear(p.stack)
	if cap(p.stack) > 1<<16 {
		p.stack = nil
	}
	*p = parser{stack: p.stack[:0]}
	parsers.Put(p)
}

// fail makes a *SyntaxError at data[i].
func (p *parser) fail(i int, format string, args ...any) error {
	if i > len(p.data) {
		i = len(p.data)
	}
	at := p.base.advance(p.data[:i])
	return &SyntaxError{Offset: at.offset, Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, args...)}
}

// eof reports data ending inside a form that started at data[start].
func (p *parser) eof(start int, what string) error {
	p.short = true
	return p.fail(len(p.data), "unexpected end of input in %s starting at offset %d", what, p.base.offset+int64(start))
}

// isSpace reports the bytes Clojure's reader skips: Java whitespace in ASCII
// and the comma.
func isSpace(c byte) bool {
	return c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || (c >= 0x1c && c <= 0x1f)
}

// skipSpace skips whitespace, comments (; and #!) and #_ discards; it reports
// whether a form follows. A bad discarded form sets p.err and reports false.
func (p *parser) skipSpace() bool {
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case isSpace(c):
			p.pos++
		case c == ';' || (c == '#' && p.pos+1 < len(p.data) && p.data[p.pos+1] == '!'):
			for p.pos < len(p.data) && p.data[p.pos] != '\n' {
				p.pos++
			}
		case c == '#' && p.pos+1 < len(p.data) && p.data[p.pos+1] == '_':
			start := p.pos
			p.pos += 2
			if !p.discard(start) {
				return false
			}
		default:
			return true
		}
	}
	return false
}

// discard reads and drops the form after #_ at data[start].
func (p *parser) discard(start int) bool {
	if err := p.enter(start); err != nil {
		p.err = err
		return false
	}
	defer func() { p.depth-- }()
	if !p.skipSpace() {
		if p.err == nil {
			p.err = p.eof(start, "#_ discard")
		}
		return false
	}
	if _, err := p.read(); err != nil {
		p.err = err
		return false
	}
	return true
}

// read reads the form at p.pos, which skipSpace found.
func (p *parser) read() (value.Value, error) {
	c := p.data[p.pos]
	switch c {
	case '(', '[', '{':
		return p.readColl(c)
	case ')', ']', '}':
		return nil, p.fail(p.pos, "unexpected '%c'", c)
	case '"':
		return p.readString()
	case ':':
		return p.readKeyword()
	case '\\':
		return p.readChar()
	case '#':
		return p.readDispatch()
	case '^':
		return p.readMeta()
	case '\'', '@', '`', '~':
		return nil, p.fail(p.pos, "unsupported reader macro '%c'", c)
	}
	if c >= '0' && c <= '9' || (c == '+' || c == '-') && p.pos+1 < len(p.data) && isDigit(p.data[p.pos+1]) {
		return p.readNumber()
	}
	return p.readSymbol()
}

// enter counts one level of nesting that starts at data[start].
func (p *parser) enter(start int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail(start, "nesting deeper than %d", MaxDepth)
	}
	return nil
}

// readItems reads forms up to the closing byte, pushing them on p.stack from
// index mark on.
func (p *parser) readItems(start int, closing byte, what string) (mark int, err error) {
	if err := p.enter(start); err != nil {
		return 0, err
	}
	defer func() { p.depth-- }()
	mark = len(p.stack)
	for {
		if !p.skipSpace() {
			if p.err != nil {
				return mark, p.err
			}
			return mark, p.eof(start, what)
		}
		c := p.data[p.pos]
		if c == closing {
			p.pos++
			return mark, nil
		}
		v, err := p.read()
		if err != nil {
			return mark, err
		}
		p.stack = append(p.stack, v)
	}
}

func (p *parser) readColl(open byte) (value.Value, error) {
	start := p.pos
	p.pos++
	switch open {
	case '(':
		mark, err := p.readItems(start, ')', "list")
		if err != nil {
			return nil, err
		}
		return value.List(p.pop(mark)), nil
	case '[':
		mark, err := p.readItems(start, ']', "vector")
		if err != nil {
			return nil, err
		}
		return value.Vector(p.pop(mark)), nil
	}
	mark, err := p.readItems(start, '}', "map")
	if err != nil {
		return nil, err
	}
	return p.makeMap(start, mark, nil)
}

// pop removes the items from mark on and returns them in a new slice.
func (p *parser) pop(mark int) []value.Value {
	items := make([]value.Value, len(p.stack)-mark)
	copy(items, p.stack[mark:])
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	return items
}

// makeMap builds a map from the items from mark on, as Clojure's reader does
// (RT.map: up to eight entries in order, more in hash order); rekey, if not
// nil, rewrites each key (#:ns{} maps).
func (p *parser) makeMap(start, mark int, rekey func(value.Value) value.Value) (value.Value, error) {
	kvs := p.stack[mark:]
	defer func() {
		clear(p.stack[mark:])
		p.stack = p.stack[:mark]
	}()
	if len(kvs)%2 != 0 {
		return nil, p.fail(start, "map literal must contain an even number of forms, has %d", len(kvs))
	}
	if rekey != nil {
		for i := 0; i < len(kvs); i += 2 {
			kvs[i] = rekey(kvs[i])
		}
	}
	m := value.NewMap(kvs...)
	if m.Len()*2 != len(kvs) {
		return nil, p.fail(start, "duplicate key %s in map", value.PrStr(kvs[firstRepeat(kvs, 2)]))
	}
	return m, nil
}

func (p *parser) readSet(start int) (value.Value, error) {
	mark, err := p.readItems(start, '}', "set")
	if err != nil {
		return nil, err
	}
	items := p.stack[mark:]
	s := value.NewSet(items...)
	var dup string
	if s.Len() != len(items) {
		dup = value.PrStr(items[firstRepeat(items, 1)])
	}
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	if dup != "" {
		return nil, p.fail(start, "duplicate key %s in set", dup)
	}
	return s, nil
}

// firstRepeat returns the index of the first of every step-th item that
// equals an earlier one (the caller knows there is one), bucketing by hash so
// that a long collection is not compared pairwise.
func firstRepeat(items []value.Value, step int) int {
	seen := make(map[int32][]int)
	for i := 0; i < len(items); i += step {
		h := value.Hash(items[i])
		for _, j := range seen[h] {
			if value.Equal(items[j], items[i]) {
				return i
			}
		}
		seen[h] = append(seen[h], i)
	}
	return 0
}

// readMeta reads ^meta form and drops the metadata, as pr-str does not print it.
func (p *parser) readMeta() (value.Value, error) {
	start := p.pos
	p.pos++
	return p.readMetaBody(start)
}

func (p *parser) readMetaBody(start int) (value.Value, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	for i := 0; i < 2; i++ { // the metadata, then the form it applies to
		if !p.skipSpace() {
			if p.err != nil {
				return nil, p.err
			}
			return nil, p.eof(start, "metadata")
		}
		v, err := p.read()
		if err != nil {
			return nil, err
		}
		if i == 1 {
			return v, nil
		}
		switch v.(type) {
		case *value.Map, value.Keyword, value.Symbol, string:
		default:
			return nil, p.fail(start, "metadata must be a map, keyword, symbol or string, got %s", value.TypeName(v))
		}
	}
	return nil, nil
}
