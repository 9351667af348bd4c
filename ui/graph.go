package ui

import (
	"image/color"
	"math"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// graphNode is a task box of a laid-out workflow.
type graphNode struct {
	label        string
	layer, order int
	pos          fyne.Position // top left
	size         fyne.Size
}

// graphLayout is a workflow laid out left to right: one column per layer.
type graphLayout struct {
	nodes []graphNode
	edges [][2]int // from, to: indexes into nodes
	size  fyne.Size
}

const (
	graphPad    = 8
	graphGapX   = 48
	graphGapY   = 16
	graphBoxH   = 28
	graphMinBox = 64
	graphSweeps = 4
)

// layoutDAG lays out a directed graph in layers: each node sits one layer
// after its furthest predecessor (longest path), nodes in a layer are
// ordered by the mean order of their neighbours (barycentric sweeps, down
// and up), and layers become columns. Edges that close a cycle are ignored
// for layering. measure gives a label's width.
func layoutDAG(labels []string, edges [][2]int, measure func(string) float32) graphLayout {
	n := len(labels)
	g := graphLayout{nodes: make([]graphNode, n)}
	for _, e := range edges {
		if e[0] >= 0 && e[0] < n && e[1] >= 0 && e[1] < n && e[0] != e[1] {
			g.edges = append(g.edges, e)
		}
	}
	layer := longestPath(n, g.edges)
	layers := [][]int{}
	for v := range n {
		for len(layers) <= layer[v] {
			layers = append(layers, nil)
		}
		layers[layer[v]] = append(layers[layer[v]], v)
	}
	order := make([]int, n)
	renumber := func(l []int) {
		for i, v := range l {
			order[v] = i
		}
	}
	for _, l := range layers {
		renumber(l)
	}
	preds, succs := make([][]int, n), make([][]int, n)
	for _, e := range g.edges {
		preds[e[1]] = append(preds[e[1]], e[0])
		succs[e[0]] = append(succs[e[0]], e[1])
	}
	for sweep := range graphSweeps {
		down := sweep%2 == 0
		for i := range layers {
			li := i
			if !down {
				li = len(layers) - 1 - i
			}
			nb := preds
			if !down {
				nb = succs
			}
			sortByBarycenter(layers[li], nb, order)
			renumber(layers[li])
		}
	}
	// Coordinates: a column per layer, as wide as its widest label.
	x := float32(graphPad)
	tallest := 0
	for _, l := range layers {
		tallest = max(tallest, len(l))
	}
	for li, l := range layers {
		w := float32(graphMinBox)
		for _, v := range l {
			w = max(w, measure(labels[v])+16)
		}
		offset := float32(tallest-len(l)) * (graphBoxH + graphGapY) / 2
		for i, v := range l {
			g.nodes[v] = graphNode{
				label: labels[v], layer: li, order: i,
				pos:  fyne.NewPos(x, graphPad+offset+float32(i)*(graphBoxH+graphGapY)),
				size: fyne.NewSize(w, graphBoxH),
			}
		}
		x += w + graphGapX
	}
	g.size = fyne.NewSize(x-graphGapX+graphPad, 2*graphPad+float32(tallest)*(graphBoxH+graphGapY)-graphGapY)
	return g
}

// longestPath gives each node the length of the longest path reaching it,
// visiting nodes in Kahn's order; nodes on a cycle go after what they can.
func longestPath(n int, edges [][2]int) []int {
	indeg := make([]int, n)
	succs := make([][]int, n)
	for _, e := range edges {
		indeg[e[1]]++
		succs[e[0]] = append(succs[e[0]], e[1])
	}
	layer := make([]int, n)
	done := make([]bool, n)
	var queue []int
	for v := range n {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for left := n; left > 0; {
		if len(queue) == 0 { // a cycle: break it at the lowest unvisited node
			for v := range n {
				if !done[v] {
					queue = append(queue, v)
					break
				}
			}
		}
		v := queue[0]
		queue = queue[1:]
		if done[v] {
			continue
		}
		done[v] = true
		left--
		for _, w := range succs[v] {
			if done[w] {
				continue
			}
			layer[w] = max(layer[w], layer[v]+1)
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	return layer
}

// sortByBarycenter orders a layer by the mean order of each node's
// neighbours in the adjacent layer; nodes without any keep their place.
func sortByBarycenter(l []int, nb [][]int, order []int) {
	bc := make(map[int]float64, len(l))
	for _, v := range l {
		if len(nb[v]) == 0 {
			bc[v] = float64(order[v])
			continue
		}
		sum := 0.0
		for _, u := range nb[v] {
			sum += float64(order[u])
		}
		bc[v] = sum / float64(len(nb[v]))
	}
	sort.SliceStable(l, func(i, j int) bool { return bc[l[i]] < bc[l[j]] })
}

// graph draws a laid-out workflow: boxes with task names and arrows.
type graph struct {
	widget.BaseWidget
	layout graphLayout
}

func newGraph() *graph {
	g := &graph{}
	g.ExtendBaseWidget(g)
	return g
}

// setWorkflow lays out tasks and edges (indexes into tasks) and redraws.
func (g *graph) setWorkflow(tasks []string, edges [][2]int) {
	size := theme.TextSize()
	g.layout = layoutDAG(tasks, edges, func(s string) float32 {
		return fyne.MeasureText(s, size, fyne.TextStyle{}).Width
	})
	g.Refresh()
}

func (g *graph) CreateRenderer() fyne.WidgetRenderer {
	r := &graphRenderer{g: g}
	r.rebuild()
	return r
}

type graphRenderer struct {
	g       *graph
	objects []fyne.CanvasObject
}

func (r *graphRenderer) rebuild() {
	l := r.g.layout
	r.objects = nil
	fg := theme.Color(theme.ColorNameForeground)
	edge := theme.Color(theme.ColorNamePlaceHolder)
	for _, e := range l.edges {
		a, b := l.nodes[e[0]], l.nodes[e[1]]
		from := fyne.NewPos(a.pos.X+a.size.Width, a.pos.Y+a.size.Height/2)
		to := fyne.NewPos(b.pos.X, b.pos.Y+b.size.Height/2)
		if b.layer <= a.layer { // a back edge: leave from the bottom
			from = fyne.NewPos(a.pos.X+a.size.Width/2, a.pos.Y+a.size.Height)
			to = fyne.NewPos(b.pos.X+b.size.Width/2, b.pos.Y+b.size.Height)
		}
		r.objects = append(r.objects, graphLine(from, to, edge))
		// The arrowhead: two short strokes back from the tip.
		dx, dy := to.X-from.X, to.Y-from.Y
		n := float32(math.Hypot(float64(dx), float64(dy)))
		if n > 0 {
			ux, uy := dx/n*8, dy/n*8
			r.objects = append(r.objects,
				graphLine(to, fyne.NewPos(to.X-ux-uy/2, to.Y-uy+ux/2), edge),
				graphLine(to, fyne.NewPos(to.X-ux+uy/2, to.Y-uy-ux/2), edge))
		}
	}
	for _, nd := range l.nodes {
		box := canvas.NewRectangle(theme.Color(theme.ColorNameButton))
		box.StrokeColor, box.StrokeWidth, box.CornerRadius = theme.Color(theme.ColorNamePrimary), 1, 4
		box.Move(nd.pos)
		box.Resize(nd.size)
		t := canvas.NewText(nd.label, fg)
		t.Alignment = fyne.TextAlignCenter
		t.Move(nd.pos)
		t.Resize(nd.size)
		r.objects = append(r.objects, box, t)
	}
}

func graphLine(a, b fyne.Position, c color.Color) *canvas.Line {
	l := canvas.NewLine(c)
	l.Position1, l.Position2 = a, b
	l.StrokeWidth = 1.5
	return l
}

func (r *graphRenderer) Layout(fyne.Size) {}

func (r *graphRenderer) MinSize() fyne.Size { return r.g.layout.size }

func (r *graphRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *graphRenderer) Refresh() {
	r.rebuild()
	canvas.Refresh(r.g)
}

func (r *graphRenderer) Destroy() {}
