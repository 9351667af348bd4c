package value

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// Value is any Clojure value; see the package comment for the Go types it may hold.
type Value = any

// Char is a Clojure character (a Java char, printed \c).
type Char rune

// Bytes is a Java byte array. Clojure compares arrays by identity; we compare by
// content, which is what a reader of decoded data expects.
type Bytes []byte

// Vector is a Clojure vector. Never modify the slice of a Vector you did not create.
type Vector []Value

// List is a Clojure list or seq (lazy seqs included): both print as ( … ).
// It equals a Vector with the same items, as in Clojure.
type List []Value

// Tagged preserves a tagged literal the reader does not know (#my/tag value).
type Tagged struct {
	Tag   string
	Value Value
}

// Opaque preserves something that has no Clojure data form: a record, a
// Java-serialized object, a custom Nippy type. Kind says which; Class is the
// Java class name where known; Text is what printable content could be found.
type Opaque struct {
	Kind  string
	Class string
	Text  string
	Raw   []byte
}

// BigDec is a java.math.BigDecimal: Unscaled × 10^-Scale.
type BigDec struct {
	Unscaled *big.Int
	Scale    int32
}

// String prints the decimal without the M suffix.
func (d BigDec) String() string {
	if d.Unscaled == nil {
		return "0"
	}
	s := d.Unscaled.String()
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	switch {
	case d.Scale <= 0:
		s += strings.Repeat("0", int(-d.Scale))
	case int(d.Scale) >= len(s):
		s = "0." + strings.Repeat("0", int(d.Scale)-len(s)) + s
	default:
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Inst is a java.util.Date (#inst). Clojure compares Dates by milliseconds.
type Inst struct{ time.Time }

// InstMillis makes an Inst from milliseconds since the epoch.
func InstMillis(ms int64) Inst { return Inst{time.UnixMilli(ms).UTC()} }

// UUID is a java.util.UUID: Hi is the most significant 64 bits.
type UUID struct{ Hi, Lo uint64 }

// ParseUUID reads the canonical 8-4-4-4-12 hex form.
func ParseUUID(s string) (UUID, error) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return UUID{}, fmt.Errorf("invalid uuid %q", s)
	}
	var b [16]byte
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.Decode(b[:], []byte(h)); err != nil {
		return UUID{}, fmt.Errorf("invalid uuid %q", s)
	}
	return UUIDFromBytes(b[:]), nil
}

// MustUUID is ParseUUID for literals in code and tests.
func MustUUID(s string) UUID {
	u, err := ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// UUIDFromBytes reads 16 big-endian bytes, most significant first.
func UUIDFromBytes(b []byte) UUID {
	var u UUID
	for i := 0; i < 8; i++ {
		u.Hi = u.Hi<<8 | uint64(b[i])
		u.Lo = u.Lo<<8 | uint64(b[8+i])
	}
	return u
}

// Bytes returns the 16 big-endian bytes.
func (u UUID) Bytes() []byte {
	b := make([]byte, 16)
	for i := 0; i < 8; i++ {
		b[7-i] = byte(u.Hi >> (8 * i))
		b[15-i] = byte(u.Lo >> (8 * i))
	}
	return b
}

func (u UUID) String() string {
	var b [36]byte
	raw := u.Bytes()
	hex.Encode(b[0:8], raw[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], raw[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], raw[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], raw[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], raw[10:16])
	return string(b[:])
}

// Compare orders UUIDs as Java's UUID.compareTo does: both halves as signed
// longs (JDK-7025832), so ids with the high bit set sort first.
func (u UUID) Compare(o UUID) int {
	if c := cmp.Compare(int64(u.Hi), int64(o.Hi)); c != 0 {
		return c
	}
	return cmp.Compare(int64(u.Lo), int64(o.Lo))
}

// javaHash is UUID.hashCode(), which is also its Clojure hasheq.
func (u UUID) javaHash() int32 {
	x := u.Hi ^ u.Lo
	return int32(x>>32) ^ int32(x)
}

// named is the interned body of a keyword or symbol. Interning makes equality a
// pointer comparison and lets the hash be computed once.
type named struct {
	ns, name string
	hash     int32 // Clojure hasheq
}

// Keyword is an interned Clojure keyword; compare with ==. The zero Keyword is
// not a keyword (IsZero reports it).
type Keyword struct{ p *named }

// Symbol is an interned Clojure symbol; compare with ==.
type Symbol struct{ p *named }

type internTable struct {
	mu sync.RWMutex
	m  map[[2]string]*named
}

var (
	keywords = internTable{m: map[[2]string]*named{}}
	symbols  = internTable{m: map[[2]string]*named{}}
)

func (t *internTable) get(ns, name string, keyword bool) *named {
	k := [2]string{ns, name}
	t.mu.RLock()
	p := t.m[k]
	t.mu.RUnlock()
	if p != nil {
		return p
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p = t.m[k]; p != nil {
		return p
	}
	p = &named{ns: ns, name: name, hash: symbolHash(ns, name)}
	if keyword {
		p.hash += -1640531527 // 0x9e3779b9 as a Java int, as Keyword's constructor adds
	}
	t.m[k] = p
	return p
}

// splitName splits "ns/name" at the first slash, as Symbol.intern does; "/"
// alone is a name.
func splitName(s string) (ns, name string) {
	if i := strings.IndexByte(s, '/'); i > 0 && s != "/" {
		return s[:i], s[i+1:]
	}
	return "", s
}

// Kw returns the keyword named s ("fn" or "onyx.messaging/impl"), without the colon.
func Kw(s string) Keyword { ns, name := splitName(s); return NSKw(ns, name) }

// NSKw returns the keyword :ns/name; an empty ns means none.
func NSKw(ns, name string) Keyword { return Keyword{keywords.get(ns, name, true)} }

// Sym returns the symbol named s ("inc" or "clojure.core/inc").
func Sym(s string) Symbol { ns, name := splitName(s); return NSSym(ns, name) }

// NSSym returns the symbol ns/name; an empty ns means none.
func NSSym(ns, name string) Symbol { return Symbol{symbols.get(ns, name, false)} }

func (k Keyword) IsZero() bool { return k.p == nil }
func (k Keyword) NS() string {
	if k.p == nil {
		return ""
	}
	return k.p.ns
}
func (k Keyword) Name() string {
	if k.p == nil {
		return ""
	}
	return k.p.name
}

// String is the printed form, colon included.
func (k Keyword) String() string {
	if k.p == nil {
		return ":"
	}
	if k.p.ns == "" {
		return ":" + k.p.name
	}
	return ":" + k.p.ns + "/" + k.p.name
}

func (s Symbol) IsZero() bool { return s.p == nil }
func (s Symbol) NS() string {
	if s.p == nil {
		return ""
	}
	return s.p.ns
}
func (s Symbol) Name() string {
	if s.p == nil {
		return ""
	}
	return s.p.name
}
func (s Symbol) String() string {
	if s.p == nil {
		return ""
	}
	if s.p.ns == "" {
		return s.p.name
	}
	return s.p.ns + "/" + s.p.name
}
