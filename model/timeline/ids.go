package timeline

import "onyx-dashboard/model/value"

// ids interns the ids (peers, jobs, tasks, groups, replica keys) the indexes
// and events refer to, so that they store 4-byte numbers instead of values.
// Written by the writer under the timeline's lock, read under its read lock.
//
// UUIDs (peers and jobs: most of what is interned) and keywords have maps of
// their own: a map keyed by value.Value hashes and compares through the
// interface's type, which made interning a tenth of recording.
//
// Most entries name the same hundred peers and the few live jobs again, and
// with a few hundred thousand ids interned each lookup in uuids missed the
// processor's caches: recent remembers the UUIDs interned last and answers
// them first.
type ids struct {
	recent   recent[value.UUID, int32]
	uuids    map[value.UUID]int32
	keywords map[value.Keyword]int32
	index    map[value.Value]int32 // the other kinds isID accepts
	vals     []value.Value
}

// recentIDs is how many UUIDs ids remembers.
const recentIDs = 512

func newIDs() ids {
	return ids{recent: newRecent[value.UUID, int32](recentIDs),
		uuids: map[value.UUID]int32{}, keywords: map[value.Keyword]int32{}, index: map[value.Value]int32{}}
}

// intern returns v's number, adding it; v must satisfy isID.
func (t *ids) intern(v value.Value) int32 {
	switch x := v.(type) {
	case value.UUID:
		slot := x.Hi ^ x.Lo ^ x.Lo>>32
		if n, ok := t.recent.get(slot, x); ok {
			return n
		}
		n, ok := t.uuids[x]
		if !ok {
			n = t.add(v)
			t.uuids[x] = n
		}
		t.recent.put(slot, x, n)
		return n
	case value.Keyword:
		if n, ok := t.keywords[x]; ok {
			return n
		}
		n := t.add(v)
		t.keywords[x] = n
		return n
	}
	if n, ok := t.index[v]; ok {
		return n
	}
	n := t.add(v)
	t.index[v] = n
	return n
}

func (t *ids) add(v value.Value) int32 {
	n := int32(len(t.vals))
	t.vals = append(t.vals, v)
	return n
}

// lookup returns v's number, or -1.
func (t *ids) lookup(v value.Value) int32 {
	if !isID(v) {
		return -1
	}
	var n int32
	var ok bool
	switch x := v.(type) {
	case value.UUID:
		n, ok = t.uuids[x]
	case value.Keyword:
		n, ok = t.keywords[x]
	default:
		n, ok = t.index[v]
	}
	if !ok {
		return -1
	}
	return n
}
