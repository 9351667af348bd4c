package timeline

import "onyx-dashboard/model/value"

// ids interns the ids (peers, jobs, tasks, groups, replica keys) the indexes
// and events refer to, so that they store 4-byte numbers instead of values.
// Written by the writer under the timeline's lock, read under its read lock.
type ids struct {
	index map[value.Value]int32
	vals  []value.Value
}

func newIDs() ids { return ids{index: map[value.Value]int32{}} }

// intern returns v's number, adding it; v must satisfy isID.
func (t *ids) intern(v value.Value) int32 {
	if n, ok := t.index[v]; ok {
		return n
	}
	n := int32(len(t.vals))
	t.index[v] = n
	t.vals = append(t.vals, v)
	return n
}

// lookup returns v's number, or -1.
func (t *ids) lookup(v value.Value) int32 {
	if !isID(v) {
		return -1
	}
	if n, ok := t.index[v]; ok {
		return n
	}
	return -1
}
