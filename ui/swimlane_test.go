package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestSwimlaneTapSeeksToTheSegmentStart(t *testing.T) {
	test.NewTempApp(t)
	var seeks []int
	s := newSwimlane(func(p int) { seeks = append(seeks, p) })
	s.setLanes(100, 199, []lane{
		{label: "a", segs: []segment{{-1, 9}, {40, 59}}},
		{label: "b", segs: []segment{{10, 99}}},
	})
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(600, 200))
	s.Resize(fyne.NewSize(600, 200))
	width := s.Size().Width
	mid := func(lane int, sg segment) fyne.Position {
		return fyne.NewPos((s.xFor(sg.from, width)+s.xFor(sg.to+1, width))/2, float32(lane)*(laneH+laneGap)+laneH/2)
	}
	test.TapAt(s, mid(0, segment{40, 59}))
	test.TapAt(s, mid(1, segment{10, 99}))
	test.TapAt(s, mid(0, segment{-1, 9}))
	test.TapAt(s, mid(0, segment{20, 30})) // a gap: nothing
	test.TapAt(s, fyne.NewPos(300, 190))   // below the lanes: nothing
	want := []int{40, 10, -1}
	if len(seeks) != len(want) {
		t.Fatalf("seeks %v, want %v", seeks, want)
	}
	for i := range want {
		if seeks[i] != want[i] {
			t.Errorf("seek %d: got %d, want %d", i, seeks[i], want[i])
		}
	}
}
