package value

import (
	"math"
	"math/big"
	"unicode/utf16"
)

// Hash is Clojure's hasheq (Util.hasheq, Clojure 1.6 and later): the hash that
// decides PersistentHashMap and PersistentHashSet iteration order.
func Hash(v Value) int32 {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		if x {
			return 1231
		}
		return 1237
	case int64:
		return hashLong(x)
	case float64:
		if x == 0 { // -0.0 and 0.0 are =, so they hash alike
			return 0
		}
		bits := math.Float64bits(x)
		return int32(bits ^ bits>>32)
	case *big.Int:
		if x.IsInt64() {
			return hashLong(x.Int64())
		}
		return bigIntegerHash(x)
	case string:
		return hashInt(javaStringHash(x))
	case Keyword:
		return x.hasheq()
	case Symbol:
		if x.p == nil {
			return 0
		}
		return x.p.hash
	case UUID:
		return x.javaHash()
	case Char:
		return int32(x)
	case Inst:
		ms := x.UnixMilli()
		return int32(ms) ^ int32(uint64(ms)>>32)
	case Vector:
		return hashOrdered(x)
	case List:
		return hashOrdered(x)
	case *Map:
		return x.hasheq()
	case *Set:
		return x.hasheq()
	case Bytes:
		return hashOrdered(bytesAsValues(x))
	case Tagged:
		return hashCombine(javaStringHash(x.Tag), Hash(x.Value))
	case Opaque:
		return javaStringHash(x.Class + x.Text)
	case BigDec:
		return hashCombine(Hash(x.Unscaled), int32(x.Scale))
	case *big.Rat:
		return Hash(x.Num()) ^ Hash(x.Denom())
	case int:
		return hashLong(int64(x))
	}
	return 0
}

// hasheq is Hash for a keyword, small enough to inline.
func (k Keyword) hasheq() int32 {
	if k.p == nil {
		return 0
	}
	return k.p.hash
}

func bytesAsValues(b []byte) []Value {
	out := make([]Value, len(b))
	for i, c := range b {
		out[i] = int64(int8(c))
	}
	return out
}

// javaStringHash is String.hashCode over UTF-16 units.
func javaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			a, b := utf16.EncodeRune(r)
			h = 31*h + int32(a)
			h = 31*h + int32(b)
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// bigIntegerHash is java.math.BigInteger.hashCode: 31*h + each 32-bit magnitude
// word (most significant first), times the sign.
func bigIntegerHash(x *big.Int) int32 {
	mag := new(big.Int).Abs(x).Bytes()
	for len(mag)%4 != 0 {
		mag = append([]byte{0}, mag...)
	}
	var h int32
	for i := 0; i < len(mag); i += 4 {
		w := int32(uint32(mag[i])<<24 | uint32(mag[i+1])<<16 | uint32(mag[i+2])<<8 | uint32(mag[i+3]))
		h = 31*h + w
	}
	return h * int32(x.Sign())
}

// hashCombine is clojure.lang.Util.hashCombine.
func hashCombine(seed, hash int32) int32 {
	seed ^= hash + -1640531527 + (seed << 6) + (seed >> 2)
	return seed
}

// symbolHash is Symbol.hasheq: Murmur3 of the name combined with the namespace's
// String.hashCode.
func symbolHash(ns, name string) int32 {
	var nsHash int32
	if ns != "" {
		nsHash = javaStringHash(ns)
	}
	return hashCombine(hashUnencodedChars(name), nsHash)
}

// Murmur3 as in clojure.lang.Murmur3 (seed 0).
const (
	m3c1 = uint32(0xcc9e2d51)
	m3c2 = uint32(0x1b873593)
)

func rotl(x uint32, r uint) uint32 { return x<<r | x>>(32-r) }

func mixK1(k1 uint32) uint32 {
	k1 *= m3c1
	k1 = rotl(k1, 15)
	return k1 * m3c2
}

func mixH1(h1, k1 uint32) uint32 {
	h1 ^= k1
	h1 = rotl(h1, 13)
	return h1*5 + 0xe6546b64
}

func fmix(h1 uint32, length uint32) int32 {
	h1 ^= length
	h1 ^= h1 >> 16
	h1 *= 0x85ebca6b
	h1 ^= h1 >> 13
	h1 *= 0xc2b2ae35
	h1 ^= h1 >> 16
	return int32(h1)
}

func hashInt(input int32) int32 {
	if input == 0 {
		return 0
	}
	return fmix(mixH1(0, mixK1(uint32(input))), 4)
}

func hashLong(input int64) int32 {
	if input == 0 {
		return 0
	}
	h1 := mixH1(0, mixK1(uint32(input)))
	h1 = mixH1(h1, mixK1(uint32(uint64(input)>>32)))
	return fmix(h1, 8)
}

func hashUnencodedChars(s string) int32 {
	units := utf16.Encode([]rune(s))
	var h1 uint32
	n := len(units)
	for i := 1; i < n; i += 2 {
		k1 := uint32(units[i-1]) | uint32(units[i])<<16
		h1 = mixH1(h1, mixK1(k1))
	}
	if n&1 == 1 {
		h1 ^= mixK1(uint32(units[n-1]))
	}
	return fmix(h1, uint32(2*n))
}

func mixCollHash(hash int32, count int) int32 {
	return fmix(mixH1(0, mixK1(uint32(hash))), uint32(count))
}

func hashOrdered[T any](xs []T) int32 {
	var h int32 = 1
	for _, x := range xs {
		h = 31*h + Hash(x)
	}
	return mixCollHash(h, len(xs))
}
