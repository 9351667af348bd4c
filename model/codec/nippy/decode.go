package nippy

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"unicode/utf8"

	"onyx-dashboard/model/value"
)

// decoder reads one body. It is used once, by one goroutine.
type decoder struct {
	b      []byte
	p      int
	base   int64 // offset of b[0] in what the user sees
	inBody bool
	depth  int
	stack  []value.Value       // scratch for hash map and set elements
	pooled *[]value.Value      // where stack came from, nil until needed
	cache  map[int]cachedValue // nippy/cache references, made on first use
	nodes  int                 // values read, cache references counted expanded
}

// cachedValue is a nippy/cache entry and how many values it expands to.
type cachedValue struct {
	v     value.Value
	nodes int
}

// maxExpansion bounds the values a body may expand to through cache
// references (per input byte): shared references could otherwise describe
// a value exponentially larger than the input, which printing or encoding
// would never finish.
const maxExpansion = 64

// stacks recycles the scratch stacks of decoders: growing one for every
// small entry was a tenth of the allocations. A stack goes back holding the
// elements of the last collections built on it: clearing them cost 5 % of a
// decode (under the write barrier), they are mostly alive in the decoded
// value anyway, and sync.Pool drops what waits unused for two collections.
// Stacks grown past maxPooledStack are not kept, which bounds what is held.
var stacks = sync.Pool{New: func() any { s := make([]value.Value, 0, 64); return &s }}

const maxPooledStack = 1 << 12

// decode reads the whole body b (at offset base of what the user sees).
func decode(b []byte, base int64, inBody bool) (value.Value, error) {
	d := decoder{b: b, base: base, inBody: inBody}
	v, err := d.whole()
	if d.pooled != nil && cap(d.stack) <= maxPooledStack {
		*d.pooled = d.stack[:0]
		stacks.Put(d.pooled)
	}
	return v, err
}

func (d *decoder) whole() (value.Value, error) {
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	if d.p != len(d.b) {
		return nil, d.fail(d.p, ErrCorrupt, "%d bytes after the value", len(d.b)-d.p)
	}
	return v, nil
}

func (d *decoder) fail(at int, sentinel error, format string, args ...any) error {
	return &Error{Offset: d.base + int64(at), InBody: d.inBody, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// short fails for want more bytes of what at the current position.
func (d *decoder) short(want int, what string) error {
	return d.fail(d.p, errTruncated, "truncated %s: want %d bytes, %d left", what, want, len(d.b)-d.p)
}

func (d *decoder) take(n int, what string) ([]byte, error) {
	if n > len(d.b)-d.p {
		return nil, d.short(n, what)
	}
	s := d.b[d.p : d.p+n]
	d.p += n
	return s, nil
}

func (d *decoder) i8(what string) (int, error) {
	if d.p >= len(d.b) {
		return 0, d.short(1, what)
	}
	v := int8(d.b[d.p])
	d.p++
	return int(v), nil
}

func (d *decoder) u8(what string) (int, error) {
	if d.p >= len(d.b) {
		return 0, d.short(1, what)
	}
	v := d.b[d.p]
	d.p++
	return int(v), nil
}

func (d *decoder) i16(what string) (int, error) {
	if len(d.b)-d.p < 2 {
		return 0, d.short(2, what)
	}
	v := int16(binary.BigEndian.Uint16(d.b[d.p:]))
	d.p += 2
	return int(v), nil
}

func (d *decoder) u16(what string) (int, error) {
	if len(d.b)-d.p < 2 {
		return 0, d.short(2, what)
	}
	v := binary.BigEndian.Uint16(d.b[d.p:])
	d.p += 2
	return int(v), nil
}

func (d *decoder) i32(what string) (int64, error) {
	if len(d.b)-d.p < 4 {
		return 0, d.short(4, what)
	}
	v := int32(binary.BigEndian.Uint32(d.b[d.p:]))
	d.p += 4
	return int64(v), nil
}

func (d *decoder) i64(what string) (int64, error) {
	if len(d.b)-d.p < 8 {
		return 0, d.short(8, what)
	}
	v := int64(binary.BigEndian.Uint64(d.b[d.p:]))
	d.p += 8
	return v, nil
}

// count reads a count of size bytes (1, 2 or 4; signed like Java's readByte,
// readShort, readInt) and checks that per×count bytes can still follow, so
// that nothing is allocated for a count the input cannot hold.
func (d *decoder) count(size, per int, what string) (int, error) {
	at := d.p
	if len(d.b)-at < size {
		return 0, d.fail(at, errTruncated, "truncated %s count: want %d bytes, %d left", what, size, len(d.b)-at)
	}
	var n int64
	switch size {
	case 1:
		n = int64(int8(d.b[at]))
	case 2:
		n = int64(int16(binary.BigEndian.Uint16(d.b[at:])))
	default:
		n = int64(int32(binary.BigEndian.Uint32(d.b[at:])))
	}
	d.p += size
	return d.checkCount(at, n, per, what)
}

// ucount is count for Nippy 3.3's unsigned one-byte counts.
func (d *decoder) ucount(per int, what string) (int, error) {
	at := d.p
	if at >= len(d.b) {
		return 0, d.fail(at, errTruncated, "truncated %s count: want 1 bytes, 0 left", what)
	}
	d.p++
	return d.checkCount(at, int64(d.b[at]), per, what)
}

func (d *decoder) checkCount(at int, n int64, per int, what string) (int, error) {
	if n < 0 {
		return 0, d.fail(at, ErrCorrupt, "negative %s count %d", what, n)
	}
	if left := int64(len(d.b) - d.p); n*int64(per) > left {
		return 0, d.fail(at, errTruncated, "truncated %s: count %d needs at least %d bytes, %d left", what, n, n*int64(per), left)
	}
	return int(n), nil
}

// text returns n bytes of UTF-8 (string, keyword and symbol payloads).
func (d *decoder) text(n int, what string) ([]byte, error) {
	at := d.p
	s, err := d.take(n, what)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(s) {
		return nil, d.fail(at, ErrCorrupt, "invalid UTF-8 in %s", what)
	}
	return s, nil
}

func (d *decoder) str(size int) (value.Value, error) {
	n, err := d.count(size, 1, "string")
	if err != nil {
		return nil, err
	}
	return d.strN(n)
}

// strN reads a string of n bytes, which the count check guarantees are
// there. A string found in the cache is valid UTF-8 already.
func (d *decoder) strN(n int) (value.Value, error) {
	if n <= maxCachedString {
		if v, ok := cachedString(d.b[d.p : d.p+n]); ok {
			d.p += n
			return v, nil
		}
	}
	s, err := d.text(n, "string")
	if err != nil {
		return nil, err
	}
	if n <= maxCachedString {
		return internString(s), nil
	}
	return string(s), nil
}

// strU is a string with an unsigned byte length (Nippy 3.3+ id 96).
func (d *decoder) strU() (value.Value, error) {
	n, err := d.ucount(1, "string")
	if err != nil {
		return nil, err
	}
	return d.strN(n)
}

func (d *decoder) keyword(size int) (value.Value, error) {
	n, err := d.count(size, 1, "keyword")
	if err != nil {
		return nil, err
	}
	// The count was checked against the input, so the bytes are there. A
	// name found in the cache is valid UTF-8 already; only a miss validates.
	s := d.b[d.p : d.p+n]
	if k, ok := cachedKeyword(s); ok {
		d.p += n
		return k, nil
	}
	if s, err = d.text(n, "keyword"); err != nil {
		return nil, err
	}
	return internKeyword(s), nil
}

func (d *decoder) symbol(size int) (value.Value, error) {
	n, err := d.count(size, 1, "symbol")
	if err != nil {
		return nil, err
	}
	s, err := d.text(n, "symbol")
	if err != nil {
		return nil, err
	}
	return value.Sym(string(s)), nil
}

func (d *decoder) enter(at int) error {
	d.depth++
	if d.depth > maxDepth {
		return d.fail(at, ErrCorrupt, "nesting deeper than %d", maxDepth)
	}
	return nil
}

// elems reads n values into a new slice.
func (d *decoder) elems(at, n int) ([]value.Value, error) {
	if n == 0 {
		return nil, nil
	}
	if err := d.enter(at); err != nil {
		return nil, err
	}
	out := make([]value.Value, n)
	for i := range out {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	d.depth--
	return out, nil
}

// push reads n values onto the scratch stack and returns where they start.
func (d *decoder) push(at, n int) (int, error) {
	if d.pooled == nil { // the first hash map or set of this decode
		d.pooled = stacks.Get().(*[]value.Value)
		d.stack = *d.pooled
	}
	base := len(d.stack)
	if err := d.enter(at); err != nil {
		return 0, err
	}
	for i := 0; i < n; i++ {
		v, err := d.value()
		if err != nil {
			return 0, err
		}
		d.stack = append(d.stack, v)
	}
	d.depth--
	return base, nil
}

func (d *decoder) vector(at, size int) (value.Value, error) {
	n, err := d.count(size, 1, "vector")
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return emptyVector, nil
	}
	xs, err := d.elems(at, n)
	return value.Vector(xs), err
}

func (d *decoder) list(at, size int) (value.Value, error) {
	n, err := d.count(size, 1, "list")
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return emptyList, nil
	}
	xs, err := d.elems(at, n)
	return value.List(xs), err
}

func (d *decoder) set(at, n int) (value.Value, error) {
	base, err := d.push(at, n)
	if err != nil {
		return nil, err
	}
	s := value.NewSetFrom(d.stack[base:])
	d.stack = d.stack[:base]
	return s, nil
}

// mapKind says how Nippy built a map: by assoc into {} (the reader rule),
// with hash-map (id 22), or into sorted-map (ids 29, 31).
type mapKind int

const (
	assocMap mapKind = iota
	hashMap
	sortedMap
)

func (d *decoder) mapOf(at, n int, kind mapKind) (value.Value, error) {
	if kind == assocMap && n <= 8 {
		return d.smallMap(at, n)
	}
	base, err := d.push(at, 2*n)
	if err != nil {
		return nil, err
	}
	kvs := d.stack[base:]
	var m *value.Map
	switch kind {
	case hashMap:
		m = value.NewHashMap(kvs...)
	case sortedMap:
		m = value.NewMapFrom(sortPairs(kvs))
	default:
		m = value.NewMapFrom(kvs)
	}
	d.stack = d.stack[:base]
	return m, nil
}

// smallMap reads the entries of an array map straight into it: the count
// came first, so the map is allocated once at its size and the entries skip
// the scratch stack.
func (d *decoder) smallMap(at, n int) (value.Value, error) {
	if err := d.enter(at); err != nil {
		return nil, err
	}
	m := value.NewSmallMap(n)
	for i := 0; i < n; i++ {
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m.Add(k, v)
	}
	d.depth--
	return m.Map(), nil
}

func (d *decoder) float64At(what string) (value.Value, error) {
	v, err := d.i64(what)
	if f := math.Float64frombits(uint64(v)); !math.IsInf(f, 1) {
		return f, err
	}
	return posInf, err // every saturation in Onyx's entries
}
