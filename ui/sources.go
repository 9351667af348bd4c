package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/assets/demo"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
)

// sourceKind tells where a source's log comes from.
type sourceKind int

const (
	kindZK sourceKind = iota + 1
	kindFile
	kindDemo
)

// sourceItem is one source in the sidebar with its tenancies, newest first.
type sourceItem struct {
	key   string // "zk:ADDR", "file:PATH" or "demo": tree node id and preference key
	title string
	kind  sourceKind
	src   zklog.Source // nil until connected
	ts    []zklog.Tenancy
	err   error
	stop  func()
	// autoOpen: open a tenancy once listed (the one --tenancy names, else
	// the newest); cleared when done.
	autoOpen bool
}

// sidebar lists the sources and under each its deployments, with a filter
// box; selecting a deployment opens it.
type sidebar struct {
	sh     *shell
	items  []*sourceItem
	byKey  map[string]*sourceItem
	tree   *keyTree
	filter *widget.Entry
	box    *fyne.Container
	sel    string // the selected node
}

// The tree's node ids: a source's key, or key + sep + tenancy id.
const sep = "\x00"

// sidebarMinWidth is the sidebar's least width, in Fyne units.
const sidebarMinWidth = 250

func newSidebar(sh *shell) *sidebar {
	s := &sidebar{sh: sh, byKey: map[string]*sourceItem{}}
	s.filter = widget.NewEntry()
	s.filter.SetPlaceHolder("Filter deployments")
	s.filter.Icon = theme.SearchIcon()
	s.filter.OnChanged = func(string) { s.tree.Refresh() }
	s.tree = newKeyTree(s.children, s.isBranch, s.create, s.update)
	s.tree.OnSelected = s.selected
	add := widget.NewButtonWithIcon("ZooKeeper", theme.ContentAddIcon(), s.showAddZK)
	open := widget.NewButtonWithIcon("File", theme.FolderOpenIcon(), sh.showOpen)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), s.removeSelected)
	remove.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle("Sources", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	buttons := container.NewHBox(add, open, remove)
	// The narrowest the sidebar gets: deployment rows stay readable.
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(sidebarMinWidth, 0))
	top := container.NewVBox(container.NewBorder(nil, nil, title, nil), buttons, s.filter, width)
	s.box = container.NewBorder(top, nil, nil, nil, s.tree)
	return s
}

func (s *sidebar) object() fyne.CanvasObject { return s.box }

// children lists the tree: sources at the root, matching tenancies below.
func (s *sidebar) children(id widget.TreeNodeID) []widget.TreeNodeID {
	if id == "" {
		out := make([]string, len(s.items))
		for i, it := range s.items {
			out[i] = it.key
		}
		return out
	}
	it := s.byKey[id]
	if it == nil {
		return nil
	}
	q := strings.ToLower(strings.TrimSpace(s.filter.Text))
	var out []string
	for _, t := range it.ts {
		if q == "" || strings.Contains(strings.ToLower(t.ID), q) || strings.Contains(strings.ToLower(t.Version.Version), q) {
			out = append(out, it.key+sep+t.ID)
		}
	}
	return out
}

func (s *sidebar) isBranch(id widget.TreeNodeID) bool {
	return id == "" || !strings.Contains(id, sep)
}

// create makes a row: a source's title and state, or a deployment's dot,
// id and details.
func (s *sidebar) create(branch bool) fyne.CanvasObject {
	if branch {
		title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Truncation = fyne.TextTruncateEllipsis
		state := widget.NewLabel("")
		state.SizeName = theme.SizeNameCaptionText
		state.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, widget.NewIcon(theme.StorageIcon()), nil, container.NewVBox(title, state))
	}
	id := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	id.Truncation = fyne.TextTruncateEllipsis
	caption := func() *widget.Label {
		l := widget.NewLabel("")
		l.SizeName = theme.SizeNameCaptionText
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	// Two caption lines, so version, entries and activity fit a narrow
	// sidebar; the labels' own padding spaces them.
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), caption(), caption())
	return withDot(container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()), id, lines), theme.Color(theme.ColorNameDisabled))
}

func (s *sidebar) update(id widget.TreeNodeID, branch bool, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	texts := row.Objects[0].(*fyne.Container)
	if branch {
		it := s.byKey[id]
		if it == nil {
			return
		}
		texts.Objects[0].(*widget.Label).SetText(it.title)
		texts.Objects[1].(*widget.Label).SetText(it.state())
		return
	}
	key, tid, _ := strings.Cut(id, sep)
	it := s.byKey[key]
	if it == nil {
		return
	}
	i := slices.IndexFunc(it.ts, func(t zklog.Tenancy) bool { return t.ID == tid })
	if i < 0 {
		return
	}
	t := it.ts[i]
	texts.Objects[0].(*widget.Label).SetText(t.ID)
	what, when := tenancyDetail(t)
	lines := texts.Objects[1].(*fyne.Container)
	setText(lines.Objects[0].(*widget.Label), what)
	setText(lines.Objects[1].(*widget.Label), when)
	c := theme.Color(theme.ColorNameDisabled)
	if t.Pulses > 0 {
		c = theme.Color(theme.ColorNameSuccess)
	}
	setDot(row, c)
}

// state is a source's second line: how many deployments, or what failed.
func (it *sourceItem) state() string {
	switch {
	case it.err != nil:
		return it.err.Error()
	case it.src == nil:
		return "connecting…"
	case len(it.ts) == 1:
		return "1 deployment"
	}
	return fmt.Sprintf("%d deployments", len(it.ts))
}

// tenancyDetail is a deployment's two detail lines: what it is ("Onyx
// 0.8.3 · 1204 entries") and when it was last active ("active 2016-01-04
// 09:12 · 4 pulses").
func tenancyDetail(t zklog.Tenancy) (what, when string) {
	parts := []string{}
	if t.Version.Version != "" {
		parts = append(parts, "Onyx "+t.Version.Version)
	}
	parts = append(parts, countOf(t.Count, "entry", "entries"))
	what = strings.Join(parts, " · ")
	parts = parts[:0]
	if !t.Modified.IsZero() {
		parts = append(parts, "active "+t.Modified.UTC().Format("2006-01-02 15:04"))
	}
	if t.Pulses > 0 {
		parts = append(parts, countOf(t.Pulses, "pulse", "pulses"))
	}
	return what, strings.Join(parts, " · ")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// sortTenancies orders tenancies newest first: by last activity, then
// creation, then id.
func sortTenancies(ts []zklog.Tenancy) {
	slices.SortStableFunc(ts, func(a, b zklog.Tenancy) int {
		if c := b.Modified.Compare(a.Modified); c != 0 {
			return c
		}
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// selected opens a deployment.
func (s *sidebar) selected(id widget.TreeNodeID) {
	s.sel = id
	key, tid, ok := strings.Cut(id, sep)
	if !ok {
		return
	}
	if it := s.byKey[key]; it != nil && it.src != nil {
		s.sh.openTenancy(key, it.src, tid)
	}
}

// add puts a source in the sidebar and starts watching it.
func (s *sidebar) add(it *sourceItem, open func(context.Context) (zklog.Source, error), relist bool,
	closeSrc func(zklog.Source), extra func(context.Context)) {
	if old := s.byKey[it.key]; old != nil {
		s.remove(old)
	}
	s.items = append(s.items, it)
	s.byKey[it.key] = it
	it.stop = s.sh.br.watchSource(open, relist, closeSrc, extra, sourceUI{
		connected: func(src zklog.Source) {
			if s.byKey[it.key] != it {
				return
			}
			it.src = src
			s.tree.Refresh()
		},
		listed: func(ts []zklog.Tenancy, err error) {
			if s.byKey[it.key] != it {
				return
			}
			s.listed(it, ts, err)
		},
	})
	s.tree.OpenBranch(it.key)
	s.tree.Refresh()
}

// listed takes a new listing of a source's tenancies.
func (s *sidebar) listed(it *sourceItem, ts []zklog.Tenancy, err error) {
	it.err = err
	if err == nil {
		sortTenancies(ts)
		it.ts = ts
	}
	s.tree.Refresh()
	if !it.autoOpen || it.src == nil || len(it.ts) == 0 {
		return
	}
	it.autoOpen = false
	pick := it.ts[0].ID
	if want := s.sh.opts.Tenancy; want != "" {
		if !slices.ContainsFunc(it.ts, func(t zklog.Tenancy) bool { return t.ID == want }) {
			it.err = fmt.Errorf("no deployment %q here", want)
			s.tree.Refresh()
			return
		}
		pick = want
	}
	s.tree.Select(it.key + sep + pick)
}

// remove stops a source and drops it; its open tenancy closes.
func (s *sidebar) remove(it *sourceItem) {
	if it.stop != nil {
		it.stop()
	}
	delete(s.byKey, it.key)
	s.items = slices.DeleteFunc(s.items, func(x *sourceItem) bool { return x == it })
	if s.sh.srcKey == it.key && s.sh.feed != nil {
		s.sh.closeTenancy()
	}
	if it.kind == kindZK {
		s.sh.prefs.removeZKConn(strings.TrimPrefix(it.key, "zk:"))
	}
	s.tree.Refresh()
}

// removeSelected removes the source of the selected node.
func (s *sidebar) removeSelected() {
	key, _, _ := strings.Cut(s.sel, sep)
	if it := s.byKey[key]; it != nil {
		s.remove(it)
		s.sel = ""
	}
}

// addZK adds a ZooKeeper connection, remembered in the preferences.
func (s *sidebar) addZK(c zkConn, autoOpen bool) {
	dial := s.sh.opts.Dial
	var auth []string
	if c.User != "" && c.Pass != "" {
		auth = []string{c.User + ":" + c.Pass}
	}
	open := func(ctx context.Context) (zklog.Source, error) {
		if dial == nil {
			return nil, errors.New("this build cannot connect to ZooKeeper")
		}
		return dial(ctx, c.Addr, c.Timeout, auth)
	}
	s.sh.prefs.addZKConn(c)
	s.add(&sourceItem{key: "zk:" + c.Addr, title: "ZooKeeper " + c.Addr, kind: kindZK, autoOpen: autoOpen},
		open, true, closeSource, nil)
}

// closeSource closes a source that can be closed (a ZooKeeper session).
func closeSource(src zklog.Source) {
	if c, ok := src.(interface{ Close() }); ok {
		c.Close()
	}
}

// addFile adds an archive or EDN log file.
func (s *sidebar) addFile(path string, autoOpen bool) {
	open := func(context.Context) (zklog.Source, error) { return archive.Open(path) }
	s.sh.prefs.addFile(path)
	s.sh.refreshMenu()
	s.add(&sourceItem{key: "file:" + path, title: filepath.Base(path), kind: kindFile, autoOpen: autoOpen},
		open, false, nil, nil)
}

// addDemo adds the bundled demo (assets/demo): archives of simulated
// clusters of several Onyx versions and a live simulated tenancy that keeps
// writing. Its goroutine ends with the source's context; closing waits for it.
func (s *sidebar) addDemo(autoOpen bool) {
	open := func(ctx context.Context) (zklog.Source, error) { return demo.Source(ctx), nil }
	wait := func(src zklog.Source) { src.(*demo.Demo).Wait() }
	s.add(&sourceItem{key: "demo", title: "Demo (simulated)", kind: kindDemo, autoOpen: autoOpen},
		open, true, wait, nil)
}

// focusFilter puts the cursor in the filter box (Ctrl+F).
func (s *sidebar) focusFilter() {
	s.sh.win.Canvas().Focus(s.filter)
}
