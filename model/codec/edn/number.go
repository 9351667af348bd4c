package edn

import (
	"errors"
	"math"
	"math/big"
	"strconv"

	"onyx-dashboard/model/value"
)

// readNumber reads what Clojure's matchNumber accepts: integers (decimal,
// 0x hex, 0 octal, NrDDD radix; N suffix → *big.Int), doubles, M decimals and
// ratios. An integer too large for int64 becomes a *big.Int, as in Clojure.
func (p *parser) readNumber() (value.Value, error) {
	start := p.pos
	end := p.token(start, &numDelim)
	t := p.data[start:end]
	p.pos = end
	// Fast path: a plain decimal long of up to 18 digits.
	i, neg := 0, false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		i = 1
	}
	if n := len(t) - i; n <= 18 && (t[i] != '0' || n == 1) {
		var x int64
		j := i
		for ; j < len(t) && isDigit(t[j]); j++ {
			x = x*10 + int64(t[j]-'0')
		}
		if j == len(t) {
			if neg {
				x = -x
			}
			return x, nil
		}
	}
	v, err := parseNumber(string(t))
	if err != nil {
		return nil, p.fail(start, "invalid number %q: %v", t, err)
	}
	return v, nil
}

type numError string

func (e numError) Error() string { return string(e) }

func parseNumber(s string) (value.Value, error) {
	body, sign := s, ""
	if body[0] == '-' || body[0] == '+' {
		sign, body = body[:1], body[1:]
		if sign == "+" {
			sign = ""
		}
	}
	if body == "" || !isDigit(body[0]) {
		return nil, numError("not a number")
	}
	last := body[len(body)-1]
	isHex := len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	isRadix := hasRadixPrefix(body)
	switch {
	case isHex || isRadix:
	case last == 'M':
		return parseDecimal(sign, body[:len(body)-1])
	case containsAny(body, ".eE"):
		return parseDouble(sign + body)
	case containsAny(body, "/"):
		return parseRatio(sign, body)
	}
	forceBig := last == 'N' && !isRadix // in NrDDD, N is a digit (the regex is greedy)
	if forceBig {
		body = body[:len(body)-1]
	}
	base, digits := 10, body
	switch {
	case isHex:
		base, digits = 16, body[2:]
	case isRadix:
		r, k := 0, 0
		for ; isDigit(body[k]); k++ {
			r = r*10 + int(body[k]-'0')
		}
		if r < 2 || r > 36 || body[0] == '0' {
			return nil, numError("radix out of range")
		}
		base, digits = r, body[k+1:]
	case len(body) > 1 && body[0] == '0':
		base, digits = 8, body[1:]
	}
	if digits == "" {
		return nil, numError("no digits")
	}
	n, ok := new(big.Int).SetString(sign+digits, base)
	if !ok || containsAny(digits, "+-_") {
		return nil, numError("invalid digits")
	}
	if !forceBig && n.IsInt64() {
		return n.Int64(), nil
	}
	return n, nil
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

// hasRadixPrefix reports the NrDDD form (2r101, 36rZZ).
func hasRadixPrefix(s string) bool {
	for i := 0; i < len(s) && i < 3; i++ {
		if s[i] == 'r' || s[i] == 'R' {
			return i > 0
		}
		if !isDigit(s[i]) {
			return false
		}
	}
	return false
}

// splitFloat checks digits[.digits][e[+-]digits] and returns its parts.
func splitFloat(s string) (intPart, frac, exp string, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return "", "", "", false
	}
	intPart = s[:i]
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		frac, i = s[i+1:j], j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j {
			return "", "", "", false
		}
		exp, i = s[i+1:k], k
	}
	return intPart, frac, exp, i == len(s)
}

func parseDouble(s string) (value.Value, error) {
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	if _, _, _, ok := splitFloat(body); !ok {
		return nil, numError("malformed double")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) { // out of range: Java gives ±Infinity or 0 too
		return nil, numError("malformed double")
	}
	return f, nil
}

// parseDecimal reads a BigDecimal (without its M) as Java's BigDecimal(String).
func parseDecimal(sign, s string) (value.Value, error) {
	intPart, frac, exp, ok := splitFloat(s)
	if !ok {
		return nil, numError("malformed decimal")
	}
	unscaled, _ := new(big.Int).SetString(sign+intPart+frac, 10)
	scale := int64(len(frac))
	if exp != "" {
		e, err := strconv.ParseInt(exp, 10, 32)
		if err != nil {
			return nil, numError("decimal exponent out of range")
		}
		scale -= e
	}
	if scale < math.MinInt32 || scale > math.MaxInt32 {
		return nil, numError("decimal scale out of range")
	}
	return value.BigDec{Unscaled: unscaled, Scale: int32(scale)}, nil
}

// parseRatio reads n/d; like Clojure it reduces, and a whole result is a BigInt.
func parseRatio(sign, s string) (value.Value, error) {
	slash := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			slash = i
			break
		}
	}
	num, den := s[:slash], s[slash+1:]
	if num == "" || den == "" || !allDigits(num) || !allDigits(den) {
		return nil, numError("malformed ratio")
	}
	n, _ := new(big.Int).SetString(sign+num, 10)
	d, _ := new(big.Int).SetString(den, 10)
	if d.Sign() == 0 {
		return nil, numError("divide by zero")
	}
	r := new(big.Rat).SetFrac(n, d)
	if r.IsInt() {
		return new(big.Int).Set(r.Num()), nil
	}
	return r, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
