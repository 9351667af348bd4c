package nippy

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf16"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// Kinds of value.Opaque this package produces.
const (
	// KindJavaSerialized is an object frozen through Java serialization
	// (ids 6, 46, 50, 75, 76): Class is its class name, Raw the
	// ObjectOutputStream bytes, Text the string values in them (javaText).
	KindJavaSerialized = "java-serialized"
	// KindUnreadable is the EDN text of Nippy's reader fallback that our EDN
	// reader rejects (Text holds it).
	KindUnreadable = "edn-unreadable"
	// KindCustom is a prefixed custom type (id 82) other than Onyx's
	// ExceptionInfo extension; Class is its 16-bit type hash.
	KindCustom = "nippy-custom"
	// KindRegex and KindURI are java.util.regex.Pattern and java.net.URI.
	KindRegex = "regex"
	KindURI   = "uri"
)

// TagExceptionInfo tags what Onyx 0.9's Nippy extension for ExceptionInfo
// stored: the map {:ex data :str message :cause cause} read from its EDN.
const TagExceptionInfo = "onyx/exception-info"

// exceptionInfoHash is the 16-bit id Nippy derives from :onyx/exception-info
// for a prefixed custom type (coerce-custom-type-id).
var exceptionInfoHash = customTypeHash(value.Kw(TagExceptionInfo))

func customTypeHash(k value.Keyword) int {
	h := int(value.Hash(k))
	// Clojure's mod takes the divisor's sign.
	if h > 0 {
		return h % math.MaxInt16
	}
	m := h % math.MinInt16
	return m
}

// special reads the fallbacks and the rarer scalar types.
func (d *decoder) special(at int, id int8) (value.Value, error) {
	switch id {
	case idReaderSm, idReaderMd, idReaderLg, idReaderLg2:
		n, err := d.count(readerSize(id), 1, "reader text")
		if err != nil {
			return nil, err
		}
		s, err := d.text(n, "reader text")
		if err != nil {
			return nil, err
		}
		return readEDN(string(s)), nil
	case idReaderUTF:
		s, err := d.readUTF("reader text")
		if err != nil {
			return nil, err
		}
		return readEDN(s.(string)), nil
	case idRecordSm, idRecordMd, idRecordLg:
		class, err := d.className(id)
		if err != nil {
			return nil, err
		}
		if err := d.enter(at); err != nil {
			return nil, err
		}
		v, err := d.value()
		d.depth--
		return value.Tagged{Tag: class, Value: v}, err
	case idSerialSm, idSerialMd, idSerialLg:
		// Unquarantined (Nippy ≤ 2.14): the ObjectOutputStream bytes follow
		// with no length. javaObjectEnd follows the stream to the end of the
		// object; a stream it cannot follow is taken to the end of the body,
		// which is right for Onyx's /exception znodes, where the object is
		// the whole value.
		class, err := d.className(id)
		if err != nil {
			return nil, err
		}
		n := len(d.b) - d.p
		if end, _, err := javaObjectEnd(d.b[d.p:]); err == nil {
			n = end
		}
		raw := append([]byte(nil), d.b[d.p:d.p+n]...)
		d.p += n
		return javaSerialized(class, raw), nil
	case idSerialQSm, idSerialQMd:
		class, err := d.className(id)
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		raw, ok := v.(value.Bytes)
		if !ok {
			return nil, d.fail(at, ErrCorrupt, "serialized %s: want a byte array, found %s", class, value.TypeName(v))
		}
		return javaSerialized(class, raw), nil
	case idCustomMd:
		return d.custom(at)
	case idType:
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		return nil, d.fail(at, errors.ErrUnsupported, "deftype %v: its field count is unknown without the class", v)
	case idRegex, idURI:
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, d.fail(at, ErrCorrupt, "regex or uri: want a string, found %s", value.TypeName(v))
		}
		if id == idRegex {
			return value.Opaque{Kind: KindRegex, Class: "java.util.regex.Pattern", Text: s}, nil
		}
		return value.Opaque{Kind: KindURI, Class: "java.net.URI", Text: s}, nil
	}
	return d.numberOrCached(at, id)
}

func readerSize(id int8) int {
	switch id {
	case idReaderSm:
		return 1
	case idReaderMd:
		return 2
	}
	return 4
}

func (d *decoder) className(id int8) (string, error) {
	size := 4
	switch id {
	case idRecordSm, idSerialSm, idSerialQSm:
		size = 1
	case idRecordMd, idSerialMd, idSerialQMd:
		size = 2
	}
	n, err := d.count(size, 1, "class name")
	if err != nil {
		return "", err
	}
	s, err := d.text(n, "class name")
	return string(s), err
}

// readEDN parses the reader fallback's text as Nippy does on thaw; text our
// reader rejects is kept whole in an Opaque.
func readEDN(s string) value.Value {
	v, err := edn.Read([]byte(s))
	if err != nil {
		return value.Opaque{Kind: KindUnreadable, Text: s}
	}
	return v
}

// custom reads id 82: a 16-bit type hash and a payload only its writer knows.
// Onyx 0.9's ExceptionInfo extension writes writeUTF of the pr-str of
// {:ex data :str message :cause cause}; other payloads are read as writeUTF
// too when that fits, else refused.
func (d *decoder) custom(at int) (value.Value, error) {
	h, err := d.i16("custom type hash")
	if err != nil {
		return nil, err
	}
	save := d.p
	s, err := d.readUTF("custom payload")
	if err != nil {
		if h != exceptionInfoHash {
			d.p = save
			return nil, d.fail(at, errors.ErrUnsupported, "custom type with hash %d: unknown payload", h)
		}
		return nil, err
	}
	text := s.(string)
	if h != exceptionInfoHash {
		return value.Opaque{Kind: KindCustom, Class: fmt.Sprint(h), Text: text}, nil
	}
	v, err := edn.Read([]byte(text))
	if err != nil {
		return value.Opaque{Kind: TagExceptionInfo, Class: "clojure.lang.ExceptionInfo", Text: text}, nil
	}
	return value.Tagged{Tag: TagExceptionInfo, Value: v}, nil
}

func (d *decoder) numberOrCached(at int, id int8) (value.Value, error) {
	switch id {
	case idBigInt, idBigInteger:
		return d.bigInt("big integer")
	case idBigDec:
		u, err := d.bigInt("big decimal")
		if err != nil {
			return nil, err
		}
		scale, err := d.i32("big decimal scale")
		return value.BigDec{Unscaled: u, Scale: int32(scale)}, err
	case idRatio:
		num, err := d.bigInt("ratio")
		if err != nil {
			return nil, err
		}
		den, err := d.bigInt("ratio")
		if err != nil {
			return nil, err
		}
		if den.Sign() == 0 {
			return nil, d.fail(at, ErrCorrupt, "ratio with zero denominator")
		}
		return new(big.Rat).SetFrac(num, den), nil
	case idBytes0, idBytesSm, idBytesMd, idBytesLg:
		size := map[int8]int{idBytes0: 0, idBytesSm: 1, idBytesMd: 2, idBytesLg: 4}[id]
		n := 0
		if size > 0 {
			var err error
			if n, err = d.count(size, 1, "byte array"); err != nil {
				return nil, err
			}
		}
		b, err := d.take(n, "byte array")
		return value.Bytes(append([]byte{}, b...)), err
	case idInstant:
		secs, err := d.i64("instant")
		if err != nil {
			return nil, err
		}
		nanos, err := d.i32("instant")
		return value.Inst{Time: time.Unix(secs, nanos).UTC()}, err
	case idDuration:
		secs, err := d.i64("duration")
		if err != nil {
			return nil, err
		}
		nanos, err := d.i32("duration")
		m := value.NewMap(value.Kw("seconds"), secs, value.Kw("nanos"), nanos)
		return value.Tagged{Tag: "java.time.Duration", Value: m}, err
	case idPeriod:
		var ymd [3]int64
		for i := range ymd {
			v, err := d.i32("period")
			if err != nil {
				return nil, err
			}
			ymd[i] = v
		}
		m := value.NewMap(value.Kw("years"), ymd[0], value.Kw("months"), ymd[1], value.Kw("days"), ymd[2])
		return value.Tagged{Tag: "java.time.Period", Value: m}, nil
	case idCached0, idCached1, idCached2, idCached3, idCached4, idCached5, idCached6, idCached7:
		return d.cached(at, cacheIndex[id])
	case idCachedSm:
		n, err := d.i8("cache index")
		if err != nil {
			return nil, err
		}
		return d.cached(at, n)
	case idCachedMd:
		n, err := d.i16("cache index")
		if err != nil {
			return nil, err
		}
		return d.cached(at, n)
	}
	if id < 0 {
		return nil, d.fail(at, errors.ErrUnsupported, "unprefixed custom type id %d", id)
	}
	return nil, d.fail(at, ErrCorrupt, "unknown type id %d", id)
}

var cacheIndex = map[int8]int{
	idCached0: 0, idCached1: 1, idCached2: 2, idCached3: 3,
	idCached4: 4, idCached5: 5, idCached6: 6, idCached7: 7,
}

// cached reads a nippy/cache reference: the first one of an index carries the
// value, later ones repeat it (thaw-cached).
func (d *decoder) cached(at, idx int) (value.Value, error) {
	if c, ok := d.cache[idx]; ok {
		d.nodes += c.nodes
		if d.nodes > maxExpansion*len(d.b)+1024 {
			return nil, d.fail(at, ErrCorrupt, "cache references expand to more than %d values", maxExpansion*len(d.b)+1024)
		}
		return c.v, nil
	}
	if err := d.enter(at); err != nil {
		return nil, err
	}
	start := d.nodes
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.depth--
	if d.cache == nil {
		d.cache = map[int]cachedValue{}
	}
	d.cache[idx] = cachedValue{v, d.nodes - start}
	return v, nil
}

// bigInt reads an int length and that many bytes of a two's-complement
// big-endian integer (BigInteger.toByteArray).
func (d *decoder) bigInt(what string) (*big.Int, error) {
	at := d.p
	n, err := d.count(4, 1, what)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, d.fail(at, ErrCorrupt, "%s with no bytes", what)
	}
	b, _ := d.take(n, what)
	x := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	return x, nil
}

// readUTF reads Java's DataInput.readUTF: a u16 length and that many bytes of
// modified UTF-8 (U+0000 as C0 80, supplementary characters as two 3-byte
// surrogates).
func (d *decoder) readUTF(what string) (value.Value, error) {
	if len(d.b)-d.p < 2 {
		return nil, d.fail(d.p, errTruncated, "truncated %s length: want 2 bytes, %d left", what, len(d.b)-d.p)
	}
	n, _ := d.u16("")
	at := d.p
	b, err := d.take(n, what)
	if err != nil {
		return nil, err
	}
	ascii := true
	for _, c := range b {
		if c == 0 || c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b), nil
	}
	units := make([]uint16, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			units = append(units, uint16(c))
			i++
		case c&0xE0 == 0xC0 && i+1 < len(b) && b[i+1]&0xC0 == 0x80:
			units = append(units, uint16(c&0x1F)<<6|uint16(b[i+1]&0x3F))
			i += 2
		case c&0xF0 == 0xE0 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80:
			units = append(units, uint16(c&0x0F)<<12|uint16(b[i+1]&0x3F)<<6|uint16(b[i+2]&0x3F))
			i += 3
		default:
			return nil, d.fail(at+i, ErrCorrupt, "invalid modified UTF-8 in %s", what)
		}
	}
	return string(utf16.Decode(units)), nil
}

// javaSerialized keeps a Java-serialized object: its class, its bytes, and
// the text found in them (javaText).
func javaSerialized(class string, raw []byte) value.Opaque {
	return value.Opaque{Kind: KindJavaSerialized, Class: class, Text: javaText(raw), Raw: raw}
}

// printableRuns joins the runs of at least four printable ASCII characters
// in raw with " | ".
func printableRuns(raw []byte) string {
	var runs []string
	start := -1
	for i := 0; i <= len(raw); i++ {
		if i < len(raw) && raw[i] >= 0x20 && raw[i] < 0x7F {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 4 {
			runs = append(runs, string(raw[start:i]))
		}
		start = -1
	}
	return strings.Join(runs, " | ")
}

func float32frombits(b uint32) float32 { return math.Float32frombits(b) }
