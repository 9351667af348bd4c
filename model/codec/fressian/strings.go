package fressian

import (
	"unicode/utf16"
	"unicode/utf8"

	"onyx-dashboard/model/value"
)

// Fressian strings are Java strings written one UTF-16 unit at a time, each as
// 1–3 bytes (CESU-8 style, Fns.bufferStringChunkUTF8): a character outside the
// BMP is two 3-byte surrogates (correction 4 of onyx-log-format.md). Go strings
// are UTF-8, so a surrogate pair becomes one 4-byte rune, and a lone surrogate,
// which Java allows and UTF-8 does not, keeps its 3-byte form (WTF-8) so that it
// survives a round trip.

// stringValue reads a string whose code (packed, STRING or STRING_CHUNK) was at at.
func (d *decoder) stringValue(at int, code byte) (value.Value, error) {
	s, err := d.readString(at, code)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (d *decoder) readString(at int, code byte) (string, error) {
	n, chunked, err := d.stringChunkLen(code)
	if err != nil {
		return "", err
	}
	if !chunked {
		p, err := d.take(at, n, "string")
		if err != nil {
			return "", err
		}
		if isASCII(p) {
			return string(p), nil
		}
		d.units = d.units[:0]
		if err := d.appendUnits(p, d.pos-n); err != nil {
			return "", err
		}
		return unitsToString(d.units), nil
	}
	d.units = d.units[:0]
	for {
		p, err := d.take(at, n, "string chunk")
		if err != nil {
			return "", err
		}
		if err := d.appendUnits(p, d.pos-n); err != nil {
			return "", err
		}
		if !chunked {
			return unitsToString(d.units), nil
		}
		c, cat, err := d.nextCode("the rest of a chunked string")
		if err != nil {
			return "", err
		}
		if c != codeStringChunk && c != codeString && (c < codeStringPacked || c >= codeStringChunk) {
			return "", d.fail(cat, "expected more of a chunked string, got code 0x%02X", c)
		}
		if n, chunked, err = d.stringChunkLen(c); err != nil {
			return "", err
		}
	}
}

// stringChunkLen reads the byte length that follows a string code.
func (d *decoder) stringChunkLen(code byte) (n int, chunked bool, err error) {
	if code >= codeStringPacked && code < codeStringChunk {
		return int(code - codeStringPacked), false, nil
	}
	n, _, err = d.readCount("string length")
	return n, code == codeStringChunk, err
}

func isASCII(p []byte) bool {
	for _, c := range p {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// appendUnits decodes Java's UTF-8 of UTF-16 units (1–3 bytes each) into
// d.units; base is the input offset of p[0], for errors. Overlong forms such
// as C0 80 (Java's modified UTF-8 for U+0000) decode as Java decodes them.
func (d *decoder) appendUnits(p []byte, base int) error {
	for i := 0; i < len(p); {
		c := p[i]
		switch c >> 4 {
		case 0, 1, 2, 3, 4, 5, 6, 7:
			d.units = append(d.units, uint16(c))
			i++
		case 12, 13:
			if i+1 >= len(p) || p[i+1]&0xC0 != 0x80 {
				return d.fail(base+i, "invalid UTF-8 sequence starting with 0x%02X", c)
			}
			d.units = append(d.units, uint16(c&0x1F)<<6|uint16(p[i+1]&0x3F))
			i += 2
		case 14:
			if i+2 >= len(p) || p[i+1]&0xC0 != 0x80 || p[i+2]&0xC0 != 0x80 {
				return d.fail(base+i, "invalid UTF-8 sequence starting with 0x%02X", c)
			}
			d.units = append(d.units, uint16(c&0x0F)<<12|uint16(p[i+1]&0x3F)<<6|uint16(p[i+2]&0x3F))
			i += 3
		default:
			return d.fail(base+i, "invalid UTF-8 byte 0x%02X in a string", c)
		}
	}
	return nil
}

// unitsToString joins surrogate pairs; lone surrogates keep their 3-byte form.
func unitsToString(units []uint16) string {
	out := make([]byte, 0, len(units)*3)
	for i := 0; i < len(units); i++ {
		u := units[i]
		if utf16.IsSurrogate(rune(u)) {
			if u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] < 0xE000 {
				out = utf8.AppendRune(out, utf16.DecodeRune(rune(u), rune(units[i+1])))
				i++
				continue
			}
			out = append(out, 0xE0|byte(u>>12), 0x80|byte(u>>6)&0x3F, 0x80|byte(u)&0x3F)
			continue
		}
		out = utf8.AppendRune(out, rune(u))
	}
	return string(out)
}

// stringUnits returns the UTF-16 units of a Go string as Java would hold it:
// a 3-byte surrogate encoding (WTF-8) is one unit, invalid bytes are U+FFFD.
func stringUnits(s string, units []uint16) []uint16 {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 && i+2 < len(s) && s[i] == 0xED &&
			s[i+1]&0xE0 == 0xA0 && s[i+2]&0xC0 == 0x80 {
			units = append(units, uint16(s[i]&0x0F)<<12|uint16(s[i+1]&0x3F)<<6|uint16(s[i+2]&0x3F))
			i += 3
			continue
		}
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			units = append(units, uint16(hi), uint16(lo))
		} else {
			units = append(units, uint16(r))
		}
		i += size
	}
	return units
}

// unitSize is the encoded size of one UTF-16 unit (Fns.utf8EncodingSize).
func unitSize(u uint16) int {
	switch {
	case u <= 0x7F:
		return 1
	case u > 0x7FF:
		return 3
	}
	return 2
}

func appendUnit(out []byte, u uint16) []byte {
	switch unitSize(u) {
	case 1:
		return append(out, byte(u))
	case 2:
		return append(out, 0xC0|byte(u>>6)&0x1F, 0x80|byte(u)&0x3F)
	}
	return append(out, 0xE0|byte(u>>12)&0x0F, 0x80|byte(u>>6)&0x3F, 0x80|byte(u)&0x3F)
}
