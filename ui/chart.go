package ui

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/timeline"
)

// chartLine is one series of a chart: a step line over log positions.
type chartLine struct {
	name  string
	color color.Color
	steps []chartStep
}

// chartStep is a value that holds from pos on; lo and hi are the smallest and
// largest values the merged positions of a bucket took (see bucketize).
type chartStep struct{ pos, val, lo, hi int }

// maxChartSteps bounds the steps a line keeps, so a million-entry log draws
// as fast as a short one: steps closer than a bucket are merged.
const maxChartSteps = 1000

// bucketize turns change points into at most maxChartSteps steps over the
// positions -1..n-1, keeping each bucket's range so spikes stay visible.
func bucketize(points []timeline.Point, n int) []chartStep {
	width := max(1, (n+1+maxChartSteps-1)/maxChartSteps)
	var out []chartStep
	for _, p := range points {
		b := (p.Pos + 1) / width
		if k := len(out); k > 0 && (out[k-1].pos+1)/width == b {
			s := &out[k-1]
			s.val, s.lo, s.hi = p.Value, min(s.lo, p.Value), max(s.hi, p.Value)
			continue
		}
		out = append(out, chartStep{p.Pos, p.Value, p.Value, p.Value})
	}
	return out
}

// chart draws step lines of series over the log with a cursor at the
// current position; a tap seeks to the position under it. Its state lives
// in the widget; the renderer rebuilds its objects from it.
type chart struct {
	widget.BaseWidget
	title  string
	lines  []chartLine
	n      int // entries: positions run from -1 to n-1
	top    int // the largest value drawn
	cursor int
	onSeek func(pos int)
}

func newChart(title string, onSeek func(int)) *chart {
	c := &chart{title: title, onSeek: onSeek, cursor: -1}
	c.ExtendBaseWidget(c)
	return c
}

// setData replaces the lines; n is the timeline's Len.
func (c *chart) setData(n int, lines []chartLine) {
	c.n, c.lines, c.top = n, lines, 1
	for _, l := range lines {
		for _, s := range l.steps {
			c.top = max(c.top, s.hi)
		}
	}
	c.Refresh()
}

// setCursor moves the cursor without rebuilding the lines.
func (c *chart) setCursor(pos int) {
	if c.cursor == pos {
		return
	}
	c.cursor = pos
	c.Refresh()
}

const (
	chartLeft   = 36 // room for the axis labels
	chartTop    = 22 // room for the title and legend
	chartBottom = 6
	chartRight  = 8
)

// plot is the drawing area of a chart of size s.
func plot(s fyne.Size) (x, y, w, h float32) {
	return chartLeft, chartTop, max(1, s.Width-chartLeft-chartRight), max(1, s.Height-chartTop-chartBottom)
}

// xFor is the x of pos in a chart of size s.
func (c *chart) xFor(pos int, s fyne.Size) float32 {
	x, _, w, _ := plot(s)
	if c.n <= 0 {
		return x
	}
	return x + w*float32(pos+1)/float32(c.n)
}

// posAt is the position under x, clamped to the log.
func (c *chart) posAt(x float32, s fyne.Size) int {
	px, _, w, _ := plot(s)
	pos := int(math.Round(float64((x-px)/w*float32(c.n)))) - 1
	return min(max(pos, -1), c.n-1)
}

// Tapped seeks to the position under the tap.
func (c *chart) Tapped(ev *fyne.PointEvent) {
	if c.onSeek != nil && c.n > 0 {
		c.onSeek(c.posAt(ev.Position.X, c.Size()))
	}
}

func (c *chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.axis = canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	r.cursor = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.cursor.StrokeWidth = 2
	r.title = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.title.TextStyle.Bold = true
	r.topLabel = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	r.zero = canvas.NewText("0", theme.Color(theme.ColorNamePlaceHolder))
	r.rebuild()
	return r
}

type chartRenderer struct {
	c                     *chart
	bg                    *canvas.Rectangle
	axis, cursor          *canvas.Line
	title, topLabel, zero *canvas.Text
	legend                []*canvas.Text
	segs                  [][]*canvas.Line // per line: the step segments
	objects               []fyne.CanvasObject
	built                 []chartLine // the lines segs were built for
}

// rebuild makes one object per step segment of every line.
func (r *chartRenderer) rebuild() {
	c := r.c
	r.built = c.lines
	r.title.Text = c.title
	r.topLabel.Text = strconv.Itoa(c.top)
	r.objects = []fyne.CanvasObject{r.bg, r.axis, r.title, r.topLabel, r.zero}
	r.legend, r.segs = nil, nil
	for _, l := range c.lines {
		t := canvas.NewText("■ "+l.name, l.color)
		t.TextSize = theme.CaptionTextSize()
		r.legend = append(r.legend, t)
		r.objects = append(r.objects, t)
		var segs []*canvas.Line
		for range l.steps {
			h, v := canvas.NewLine(l.color), canvas.NewLine(l.color)
			h.StrokeWidth, v.StrokeWidth = 1.5, 1.5
			segs = append(segs, h, v)
			r.objects = append(r.objects, h, v)
		}
		r.segs = append(r.segs, segs)
	}
	r.objects = append(r.objects, r.cursor)
}

func (r *chartRenderer) Layout(s fyne.Size) {
	c := r.c
	x, y, w, h := plot(s)
	r.bg.Move(fyne.NewPos(x, y))
	r.bg.Resize(fyne.NewSize(w, h))
	r.axis.Position1, r.axis.Position2 = fyne.NewPos(x, y+h), fyne.NewPos(x+w, y+h)
	r.title.Move(fyne.NewPos(4, 2))
	r.title.TextSize = theme.TextSize()
	tw := fyne.MeasureText(r.title.Text, r.title.TextSize, r.title.TextStyle).Width
	lx := 4 + tw + 12
	for _, t := range r.legend {
		t.Move(fyne.NewPos(lx, 4))
		lx += fyne.MeasureText(t.Text, t.TextSize, t.TextStyle).Width + 10
	}
	r.topLabel.TextSize, r.zero.TextSize = theme.CaptionTextSize(), theme.CaptionTextSize()
	r.topLabel.Move(fyne.NewPos(4, y-2))
	r.zero.Move(fyne.NewPos(4, y+h-theme.CaptionTextSize()-2))
	yFor := func(v int) float32 { return y + h - h*float32(v)/float32(c.top) }
	end := c.xFor(c.n-1, s)
	for i, l := range r.built {
		segs := r.segs[i]
		for j, st := range l.steps {
			x0 := c.xFor(st.pos, s)
			x1 := end
			if j+1 < len(l.steps) {
				x1 = c.xFor(l.steps[j+1].pos, s)
			}
			hz, vt := segs[2*j], segs[2*j+1]
			hz.Position1, hz.Position2 = fyne.NewPos(x0, yFor(st.val)), fyne.NewPos(x1, yFor(st.val))
			lo, hi := st.lo, st.hi
			if j > 0 {
				prev := l.steps[j-1].val
				lo, hi = min(lo, prev), max(hi, prev)
			}
			vt.Position1, vt.Position2 = fyne.NewPos(x0, yFor(lo)), fyne.NewPos(x0, yFor(hi))
		}
	}
	cx := c.xFor(c.cursor, s)
	r.cursor.Position1, r.cursor.Position2 = fyne.NewPos(cx, y), fyne.NewPos(cx, y+h)
}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 120) }

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Refresh redraws everything when the lines changed, and only the cursor
// when the position moved.
func (r *chartRenderer) Refresh() {
	s := r.c.Size()
	if !sameLines(r.built, r.c.lines) || r.title.Text != r.c.title {
		r.rebuild()
		r.Layout(s)
		for _, o := range r.objects {
			canvas.Refresh(o)
		}
		return
	}
	_, y, _, h := plot(s)
	cx := r.c.xFor(r.c.cursor, s)
	r.cursor.Position1, r.cursor.Position2 = fyne.NewPos(cx, y), fyne.NewPos(cx, y+h)
	canvas.Refresh(r.cursor)
}

func (r *chartRenderer) Destroy() {}

// sameLines reports that a and b are the same slices (setData replaces them).
func sameLines(a, b []chartLine) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i].steps) != len(b[i].steps) || (len(a[i].steps) > 0 && &a[i].steps[0] != &b[i].steps[0]) {
			return false
		}
	}
	return true
}
