package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// lane is one row of a swimlane chart: a peer on a task, or a task a peer ran.
type lane struct {
	label string
	segs  []segment
}

// segment is a span of positions [from, to] (inclusive) during which the
// lane's peer held the task.
type segment struct{ from, to int }

// swimlane draws lanes of segments over the log's positions with a cursor at
// the current one; tapping a segment seeks to its start.
type swimlane struct {
	widget.BaseWidget
	lanes  []lane
	n      int   // entries: positions run from -1 to n-1
	last   int64 // the Seq of the entry at n-1, for the axis
	cursor int
	onSeek func(pos int)
}

func newSwimlane(onSeek func(int)) *swimlane {
	s := &swimlane{onSeek: onSeek, cursor: -1}
	s.ExtendBaseWidget(s)
	return s
}

const (
	laneLabelW = 110
	laneH      = 22
	laneGap    = 4
	laneRight  = 8
)

// setLanes replaces the lanes; n is the timeline's Len and last the Seq of
// its newest entry.
func (s *swimlane) setLanes(n int, last int64, lanes []lane) {
	s.n, s.last, s.lanes = n, last, lanes
	s.Refresh()
}

func (s *swimlane) setCursor(pos int) {
	if pos != s.cursor {
		s.cursor = pos
		s.Refresh()
	}
}

// xFor is the left edge of pos in a swimlane of width w.
func (s *swimlane) xFor(pos int, w float32) float32 {
	span := max(1, w-laneLabelW-laneRight)
	if s.n <= 0 {
		return laneLabelW
	}
	return laneLabelW + span*float32(pos+1)/float32(s.n+1)
}

// segmentAt finds the segment under p.
func (s *swimlane) segmentAt(p fyne.Position) (segment, bool) {
	i := int(p.Y / (laneH + laneGap))
	if p.Y < 0 || i >= len(s.lanes) {
		return segment{}, false
	}
	w := s.Size().Width
	for _, sg := range s.lanes[i].segs {
		if p.X >= s.xFor(sg.from, w) && p.X <= s.xFor(sg.to+1, w) {
			return sg, true
		}
	}
	return segment{}, false
}

// Tapped seeks to the start of the tapped segment.
func (s *swimlane) Tapped(ev *fyne.PointEvent) {
	if sg, ok := s.segmentAt(ev.Position); ok && s.onSeek != nil {
		s.onSeek(sg.from)
	}
}

func (s *swimlane) CreateRenderer() fyne.WidgetRenderer {
	r := &swimRenderer{s: s}
	r.cursor = canvas.NewLine(theme.Color(theme.ColorNameError))
	r.cursor.StrokeWidth = 2
	for i := range r.axis {
		r.axis[i] = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
		r.axis[i].TextSize = theme.CaptionTextSize()
	}
	r.rebuild()
	return r
}

type swimRenderer struct {
	s       *swimlane
	built   []lane
	labels  []*canvas.Text
	stripes []*canvas.Rectangle
	bars    [][]*canvas.Rectangle
	cursor  *canvas.Line
	axis    [2]*canvas.Text // the first and last positions, under the lanes
	objects []fyne.CanvasObject
}

func (r *swimRenderer) rebuild() {
	r.built = r.s.lanes
	r.objects, r.labels, r.bars, r.stripes = nil, nil, nil, nil
	fg, bar := theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNamePrimary)
	for i, l := range r.s.lanes {
		if i%2 == 1 {
			stripe := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
			stripe.Move(fyne.NewPos(0, float32(i)*(laneH+laneGap)))
			r.stripes = append(r.stripes, stripe)
			r.objects = append(r.objects, stripe)
		}
		t := canvas.NewText(l.label, fg)
		t.TextSize = theme.CaptionTextSize()
		r.labels = append(r.labels, t)
		r.objects = append(r.objects, t)
		var bs []*canvas.Rectangle
		for range l.segs {
			b := canvas.NewRectangle(bar)
			b.CornerRadius = 3
			bs = append(bs, b)
			r.objects = append(r.objects, b)
		}
		r.bars = append(r.bars, bs)
	}
	r.objects = append(r.objects, r.cursor, r.axis[0], r.axis[1])
}

func (r *swimRenderer) Layout(size fyne.Size) {
	s := r.s
	w := size.Width
	for _, st := range r.stripes {
		st.Resize(fyne.NewSize(w, laneH+laneGap))
	}
	for i, l := range r.built {
		y := float32(i) * (laneH + laneGap)
		r.labels[i].Move(fyne.NewPos(4, y+4))
		for j, sg := range l.segs {
			x0, x1 := s.xFor(sg.from, w), s.xFor(sg.to+1, w)
			r.bars[i][j].Move(fyne.NewPos(x0, y+3))
			r.bars[i][j].Resize(fyne.NewSize(max(2, x1-x0), laneH-6))
		}
	}
	h := float32(len(r.built)) * (laneH + laneGap)
	cx := s.xFor(s.cursor, w)
	r.cursor.Position1, r.cursor.Position2 = fyne.NewPos(cx, 0), fyne.NewPos(cx, h)
	r.axis[0].Text, r.axis[1].Text = "", ""
	if len(r.built) > 0 {
		r.axis[0].Text, r.axis[1].Text = "origin", fmt.Sprintf("entry %d", s.last)
	}
	r.axis[0].Move(fyne.NewPos(s.xFor(-1, w), h))
	endW := fyne.MeasureText(r.axis[1].Text, r.axis[1].TextSize, r.axis[1].TextStyle).Width
	r.axis[1].Move(fyne.NewPos(s.xFor(s.n, w)-endW, h))
}

func (r *swimRenderer) MinSize() fyne.Size {
	return fyne.NewSize(laneLabelW+200, float32(len(r.s.lanes))*(laneH+laneGap)+theme.CaptionTextSize()+4)
}

func (r *swimRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *swimRenderer) Refresh() {
	if !sameLanes(r.built, r.s.lanes) {
		r.rebuild()
	}
	r.Layout(r.s.Size())
	canvas.Refresh(r.s)
}

func (r *swimRenderer) Destroy() {}

func sameLanes(a, b []lane) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
