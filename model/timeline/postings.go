package timeline

import "encoding/binary"

// postings is a sorted list of distinct positions, each stored as the uvarint
// of its distance from the one before: 1–2 bytes a position where an []int32
// takes 4. The zero value is empty. The writer adds under the timeline's
// lock; a reader copies the struct under the read lock and decodes it after:
// the bytes it sees are never changed.
type postings struct {
	b    []byte
	n    int32 // positions held
	next int32 // the last position added plus one; 0 when empty
}

// add appends pos, which must be greater than every position held; adding
// the last position again does nothing.
func (p *postings) add(pos int32) {
	if p.n > 0 && pos == p.next-1 {
		return
	}
	p.b = binary.AppendUvarint(p.b, uint64(pos-p.next))
	p.n++
	p.next = pos + 1
}

// list decodes the positions.
func (p postings) list() []int32 {
	out := make([]int32, 0, p.n)
	var next int32
	for b := p.b; len(b) > 0; {
		d, k := binary.Uvarint(b)
		pos := next + int32(d)
		out = append(out, pos)
		next, b = pos+1, b[k:]
	}
	return out
}
