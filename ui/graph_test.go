package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func fixedWidth(s string) float32 { return float32(8 * len(s)) }

func TestLayoutDAGPutsEveryEdgeForwardWithoutOverlaps(t *testing.T) {
	// in → a, in → b, a → c, b → c, c → out, and the long edge in → out.
	labels := []string{"in", "a", "b", "c", "out", "side"}
	edges := [][2]int{{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {0, 4}, {5, 3}}
	g := layoutDAG(labels, edges, fixedWidth)
	wantLayer := []int{0, 1, 1, 2, 3, 0}
	for i, w := range wantLayer {
		if g.nodes[i].layer != w {
			t.Errorf("%s: layer %d, want %d (longest path)", labels[i], g.nodes[i].layer, w)
		}
	}
	for _, e := range g.edges {
		a, b := g.nodes[e[0]], g.nodes[e[1]]
		if a.pos.X+a.size.Width >= b.pos.X {
			t.Errorf("edge %s → %s does not go right: %v+%v, %v", a.label, b.label, a.pos.X, a.size.Width, b.pos.X)
		}
	}
	for i := range g.nodes {
		for j := i + 1; j < len(g.nodes); j++ {
			a, b := g.nodes[i], g.nodes[j]
			if a.pos.X < b.pos.X+b.size.Width && b.pos.X < a.pos.X+a.size.Width &&
				a.pos.Y < b.pos.Y+b.size.Height && b.pos.Y < a.pos.Y+a.size.Height {
				t.Errorf("boxes %s and %s overlap: %v %v and %v %v", a.label, b.label, a.pos, a.size, b.pos, b.size)
			}
		}
		n := g.nodes[i]
		if n.pos.X+n.size.Width > g.size.Width || n.pos.Y+n.size.Height > g.size.Height {
			t.Errorf("%s lies outside the graph's size %v", n.label, g.size)
		}
		if n.size.Width < fixedWidth(n.label) {
			t.Errorf("%s: box %v narrower than its label", n.label, n.size.Width)
		}
	}
}

func TestLayoutDAGOrdersByBarycenter(t *testing.T) {
	// x → q and y → p: after the sweeps p sits beside y and q beside x, so
	// the two edges do not cross.
	labels := []string{"x", "y", "p", "q"}
	g := layoutDAG(labels, [][2]int{{0, 3}, {1, 2}}, fixedWidth)
	x, y, p, q := g.nodes[0], g.nodes[1], g.nodes[2], g.nodes[3]
	if (x.order < y.order) != (q.order < p.order) {
		t.Errorf("crossing edges: x %d y %d, p %d q %d", x.order, y.order, p.order, q.order)
	}
}

func TestLayoutDAGSurvivesCyclesSelfLoopsAndBadEdges(t *testing.T) {
	g := layoutDAG([]string{"a", "b", "c"}, [][2]int{{0, 1}, {1, 2}, {2, 0}, {1, 1}, {0, 7}, {-1, 0}}, fixedWidth)
	if len(g.nodes) != 3 || len(g.edges) != 3 {
		t.Fatalf("got %d nodes, %d edges; want 3 and 3 (bad edges dropped)", len(g.nodes), len(g.edges))
	}
	if g.nodes[0].layer != 0 || g.nodes[1].layer != 1 || g.nodes[2].layer != 2 {
		t.Errorf("layers %d %d %d, want 0 1 2 (the cycle broken at a)", g.nodes[0].layer, g.nodes[1].layer, g.nodes[2].layer)
	}
	empty := layoutDAG(nil, nil, fixedWidth)
	if len(empty.nodes) != 0 {
		t.Errorf("empty graph has %d nodes", len(empty.nodes))
	}
}

func TestGraphWidgetDrawsBoxesAndArrows(t *testing.T) {
	test.NewTempApp(t)
	g := newGraph()
	g.setWorkflow([]string{"in", "inc", "out"}, [][2]int{{0, 1}, {1, 2}})
	r := test.TempWidgetRenderer(t, g)
	// 2 edges × (line + 2 arrowhead strokes) + 3 × (box + text)
	if n := len(r.Objects()); n != 12 {
		t.Errorf("%d objects drawn, want 12", n)
	}
	if ms := g.MinSize(); ms.Width < 3*graphMinBox || ms.Height < graphBoxH {
		t.Errorf("min size %v too small for three boxes", ms)
	}
}

// The drawing of a small workflow, pinned as markup (review the diff of
// testdata/views/graph-in-inc-out.xml when the drawing changes on purpose).
func TestGraphMarkup(t *testing.T) {
	test.NewTempApp(t)
	g := newGraph()
	g.setWorkflow([]string{"in", "inc", "out", "audit"}, [][2]int{{0, 1}, {1, 2}, {0, 3}})
	w := test.NewTempWindow(t, g)
	w.Resize(g.MinSize())
	test.AssertObjectRendersToMarkup(t, "views/graph-in-inc-out.xml", g)
}
