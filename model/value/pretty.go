package value

// Pretty prints v the way clojure.pprint lays out data: a form that fits in
// the width (72 columns, pprint's right margin, when width ≤ 0) stays on one
// line; otherwise a collection puts each item on its own line, aligned one
// column after its opening bracket, and a map entry that does not fit puts its
// value on the line below its key. The text is what PrStr prints, plus line
// breaks and indentation, so it reads back to an equal value.
func Pretty(v Value, width int) string {
	if width <= 0 {
		width = 72
	}
	pp := &prettyPrinter{width: width}
	pp.write(v, 0, 0)
	return string(pp.out)
}

type prettyPrinter struct {
	out     []byte
	width   int
	scratch []byte
}

// write prints v starting at column col; trail is how many characters (closing
// brackets, a comma) must follow it on the same line.
func (pp *prettyPrinter) write(v Value, col, trail int) {
	if pp.fits(v, pp.width-col-trail) {
		pp.out = AppendPrStr(pp.out, v)
		return
	}
	switch x := v.(type) {
	case Vector:
		pp.writeSeq("[", x, "]", col, trail)
	case List:
		pp.writeSeq("(", x, ")", col, trail)
	case *Set:
		pp.writeSeq("#{", x.Items(), "}", col, trail)
	case *Map:
		pp.writeMap(x, col, trail)
	case Tagged:
		pp.out = append(append(append(pp.out, '#'), x.Tag...), ' ')
		pp.write(x.Value, col+len(x.Tag)+2, trail)
	default:
		pp.out = AppendPrStr(pp.out, v)
	}
}

func (pp *prettyPrinter) newline(col int) {
	pp.out = append(pp.out, '\n')
	for i := 0; i < col; i++ {
		pp.out = append(pp.out, ' ')
	}
}

func (pp *prettyPrinter) writeSeq(open string, xs []Value, closing string, col, trail int) {
	pp.out = append(pp.out, open...)
	inner := col + len(open)
	for i, x := range xs {
		if i > 0 {
			pp.newline(inner)
		}
		t := 0
		if i == len(xs)-1 {
			t = trail + len(closing)
		}
		pp.write(x, inner, t)
	}
	pp.out = append(pp.out, closing...)
}

func (pp *prettyPrinter) writeMap(m *Map, col, trail int) {
	pp.out = append(pp.out, '{')
	inner := col + 1
	n, i := m.Len(), -1
	m.Range(func(k, v Value) bool {
		i++
		if i > 0 {
			pp.out = append(pp.out, ',')
			pp.newline(inner)
		}
		t := 1 // the comma
		if i == n-1 {
			t = trail + 1 // the closing brace
		}
		kl, kok := pp.flatLen(k, pp.width)
		if vl, vok := pp.flatLen(v, pp.width); kok && vok && inner+kl+1+vl+t <= pp.width {
			pp.out = AppendPrStr(pp.out, k)
			pp.out = append(pp.out, ' ')
			pp.out = AppendPrStr(pp.out, v)
			return true
		}
		pp.write(k, inner, 0)
		pp.newline(inner)
		pp.write(v, inner, t)
		return true
	})
	pp.out = append(pp.out, '}')
}

func (pp *prettyPrinter) fits(v Value, budget int) bool {
	_, ok := pp.flatLen(v, budget)
	return ok
}

// flatLen is the length of PrStr(v) in characters, if it is at most budget;
// it stops counting once budget is exceeded.
func (pp *prettyPrinter) flatLen(v Value, budget int) (int, bool) {
	if budget < 0 {
		return 0, false
	}
	var n int
	var items []Value
	switch x := v.(type) {
	case Vector:
		n, items = 2, x
	case List:
		n, items = 2, x
	case *Set:
		n = 3
		ok, i := true, 0
		x.Range(func(it Value) bool {
			var l int
			l, ok = pp.flatLen(it, budget-n)
			n += l + min(i, 1)
			i++
			ok = ok && n <= budget
			return ok
		})
		return n, ok
	case *Map:
		n = 2
		ok, i := true, 0
		x.Range(func(k, val Value) bool {
			var kl, vl int
			if kl, ok = pp.flatLen(k, budget-n); ok {
				vl, ok = pp.flatLen(val, budget-n-kl)
			}
			n += kl + 1 + vl + 2*min(i, 1)
			i++
			ok = ok && n <= budget
			return ok
		})
		return n, ok
	case Tagged:
		l, ok := pp.flatLen(x.Value, budget-len(x.Tag)-2)
		return l + len(x.Tag) + 2, ok
	default:
		pp.scratch = AppendPrStr(pp.scratch[:0], v)
		n = runeCount(pp.scratch)
		return n, n <= budget
	}
	for i, it := range items {
		l, ok := pp.flatLen(it, budget-n)
		if !ok {
			return 0, false
		}
		n += l + min(i, 1)
		if n > budget {
			return 0, false
		}
	}
	return n, n <= budget
}

func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
