package fressian

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"

	"onyx-dashboard/model/value"
)

// initialCapacity is the starting size of data.fressian's BytesOutputStream
// (a java.io.ByteArrayOutputStream made with its default constructor).
const initialCapacity = 32

// Encode writes v as data.fressian's write did with its default handlers and
// returns what Onyx 0.5 stored: the whole backing array of the writer's
// buffer, so the object is followed by zeros up to the buffer's capacity
// (none when one large write forced the last growth; correction 3).
func Encode(v value.Value) ([]byte, error) {
	e := encoder{capacity: initialCapacity}
	if err := e.writeObject(v); err != nil {
		return nil, err
	}
	out := make([]byte, e.capacity)
	copy(out, e.buf)
	return out, nil
}

// EncodeExact is Encode without the padding: the object's bytes only.
func EncodeExact(v value.Value) ([]byte, error) {
	e := encoder{capacity: initialCapacity}
	if err := e.writeObject(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// encoder is one FressianWriter over one BytesOutputStream: the caches last
// for one write call, as in data.fressian's write.
type encoder struct {
	buf      []byte
	capacity int // the ByteArrayOutputStream's array length
	depth    int
	prio     map[string]int // priority cache (only keyword and symbol parts go in)
	structs  map[string]int // struct cache of tags without a code of their own
	units    []uint16
	chunk    []byte
}

// reserve grows the simulated capacity before one write call of n bytes, as
// ByteArrayOutputStream.ensureCapacity does in Java 8 and 17: the new length
// is max(2 × old, needed). RawOutput writes most things a byte at a time;
// only 8-byte ints and doubles, string chunks and byte arrays are single
// multi-byte writes, and only those can grow the array past double.
func (e *encoder) reserve(n int) {
	if need := len(e.buf) + n; need > e.capacity {
		e.capacity = max(2*e.capacity, need)
	}
}

func (e *encoder) code(c byte) {
	e.reserve(1)
	e.buf = append(e.buf, c)
}

func (e *encoder) raw(p []byte) {
	e.reserve(len(p))
	e.buf = append(e.buf, p...)
}

// writeInt is FressianWriter.internalWriteInt: the form depends on how many
// bits the value needs.
func (e *encoder) writeInt(i int64) {
	x := i
	if x < 0 {
		x = ^x
	}
	switch nlz := bits.LeadingZeros64(uint64(x)); {
	case nlz <= 14:
		e.code(codeInt)
		var p [8]byte
		for k := range p {
			p[k] = byte(i >> (56 - 8*k))
		}
		e.raw(p[:])
	case nlz <= 22:
		e.packed(0x7E, i, 6)
	case nlz <= 30:
		e.packed(0x7A, i, 5)
	case nlz <= 38:
		e.packed(0x76, i, 4)
	case nlz <= 44:
		e.packed(0x72, i, 3)
	case nlz <= 51:
		e.packed(0x68, i, 2)
	case nlz <= 57:
		e.packed(0x50, i, 1)
	default:
		if i < -1 {
			e.code(byte(0x50 + (i >> 8)))
		}
		e.code(byte(i))
	}
}

// packed writes zero+(i>>8n) and then the low n bytes, one byte per write.
func (e *encoder) packed(zero byte, i int64, n int) {
	e.code(byte(int64(zero) + i>>(8*n)))
	for k := n - 1; k >= 0; k-- {
		e.code(byte(i >> (8 * k)))
	}
}

func (e *encoder) writeDouble(f float64) {
	switch {
	case f == 0: // -0.0 too, as Java's d == 0.0
		e.code(codeDouble0)
	case f == 1:
		e.code(codeDouble1)
	default:
		e.code(codeDouble)
		u := math.Float64bits(f)
		if f != f {
			u = 0x7FF8000000000000 // Double.doubleToLongBits folds every NaN
		}
		var p [8]byte
		for k := range p {
			p[k] = byte(u >> (56 - 8*k))
		}
		e.raw(p[:])
	}
}

// writeString is FressianWriter.writeString: UTF-16 units encoded into a
// buffer of min(3 × units, 65536) bytes; a string that overflows it is
// written as STRING_CHUNKs and a last STRING (or packed) piece.
func (e *encoder) writeString(s string) {
	if isASCIIString(s) && len(s) <= stringBufferSize/3 {
		e.stringPiece(len(s), true)
		e.reserve(len(s))
		e.buf = append(e.buf, s...)
		return
	}
	e.units = stringUnits(s, e.units[:0])
	bufLen := min(3*len(e.units), stringBufferSize)
	pos := 0
	for {
		e.chunk = e.chunk[:0]
		for pos < len(e.units) && len(e.chunk)+unitSize(e.units[pos]) <= bufLen {
			e.chunk = appendUnit(e.chunk, e.units[pos])
			pos++
		}
		e.stringPiece(len(e.chunk), pos == len(e.units))
		e.raw(e.chunk)
		if pos >= len(e.units) {
			return
		}
	}
}

func (e *encoder) stringPiece(n int, last bool) {
	switch {
	case n < packedLen:
		e.code(byte(codeStringPacked + n))
	case last:
		e.code(codeString)
		e.writeInt(int64(n))
	default:
		e.code(codeStringChunk)
		e.writeInt(int64(n))
	}
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// writeBytes is FressianWriter.writeBytes: packed below 8 bytes, else
// 65535-byte BYTES_CHUNKs and a final BYTES.
func (e *encoder) writeBytes(b []byte) {
	if len(b) < packedLen {
		e.code(byte(codeBytesPacked + len(b)))
		e.raw(b)
		return
	}
	for len(b) > byteChunkSize {
		e.code(codeBytesChunk)
		e.writeInt(byteChunkSize)
		e.raw(b[:byteChunkSize])
		b = b[byteChunkSize:]
	}
	e.code(codeBytes)
	e.writeInt(int64(len(b)))
	e.raw(b)
}

func (e *encoder) listHeader(n int) {
	if n < packedLen {
		e.code(byte(codeListPacked + n))
		return
	}
	e.code(codeList)
	e.writeInt(int64(n))
}

func (e *encoder) writeList(items []value.Value) error {
	e.listHeader(len(items))
	for _, it := range items {
		if err := e.writeObject(it); err != nil {
			return err
		}
	}
	return nil
}

// writeCached writes a keyword's or symbol's namespace or name as
// writeObject(x, true) does: nil and "" are written plainly, a string seen
// before in this write as its priority-cache index, a new one after
// PUT_PRIORITY_CACHE.
func (e *encoder) writeCached(s string, isNil bool) {
	switch {
	case isNil:
		e.code(codeNull)
		return
	case s == "":
		e.writeString(s)
		return
	}
	if i, ok := e.prio[s]; ok {
		if i < priorityCachePackedLen {
			e.code(byte(codePriorityCachePacked + i))
		} else {
			e.code(codeGetPriorityCache)
			e.writeInt(int64(i))
		}
		return
	}
	if e.prio == nil {
		e.prio = make(map[string]int)
	}
	e.prio[s] = len(e.prio)
	e.code(codePutPriorityCache)
	e.writeString(s)
}

// writeTag is FressianWriter.writeTag: a tag with a code of its own is that
// code; any other goes through the struct cache.
func (e *encoder) writeTag(tag string, fields int) {
	if c, ok := tagCodes[tag]; ok {
		e.code(c)
		return
	}
	if i, ok := e.structs[tag]; ok {
		if i < structCachePackedLen {
			e.code(byte(codeStructCachePacked + i))
		} else {
			e.code(codeStruct)
			e.writeInt(int64(i))
		}
		return
	}
	if e.structs == nil {
		e.structs = make(map[string]int)
	}
	e.structs[tag] = len(e.structs)
	e.code(codeStructType)
	e.writeString(tag)
	e.writeInt(int64(fields))
}

var tagCodes = func() map[string]byte {
	m := make(map[string]byte, len(codeTags))
	for c, t := range codeTags {
		m[t] = c
	}
	return m
}()

func (e *encoder) writeObject(v value.Value) error {
	if e.depth >= maxDepth {
		return &EncodeError{Msg: fmt.Sprintf("value nested deeper than %d", maxDepth)}
	}
	e.depth++
	defer func() { e.depth-- }()
	switch x := v.(type) {
	case nil:
		e.code(codeNull)
	case bool:
		if x {
			e.code(codeTrue)
		} else {
			e.code(codeFalse)
		}
	case int64:
		e.writeInt(x)
	case int:
		e.writeInt(int64(x))
	case float64:
		e.writeDouble(x)
	case string:
		e.writeString(x)
	case value.Keyword:
		e.code(codeKey)
		e.writeCached(x.NS(), x.NS() == "")
		e.writeCached(x.Name(), false)
	case value.Symbol:
		e.code(codeSym)
		e.writeCached(x.NS(), x.NS() == "")
		e.writeCached(x.Name(), false)
	case value.UUID:
		e.code(codeUUID)
		e.writeBytes(x.Bytes())
	case value.Inst:
		e.code(codeInst)
		e.writeInt(x.UnixMilli())
	case value.Vector:
		return e.writeList(x)
	case value.List:
		return e.writeList(x)
	case *value.Map:
		e.code(codeMap)
		e.listHeader(2 * x.Len())
		var err error
		x.Range(func(k, v value.Value) bool {
			if err = e.writeObject(k); err == nil {
				err = e.writeObject(v)
			}
			return err == nil
		})
		return err
	case *value.Set:
		e.code(codeSet)
		return e.writeList(x.Items())
	case value.Bytes:
		e.writeBytes(x)
	case value.Char:
		e.writeTag("char", 1)
		e.writeInt(int64(x))
	case *big.Int:
		e.code(codeBigInt)
		e.writeBytes(bigToBytes(x))
	case value.BigDec:
		e.code(codeBigDec)
		u := x.Unscaled
		if u == nil {
			u = new(big.Int)
		}
		e.writeBytes(bigToBytes(u))
		e.writeInt(int64(x.Scale))
	case *big.Rat:
		e.writeTag("ratio", 2)
		e.code(codeBigInt)
		e.writeBytes(bigToBytes(x.Num()))
		e.code(codeBigInt)
		e.writeBytes(bigToBytes(x.Denom()))
	case value.Tagged:
		return e.writeTagged(x)
	case value.Opaque:
		return e.writeOpaque(x)
	default:
		return &EncodeError{Msg: fmt.Sprintf("no Fressian form for %T", v)}
	}
	return nil
}

// writeTagged writes a tagged value as the TaggedObject handler does: the tag
// with one field per element of a Vector value, or one field otherwise.
func (e *encoder) writeTagged(t value.Tagged) error {
	fields, ok := t.Value.(value.Vector)
	if !ok {
		fields = value.Vector{t.Value}
	}
	e.writeTag(t.Tag, len(fields))
	for _, f := range fields {
		if err := e.writeObject(f); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) writeOpaque(o value.Opaque) error {
	switch {
	case o.Kind == "regex" && o.Class == classPattern:
		e.code(codeRegex)
	case o.Kind == "uri" && o.Class == classURI:
		e.code(codeURI)
	default:
		return &EncodeError{Msg: fmt.Sprintf("no Fressian form for an opaque %s (%s)", o.Kind, o.Class)}
	}
	e.writeString(o.Text)
	return nil
}

// bigToBytes is BigInteger.toByteArray: minimal big-endian two's complement.
func bigToBytes(n *big.Int) []byte {
	if n.Sign() >= 0 {
		b := n.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// -n-1 in n's byte length, complemented; add a 0xFF byte when the sign bit is clear.
	m := new(big.Int).Neg(n)
	m.Sub(m, big.NewInt(1))
	b := m.Bytes()
	for i := range b {
		b[i] = ^b[i]
	}
	if len(b) == 0 || b[0]&0x80 == 0 {
		b = append([]byte{0xFF}, b...)
	}
	return b
}
