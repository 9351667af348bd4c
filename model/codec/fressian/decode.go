package fressian

import (
	"encoding/binary"
	"fmt"
	"math"

	"onyx-dashboard/model/value"
)

// maxDepth bounds the nesting of collections and tagged values, so hostile
// input cannot exhaust the stack. Onyx's deepest values nest about ten levels.
const maxDepth = 512

// Decode reads one Fressian value from the start of b and returns it with the
// number of bytes it used. Whatever follows (Onyx's zero padding) is ignored.
// Fressian lists become value.Vector (see docs/codecs.md).
func Decode(b []byte) (value.Value, int, error) {
	d := decoders.Get().(*decoder)
	d.b = b
	v, err := d.readObject()
	n := d.pos
	d.release()
	if err != nil {
		return nil, 0, err
	}
	return v, n, nil
}

func (d *decoder) resetCaches() {
	clear(d.prio)
	d.prio = d.prio[:0]
	clear(d.structs)
	d.structs = d.structs[:0]
	clear(d.kwByName)
	d.kwByName = d.kwByName[:0]
}

// pending marks a priority-cache slot whose value is still being read, as
// FressianReader's UNDER_CONSTRUCTION does.
type pending struct{}

type structType struct {
	tag    value.Value
	fields int
}

// decoder holds the state of one Decode call; the caches live as long as it.
type decoder struct {
	b          []byte
	pos        int
	depth      int
	footerBase int // where the bytes counted by the next footer begin
	prio       []value.Value
	structs    []structType
	units      []uint16      // scratch for non-ASCII strings
	stack      []value.Value // scratch for the items of maps and sets being read
	kwByName   []kwMemo      // keywords met, by the cache index of their name
}

func (d *decoder) fail(at int, format string, args ...any) error {
	return &DecodeError{Offset: int64(at), Msg: fmt.Sprintf(format, args...)}
}

// short reports that n more bytes were needed at d.pos for what started at at.
func (d *decoder) short(at, n int, what string) error {
	return &DecodeError{
		Offset: int64(at),
		Msg:    fmt.Sprintf("%s needs %d bytes, %d left", what, n, len(d.b)-d.pos),
		Err:    ErrTruncated,
	}
}

func (d *decoder) remaining() int { return len(d.b) - d.pos }

// take returns the next n bytes (aliasing the input).
func (d *decoder) take(at, n int, what string) ([]byte, error) {
	if n < 0 || n > d.remaining() {
		return nil, d.short(at, n, what)
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

func (d *decoder) nextCode(what string) (byte, int, error) {
	at := d.pos
	if at >= len(d.b) {
		return 0, at, &DecodeError{Offset: int64(at), Msg: "end of input, expected " + what, Err: ErrTruncated}
	}
	d.pos++
	return d.b[at], at, nil
}

func (d *decoder) readObject() (value.Value, error) {
	code, at, err := d.nextCode("a value")
	if err != nil {
		return nil, err
	}
	return d.read(code, at)
}

// uintN reads an n-byte big-endian unsigned integer.
func (d *decoder) uintN(at, n int) (uint64, error) {
	p, err := d.take(at, n, "integer")
	if err != nil {
		return 0, err
	}
	var u uint64
	for _, c := range p {
		u = u<<8 | uint64(c)
	}
	return u, nil
}

// packedInt decodes the integer codes 0x00–0x7F, 0xFF and INT; ok is false for
// any other code.
func (d *decoder) packedInt(code byte, at int) (n int64, ok bool, err error) {
	var width int
	var high int64
	switch {
	case code < 0x40:
		return int64(code), true, nil
	case code == 0xFF:
		return -1, true, nil
	case code == codeInt:
		u, err := d.uintN(at, 8)
		return int64(u), true, err
	case code < 0x60:
		width, high = 1, int64(code)-0x50
	case code < 0x70:
		width, high = 2, int64(code)-0x68
	case code < 0x74:
		width, high = 3, int64(code)-0x72
	case code < 0x78:
		width, high = 4, int64(code)-0x76
	case code < 0x7C:
		width, high = 5, int64(code)-0x7A
	case code < 0x80:
		width, high = 6, int64(code)-0x7E
	default:
		return 0, false, nil
	}
	u, err := d.uintN(at, width)
	return high<<(8*width) | int64(u), true, err
}

// readInt reads a value that must be an integer, as FressianReader.readInt.
func (d *decoder) readInt(what string) (int64, int, error) {
	code, at, err := d.nextCode(what)
	if err != nil {
		return 0, at, err
	}
	if n, ok, err := d.packedInt(code, at); ok {
		return n, at, err
	}
	v, err := d.read(code, at)
	if err != nil {
		return 0, at, err
	}
	n, ok := v.(int64)
	if !ok {
		return 0, at, d.fail(at, "expected %s (an integer), got %s", what, value.TypeName(v))
	}
	return n, at, nil
}

// readInt32 reads an integer that must fit a Java int, as Fns.intCast.
func (d *decoder) readInt32(what string) (int, int, error) {
	n, at, err := d.readInt(what)
	if err != nil {
		return 0, at, err
	}
	if n != int64(int32(n)) {
		return 0, at, d.fail(at, "%s %d is out of range for an int", what, n)
	}
	return int(n), at, nil
}

// readCount reads a length or element count: a non-negative int.
func (d *decoder) readCount(what string) (int, int, error) {
	n, at, err := d.readInt32(what)
	if err == nil && n < 0 {
		err = d.fail(at, "negative %s %d", what, n)
	}
	return n, at, err
}

func (d *decoder) read(code byte, at int) (value.Value, error) {
	if n, ok, err := d.packedInt(code, at); ok {
		if err != nil {
			return nil, err
		}
		return n, nil
	}
	switch {
	case code < codeStructCachePacked:
		return d.cached(int(code-codePriorityCachePacked), at)
	case code < codeLongArray:
		return d.structAt(int(code-codeStructCachePacked), at)
	case code >= codeBytesPacked && code < codeBytesChunk:
		return d.bytes(at, int(code-codeBytesPacked))
	case code >= codeStringPacked && code < codeStringChunk:
		return d.stringValue(at, code)
	case code >= codeListPacked && code < codeList:
		return d.list(at, int(code-codeListPacked))
	}
	switch code {
	case codeKey:
		return d.keyword(at)
	case codeUUID:
		return d.uuid(at)
	case codeTrue:
		return true, nil
	case codeFalse:
		return false, nil
	case codeNull:
		return nil, nil
	case codeDouble:
		u, err := d.uintN(at, 8)
		return javaDouble(math.Float64frombits(u)), err
	case codeDouble0:
		return 0.0, nil
	case codeDouble1:
		return 1.0, nil
	case codeFloat:
		u, err := d.uintN(at, 4)
		return javaDouble(float64(math.Float32frombits(uint32(u)))), err
	case codeString, codeStringChunk:
		return d.stringValue(at, code)
	case codeBytes:
		n, _, err := d.readCount("byte length")
		if err != nil {
			return nil, err
		}
		return d.bytes(at, n)
	case codeBytesChunk:
		return d.chunkedBytes(at)
	case codeList:
		n, _, err := d.readCount("list length")
		if err != nil {
			return nil, err
		}
		return d.list(at, n)
	case codeBeginClosedList:
		return d.endedList(at, false)
	case codeBeginOpenList:
		return d.endedList(at, true)
	case codePutPriorityCache:
		return d.putCache(at)
	case codeGetPriorityCache:
		i, iat, err := d.readInt32("cache index")
		if err != nil {
			return nil, err
		}
		return d.cached(i, iat)
	case codeStructType:
		return d.structType(at)
	case codeStruct:
		i, iat, err := d.readInt32("struct index")
		if err != nil {
			return nil, err
		}
		return d.structAt(i, iat)
	case codeResetCaches:
		d.resetCaches()
		return d.nested()
	case codeFooter:
		return d.footer(at)
	case codeEndCollection:
		return nil, d.fail(at, "end of collection (0xFD) where a value was expected")
	}
	if name := codeTagNames[code]; name != "" {
		return d.handleStruct(at, name, codeFieldCounts[code])
	}
	return nil, d.fail(at, "unknown code 0x%02X", code)
}

// canonicalNaN is the NaN of Double.doubleToLongBits.
var canonicalNaN = math.Float64frombits(0x7FF8000000000000)

// javaDouble folds every NaN into one: Java hashes (and writes) a double
// through doubleToLongBits, so NaN payloads never reach Clojure's hash order.
func javaDouble(f float64) float64 {
	if f != f {
		return canonicalNaN
	}
	return f
}

// nested reads a value one level deeper.
func (d *decoder) nested() (value.Value, error) {
	if d.depth >= maxDepth {
		return nil, d.fail(d.pos, "values nested deeper than %d", maxDepth)
	}
	d.depth++
	v, err := d.readObject()
	d.depth--
	return v, err
}

func (d *decoder) bytes(at, n int) (value.Value, error) {
	p, err := d.take(at, n, "byte array")
	if err != nil {
		return nil, err
	}
	return value.Bytes(append([]byte(nil), p...)), nil
}

// chunkedBytes reads BYTES_CHUNK count bytes … until the closing BYTES.
func (d *decoder) chunkedBytes(at int) (value.Value, error) {
	var out []byte
	for code := byte(codeBytesChunk); ; {
		n, _, err := d.readCount("byte chunk length")
		if err != nil {
			return nil, err
		}
		p, err := d.take(at, n, "byte chunk")
		if err != nil {
			return nil, err
		}
		out = append(out, p...)
		if code == codeBytes {
			return value.Bytes(out), nil
		}
		var cat int
		code, cat, err = d.nextCode("the rest of chunked bytes")
		if err != nil {
			return nil, err
		}
		if code != codeBytesChunk && code != codeBytes {
			return nil, d.fail(cat, "expected more chunked bytes (0xD8 or 0xD9), got code 0x%02X", code)
		}
	}
}

// list reads n values; the allocation is bounded by the input left, since
// each value takes at least one byte.
func (d *decoder) list(at, n int) (value.Value, error) {
	if n > d.remaining() {
		return nil, d.short(at, n, fmt.Sprintf("list of %d values", n))
	}
	out := make(value.Vector, n)
	for i := range out {
		v, err := d.nested()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// endedList reads values up to END_COLLECTION; an open list may also end with
// the input.
func (d *decoder) endedList(at int, open bool) (value.Value, error) {
	out := value.Vector{}
	for {
		if d.pos >= len(d.b) && open {
			return out, nil
		}
		code, cat, err := d.nextCode("a value or the end of the list begun at offset " + fmt.Sprint(at))
		if err != nil {
			return nil, err
		}
		if code == codeEndCollection {
			return out, nil
		}
		d.pos = cat
		v, err := d.nested()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func (d *decoder) putCache(at int) (value.Value, error) {
	i := len(d.prio)
	d.prio = append(d.prio, pending{})
	v, err := d.nested()
	if err != nil {
		return nil, err
	}
	if i >= len(d.prio) {
		return nil, d.fail(at, "caches were reset inside the value being cached")
	}
	d.prio[i] = v
	return v, nil
}

func (d *decoder) cached(i, at int) (value.Value, error) {
	if i < 0 || i >= len(d.prio) {
		return nil, d.fail(at, "priority cache index %d out of range (%d cached)", i, len(d.prio))
	}
	v := d.prio[i]
	if _, ok := v.(pending); ok {
		return nil, d.fail(at, "priority cache index %d refers to the value being read", i)
	}
	return v, nil
}

// footer checks a footer (magic, length) and reads the value after it, as
// FressianReader does; data.fressian's read skips the Adler-32 check, so do we.
func (d *decoder) footer(at int) (value.Value, error) {
	p, err := d.take(at, 11, "footer")
	if err != nil {
		return nil, err
	}
	magic := uint32(codeFooter)<<24 | uint32(p[0])<<16 | uint32(p[1])<<8 | uint32(p[2])
	if magic != footerMagic {
		return nil, d.fail(at, "bad footer magic 0x%08X", magic)
	}
	if n := int(binary.BigEndian.Uint32(p[3:7])); n != at-d.footerBase {
		return nil, d.fail(at, "footer says %d bytes, %d were read", n, at-d.footerBase)
	}
	d.footerBase = d.pos
	d.resetCaches()
	return d.nested()
}
