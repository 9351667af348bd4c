package value

// GetIn is clojure.core/get-in: maps by key, vectors and lists by int64 index;
// anything missing gives nil.
func GetIn(v Value, path ...Value) Value {
	for _, k := range path {
		switch x := v.(type) {
		case *Map:
			v = x.Val(k)
		case Vector:
			v = nth(x, k)
		case List:
			v = nth(x, k)
		default:
			return nil
		}
	}
	return v
}

func nth(xs []Value, k Value) Value {
	i, ok := k.(int64)
	if !ok || i < 0 || i >= int64(len(xs)) {
		return nil
	}
	return xs[i]
}

// AssocIn is clojure.core/assoc-in on a map: missing or nil levels become new
// (array) maps. A level that is a Vector is assoc'ed by int64 index (appending
// at index len); any other value in the way is replaced by a map, which is
// where Clojure would throw.
func AssocIn(m *Map, path []Value, v Value) *Map {
	if len(path) == 0 {
		return m
	}
	if len(path) == 1 {
		return m.Assoc(path[0], v)
	}
	return m.Assoc(path[0], assocIn(m.Val(path[0]), path[1:], v))
}

func assocIn(cur Value, path []Value, v Value) Value {
	if vec, ok := cur.(Vector); ok {
		if i, ok := path[0].(int64); ok && i >= 0 && i <= int64(len(vec)) {
			next := v
			if len(path) > 1 {
				var inner Value
				if i < int64(len(vec)) {
					inner = vec[i]
				}
				next = assocIn(inner, path[1:], v)
			}
			return vec.Assoc(int(i), next)
		}
	}
	m, _ := cur.(*Map)
	if len(path) == 1 {
		return m.Assoc(path[0], v)
	}
	return m.Assoc(path[0], assocIn(m.Val(path[0]), path[1:], v))
}

// UpdateIn is clojure.core/update-in on a map: f receives the current value
// (nil when absent) and its result is assoc'ed in, creating missing levels.
func UpdateIn(m *Map, path []Value, f func(Value) Value) *Map {
	return AssocIn(m, path, f(GetIn(m, path...)))
}

// Assoc returns a copy of the vector with item i set (i == len appends).
func (v Vector) Assoc(i int, x Value) Vector {
	n := len(v)
	if i == n {
		n++
	}
	out := make(Vector, n)
	copy(out, v)
	out[i] = x
	return out
}

// Conj returns a copy of the vector with x appended.
func (v Vector) Conj(x ...Value) Vector {
	out := make(Vector, len(v), len(v)+len(x))
	copy(out, v)
	return append(out, x...)
}
