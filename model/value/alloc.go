package value

// How a Map and its body are allocated: one block each, sized to fit.

// hashMapOf wraps a trie in a Map with one allocation for both.
func hashMapOf(t trie) *Map {
	h := &struct {
		m Map
		t trie
	}{t: t}
	h.m.t = &h.t
	return &h.m
}

// Array maps come in eight sizes, each one allocation holding the Map and
// exactly its entries: most maps in log entries and replicas are small, and
// an array map is never appended to in place (Assoc copies), so room to spare
// would only be memory the replicas keep.
type (
	arrayMap1 struct {
		m   Map
		buf [1]kv
	}
	arrayMap2 struct {
		m   Map
		buf [2]kv
	}
	arrayMap3 struct {
		m   Map
		buf [3]kv
	}
	arrayMap4 struct {
		m   Map
		buf [4]kv
	}
	arrayMap5 struct {
		m   Map
		buf [5]kv
	}
	arrayMap6 struct {
		m   Map
		buf [6]kv
	}
	arrayMap7 struct {
		m   Map
		buf [7]kv
	}
	arrayMap8 struct {
		m   Map
		buf [8]kv
	}
)

// newArrayMap returns an empty array map with room for n entries.
func newArrayMap(n int) *Map {
	switch n {
	case 0:
		return &Map{}
	case 1:
		a := &arrayMap1{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 2:
		a := &arrayMap2{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 3:
		a := &arrayMap3{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 4:
		a := &arrayMap4{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 5:
		a := &arrayMap5{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 6:
		a := &arrayMap6{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 7:
		a := &arrayMap7{}
		a.m.arr = a.buf[:0]
		return &a.m
	case 8:
		a := &arrayMap8{}
		a.m.arr = a.buf[:0]
		return &a.m
	}
	return &Map{arr: make(kvs, 0, n)}
}
