package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The keyboard (docs/ui.md): plain keys act when no widget has focus or a
// list, table or tree has it (keyfocus.go passes them on); a focused Entry
// or Slider keeps them;
// Ctrl shortcuts sit on main-menu items, which Fyne tries before the focused
// widget, so they work from the filter box too.
var (
	scOpen   = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	scFilter = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	scQuit   = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	// scTabs are Ctrl+1 … Ctrl+7, one per tab in the order of tabs.go.
	scTabs = tabShortcuts(fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9)
	// Shift+arrows are not shortcuts to Fyne (a key with Shift alone never
	// is), but the canvas passes them to OnTypedKey without the modifier; the
	// desktop canvas's key-down hook tells us Shift is held.
)

func tabShortcuts(keys ...fyne.KeyName) []*desktop.CustomShortcut {
	out := make([]*desktop.CustomShortcut, len(keys))
	for i, k := range keys {
		out[i] = &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	return out
}

// bindKeys installs the plain-key handler and Shift tracking.
func (s *shell) bindKeys() {
	c := s.win.Canvas()
	c.SetOnTypedKey(s.typedKey)
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(e *fyne.KeyEvent) {
			if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
				s.shift = true
			}
		})
		dc.SetOnKeyUp(func(e *fyne.KeyEvent) {
			if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
				s.shift = false
			}
		})
	}
	for _, sc := range append([]*desktop.CustomShortcut{scOpen, scFilter}, scTabs[:min(len(scTabs), len(s.tabs.tabs))]...) {
		c.AddShortcut(sc, func(sh fyne.Shortcut) { s.shortcut(sh) })
	}
}

// typedKey handles a key no widget took: ←/→ step (±10 with Shift),
// Home/End, Space play, L live.
func (s *shell) typedKey(e *fyne.KeyEvent) {
	n := 1
	if s.shift {
		n = 10
	}
	switch e.Name {
	case fyne.KeyLeft:
		s.step(-n)
	case fyne.KeyRight:
		s.step(n)
	case fyne.KeyHome:
		s.Seek(-1)
	case fyne.KeyEnd:
		s.seekLast()
	case fyne.KeySpace:
		s.togglePlay()
	case fyne.KeyL:
		s.setLive(!s.pos.Live)
	}
}

// shortcut runs a Ctrl shortcut (from the menu or the canvas).
func (s *shell) shortcut(sc fyne.Shortcut) {
	switch sc.ShortcutName() {
	case scOpen.ShortcutName():
		s.showOpen()
	case scFilter.ShortcutName():
		s.side.focusFilter()
	}
	for i, t := range scTabs {
		if sc.ShortcutName() == t.ShortcutName() {
			s.tabs.selectIndex(i)
		}
	}
}

// refreshMenu builds the main menu again (the recent files changed).
func (s *shell) refreshMenu() {
	if s.win.MainMenu() != nil {
		s.win.SetMainMenu(s.menu())
	}
}

// menu is the main menu; its items carry the Ctrl shortcuts.
func (s *shell) menu() *fyne.MainMenu {
	open := fyne.NewMenuItem("Open…", s.showOpen)
	open.Shortcut = scOpen
	addZK := fyne.NewMenuItem("Add ZooKeeper connection…", s.side.showAddZK)
	recent := fyne.NewMenuItem("Open recent", nil)
	for _, path := range s.prefs.files() {
		recent.ChildMenu = appendItem(recent.ChildMenu, fyne.NewMenuItem(path, func() { s.side.addFile(path, true) }))
	}
	if recent.ChildMenu == nil {
		recent.Disabled = true
	}
	quit := fyne.NewMenuItem("Quit", func() {
		s.close() // remember the position; Quit may not close the window first
		s.app.Quit()
	})
	quit.IsQuit = true
	quit.Shortcut = scQuit
	filter := fyne.NewMenuItem("Filter deployments", s.side.focusFilter)
	filter.Shortcut = scFilter
	live := fyne.NewMenuItem("Live", func() { s.setLive(!s.pos.Live) })
	play := fyne.NewMenuItem("Play / pause", s.togglePlay)
	first := fyne.NewMenuItem("First entry", func() { s.Seek(-1) })
	last := fyne.NewMenuItem("Last entry", s.seekLast)
	about := fyne.NewMenuItem("About", s.showAbout)
	keys := fyne.NewMenuItem("Keyboard", s.showKeys)
	view := []*fyne.MenuItem{filter, fyne.NewMenuItemSeparator()}
	for i, t := range s.tabs.tabs {
		it := fyne.NewMenuItem(t.title(), func() { s.tabs.selectIndex(i) })
		if i < len(scTabs) {
			it.Shortcut = scTabs[i]
		}
		view = append(view, it)
	}
	view = append(view, fyne.NewMenuItemSeparator(), first, last, play, live)
	file := []*fyne.MenuItem{open, recent, addZK, fyne.NewMenuItemSeparator()}
	file = append(file, s.fileMenuItems()...)
	file = append(file, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMainMenu(
		fyne.NewMenu("File", file...),
		fyne.NewMenu("View", view...),
		fyne.NewMenu("Help", keys, about),
	)
}

func (s *shell) showAbout() {
	dialog.ShowInformation("About "+Title,
		Title+" replays the coordination log Onyx keeps in ZooKeeper\nand shows the cluster at any point of it.\n\nIt never writes to ZooKeeper unless started with --allow-writes.", s.win)
}

// keyHelp lists the keyboard, as docs/ui.md does.
const keyHelp = `←  →            previous / next entry
Shift+←  →      10 entries back / forward
Home  End       origin / newest entry
Space           play / pause
L               Live on / off
Ctrl+F          filter the deployments
Ctrl+O          open an archive or EDN log
Ctrl+1 … Ctrl+7 Overview, Jobs, Allocations, Peers, Log, Replica, Diff

Plain keys work in lists, tables and trees too (↑/↓ move there,
Return selects); a text field keeps them: click an empty spot to leave it.`

func (s *shell) showKeys() {
	l := widget.NewLabel(keyHelp)
	l.TextStyle = fyne.TextStyle{Monospace: true}
	dialog.ShowCustom("Keyboard", "Close", l, s.win)
}

// appendItem adds it to the menu m, making m when nil.
func appendItem(m *fyne.Menu, it *fyne.MenuItem) *fyne.Menu {
	if m == nil {
		return fyne.NewMenu("", it)
	}
	m.Items = append(m.Items, it)
	return m
}
