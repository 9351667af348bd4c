package edn

import (
	"sync"
	"unicode/utf8"

	"onyx-dashboard/model/value"
)

// delim marks the bytes that end a symbol or keyword token: whitespace and
// Clojure's terminating macro characters. numDelim adds the other macro
// characters (# ' %), which end a number but may sit inside a symbol.
var delim, numDelim [256]bool

func init() {
	for c := 0; c < 256; c++ {
		delim[c] = isSpace(byte(c))
	}
	for _, c := range "\";@^`~()[]{}\\" {
		delim[c] = true
	}
	numDelim = delim
	for _, c := range "#'%" {
		numDelim[c] = true
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// token returns the end of the token starting at data[i]. A token that runs
// to the end of data may continue in input not read yet, so it sets p.short.
func (p *parser) token(i int, stop *[256]bool) int {
	for i < len(p.data) && !stop[p.data[i]] {
		i++
	}
	if i == len(p.data) {
		p.short = true
	}
	return i
}

// names caches interned keywords and symbols by their token text, so reading
// a known one allocates nothing. It stops growing at namesMax entries.
var names = struct {
	sync.RWMutex
	kw, sym map[string]value.Value
}{kw: map[string]value.Value{}, sym: map[string]value.Value{}}

const namesMax = 1 << 16

// validName checks a symbol token the way Clojure's matchSymbol does, and
// reports where its namespace ends (-1: none).
func validName(t []byte) (slash int, ok bool) {
	if len(t) > 0 && isDigit(t[0]) {
		return -1, false
	}
	slash, ok = validKeywordName(t)
	if ok && slash > 0 && isDigit(t[slash+1]) {
		return -1, false
	}
	return slash, ok
}

// validKeywordName is validName for a keyword without its colon: matchSymbol's
// pattern lets a keyword's name start with a digit (:1 is a keyword). We also
// accept :ns/1, which Clojure rejects but makes itself from #:ns{:1 …}.
func validKeywordName(t []byte) (slash int, ok bool) {
	if len(t) == 0 || t[len(t)-1] == ':' || !utf8.Valid(t) {
		return -1, false
	}
	if len(t) == 1 && t[0] == '/' {
		return -1, true
	}
	slash = -1
	for i, c := range t {
		if c == ':' && i+1 < len(t) && t[i+1] == ':' {
			return -1, false
		}
		if c == '/' && slash < 0 {
			slash = i
		}
	}
	if slash == 0 || slash == len(t)-1 || slash > 0 && t[slash-1] == ':' {
		return -1, false
	}
	return slash, true
}

func (p *parser) readKeyword() (value.Value, error) {
	start := p.pos
	end := p.token(start+1, &delim)
	t := p.data[start+1 : end]
	if len(t) > 0 && t[0] == ':' {
		return nil, p.fail(start, "auto-resolved keyword %s is not supported", p.data[start:end])
	}
	names.RLock()
	v, ok := names.kw[string(t)]
	names.RUnlock()
	if !ok {
		slash, valid := validKeywordName(t)
		if !valid || len(t) == 1 && t[0] == '/' {
			return nil, p.fail(start, "invalid keyword %q", p.data[start:end])
		}
		if slash < 0 {
			v = value.NSKw("", string(t))
		} else {
			v = value.NSKw(string(t[:slash]), string(t[slash+1:]))
		}
		remember(names.kw, string(t), v)
	}
	p.pos = end
	return v, nil
}

func remember(m map[string]value.Value, k string, v value.Value) {
	names.Lock()
	if len(m) < namesMax {
		m[k] = v
	}
	names.Unlock()
}

// readSymbol reads a symbol, nil, true or false.
func (p *parser) readSymbol() (value.Value, error) {
	start := p.pos
	end := p.token(start, &delim)
	if end == start {
		return nil, p.fail(start, "unexpected %s", describe(p.data, start))
	}
	t := p.data[start:end]
	p.pos = end
	switch string(t) {
	case "nil":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return p.symbol(start, t)
}

func (p *parser) symbol(start int, t []byte) (value.Value, error) {
	names.RLock()
	v, ok := names.sym[string(t)]
	names.RUnlock()
	if ok {
		return v, nil
	}
	slash, valid := validName(t)
	if !valid {
		return nil, p.fail(start, "invalid symbol %q", t)
	}
	if slash < 0 {
		v = value.NSSym("", string(t))
	} else {
		v = value.NSSym(string(t[:slash]), string(t[slash+1:]))
	}
	remember(names.sym, string(t), v)
	return v, nil
}

// readString reads "…" with Clojure's escapes: \t \r \n \\ \" \b \f, \uXXXX
// (surrogate pairs joined) and octal \0–\377.
func (p *parser) readString() (value.Value, error) {
	start := p.pos
	i := start + 1
	ascii := true
	for ; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			s := p.data[start+1 : i]
			if !ascii && !utf8.Valid(s) {
				return nil, p.fail(start, "invalid UTF-8 in string")
			}
			p.pos = i + 1
			return string(s), nil
		}
		if c == '\\' {
			return p.readEscapedString(start)
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return nil, p.eof(start, "string")
}

func (p *parser) readEscapedString(start int) (value.Value, error) {
	buf := make([]byte, 0, 32)
	var high rune // a pending high surrogate from \uD8xx
	flush := func() {
		if high != 0 {
			buf = utf8.AppendRune(buf, utf8.RuneError)
			high = 0
		}
	}
	i := start + 1
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			flush()
			if !utf8.Valid(buf) {
				return nil, p.fail(start, "invalid UTF-8 in string")
			}
			p.pos = i + 1
			return string(buf), nil
		case c != '\\':
			flush()
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(p.data) {
			break
		}
		e := p.data[i+1]
		i += 2
		if e == 'u' {
			r, ok := hex4(p.data, i)
			if !ok {
				if i+4 > len(p.data) && allHex(p.data[i:]) {
					break
				}
				return nil, p.fail(i-2, "invalid unicode escape in string")
			}
			i += 4
			switch {
			case r >= 0xD800 && r < 0xDC00:
				flush()
				high = r
			case r >= 0xDC00 && r < 0xE000 && high != 0:
				buf = utf8.AppendRune(buf, 0x10000+(high-0xD800)<<10+(r-0xDC00))
				high = 0
			default:
				flush()
				buf = utf8.AppendRune(buf, r)
			}
			continue
		}
		flush()
		switch e {
		case 't':
			buf = append(buf, '\t')
		case 'r':
			buf = append(buf, '\r')
		case 'n':
			buf = append(buf, '\n')
		case '\\':
			buf = append(buf, '\\')
		case '"':
			buf = append(buf, '"')
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		default:
			if e < '0' || e > '7' {
				return nil, p.fail(i-2, "unsupported escape character \\%s in string", describe(p.data, i-1))
			}
			r := rune(e - '0')
			for n := 1; n < 3 && i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '7'; n++ {
				r = r*8 + rune(p.data[i]-'0')
				i++
			}
			if r > 0377 {
				return nil, p.fail(i, "octal escape sequence must be in range [0, 377]")
			}
			buf = utf8.AppendRune(buf, r)
		}
	}
	return nil, p.eof(start, "string")
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		d := hexVal(c)
		if d < 0 {
			return 0, false
		}
		r = r<<4 | d
	}
	return r, true
}

func allHex(b []byte) bool {
	for _, c := range b {
		if hexVal(c) < 0 {
			return false
		}
	}
	return true
}

var charNames = map[string]value.Char{
	"newline": '\n', "space": ' ', "tab": '\t', "backspace": '\b', "formfeed": '\f', "return": '\r',
}

// readChar reads \c, \newline … \return, \uXXXX and \oNNN. The character after
// the backslash always belongs to the token, so \( and \, are characters.
func (p *parser) readChar() (value.Value, error) {
	start := p.pos
	if start+1 >= len(p.data) {
		return nil, p.eof(start, "character")
	}
	if !utf8.FullRune(p.data[start+1:]) {
		return nil, p.eof(start, "character")
	}
	r, n := utf8.DecodeRune(p.data[start+1:])
	if r == utf8.RuneError && n <= 1 {
		return nil, p.fail(start+1, "invalid UTF-8 in character")
	}
	end := p.token(start+1+n, &delim)
	t := p.data[start+1 : end]
	p.pos = end
	if len(t) == n {
		return value.Char(r), nil
	}
	if c, ok := charNames[string(t)]; ok {
		return c, nil
	}
	switch {
	case t[0] == 'u' && len(t) == 5:
		if r, ok := hex4(t, 1); ok {
			if r >= 0xD800 && r <= 0xDFFF {
				return nil, p.fail(start, "invalid character constant \\%s", t)
			}
			return value.Char(r), nil
		}
	case t[0] == 'o' && len(t) >= 2 && len(t) <= 4:
		var r rune
		for _, c := range t[1:] {
			if c < '0' || c > '7' {
				return nil, p.fail(start, "invalid digit in octal character \\%s", t)
			}
			r = r*8 + rune(c-'0')
		}
		if r > 0377 {
			return nil, p.fail(start, "octal character \\%s must be in range [0, 377]", t)
		}
		return value.Char(r), nil
	}
	return nil, p.fail(start, "unsupported character \\%s", t)
}
