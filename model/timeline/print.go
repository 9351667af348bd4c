package timeline

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"onyx-dashboard/model/value"
)

// prStr prints a value as compact EDN for the text index and the event lines.
// TODO: switch to value.PrStr once model/value/print.go lands; until then this
// local printer covers the types log entries hold.
var prStr = fallbackPrStr

func fallbackPrStr(v value.Value) string {
	var b strings.Builder
	writeEDN(&b, v)
	return b.String()
}

func writeEDN(b *strings.Builder, v value.Value) {
	switch x := v.(type) {
	case nil:
		b.WriteString("nil")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
		b.WriteByte('N')
	case float64:
		switch {
		case math.IsInf(x, 1):
			b.WriteString("##Inf")
		case math.IsInf(x, -1):
			b.WriteString("##-Inf")
		case math.IsNaN(x):
			b.WriteString("##NaN")
		default:
			s := strconv.FormatFloat(x, 'g', -1, 64)
			if !strings.ContainsAny(s, ".eEn") {
				s += ".0"
			}
			b.WriteString(s)
		}
	case string:
		b.WriteString(strconv.Quote(x))
	case value.Char:
		b.WriteByte('\\')
		b.WriteRune(rune(x))
	case value.Keyword:
		b.WriteString(x.String())
	case value.Symbol:
		b.WriteString(x.String())
	case value.UUID:
		b.WriteString(`#uuid "`)
		b.WriteString(x.String())
		b.WriteByte('"')
	case value.Inst:
		b.WriteString(`#inst "`)
		b.WriteString(x.UTC().Format("2006-01-02T15:04:05.000-00:00"))
		b.WriteByte('"')
	case value.Vector:
		writeSeq(b, "[", "]", x)
	case value.List:
		writeSeq(b, "(", ")", x)
	case *value.Set:
		writeSeq(b, "#{", "}", x.Items())
	case *value.Map:
		b.WriteByte('{')
		i := 0
		x.Range(func(k, v value.Value) bool {
			if i > 0 {
				b.WriteString(", ")
			}
			i++
			writeEDN(b, k)
			b.WriteByte(' ')
			writeEDN(b, v)
			return true
		})
		b.WriteByte('}')
	case value.Tagged:
		b.WriteString("#" + x.Tag + " ")
		writeEDN(b, x.Value)
	case value.Opaque:
		b.WriteString("#object[" + x.Class + " " + strconv.Quote(x.Text) + "]")
	case value.Bytes:
		b.WriteString("#bytes[" + strconv.Itoa(len(x)) + "]")
	default:
		b.WriteString("#?")
	}
}

func writeSeq(b *strings.Builder, open, close string, xs []value.Value) {
	b.WriteString(open)
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeEDN(b, x)
	}
	b.WriteString(close)
}

// shortID prints an id the way event lines do: a UUID as its first four hex
// digits and "…", anything else (keyword ids of the unit tests) as printed.
func shortID(v value.Value) string {
	if u, ok := v.(value.UUID); ok {
		return u.String()[:4] + "…"
	}
	return prStr(v)
}
