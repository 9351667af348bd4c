package fressian

import (
	"fmt"
	"math/big"

	"onyx-dashboard/model/value"
)

// codeTags names the structs that have their own code (Handlers.tagToCode),
// and tagFieldCounts gives the field count FressianReader passes for them.
var (
	codeTags = map[byte]string{
		codeMap: "map", codeSet: "set", codeUUID: "uuid", codeRegex: "regex",
		codeURI: "uri", codeBigInt: "bigint", codeBigDec: "bigdec", codeInst: "inst",
		codeSym: "sym", codeKey: "key", codeIntArray: "int[]", codeLongArray: "long[]",
		codeFloatArray: "float[]", codeDoubleArray: "double[]",
		codeBooleanArray: "boolean[]", codeObjectArray: "Object[]",
	}
	tagFieldCounts = map[string]int{
		"map": 1, "set": 1, "uuid": 2, "regex": 1, "uri": 1, "bigint": 1,
		"bigdec": 2, "inst": 1, "sym": 2, "key": 2, "int[]": 2, "long[]": 2,
		"float[]": 2, "double[]": 2, "boolean[]": 2, "Object[]": 2,
	}
	// The same as arrays indexed by code, for the decoder's hot path.
	codeTagNames, codeFieldCounts = func() (names [256]string, counts [256]int) {
		for c, t := range codeTags {
			names[c], counts[c] = t, tagFieldCounts[t]
		}
		return
	}()
)

// Class names of the Java objects that have no Clojure data form; they decode
// to value.Opaque and encode back to their codes.
const (
	classPattern = "java.util.regex.Pattern"
	classURI     = "java.net.URI"
)

// structType reads STRUCTTYPE: a tag, a field count, then the struct; the
// pair goes into the struct cache.
func (d *decoder) structType(at int) (value.Value, error) {
	tag, err := d.nested()
	if err != nil {
		return nil, err
	}
	fields, fat, err := d.readInt32("struct field count")
	if err != nil {
		return nil, err
	}
	if fields < 0 {
		return nil, d.fail(fat, "negative struct field count %d", fields)
	}
	d.structs = append(d.structs, structType{tag: tag, fields: fields})
	return d.handleStructTag(at, tag, fields)
}

func (d *decoder) structAt(i, at int) (value.Value, error) {
	if i < 0 || i >= len(d.structs) {
		return nil, d.fail(at, "struct cache index %d out of range (%d cached)", i, len(d.structs))
	}
	st := d.structs[i]
	return d.handleStructTag(at, st.tag, st.fields)
}

func (d *decoder) handleStructTag(at int, tag value.Value, fields int) (value.Value, error) {
	switch t := tag.(type) {
	case string:
		return d.handleStruct(at, t, fields)
	case value.Keyword:
		return d.handleStruct(at, t.String(), fields)
	case value.Symbol:
		return d.handleStruct(at, t.String(), fields)
	}
	return nil, d.fail(at, "struct tag is %s, not a string", value.TypeName(tag))
}

// handleStruct reads the fields of a tagged struct the way data.fressian's
// read handlers and org.fressian's standard handlers do; a tag neither knows
// becomes value.Tagged with a vector of its fields (a TaggedObject in Java).
func (d *decoder) handleStruct(at int, tag string, fields int) (value.Value, error) {
	if d.depth >= maxDepth {
		return nil, d.fail(at, "values nested deeper than %d", maxDepth)
	}
	d.depth++
	v, err := d.handleStructFields(at, tag, fields)
	d.depth--
	return v, err
}

func (d *decoder) handleStructFields(at int, tag string, fields int) (value.Value, error) {
	switch tag {
	case "map":
		return d.mapStruct(at)
	case "set":
		base := len(d.stack)
		if err := d.stackItems(at, "set"); err != nil {
			return nil, err
		}
		s, _ := value.NewSetDedup(d.stack[base:]...)
		d.stack = d.stack[:base]
		return s, nil
	case "uuid":
		b, err := d.bytesField(at, "uuid")
		if err != nil {
			return nil, err
		}
		if len(b) != 16 {
			return nil, d.fail(at, "uuid of %d bytes, want 16", len(b))
		}
		return value.UUIDFromBytes(b), nil
	case "inst":
		ms, _, err := d.readInt("inst milliseconds")
		if err != nil {
			return nil, err
		}
		return value.InstMillis(ms), nil
	case "key", "sym":
		return d.named(at, tag == "key")
	case "bigint":
		b, err := d.bytesField(at, "bigint")
		if err != nil {
			return nil, err
		}
		return bigFromBytes(b, d, at)
	case "bigdec":
		return d.bigDec(at)
	case "regex", "uri":
		return d.textObject(at, tag)
	case "int[]", "long[]", "float[]", "double[]", "boolean[]", "Object[]":
		return d.array(at, tag)
	case "char":
		return d.char(at)
	case "byte":
		n, _, err := d.readInt("byte")
		if err == nil && n != int64(int8(n)) {
			err = d.fail(at, "byte %d out of range", n)
		}
		if err != nil {
			return nil, err
		}
		return n, nil
	case "ratio":
		return d.ratio(at)
	case "record":
		// data.fressian builds the record when its class is loaded; a reader
		// without the class gets TaggedObject("record", [name map]).
		fields = 2
	}
	if fields > d.remaining() {
		return nil, d.short(at, fields, fmt.Sprintf("struct %q of %d fields", tag, fields))
	}
	vals := make(value.Vector, fields)
	for i := range vals {
		v, err := d.readObject()
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return value.Tagged{Tag: tag, Value: vals}, nil
}

// mapStruct reads MAP's one field, a list of keys and values. As
// data.fressian's "map" handler does, fewer than 16 items (8 entries) make an
// array map in the order written, more a hash map in Clojure's hash order.
func (d *decoder) mapStruct(at int) (value.Value, error) {
	base := len(d.stack)
	if err := d.stackItems(at, "map"); err != nil {
		return nil, err
	}
	kvs := d.stack[base:]
	d.stack = d.stack[:base]
	if len(kvs)%2 != 0 {
		return nil, d.fail(at, "map with an odd number (%d) of keys and values", len(kvs))
	}
	var m *value.Map
	switch {
	case len(kvs) < 16:
		m = value.NewMap(kvs...)
	case len(kvs) == 16:
		m = value.NewHashMap(kvs...)
	default: // O(n log n) whatever the keys: hostile input cannot stall us
		m, _ = value.NewMapDedup(kvs...)
	}
	clear(kvs) // let the scratch space drop its references
	return m, nil
}

// stackItems reads the list field of a map or set onto d.stack, so the items
// need no slice of their own (value.NewMap and NewSet copy them).
func (d *decoder) stackItems(at int, what string) error {
	code, cat, err := d.nextCode("the list of a " + what)
	if err != nil {
		return err
	}
	n := -1
	switch {
	case code >= codeListPacked && code < codeList:
		n = int(code - codeListPacked)
	case code == codeList:
		if n, _, err = d.readCount("list length"); err != nil {
			return err
		}
		if n > d.remaining() {
			return d.short(cat, n, fmt.Sprintf("list of %d values", n))
		}
	}
	if n < 0 { // any other form: read it whole
		d.pos = cat
		items, err := d.listField(at, what)
		d.stack = append(d.stack, items...)
		return err
	}
	for range n {
		v, err := d.nested()
		if err != nil {
			return err
		}
		d.stack = append(d.stack, v)
	}
	return nil
}

func (d *decoder) listField(at int, what string) (value.Vector, error) {
	v, err := d.readObject()
	if err != nil {
		return nil, err
	}
	items, ok := v.(value.Vector)
	if !ok {
		return nil, d.fail(at, "%s holds %s, not a list", what, value.TypeName(v))
	}
	return items, nil
}

func (d *decoder) bytesField(at int, what string) (value.Bytes, error) {
	v, err := d.readObject()
	if err != nil {
		return nil, err
	}
	b, ok := v.(value.Bytes)
	if !ok {
		return nil, d.fail(at, "%s holds %s, not bytes", what, value.TypeName(v))
	}
	return b, nil
}

// named reads a keyword or symbol: namespace (nil or a string), then name.
func (d *decoder) named(at int, keyword bool) (value.Value, error) {
	nsv, err := d.readObject()
	if err != nil {
		return nil, err
	}
	namev, err := d.readObject()
	if err != nil {
		return nil, err
	}
	return d.makeNamed(at, nsv, namev, keyword)
}

func (d *decoder) makeNamed(at int, nsv, namev value.Value, keyword bool) (value.Value, error) {
	ns, ok := nsv.(string)
	if !ok && nsv != nil {
		return nil, d.fail(at, "keyword or symbol namespace is %s, not a string", value.TypeName(nsv))
	}
	name, ok := namev.(string)
	if !ok {
		return nil, d.fail(at, "keyword or symbol name is %s, not a string", value.TypeName(namev))
	}
	if keyword {
		return value.NSKw(ns, name), nil
	}
	return value.NSSym(ns, name), nil
}

// bigFromBytes reads BigInteger.toByteArray: big-endian two's complement.
func bigFromBytes(b []byte, d *decoder, at int) (*big.Int, error) {
	if len(b) == 0 {
		return nil, d.fail(at, "zero-length big integer")
	}
	n := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n, nil
}

func (d *decoder) bigDec(at int) (value.Value, error) {
	b, err := d.bytesField(at, "bigdec")
	if err != nil {
		return nil, err
	}
	unscaled, err := bigFromBytes(b, d, at)
	if err != nil {
		return nil, err
	}
	scale, _, err := d.readInt32("bigdec scale")
	if err != nil {
		return nil, err
	}
	return value.BigDec{Unscaled: unscaled, Scale: int32(scale)}, nil
}

func (d *decoder) textObject(at int, tag string) (value.Value, error) {
	v, err := d.readObject()
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, d.fail(at, "%s holds %s, not a string", tag, value.TypeName(v))
	}
	class := classPattern
	if tag == "uri" {
		class = classURI
	}
	return value.Opaque{Kind: tag, Class: class, Text: s}, nil
}

// array reads the Java array structs: a length, then that many elements.
func (d *decoder) array(at int, tag string) (value.Value, error) {
	n, nat, err := d.readInt32(tag + " length")
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, d.fail(nat, "negative %s length %d", tag, n)
	}
	if n > d.remaining() {
		return nil, d.short(at, n, fmt.Sprintf("%s of %d elements", tag, n))
	}
	out := make(value.Vector, n)
	for i := range out {
		var v value.Value
		switch tag {
		case "int[]", "long[]":
			var x int64
			x, _, err = d.readInt(tag + " element")
			if err == nil && tag == "int[]" && x != int64(int32(x)) {
				err = d.fail(at, "int[] element %d out of range", x)
			}
			v = x
		default:
			v, err = d.readObject()
			if err == nil {
				err = d.checkElement(at, tag, v)
			}
		}
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (d *decoder) checkElement(at int, tag string, v value.Value) error {
	ok := true
	switch tag {
	case "float[]", "double[]":
		_, ok = v.(float64)
	case "boolean[]":
		_, ok = v.(bool)
	}
	if !ok {
		return d.fail(at, "%s element is %s", tag, value.TypeName(v))
	}
	return nil
}

// char reads data.fressian's "char" struct: the char's code as an integer.
func (d *decoder) char(at int) (value.Value, error) {
	n, _, err := d.readInt("char code")
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 0xFFFF {
		return nil, d.fail(at, "char code %d out of range", n)
	}
	return value.Char(n), nil
}

// ratio reads data.fressian's "ratio" struct: numerator, then denominator.
func (d *decoder) ratio(at int) (value.Value, error) {
	var parts [2]*big.Int
	for i := range parts {
		v, err := d.readObject()
		if err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case int64:
			parts[i] = big.NewInt(x)
		case *big.Int:
			parts[i] = x
		default:
			return nil, d.fail(at, "ratio part is %s, not an integer", value.TypeName(v))
		}
	}
	if parts[1].Sign() == 0 {
		return nil, d.fail(at, "ratio with a zero denominator")
	}
	return new(big.Rat).SetFrac(parts[0], parts[1]), nil
}
