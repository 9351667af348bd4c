package fressian

import (
	"sync"

	"onyx-dashboard/model/value"
)

// Speed: a pool of decoders, so caches and scratch space are reused, and fast
// paths for what every Onyx entry is made of: keywords whose parts come from
// the priority cache, and UUIDs. They produce exactly what the general path
// (handleStruct) would, with fewer allocations and no intern-table lookup for a
// keyword met before in the same value.

// decoders recycles the scratch space and caches of finished decodes.
var decoders = sync.Pool{New: func() any {
	return &decoder{
		prio:     make([]value.Value, 0, priorityCachePackedLen),
		stack:    make([]value.Value, 0, 64),
		kwByName: make([]kwMemo, 0, priorityCachePackedLen),
	}
}}

// release empties d, dropping every reference into the decoded value, and
// returns it to the pool.
func (d *decoder) release() {
	d.b, d.pos, d.depth, d.footerBase = nil, 0, 0, 0
	d.resetCaches()
	clear(d.stack[:cap(d.stack)])
	d.stack = d.stack[:0]
	d.units = d.units[:0]
	if cap(d.stack)+cap(d.prio)+cap(d.units) > maxPooledScratch {
		return // a huge value: let its scratch space go
	}
	decoders.Put(d)
}

// maxPooledScratch is the most scratch items a pooled decoder keeps.
const maxPooledScratch = 1 << 16

// kwMemo remembers the keyword built from the cached name at its index, and
// the cache index of its namespace (-1 for nil).
type kwMemo struct {
	ns int32
	kw value.Keyword
}

// cachedPart reads a keyword's namespace or name and, when it is a
// priority-cache reference or put, its cache index (else -2; -1 for nil).
func (d *decoder) cachedPart() (v value.Value, idx int, err error) {
	if d.pos >= len(d.b) {
		v, err = d.readObject()
		return v, -2, err
	}
	code := d.b[d.pos]
	switch {
	case code == codeNull:
		d.pos++
		return nil, -1, nil
	case code >= codePriorityCachePacked && code < codeStructCachePacked:
		d.pos++
		idx = int(code - codePriorityCachePacked)
		v, err = d.cached(idx, d.pos-1)
		return v, idx, err
	case code == codePutPriorityCache:
		if s, ok := d.partString(d.pos + 1); ok {
			d.prio = append(d.prio, s)
			return s, len(d.prio) - 1, nil
		}
		idx = len(d.prio)
		v, err = d.readObject()
		if idx >= len(d.prio) {
			idx = -2 // the caches were reset inside
		}
		return v, idx, err
	}
	v, err = d.readObject()
	return v, -2, err
}

// keyword reads KEY: namespace, then name.
func (d *decoder) keyword(at int) (value.Value, error) {
	nsv, nsIdx, err := d.cachedPart()
	if err != nil {
		return nil, err
	}
	namev, nameIdx, err := d.cachedPart()
	if err != nil {
		return nil, err
	}
	if nameIdx >= 0 && nameIdx < len(d.kwByName) && nsIdx >= -1 {
		if m := d.kwByName[nameIdx]; !m.kw.IsZero() && m.ns == int32(nsIdx) {
			return m.kw, nil
		}
	}
	kv, err := d.makeNamed(at, nsv, namev, true)
	if err != nil {
		return nil, err
	}
	if nameIdx >= 0 && nsIdx >= -1 {
		for len(d.kwByName) <= nameIdx {
			d.kwByName = append(d.kwByName, kwMemo{})
		}
		d.kwByName[nameIdx] = kwMemo{ns: int32(nsIdx), kw: kv.(value.Keyword)}
	}
	return kv, nil
}

// uuid reads UUID; its 16 bytes are almost always a plain BYTES 16.
func (d *decoder) uuid(at int) (value.Value, error) {
	if d.remaining() >= 18 && d.b[d.pos] == codeBytes && d.b[d.pos+1] == 16 {
		u := value.UUIDFromBytes(d.b[d.pos+2 : d.pos+18])
		d.pos += 18
		return u, nil
	}
	return d.handleStruct(at, "uuid", 2)
}

// partString reads, when the bytes at i are a short ASCII string (packed, or
// STRING with a one-byte length), that string from the shared table of
// keyword and symbol parts, so the names Onyx repeats in every entry ("fn",
// "args", "joiner", …) are allocated once per process.
func (d *decoder) partString(i int) (value.Value, bool) {
	if i >= len(d.b) {
		return nil, false
	}
	start, n := i+1, 0
	switch code := d.b[i]; {
	case code >= codeStringPacked && code < codeStringChunk:
		n = int(code - codeStringPacked)
	case code == codeString && i+1 < len(d.b) && d.b[i+1] < 0x40:
		start, n = i+2, int(d.b[i+1])
	default:
		return nil, false
	}
	if start+n > len(d.b) || !isASCII(d.b[start:start+n]) {
		return nil, false
	}
	v := internPart(d.b[start : start+n])
	d.pos = start + n
	return v, true
}

// parts interns keyword and symbol parts as boxed strings; it stops growing
// at maxParts, so hostile input cannot make it hold much.
var parts = struct {
	sync.RWMutex
	m map[string]value.Value
}{m: make(map[string]value.Value)}

const maxParts = 4096

func internPart(p []byte) value.Value {
	parts.RLock()
	v, ok := parts.m[string(p)]
	parts.RUnlock()
	if ok {
		return v
	}
	s := string(p)
	v = s
	parts.Lock()
	if len(parts.m) < maxParts {
		parts.m[s] = v
	}
	parts.Unlock()
	return v
}
