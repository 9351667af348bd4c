package archive

import (
	"fmt"
	"slices"
)

// index locates records by offset. Entries and checkpoints are in ascending
// Seq; the other records are few and are read eagerly on open.
type index struct {
	seqs, offs     []int64 // entries
	cpSeqs, cpOffs []int64 // checkpoints
	jobs           []jobRef
	others         []int64 // meta, origin, param and bookmark records, in file order
}

type jobRef struct {
	job string
	off int64
}

// dropBefore forgets the entries and checkpoints below seq (what GC deleted).
func (x *index) dropBefore(seq int64) {
	i, _ := slices.BinarySearch(x.seqs, seq)
	x.seqs, x.offs = x.seqs[i:], x.offs[i:]
	j, _ := slices.BinarySearch(x.cpSeqs, seq)
	x.cpSeqs, x.cpOffs = x.cpSeqs[j:], x.cpOffs[j:]
}

// encode writes the index payload: counts, then delta-coded seqs and
// offsets (an entry record is usually a hundred bytes after the previous
// one and one seq later, so a million entries take about 3 MB).
func (x *index) encode() []byte {
	p := payload(make([]byte, 0, 4*len(x.seqs)+64))
	p = p.uvarint(uint64(len(x.seqs)))
	var ps, po int64
	for i := range x.seqs {
		p = p.varint(x.seqs[i] - ps).varint(x.offs[i] - po)
		ps, po = x.seqs[i], x.offs[i]
	}
	p = p.uvarint(uint64(len(x.cpSeqs)))
	for i := range x.cpSeqs {
		p = p.varint(x.cpSeqs[i]).varint(x.cpOffs[i])
	}
	p = p.uvarint(uint64(len(x.jobs)))
	for _, j := range x.jobs {
		p = p.str(j.job).varint(j.off)
	}
	p = p.uvarint(uint64(len(x.others)))
	for _, o := range x.others {
		p = p.varint(o)
	}
	return p
}

func decodeIndex(b []byte, size int64) (index, error) {
	c := cursor{b: b}
	var x index
	count := func(what string, min int) int {
		n := c.uvarint()
		if c.err == nil && n > uint64(len(b)/min) {
			c.fail(what + " count")
			return 0
		}
		return int(n)
	}
	n := count("entry", 2)
	x.seqs, x.offs = make([]int64, n), make([]int64, n)
	var ps, po int64
	for i := 0; i < n && c.err == nil; i++ {
		ps += c.varint()
		po += c.varint()
		x.seqs[i], x.offs[i] = ps, po
	}
	n = count("checkpoint", 2)
	x.cpSeqs, x.cpOffs = make([]int64, n), make([]int64, n)
	for i := 0; i < n && c.err == nil; i++ {
		x.cpSeqs[i], x.cpOffs[i] = c.varint(), c.varint()
	}
	n = count("job", 2)
	for i := 0; i < n && c.err == nil; i++ {
		x.jobs = append(x.jobs, jobRef{c.str(), c.varint()})
	}
	n = count("record", 1)
	for i := 0; i < n && c.err == nil; i++ {
		x.others = append(x.others, c.varint())
	}
	if c.err != nil {
		return index{}, fmt.Errorf("index: %w", c.err)
	}
	for i, o := range x.offs {
		if o < headerLen || o >= size || (i > 0 && x.seqs[i] <= x.seqs[i-1]) {
			return index{}, fmt.Errorf("index: entry %d: offset %d or seq %d out of order", i, o, x.seqs[i])
		}
	}
	return x, nil
}
