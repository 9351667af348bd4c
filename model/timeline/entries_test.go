package timeline

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestEntryLogGivesBackEveryEntry packs a generated log (blocks of 4,096
// crossed) with entries of the odd kinds among them, and requires each to
// read back equal, field by field, with its map in the same order.
func TestEntryLogGivesBackEveryEntry(t *testing.T) {
	es := genRealLog(3, 9000, 20, 3)
	// Odd ones: a Seq far from its block's, a map without :args, a map
	// holding a Go type the packer does not know, and a foreign Args.
	es[100].Seq += 1 << 33
	es[5000].Map = value.NewMap(value.KeyFn, es[5000].Fn)
	es[5001].Map = es[5001].Map.Assoc(value.Kw("x"), struct{ n int }{1})
	es[5002].Args = value.NewMap(value.Kw("id"), int64(7))
	l := newEntryLog()
	for _, e := range es {
		l.add(e)
	}
	if len(l.odd) != 4 {
		t.Errorf("%d entries kept whole, want the 4 odd ones", len(l.odd))
	}
	for i, want := range es {
		got := l.at(i)
		if got.Seq != want.Seq || got.Created != want.Created || got.Fn != want.Fn ||
			!value.Equal(got.Args, want.Args) || value.PrStr(got.Map) != value.PrStr(want.Map) {
			t.Fatalf("entry %d: got\n%d %d %s %s\nwant\n%d %d %s %s", i,
				got.Seq, got.Created, got.Fn, value.PrStr(got.Map), want.Seq, want.Created, want.Fn, value.PrStr(want.Map))
		}
		if l.seq(i) != want.Seq || l.createdAt(i) != want.Created {
			t.Fatalf("entry %d: seq %d ctime %d, want %d %d", i, l.seq(i), l.createdAt(i), want.Seq, want.Created)
		}
	}
	if n := len(l.blobs[0]); n == 0 || n > 4096*200 {
		t.Errorf("the first block's blob is %d bytes", n)
	}
}

// TestEntryLogReportsWhatItCannotUnpack: bytes that do not unpack give an
// entry replay flags, not a crash.
func TestEntryLogReportsWhatItCannotUnpack(t *testing.T) {
	l := newEntryLog()
	es := genRealLog(4, 3, 5, 1)
	for _, e := range es {
		l.add(e)
	}
	l.blobs[0][l.ends[0]] = 0xFF // the tag of entry 1
	e := l.at(1)
	if e.Fn != unpackFailed || e.Seq != es[1].Seq || e.Args == nil {
		t.Fatalf("got %s %d %v", e.Fn, e.Seq, e.Args)
	}
}

func TestTimesReadCtimesAtOnce(t *testing.T) {
	es := genRealLog(5, 50, 5, 1)
	es[7].Created += 1 << 40 // kept whole aside: out of its block's range
	tl := New(simVersion, -1, realOrigin(), Options{})
	tl.Append(es...)
	got := tl.Times([]int{0, 7, 49, -1, 50})
	want := []int64{es[0].Created, es[7].Created, es[49].Created, 0, 0}
	if !slices.Equal(got, want) {
		t.Fatalf("Times = %v, want %v", got, want)
	}
}
