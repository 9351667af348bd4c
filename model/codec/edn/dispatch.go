package edn

import (
	"encoding/base64"
	"math"

	"onyx-dashboard/model/value"
)

// readDispatch reads what follows '#': a set, a symbolic value (##Inf), a
// namespaced map, metadata (#^) or a tagged literal.
func (p *parser) readDispatch() (value.Value, error) {
	start := p.pos
	if start+1 >= len(p.data) {
		return nil, p.eof(start, "dispatch macro")
	}
	c := p.data[start+1]
	switch c {
	case '{':
		p.pos += 2
		return p.readSet(start)
	case '#':
		return p.readSymbolic(start)
	case ':':
		return p.readNamespacedMap(start)
	case '^':
		p.pos += 2
		return p.readMetaBody(start)
	case '"':
		return nil, p.fail(start, "regular expressions (#\"…\") are not supported")
	case '(', '\'', '=', '?', '<', '%':
		return nil, p.fail(start, "unsupported reader macro #%c", c)
	}
	end := p.token(start+1, &delim)
	if end == start+1 {
		return nil, p.fail(start, "unexpected %s after '#'", describe(p.data, end))
	}
	t := p.data[start+1 : end]
	var tag string
	switch string(t) { // the common tags without a check or a new string
	case "uuid":
		tag = "uuid"
	case "inst":
		tag = "inst"
	default:
		if _, ok := validName(t); !ok {
			return nil, p.fail(start, "invalid tag #%s", t)
		}
		tag = string(t)
	}
	p.pos = end
	return p.readTagged(start, tag)
}

func (p *parser) readSymbolic(start int) (value.Value, error) {
	end := p.token(start+2, &delim)
	t := p.data[start+2 : end]
	p.pos = end
	switch string(t) {
	case "Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	return nil, p.fail(start, "unknown symbolic value ##%s", t)
}

// readTagged reads the form after #tag: #uuid and #inst become UUID and Inst,
// #bytes "base64" becomes Bytes (our printed form of a byte array), any other
// tag is kept as value.Tagged.
func (p *parser) readTagged(start int, tag string) (value.Value, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if !p.skipSpace() {
		if p.err != nil {
			return nil, p.err
		}
		return nil, p.eof(start, "tagged literal #"+tag)
	}
	formAt := p.pos
	if tag == "uuid" {
		if u, ok := p.quickUUID(); ok {
			return u, nil
		}
	}
	v, err := p.read()
	if err != nil {
		return nil, err
	}
	switch tag {
	case "uuid":
		s, ok := v.(string)
		if !ok {
			return nil, p.fail(formAt, "#uuid wants a string, got %s", value.TypeName(v))
		}
		u, err := value.ParseUUID(s)
		if err != nil {
			return nil, p.fail(formAt, "%v", err)
		}
		return u, nil
	case "inst":
		s, ok := v.(string)
		if !ok {
			return nil, p.fail(formAt, "#inst wants a string, got %s", value.TypeName(v))
		}
		t, err := parseInst(s)
		if err != nil {
			return nil, p.fail(formAt, "%v", err)
		}
		return t, nil
	case "bytes":
		s, ok := v.(string)
		if !ok {
			return nil, p.fail(formAt, "#bytes wants a string, got %s", value.TypeName(v))
		}
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, p.fail(formAt, "#bytes: invalid base64: %v", err)
		}
		return value.Bytes(b), nil
	}
	return value.Tagged{Tag: tag, Value: v}, nil
}

// readNamespacedMap reads #:ns{…}: keywords and symbols without a namespace
// get ns, those in the namespace _ lose theirs (Clojure 1.9+).
func (p *parser) readNamespacedMap(start int) (value.Value, error) {
	end := p.token(start+2, &delim)
	ns := p.data[start+2 : end]
	if len(ns) == 0 || ns[0] == ':' {
		return nil, p.fail(start, "namespaced map must name a namespace (#::{} is not supported)")
	}
	if slash, ok := validName(ns); !ok || slash >= 0 {
		return nil, p.fail(start, "invalid namespace %q in namespaced map", ns)
	}
	p.pos = end
	for p.pos < len(p.data) && isSpace(p.data[p.pos]) {
		p.pos++
	}
	if p.pos >= len(p.data) {
		return nil, p.eof(start, "namespaced map")
	}
	if p.data[p.pos] != '{' {
		return nil, p.fail(p.pos, "namespaced map must be followed by a map, got %s", describe(p.data, p.pos))
	}
	p.pos++
	mark, err := p.readItems(start, '}', "namespaced map")
	if err != nil {
		return nil, err
	}
	nss := string(ns)
	return p.makeMap(start, mark, func(k value.Value) value.Value {
		switch k := k.(type) {
		case value.Keyword:
			switch k.NS() {
			case "":
				return value.NSKw(nss, k.Name())
			case "_":
				return value.NSKw("", k.Name())
			}
		case value.Symbol:
			switch k.NS() {
			case "":
				return value.NSSym(nss, k.Name())
			case "_":
				return value.NSSym("", k.Name())
			}
		}
		return k
	})
}

// quickUUID reads a plain "8-4-4-4-12" string at p.pos without making the
// string; anything else is left to the general path.
func (p *parser) quickUUID() (value.Value, bool) {
	i := p.pos
	if i+38 > len(p.data) || p.data[i] != '"' || p.data[i+37] != '"' {
		return nil, false
	}
	s := p.data[i+1 : i+37]
	var b [16]byte
	n := 0
	for j := 0; j < 36; j++ {
		if j == 8 || j == 13 || j == 18 || j == 23 {
			if s[j] != '-' {
				return nil, false
			}
			continue
		}
		d := hexDigit[s[j]]
		if d < 0 {
			return nil, false
		}
		b[n/2] |= byte(d) << (4 * (1 - n%2))
		n++
	}
	p.pos = i + 38
	return value.UUIDFromBytes(b[:]), true
}

// hexDigit maps a byte to its hex value, or -1.
var hexDigit = func() (t [256]int8) {
	for c := range t {
		t[c] = int8(hexVal(byte(c)))
	}
	return t
}()
