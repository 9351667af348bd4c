package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/value"
)

var peerHeaders = []string{"Peer", "State", "Job", "Task", "Host", "Ports", "Group", "Tags"}

// peer table columns: where each peer runs comes first, so a 1024-pixel
// window shows it without scrolling.
const (
	colPeer = iota
	colState
	colJob
	colTask
	colHost
	colPorts
	colGroup
	colTags
)

// peersTab is a table of the peers: state, site, group, tags and where
// each runs; a header tap sorts by that column (again: reversed).
type peersTab struct {
	act     Actions
	rows    [][]string
	headers []string // peerHeaders with the sort order marked
	table   *keyTable
	count   *widget.Label
	sortCol int
	desc    bool
	obj     fyne.CanvasObject
}

func newPeersTab(act Actions) *peersTab {
	p := &peersTab{act: act, sortCol: -1, headers: append([]string(nil), peerHeaders...)}
	p.table = textTable(p.headers, []float32{100, 100, 100, 130, 110, 100, 100, 140}, &p.rows, p.sortBy)
	p.count = widget.NewLabel("")
	p.obj = container.NewBorder(p.count, nil, nil, nil, p.table)
	return p
}

func (p *peersTab) title() string             { return "Peers" }
func (p *peersTab) icon() fyne.Resource       { return theme.ComputerIcon() }
func (p *peersTab) object() fyne.CanvasObject { return p.obj }

func (p *peersTab) show(pos Position) {
	p.rows = p.rows[:0]
	if pos.Reader == nil {
		p.count.SetText("no tenancy open")
		p.table.Refresh()
		return
	}
	r := pos.Replica
	ids := r.Peers()
	seen := make(map[value.Value]bool, len(ids))
	for _, id := range ids {
		seen[id] = true
	}
	joining := 0
	r.PeerStates().Range(func(id, _ value.Value) bool { // peers with a state but not (yet) in :peers
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
			joining++
		}
		return true
	})
	where := placements(r)
	sites := r.PeerSites()
	groups := mapOf(r.Get(kwGroupsReverse))
	tags := mapOf(r.Get(kwPeerTags))
	for _, id := range ids {
		s := siteOf(sites.Val(id))
		row := make([]string, len(peerHeaders))
		row[colPeer] = shortID(id)
		row[colState] = "–"
		if st := r.PeerState(id); !st.IsZero() {
			row[colState] = st.Name()
		}
		row[colHost], row[colPorts] = s.host, s.ports
		if g := groups.Val(id); g != nil {
			row[colGroup] = shortID(g)
		}
		var ts []string
		for _, t := range value.Items(tags.Val(id)) {
			ts = append(ts, shortID(t))
		}
		row[colTags] = strings.Join(ts, " ")
		if pl, ok := where[id]; ok {
			row[colJob], row[colTask] = shortID(pl.job), shortID(pl.task)
		}
		p.rows = append(p.rows, row)
	}
	p.sortRows()
	text := plural(len(r.Peers()), "peer")
	if joining > 0 {
		text += fmt.Sprintf(" (and %d not yet joined)", joining)
	}
	p.count.SetText(text)
	p.table.Refresh()
}

// sortBy sorts by col, or reverses the order when it already sorts by col.
func (p *peersTab) sortBy(col int) {
	if p.sortCol == col {
		p.desc = !p.desc
	} else {
		p.sortCol, p.desc = col, false
	}
	copy(p.headers, peerHeaders)
	mark := " ▲"
	if p.desc {
		mark = " ▼"
	}
	p.headers[col] += mark
	p.sortRows()
	p.table.Refresh()
}

func (p *peersTab) sortRows() {
	if p.sortCol < 0 {
		return
	}
	c, desc := p.sortCol, p.desc
	sort.SliceStable(p.rows, func(i, j int) bool {
		if desc {
			return p.rows[j][c] < p.rows[i][c]
		}
		return p.rows[i][c] < p.rows[j][c]
	})
}
