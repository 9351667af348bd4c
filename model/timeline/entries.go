package timeline

import (
	"math"
	"sort"

	"onyx-dashboard/model/value"
)

// entryLog keeps the entries in 16 bytes each instead of value.Entry's 40:
// the entry's map (which holds its :fn and :args), and its Seq and ctime as
// 32-bit offsets from those of the first entry of its block of 4,096. An
// entry whose Fn and Args are not its map's own (no map, no :args …), or
// whose Seq or ctime is too far from its block's, is kept whole aside. Read
// it under the timeline's lock.
type entryLog struct {
	maps    []*value.Map
	seqs    []uint32 // Seq - the block's Seq; oddMark: see odd
	created []int32  // ctime - the block's ctime
	blocks  []entryBlock
	odd     map[int32]value.Entry // written by the writer under the lock
}

type entryBlock struct{ seq, created int64 }

const (
	blockShift = 12
	oddMark    = math.MaxUint32
)

func newEntryLog() entryLog { return entryLog{odd: map[int32]value.Entry{}} }

func (l *entryLog) add(e value.Entry) {
	pos := len(l.maps)
	if pos>>blockShift == len(l.blocks) {
		l.blocks = append(l.blocks, entryBlock{e.Seq, e.Created})
	}
	b := l.blocks[pos>>blockShift]
	ds, dc := e.Seq-b.seq, e.Created-b.created
	fits := ds >= 0 && ds < oddMark && dc >= math.MinInt32 && dc <= math.MaxInt32
	if !fits {
		ds, dc = oddMark, 0
	}
	l.maps = append(l.maps, e.Map)
	l.seqs = append(l.seqs, uint32(ds))
	l.created = append(l.created, int32(dc))
	if !fits || !ownFnArgs(e) {
		l.odd[int32(pos)] = e
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

func (l *entryLog) len() int { return len(l.maps) }

// at returns the entry at pos, which must be in range.
func (l *entryLog) at(pos int) value.Entry {
	if e, ok := l.odd[int32(pos)]; ok {
		return e
	}
	b, m := l.blocks[pos>>blockShift], l.maps[pos]
	return value.Entry{Seq: b.seq + int64(l.seqs[pos]), Created: b.created + int64(l.created[pos]),
		Fn: m.Val(value.KeyFn).(value.Keyword), Args: m.Val(value.KeyArgs).(*value.Map), Map: m}
}

// seq returns the Seq of the entry at pos, which must be in range.
func (l *entryLog) seq(pos int) int64 {
	if l.seqs[pos] == oddMark {
		return l.odd[int32(pos)].Seq
	}
	return l.blocks[pos>>blockShift].seq + int64(l.seqs[pos])
}

// pos returns the first position whose Seq is at least seq.
func (l *entryLog) pos(seq int64) int {
	return sort.Search(len(l.maps), func(i int) bool { return l.seq(i) >= seq })
}
