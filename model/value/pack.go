package value

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"
)

// Packer writes values in a compact binary form of its own and reads them
// back exactly: the same types, the same iteration order (array map or hash
// map included). A timeline keeps its million entries packed, ~40 bytes each
// instead of the ~230 bytes of their decoded maps, and unpacks the few it
// replays (docs/timeline.md, Memory).
//
// Keywords and symbols are written as numbers into the Packer's own table,
// so packed bytes are only readable by the Packer that wrote them. Pack and
// Unpack must not run concurrently with Pack (a reader-writer lock held by the
// owner, as the timeline's, is enough); Unpacks may run concurrently.
type Packer struct {
	index map[*named]uint32 // keyword or symbol body → its number
	names []Value           // number → Keyword or Symbol
}

// NewPacker returns a Packer with an empty table.
func NewPacker() *Packer { return &Packer{index: map[*named]uint32{}} }

// ErrUnpackable reports a value of a type Pack does not know.
var ErrUnpackable = errors.New("value cannot be packed")

// The tags of the packed form, one byte before each value.
const (
	pkNil byte = iota
	pkFalse
	pkTrue
	pkInt
	pkFloat
	pkString
	pkChar
	pkName // a Keyword or Symbol: its number in the table
	pkUUID
	pkInst
	pkVector
	pkList
	pkArrayMap
	pkHashMap
	pkSet
	pkBytes
	pkBigInt
	pkRatio
	pkBigDec
	pkTagged
	pkOpaque
)

// Pack appends v's packed form to dst. On ErrUnpackable (a Go type that is not
// a Value) it returns dst as it was.
func (p *Packer) Pack(dst []byte, v Value) ([]byte, error) {
	n := len(dst)
	out, err := p.pack(dst, v)
	if err != nil {
		return dst[:n], err
	}
	return out, nil
}

func (p *Packer) pack(b []byte, v Value) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, pkNil), nil
	case bool:
		if x {
			return append(b, pkTrue), nil
		}
		return append(b, pkFalse), nil
	case int64:
		return binary.AppendVarint(append(b, pkInt), x), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, pkFloat), math.Float64bits(x)), nil
	case string:
		return appendPacked(append(b, pkString), x), nil
	case Char:
		return binary.AppendUvarint(append(b, pkChar), uint64(x)), nil
	case Keyword:
		if x.p == nil {
			return b, fmt.Errorf("%w: the zero Keyword", ErrUnpackable)
		}
		return binary.AppendUvarint(append(b, pkName), uint64(p.number(x.p, x))), nil
	case Symbol:
		if x.p == nil {
			return b, fmt.Errorf("%w: the zero Symbol", ErrUnpackable)
		}
		return binary.AppendUvarint(append(b, pkName), uint64(p.number(x.p, x))), nil
	case UUID:
		b = binary.BigEndian.AppendUint64(append(b, pkUUID), x.Hi)
		return binary.BigEndian.AppendUint64(b, x.Lo), nil
	case Inst:
		raw, err := x.MarshalBinary() // keeps the zone offset the reader saw
		if err != nil {
			return b, fmt.Errorf("%w: %v", ErrUnpackable, err)
		}
		return appendPacked(append(b, pkInst), string(raw)), nil
	case Vector:
		return p.packItems(append(b, pkVector), x)
	case List:
		return p.packItems(append(b, pkList), x)
	case *Map:
		tag := pkArrayMap
		if x.IsHashMap() {
			tag = pkHashMap
		}
		b = binary.AppendUvarint(append(b, tag), uint64(x.Len()))
		x.Range(func(k, v Value) bool {
			if b, err = p.pack(b, k); err == nil {
				b, err = p.pack(b, v)
			}
			return err == nil
		})
		return b, err
	case *Set:
		b = binary.AppendUvarint(append(b, pkSet), uint64(x.Len()))
		x.Range(func(v Value) bool {
			b, err = p.pack(b, v)
			return err == nil
		})
		return b, err
	case Bytes:
		return appendPacked(append(b, pkBytes), string(x)), nil
	case *big.Int:
		return appendBig(append(b, pkBigInt), x), nil
	case *big.Rat:
		return appendBig(appendBig(append(b, pkRatio), x.Num()), x.Denom()), nil
	case BigDec:
		u := x.Unscaled
		if u == nil {
			u = new(big.Int)
		}
		return binary.AppendVarint(appendBig(append(b, pkBigDec), u), int64(x.Scale)), nil
	case Tagged:
		return p.pack(appendPacked(append(b, pkTagged), x.Tag), x.Value)
	case Opaque:
		b = appendPacked(appendPacked(append(b, pkOpaque), x.Kind), x.Class)
		b = appendPacked(b, x.Text)
		return appendPacked(b, string(x.Raw)), nil
	}
	return b, fmt.Errorf("%w: a Go %T", ErrUnpackable, v)
}

func (p *Packer) number(body *named, v Value) uint32 {
	if n, ok := p.index[body]; ok {
		return n
	}
	n := uint32(len(p.names))
	p.index[body] = n
	p.names = append(p.names, v)
	return n
}

func (p *Packer) packItems(b []byte, items []Value) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(items)))
	for _, it := range items {
		var err error
		if b, err = p.pack(b, it); err != nil {
			return b, err
		}
	}
	return b, nil
}

func appendPacked(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendBig writes a big integer as its sign and magnitude.
func appendBig(b []byte, x *big.Int) []byte {
	b = append(b, byte(x.Sign()+1))
	return appendPacked(b, string(x.Bytes()))
}

// Unpack reads one packed value from b and says how many bytes it took. An
// error (bytes this Packer did not write) names the byte offset.
func (p *Packer) Unpack(b []byte) (Value, int, error) {
	u := unpacker{p: p, b: b}
	v := u.value(0)
	if u.err != nil {
		return nil, u.off, u.err
	}
	return v, u.off, nil
}

type unpacker struct {
	p   *Packer
	b   []byte
	off int
	err error
}

// maxPackDepth bounds nesting, so bytes that are not ours cannot exhaust the stack.
const maxPackDepth = 1000

func (u *unpacker) fail(format string, args ...any) Value {
	if u.err == nil {
		u.err = fmt.Errorf("packed value at byte %d: "+format, append([]any{u.off}, args...)...)
	}
	return nil
}

// The readers below read nothing once an error is set, so a bad length
// read after it cannot size an allocation.

func (u *unpacker) byte1() byte {
	if u.err != nil {
		return 0
	}
	if u.off >= len(u.b) {
		u.fail("truncated")
		return 0
	}
	c := u.b[u.off]
	u.off++
	return c
}

func (u *unpacker) uvarint() uint64 {
	if u.err != nil {
		return 0
	}
	x, n := binary.Uvarint(u.b[u.off:])
	if n <= 0 {
		u.fail("bad length or number")
		return 0
	}
	u.off += n
	return x
}

func (u *unpacker) varint() int64 {
	if u.err != nil {
		return 0
	}
	x, n := binary.Varint(u.b[u.off:])
	if n <= 0 {
		u.fail("bad number")
		return 0
	}
	u.off += n
	return x
}

func (u *unpacker) raw(n int) []byte {
	if u.err != nil {
		return nil
	}
	if n < 0 || n > len(u.b)-u.off {
		u.fail("truncated (%d bytes wanted)", n)
		return nil
	}
	s := u.b[u.off : u.off+n]
	u.off += n
	return s
}

func (u *unpacker) str() string { return string(u.raw(u.count(1))) }

// count reads a length and checks that the bytes left could hold that many
// items of at least min bytes each, so no bad length makes a huge allocation.
func (u *unpacker) count(min int) int {
	n := u.uvarint()
	if u.err != nil {
		return 0
	}
	if n > uint64(len(u.b)-u.off)/uint64(min) {
		u.fail("length %d exceeds the %d bytes left", n, len(u.b)-u.off)
		return 0
	}
	return int(n)
}

func (u *unpacker) big() *big.Int {
	sign := int(u.byte1()) - 1
	x := new(big.Int).SetBytes(u.raw(u.count(1)))
	if sign < 0 {
		x.Neg(x)
	}
	return x
}

func (u *unpacker) items(depth int) []Value {
	n := u.count(1)
	items := make([]Value, 0, n)
	for i := 0; i < n && u.err == nil; i++ {
		items = append(items, u.value(depth+1))
	}
	return items
}

func (u *unpacker) value(depth int) Value {
	if depth > maxPackDepth {
		return u.fail("nested deeper than %d", maxPackDepth)
	}
	switch tag := u.byte1(); tag {
	case pkNil:
		return nil
	case pkFalse:
		return false
	case pkTrue:
		return true
	case pkInt:
		return u.varint()
	case pkFloat:
		if r := u.raw(8); r != nil {
			return math.Float64frombits(binary.LittleEndian.Uint64(r))
		}
		return nil
	case pkString:
		return u.str()
	case pkChar:
		return Char(u.uvarint())
	case pkName:
		n := u.uvarint()
		if n >= uint64(len(u.p.names)) {
			return u.fail("keyword or symbol number %d not in the table", n)
		}
		return u.p.names[n]
	case pkUUID:
		if r := u.raw(16); r != nil {
			return UUID{binary.BigEndian.Uint64(r), binary.BigEndian.Uint64(r[8:])}
		}
		return nil
	case pkInst:
		var t time.Time
		if err := t.UnmarshalBinary(u.raw(u.count(1))); err != nil {
			return u.fail("inst: %v", err)
		}
		return Inst{t}
	case pkVector:
		return Vector(u.items(depth))
	case pkList:
		return List(u.items(depth))
	case pkArrayMap, pkHashMap:
		kvs := u.items2(depth)
		if u.err != nil {
			return nil
		}
		if tag == pkHashMap {
			h, dup := newHashMap(kvs)
			if dup {
				return u.fail("map with a repeated key")
			}
			return h
		}
		// Built as stored: an array map keeps its order whatever its size.
		m := newArrayMap(len(kvs) / 2)
		for i := 0; i < len(kvs); i += 2 {
			m.arr = append(m.arr, kv{kvs[i], kvs[i+1]})
		}
		if repeatsKey(m.arr) {
			return u.fail("map with a repeated key")
		}
		return m
	case pkSet:
		items := u.items(depth)
		if u.err != nil {
			return nil
		}
		s, dup := newSet(items)
		if dup {
			return u.fail("set with a repeated item")
		}
		return s
	case pkBytes:
		return Bytes(append([]byte{}, u.raw(u.count(1))...)) // not the caller's buffer
	case pkBigInt:
		return u.big()
	case pkRatio:
		num, den := u.big(), u.big()
		if u.err != nil {
			return nil
		}
		if den.Sign() == 0 {
			return u.fail("ratio with a zero denominator")
		}
		return new(big.Rat).SetFrac(num, den)
	case pkBigDec:
		x := u.big()
		scale := u.varint()
		if scale < math.MinInt32 || scale > math.MaxInt32 {
			return u.fail("bigdec scale %d", scale)
		}
		return BigDec{Unscaled: x, Scale: int32(scale)}
	case pkTagged:
		tag := u.str()
		return Tagged{Tag: tag, Value: u.value(depth + 1)}
	case pkOpaque:
		o := Opaque{Kind: u.str(), Class: u.str(), Text: u.str()}
		if raw := u.raw(u.count(1)); len(raw) > 0 {
			o.Raw = append([]byte(nil), raw...)
		}
		return o
	default:
		if u.err == nil {
			u.off--
			return u.fail("unknown tag %d", tag)
		}
		return nil
	}
}

// items2 reads a map's count and its keys and values, alternating.
func (u *unpacker) items2(depth int) []Value {
	n := u.count(2)
	kvs := make([]Value, 0, 2*n)
	for i := 0; i < n && u.err == nil; i++ {
		kvs = append(kvs, u.value(depth+1), u.value(depth+1))
	}
	return kvs
}

// repeatsKey reports whether an array map's entries repeat a key: pairwise
// for the usual few, through a hash map beyond.
func repeatsKey(es kvs) bool {
	if len(es) > arrayMapMax {
		kvs := make([]Value, 0, 2*len(es))
		for _, e := range es {
			kvs = append(kvs, e.k, e.v)
		}
		_, dup := newHashMap(kvs)
		return dup
	}
	for i := 1; i < len(es); i++ {
		if es[:i].findLinear(es[i].k) >= 0 {
			return true
		}
	}
	return false
}
