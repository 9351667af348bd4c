package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
)

// A marker's category; a pixel column shows the highest of its entries.
const (
	markNone uint8 = iota
	markPeer
	markJob
	markGC
	markAnomaly
	numMarks
)

// markOf is the category of an event kind; task-level churn (task-peers,
// peer-moved …) is left out so the strip stays readable, and so is the
// placement note, which the header shows once.
func markOf(k timeline.Kind) uint8 {
	switch {
	case k == timeline.KindPlacementEstimated:
		return markNone
	case k.Anomaly():
		return markAnomaly
	case k == timeline.KindGC:
		return markGC
	}
	switch k {
	case timeline.KindPeerJoined, timeline.KindPeerLeft, timeline.KindJoinAborted,
		timeline.KindGroupJoined, timeline.KindGroupLeft:
		return markPeer
	case timeline.KindJobSubmitted, timeline.KindJobStarted, timeline.KindJobResumed,
		timeline.KindJobStarved, timeline.KindJobCompleted, timeline.KindJobKilled:
		return markJob
	}
	return markNone
}

// markColor is a category's colour from the theme.
func markColor(m uint8) color.Color {
	switch m {
	case markPeer:
		return theme.Color(theme.ColorNameSuccess)
	case markJob:
		return theme.Color(theme.ColorNamePrimary)
	case markGC:
		return theme.Color(theme.ColorNameWarning)
	case markAnomaly:
		return theme.Color(theme.ColorNameError)
	}
	return color.Transparent
}

// markersHeight is the strip's height.
const markersHeight = 10

// markers is the strip above the timeline slider: one coloured tick per
// pixel column that holds an event, lined up with the slider's values
// (-1 … Len-1). Tapping it jumps to the marked entry nearest the tap.
type markers struct {
	widget.BaseWidget
	// cats[pos] is the category of the entry at pos; kept between refreshes
	// and extended with the new entries only.
	cats  []uint8
	gen   uint64
	inset float32 // the slider's end offset, so columns line up with its track
	jump  func(pos int)
}

func newMarkers(jump func(pos int)) *markers {
	m := &markers{jump: jump}
	m.ExtendBaseWidget(m)
	th := theme.Current()
	// as widget.Slider's endOffset in Fyne 2.7.1
	m.inset = (th.Size(theme.SizeNameInlineIcon)-4)/2 + th.Size(theme.SizeNameInnerPadding) - 1.5
	return m
}

// update catches up with r: a full scan after a reset, else the new entries
// only. It reports whether anything changed.
func (m *markers) update(r timeline.Reader) bool {
	if r == nil {
		if len(m.cats) == 0 {
			return false
		}
		m.cats, m.gen = nil, 0
		m.Refresh()
		return true
	}
	n, gen := r.Len(), r.Generation()
	if gen != m.gen || n < len(m.cats) {
		m.cats, m.gen = nil, gen
	}
	from := len(m.cats)
	if from == n && from > 0 {
		return false
	}
	m.cats = append(m.cats, make([]uint8, n-from)...)
	if n-from > 4096 {
		// Filter gives positions without rendering events' text.
		for _, k := range timeline.Kinds() {
			c := markOf(k)
			if c == markNone {
				continue
			}
			for _, p := range r.Filter(timeline.Filter{Kinds: []timeline.Kind{k}}) {
				if p >= from && p < n && c > m.cats[p] {
					m.cats[p] = c
				}
			}
		}
	} else if n > from {
		for _, ev := range r.EventsIn(from, n-1) {
			if c := markOf(ev.Kind); ev.Pos >= from && ev.Pos < n && c > m.cats[ev.Pos] {
				m.cats[ev.Pos] = c
			}
		}
	}
	m.Refresh()
	return true
}

// columns buckets the categories into w pixel columns of the track; the
// value range is -1 … len(cats)-1.
func (m *markers) columns(w int) []uint8 {
	if w <= 0 {
		return nil
	}
	cols := make([]uint8, w)
	span := len(m.cats) // values -1 … n-1: n steps
	if span == 0 {
		return cols
	}
	for pos, c := range m.cats {
		if c == markNone {
			continue
		}
		x := int(float64(pos+1) / float64(span) * float64(w-1))
		if c > cols[x] {
			cols[x] = c
		}
	}
	return cols
}

// posAt is the value under x (widget coordinates), -1 … len(cats)-1.
func (m *markers) posAt(x float32) int {
	w := m.Size().Width - 2*m.inset
	n := len(m.cats)
	if w <= 0 || n == 0 {
		return -1
	}
	f := (x - m.inset) / w
	f = max(0, min(1, f))
	return int(f*float32(n)+0.5) - 1
}

// Tapped jumps to the marked entry nearest the tap (within a few pixels),
// else to the entry under it.
func (m *markers) Tapped(e *fyne.PointEvent) {
	if m.jump == nil || len(m.cats) == 0 {
		return
	}
	best, bestD := m.posAt(e.Position.X), float32(5)
	for dx := float32(-4); dx <= 4; dx++ {
		p := m.posAt(e.Position.X + dx)
		if p >= 0 && m.cats[p] != markNone {
			d := dx
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = p, d
			}
		}
	}
	// a column covers many entries: find a marked one inside it
	if best >= 0 && m.cats[best] == markNone {
		lo, hi := m.posAt(e.Position.X-0.5), m.posAt(e.Position.X+0.5)
		for p := max(lo, 0); p <= hi && p < len(m.cats); p++ {
			if m.cats[p] != markNone {
				best = p
				break
			}
		}
	}
	m.jump(best)
}

func (m *markers) MinSize() fyne.Size {
	m.ExtendBaseWidget(m)
	return fyne.NewSize(2*m.inset+10, markersHeight)
}

func (m *markers) CreateRenderer() fyne.WidgetRenderer {
	return &markersRenderer{m: m}
}

// markersRenderer draws runs of equal columns as one rectangle each.
type markersRenderer struct {
	m     *markers
	size  fyne.Size
	rects []*canvas.Rectangle
	objs  []fyne.CanvasObject
}

func (r *markersRenderer) Layout(size fyne.Size) {
	r.size = size
	r.rebuild()
}

func (r *markersRenderer) MinSize() fyne.Size { return r.m.MinSize() }

func (r *markersRenderer) Refresh() { r.rebuild() }

func (r *markersRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *markersRenderer) Destroy() {}

// rebuild lays a rectangle over each run of equal non-empty columns.
func (r *markersRenderer) rebuild() {
	inset := r.m.inset
	w := int(r.size.Width - 2*inset)
	cols := r.m.columns(w)
	used := 0
	for x := 0; x < len(cols); {
		c := cols[x]
		end := x + 1
		for end < len(cols) && cols[end] == c {
			end++
		}
		if c != markNone {
			if used == len(r.rects) {
				r.rects = append(r.rects, canvas.NewRectangle(color.Transparent))
			}
			rect := r.rects[used]
			used++
			rect.FillColor = markColor(c)
			h := float32(markersHeight) * 0.6
			if c >= markGC {
				h = markersHeight
			}
			// one column is drawn 2 px wide so single events stay visible
			rect.Move(fyne.NewPos(inset+float32(x)-0.5, r.size.Height-h))
			rect.Resize(fyne.NewSize(max(float32(end-x), 2), h))
			rect.Refresh()
		}
		x = end
	}
	r.objs = r.objs[:0]
	for _, rect := range r.rects[:used] {
		r.objs = append(r.objs, rect)
	}
}

// markCounts counts the entries of each category (for tests and the legend).
func (m *markers) markCounts() [numMarks]int {
	var out [numMarks]int
	for _, c := range m.cats {
		out[c]++
	}
	return out
}

// markersLegend names the markers' colours in their colours.
func markersLegend() fyne.CanvasObject {
	box := container.NewHBox()
	for _, m := range []struct {
		mark uint8
		name string
	}{{markPeer, "peers"}, {markJob, "jobs"}, {markGC, "gc"}, {markAnomaly, "anomalies"}} {
		t := canvas.NewText("▮ "+m.name, markColor(m.mark))
		t.TextSize = theme.Size(theme.SizeNameCaptionText)
		box.Add(t)
	}
	return container.NewCenter(box)
}
