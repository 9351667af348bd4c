package timeline

import (
	"math"
	"sort"

	"onyx-dashboard/model/value"
)

// entryLog keeps the entries packed (value.Packer): the entry's map (which
// holds its :fn and :args) as ~40 bytes in its block's blob instead of the
// ~230 bytes of heap its decoded map takes, and its Seq and ctime as 32-bit
// offsets from those of the first entry of its block of 4,096. A million
// entries then take ~60 MB in a few hundred pointer-free blobs, which the GC
// neither scans nor leaves scattered among the garbage of the load. Reading
// one unpacks it (~1 µs); a seek reads at most K of them.
//
// An entry whose Fn and Args are not its map's own (no map, no :args …),
// whose map holds a Go type the Packer does not know, or whose Seq or ctime
// is too far from its block's, is kept whole aside. Read it under the
// timeline's lock.
type entryLog struct {
	packer  *value.Packer
	blobs   [][]byte // per block: its entries' packed maps, one after another
	ends    []uint32 // where the packed map of the entry at pos ends in its blob
	seqs    []uint32 // Seq - the block's Seq; oddMark: see odd
	created []int32  // ctime - the block's ctime
	blocks  []entryBlock
	odd     map[int32]value.Entry // written by the writer under the lock
}

type entryBlock struct{ seq, created int64 }

const (
	blockShift = 12
	blockMask  = 1<<blockShift - 1
	oddMark    = math.MaxUint32
)

func newEntryLog() entryLog {
	return entryLog{packer: value.NewPacker(), odd: map[int32]value.Entry{}}
}

func (l *entryLog) add(e value.Entry) {
	pos := len(l.ends)
	if pos>>blockShift == len(l.blocks) {
		l.blocks = append(l.blocks, entryBlock{e.Seq, e.Created})
		l.blobs = append(l.blobs, nil)
	}
	bi := pos >> blockShift
	b := l.blocks[bi]
	ds, dc := e.Seq-b.seq, e.Created-b.created
	fits := ds >= 0 && ds < oddMark && dc >= math.MinInt32 && dc <= math.MaxInt32
	if !fits {
		ds, dc = oddMark, 0
	}
	kept := false
	if fits && ownFnArgs(e) {
		blob, err := l.packer.Pack(l.blobs[bi], e.Map)
		l.blobs[bi], kept = blob, err == nil
	}
	if !kept {
		l.odd[int32(pos)] = e
	}
	l.ends = append(l.ends, uint32(len(l.blobs[bi])))
	l.seqs = append(l.seqs, uint32(ds))
	l.created = append(l.created, int32(dc))
	if pos&blockMask == blockMask {
		// The block is full: keep its blob at its size, not append's.
		l.blobs[bi] = append([]byte(nil), l.blobs[bi]...)
	}
}

// ownFnArgs reports an entry whose Fn and Args are those of its Map, so that
// the map alone gives them back.
func ownFnArgs(e value.Entry) bool {
	if e.Map == nil || e.Args == nil {
		return false
	}
	fn, ok := e.Map.Val(value.KeyFn).(value.Keyword)
	args, aok := e.Map.Val(value.KeyArgs).(*value.Map)
	return ok && aok && fn == e.Fn && args == e.Args
}

func (l *entryLog) len() int { return len(l.ends) }

// unpackFailed is the command of an entry the log could not unpack: a bug,
// but one that replay then flags as an unknown command instead of crashing.
var unpackFailed = value.NSKw("onyx-dashboard", "entry-unpack-failed")

// at returns the entry at pos, which must be in range.
func (l *entryLog) at(pos int) value.Entry {
	if e, ok := l.odd[int32(pos)]; ok {
		return e
	}
	start := uint32(0)
	if pos&blockMask != 0 {
		start = l.ends[pos-1]
	}
	e := value.Entry{Seq: l.seq(pos), Created: l.createdAt(pos)}
	v, _, err := l.packer.Unpack(l.blobs[pos>>blockShift][start:l.ends[pos]])
	m, ok := v.(*value.Map)
	if err != nil || !ok {
		e.Fn, e.Args = unpackFailed, value.NewMap()
		e.Map = value.NewMap(value.KeyFn, e.Fn, value.KeyArgs, e.Args)
		return e
	}
	e.Fn, _ = m.Val(value.KeyFn).(value.Keyword)
	e.Args, _ = m.Val(value.KeyArgs).(*value.Map)
	e.Map = m
	return e
}

// seq returns the Seq of the entry at pos, which must be in range.
func (l *entryLog) seq(pos int) int64 {
	if l.seqs[pos] == oddMark {
		return l.odd[int32(pos)].Seq
	}
	return l.blocks[pos>>blockShift].seq + int64(l.seqs[pos])
}

// created1 returns the ctime of the entry at pos, which must be in range.
func (l *entryLog) createdAt(pos int) int64 {
	if l.seqs[pos] == oddMark {
		return l.odd[int32(pos)].Created
	}
	return l.blocks[pos>>blockShift].created + int64(l.created[pos])
}

// pos returns the first position whose Seq is at least seq.
func (l *entryLog) pos(seq int64) int {
	return sort.Search(len(l.ends), func(i int) bool { return l.seq(i) >= seq })
}
