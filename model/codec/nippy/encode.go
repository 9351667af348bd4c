package nippy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"unicode/utf16"

	"github.com/pierrec/lz4/v4"

	"onyx-dashboard/model/value"
)

// Compress says when Encode compresses the body with LZ4.
type Compress int

const (
	// CompressAuto compresses bodies longer than EncodeOptions.Threshold, as
	// Nippy's default :compressor :auto does (Onyx 0.8.1+).
	CompressAuto Compress = iota
	// CompressNever writes meta byte 0, as {:compressor nil} (Onyx 0.6.0 – 0.8.0).
	CompressNever
	// CompressAlways writes meta byte 8 whatever the size.
	CompressAlways
)

// DefaultThreshold is the body size above which Nippy 2.12+ auto-compresses;
// Nippy 2.10 and 2.11 (Onyx 0.8.1 – 0.9.10) used 1024.
const DefaultThreshold = 8192

// EncodeOptions tunes Encode. The zero value writes as Onyx 0.13 – 0.14.6 did.
type EncodeOptions struct {
	Compress Compress
	// Threshold is the body length above which CompressAuto compresses;
	// 0 means DefaultThreshold.
	Threshold int
	// Seqs writes value.List with the seq ids (37/38/39/24, what lazy seqs
	// freeze to) instead of the list ids (35/36/54/20). The model does not
	// tell a list from a seq.
	Seqs bool
}

// maxEncodeDepth bounds recursion; values decoded by this package are never
// deeper than maxDepth.
const maxEncodeDepth = maxDepth + 1

// Encode writes v as a Nippy frame the way Nippy 2.14 freezes it. The LZ4
// block comes from pierrec/lz4's C-compatible compressor, so its bytes may
// differ from lz4-java's; any LZ4 block decoder reads both.
//
// Values with no Nippy form (a Tagged other than a record, an Opaque of an
// unknown kind) give an error wrapping errors.ErrUnsupported.
func Encode(v value.Value, opts EncodeOptions) ([]byte, error) {
	e := encoder{buf: make([]byte, headerLen, 64), seqs: opts.Seqs}
	copy(e.buf, "NPY\x00")
	if err := e.value(v); err != nil {
		return nil, err
	}
	threshold := opts.Threshold
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	body := e.buf[headerLen:]
	if opts.Compress == CompressNever || (opts.Compress == CompressAuto && len(body) <= threshold) {
		return e.buf, nil
	}
	return compressLZ4(body)
}

// EncodeBody is Encode without header and compression.
func EncodeBody(v value.Value, opts EncodeOptions) ([]byte, error) {
	e := encoder{seqs: opts.Seqs}
	if err := e.value(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

func compressLZ4(body []byte) ([]byte, error) {
	out := make([]byte, 8+lz4.CompressBlockBound(len(body)))
	copy(out, "NPY\x08")
	binary.BigEndian.PutUint32(out[4:], uint32(len(body)))
	var c lz4.CompressorCCompat
	n, err := c.CompressBlock(body, out[8:])
	if err != nil || n == 0 {
		return nil, fmt.Errorf("nippy: lz4 compression of %d bytes failed: %v", len(body), err)
	}
	return out[:8+n], nil
}

type encoder struct {
	buf   []byte
	seqs  bool
	depth int
}

func unsupported(v value.Value, why string) error {
	return fmt.Errorf("nippy: cannot freeze %s: %s: %w", value.TypeName(v), why, errors.ErrUnsupported)
}

func (e *encoder) id(id int8) { e.buf = append(e.buf, byte(id)) }

func (e *encoder) u16(n int) { e.buf = binary.BigEndian.AppendUint16(e.buf, uint16(n)) }

func (e *encoder) u32(n int) { e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(n)) }

func (e *encoder) u64(n uint64) { e.buf = binary.BigEndian.AppendUint64(e.buf, n) }

// sized writes the sm (≤ 127, signed byte), md (≤ 32767) or lg id and count.
func (e *encoder) sized(n int, sm, md, lg int8) {
	switch {
	case n <= math.MaxInt8:
		e.buf = append(e.buf, byte(sm), byte(n))
	case n <= math.MaxInt16:
		e.id(md)
		e.u16(n)
	default:
		e.id(lg)
		e.u32(n)
	}
}

func (e *encoder) value(v value.Value) error {
	switch x := v.(type) {
	case nil:
		e.id(idNil)
	case bool:
		if x {
			e.id(idTrue)
		} else {
			e.id(idFalse)
		}
	case int64:
		e.long(x)
	case int:
		e.long(int64(x))
	case float64:
		if x == 0 {
			e.id(idDouble0)
		} else {
			e.id(idDouble)
			e.u64(math.Float64bits(x))
		}
	case string:
		e.str(x)
	case value.Keyword:
		if x.IsZero() {
			return unsupported(v, "the zero keyword")
		}
		e.named(x.String()[1:], idKwSm, idKwLg)
	case value.Symbol:
		if x.IsZero() {
			return unsupported(v, "the zero symbol")
		}
		e.named(x.String(), idSymSm, idSymLg)
	case value.UUID:
		e.id(idUUID)
		e.u64(x.Hi)
		e.u64(x.Lo)
	case value.Inst:
		e.id(idDate)
		e.u64(uint64(x.UnixMilli()))
	case value.Char:
		if x < 0 || x > 0xFFFF {
			return unsupported(v, "a char outside the Basic Multilingual Plane")
		}
		e.id(idChar)
		e.u16(int(x))
	default:
		return e.compound(v)
	}
	return nil
}

func (e *encoder) long(n int64) {
	switch {
	case n == 0:
		e.id(idLong0)
	case n >= math.MinInt8 && n <= math.MaxInt8:
		e.buf = append(e.buf, byte(idLongSm), byte(n))
	case n >= math.MinInt16 && n <= math.MaxInt16:
		e.id(idLongMd)
		e.u16(int(n))
	case n >= math.MinInt32 && n <= math.MaxInt32:
		e.id(idLongLg)
		e.u32(int(n))
	default:
		e.id(idLongXl)
		e.u64(uint64(n))
	}
}

func (e *encoder) str(s string) {
	if s == "" {
		e.id(idStr0)
		return
	}
	e.sized(len(s), idStrSm, idStrMd, idStrLg)
	e.buf = append(e.buf, s...)
}

// named writes a keyword or symbol: sm up to 127 bytes, else Nippy 2.x's
// int-length id (14 / 57; Nippy 3.x writes 85 / 86 instead).
func (e *encoder) named(s string, sm, lg int8) {
	if len(s) <= math.MaxInt8 {
		e.buf = append(e.buf, byte(sm), byte(len(s)))
	} else {
		e.id(lg)
		e.u32(len(s))
	}
	e.buf = append(e.buf, s...)
}

func (e *encoder) compound(v value.Value) error {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxEncodeDepth {
		return unsupported(v, fmt.Sprintf("nesting deeper than %d", maxEncodeDepth))
	}
	switch x := v.(type) {
	case value.Vector:
		switch n := len(x); n {
		case 0:
			e.id(idVec0)
		case 2:
			e.id(idVec2)
		case 3:
			e.id(idVec3)
		default:
			e.sized(n, idVecSm, idVecMd, idVecLg)
		}
		return e.all(x)
	case value.List:
		if len(x) == 0 {
			e.id(pick(e.seqs, idSeq0, idList0))
			return nil
		}
		if e.seqs {
			e.sized(len(x), idSeqSm, idSeqMd, idSeqLg)
		} else {
			e.sized(len(x), idListSm, idListMd, idListLg)
		}
		return e.all(x)
	case *value.Map:
		if x.Len() == 0 {
			e.id(idMap0)
			return nil
		}
		e.sized(x.Len(), idMapSm, idMapMd, idMapLg)
		var err error
		x.Range(func(k, v value.Value) bool {
			if err = e.value(k); err == nil {
				err = e.value(v)
			}
			return err == nil
		})
		return err
	case *value.Set:
		if x.Len() == 0 {
			e.id(idSet0)
			return nil
		}
		e.sized(x.Len(), idSetSm, idSetMd, idSetLg)
		var err error
		x.Range(func(v value.Value) bool {
			err = e.value(v)
			return err == nil
		})
		return err
	}
	return e.other(v)
}

func pick(c bool, a, b int8) int8 {
	if c {
		return a
	}
	return b
}

func (e *encoder) all(xs []value.Value) error {
	for _, x := range xs {
		if err := e.value(x); err != nil {
			return err
		}
	}
	return nil
}

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
