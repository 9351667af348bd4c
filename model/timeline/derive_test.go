package timeline

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// TestIDSetsAnswerAsAMapOfTheIDsDoes checks the in-place search of short
// lists and the map of long ones against a map of the list's ids, for ids,
// non-ids and values absent from the list.
func TestIDSetsAnswerAsAMapOfTheIDsDoes(t *testing.T) {
	pool := []value.Value{value.UUID{Hi: 1}, value.UUID{Hi: 1, Lo: 1}, value.Kw("a"), "a", int64(1), value.Char('a'),
		true, value.Vector{value.Kw("a")}, nil, 1.5, value.NewMap()}
	for _, n := range []int{0, 1, 5, idsetScan, idsetScan + 1, 40} {
		t.Run(fmt.Sprintf("%d items", n), func(t *testing.T) {
			xs := make([]value.Value, n)
			for i := range xs {
				xs[i] = pool[(i*5+n)%len(pool)]
			}
			want := map[value.Value]bool{}
			for _, x := range xs {
				if isID(x) {
					want[x] = true
				}
			}
			s := setOf(xs)
			for _, v := range append(pool, value.UUID{Hi: 9}, value.Kw("zz")) {
				if got := s.has(v); got != (isID(v) && want[v]) {
					t.Errorf("has %s: %v, want %v", value.PrStr(v), got, !got)
				}
			}
		})
	}
}

// TestPeersOfUUIDsInTwoAllocationsAreReportedEachTimeTheyAre: the check that
// looks for a UUID allocated twice before the long way must find every case
// the long way reports, and the long way must still forget a peer no longer
// doubled.
func TestPeersOfUUIDsInTwoAllocationsAreReportedEachTimeTheyAre(t *testing.T) {
	defer func() { shareDiffs = true }()
	j, t1, t2 := value.UUID{Hi: 100}, kw("t1"), kw("t2")
	u1, u2, u3 := value.UUID{Hi: 1}, value.UUID{Hi: 2}, value.UUID{Hi: 3}
	alloc := func(a, b value.Vector) value.Value {
		return value.NewMap(j, value.NewMap(t1, a, t2, b))
	}
	es := []value.Entry{
		set(0, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1, u2}, value.Vector{u3})),
		set(1, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1, u2}, value.Vector{u3, u2})),
		set(2, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u2, u1}, value.Vector{u3, u2})),
		set(3, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1}, value.Vector{u3, u2})),
		set(4, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1, u2}, value.Vector{u2, u3})),
		set(5, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1, u2, u1}, value.Vector{u3})),
		set(6, kJobs, value.Vector{j}, kAllocations, alloc(value.Vector{u1, u2}, value.Vector{u3})),
	}
	// Then entries that change one job or task of the last allocations, so
	// that the count of held peers is brought up to date from the diffs:
	// after a doubled peer is forgotten (full walk), one entry counts
	// afresh, and the next ones update that count.
	last := asMap(asMap(es[6].Arg("replica")).Val(kAllocations))
	j2, u4 := value.UUID{Hi: 200}, value.UUID{Hi: 4}
	with := func(allocs *value.Map) {
		es = append(es, set(int64(len(es)), kJobs, value.Vector{j, j2}, kAllocations, allocs))
	}
	task := func(m *value.Map, job, t, ps value.Value) *value.Map {
		return m.Assoc(job, asMap(m.Val(job)).Assoc(t, ps))
	}
	a7 := last.Assoc(j2, value.NewMap(t1, value.Vector{u3})) // u3 twice: a new job
	a8 := a7.Dissoc(j2)
	a9 := task(a8, j, t2, value.Vector{u3, u4})
	a10 := task(a9, j, t1, value.Vector{u2})
	a11 := a10.Assoc(j2, value.NewMap(t2, value.Vector{u2})) // u2 twice
	a12 := a11.Dissoc(j2)
	a13 := task(a12, j, t2, value.Vector{u3})
	a14 := task(a13, j, t2, value.Vector{u3, u4})
	a15 := task(a14, j, t2, value.Vector{u3, u2}) // u2 twice: a task of the same job
	for _, a := range []*value.Map{a7, a8, a9, a10, a11, a12, a13, a14, a15} {
		with(a)
	}
	want := []int{0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}
	for _, share := range []bool{true, false} {
		shareDiffs = share
		tl := New(replay.MustVersion("0.8.3"), -1, replay.Replica{}, Options{Apply: setApply})
		tl.Append(es...)
		for pos, n := range want {
			got := 0
			for _, ev := range tl.Events(pos) {
				if ev.Kind == KindPeerInTwoAllocations {
					got++
				}
			}
			if got != n {
				t.Errorf("shared diffs %v, pos %d: %d peer-in-two-allocations events, want %d", share, pos, got, n)
			}
		}
	}
}

// TestAllocationsOfValuesThatAreNotIDsDoNotPanic: a peer list holding a
// vector (no id, and no Go map key) moving between tasks is no event.
func TestAllocationsOfValuesThatAreNotIDsDoNotPanic(t *testing.T) {
	j, odd := kw("j1"), value.Vector{int64(1), int64(2)}
	tl := New(replay.MustVersion("0.8.3"), -1, replay.Replica{}, Options{Apply: setApply})
	tl.Append(
		set(0, kJobs, value.Vector{j}, kAllocations, allocs(j, kw("t1"), odd)),
		set(1, kJobs, value.Vector{j}, kAllocations, allocs(j, kw("t2"), odd)))
	for _, ev := range tl.Events(1) {
		if ev.Kind == KindPeerMoved || len(ev.Peers) > 0 {
			t.Errorf("pos 1: %s: %s", ev.Kind, ev.Text)
		}
	}
}
