package nippy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

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
