package timeline

import (
	"sort"

	"onyx-dashboard/model/value"
)

// entryLog keeps the entries in 24 bytes each instead of value.Entry's 40:
// the entry's map (which holds its :fn and :args), its Seq and its ctime. An
// entry whose Fn and Args are not its map's own (no map, no :args …) is kept
// whole aside. Read it under the timeline's lock.
type entryLog struct {
	maps    []*value.Map
	seqs    []int64
	created []int64
	odd     map[int32]value.Entry // written by the writer under the lock
}

func newEntryLog() entryLog { return entryLog{odd: map[int32]value.Entry{}} }

func (l *entryLog) add(e value.Entry) {
	pos := int32(len(l.maps))
	l.maps = append(l.maps, e.Map)
	l.seqs = append(l.seqs, e.Seq)
	l.created = append(l.created, e.Created)
	if !ownFnArgs(e) {
		l.odd[pos] = e
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

// at returns the entry at pos, which must be in range. The caller holds the
// timeline's lock (odd is a map the writer adds to).
func (l *entryLog) at(pos int) value.Entry {
	if e, ok := l.odd[int32(pos)]; ok {
		return e
	}
	m := l.maps[pos]
	return value.Entry{Seq: l.seqs[pos], Created: l.created[pos],
		Fn: m.Val(value.KeyFn).(value.Keyword), Args: m.Val(value.KeyArgs).(*value.Map), Map: m}
}

// pos returns the first position whose Seq is at least seq.
func (l *entryLog) pos(seq int64) int {
	return sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] >= seq })
}
