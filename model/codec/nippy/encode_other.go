package nippy

import (
	"math"
	"math/big"
	"strconv"
	"unicode/utf16"

	"onyx-dashboard/model/value"
)

// other writes the numbers, byte arrays and preserved forms.
func (e *encoder) other(v value.Value) error {
	switch x := v.(type) {
	case *big.Int:
		e.id(idBigInt)
		e.bigInt(x)
	case *big.Rat:
		e.id(idRatio)
		e.bigInt(x.Num())
		e.bigInt(x.Denom())
	case value.BigDec:
		e.id(idBigDec)
		u := x.Unscaled
		if u == nil {
			u = new(big.Int)
		}
		e.bigInt(u)
		e.u32(int(x.Scale))
	case value.Bytes:
		e.bytes(x)
	case value.Tagged:
		return e.tagged(x)
	case value.Opaque:
		return e.opaque(x)
	default:
		return unsupported(v, "no Nippy form")
	}
	return nil
}

func (e *encoder) bytes(b []byte) {
	if len(b) == 0 {
		e.id(idBytes0)
		return
	}
	e.sized(len(b), idBytesSm, idBytesMd, idBytesLg)
	e.buf = append(e.buf, b...)
}

// bigInt writes BigInteger.toByteArray: an int length and the shortest
// two's-complement big-endian bytes.
func (e *encoder) bigInt(x *big.Int) {
	var b []byte
	if x.Sign() >= 0 {
		b = x.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
	} else {
		// -x - 1 in ones' complement is x in two's complement.
		m := new(big.Int).Neg(x)
		m.Sub(m, big.NewInt(1))
		b = m.Bytes()
		for i := range b {
			b[i] = ^b[i]
		}
		if len(b) == 0 || b[0]&0x80 == 0 {
			b = append([]byte{0xFF}, b...)
		}
	}
	e.u32(len(b))
	e.buf = append(e.buf, b...)
}

func (e *encoder) tagged(t value.Tagged) error {
	if m, ok := t.Value.(*value.Map); ok && isClassName(t.Tag) {
		// A record, as Nippy writes an IRecord: class name, then the map.
		e.className(t.Tag, idRecordSm, idRecordMd)
		return e.value(m)
	}
	return unsupported(t, "tag "+t.Tag+" has no Nippy form")
}

func (e *encoder) className(s string, sm, md int8) {
	if len(s) <= math.MaxInt8 {
		e.buf = append(e.buf, byte(sm), byte(len(s)))
	} else {
		e.id(md)
		e.u16(len(s))
	}
	e.buf = append(e.buf, s...)
}

// isClassName reports a Java class name such as my.ns.Rec: dotted, no slash.
func isClassName(s string) bool {
	dot := false
	for _, c := range s {
		switch {
		case c == '.':
			dot = true
		case c == '/' || c == ' ':
			return false
		}
	}
	return dot && len(s) <= math.MaxInt16
}

func (e *encoder) opaque(o value.Opaque) error {
	switch o.Kind {
	case KindJavaSerialized:
		// Quarantined form (Nippy 2.15+): class name, then a byte array.
		if len(o.Class) > math.MaxInt16 {
			return unsupported(o, "class name too long")
		}
		e.className(o.Class, idSerialQSm, idSerialQMd)
		e.bytes(o.Raw)
	case KindRegex, KindURI:
		e.id(pick(o.Kind == KindRegex, idRegex, idURI))
		e.str(o.Text)
	case KindUnreadable:
		e.sized(len(o.Text), idReaderSm, idReaderMd, idReaderLg)
		e.buf = append(e.buf, o.Text...)
	case KindCustom:
		h, err := strconv.ParseInt(o.Class, 10, 16)
		if err != nil || h == int64(exceptionInfoHash) {
			return unsupported(o, "custom type hash "+strconv.Quote(o.Class))
		}
		e.id(idCustomMd)
		e.u16(int(h))
		return e.writeUTF(o)
	default:
		return unsupported(o, "kind "+strconv.Quote(o.Kind)+" has no Nippy form")
	}
	return nil
}

// writeUTF writes Java's DataOutput.writeUTF of o.Text.
func (e *encoder) writeUTF(o value.Opaque) error {
	var b []byte
	for _, u := range utf16.Encode([]rune(o.Text)) {
		switch {
		case u != 0 && u < 0x80:
			b = append(b, byte(u))
		case u < 0x800:
			b = append(b, 0xC0|byte(u>>6), 0x80|byte(u&0x3F))
		default:
			b = append(b, 0xE0|byte(u>>12), 0x80|byte(u>>6&0x3F), 0x80|byte(u&0x3F))
		}
	}
	if len(b) > math.MaxUint16 {
		return unsupported(o, "text longer than 65535 bytes")
	}
	e.u16(len(b))
	e.buf = append(e.buf, b...)
	return nil
}
