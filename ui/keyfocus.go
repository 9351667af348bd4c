package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne sends keys to the focused widget, and a tap on a row focuses its
// List, Table or Tree, which would swallow the timeline keys. The views use
// these wrappers instead: they keep ↑/↓ (moving the row focus) and turn
// Return into the widget's Space (select the focused row), and pass every
// other key, and Shift going down or up, to the canvas's own handlers, the
// shell's (shortcuts.go). Text entries are plain widgets and keep their keys.

// collectionKey hands e to the canvas of o unless the collection keeps it:
// ↑/↓ go to the widget as they are, Return goes to it as Space.
func collectionKey(o fyne.CanvasObject, e *fyne.KeyEvent, own func(*fyne.KeyEvent)) {
	switch e.Name {
	case fyne.KeyUp, fyne.KeyDown:
		own(e)
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		own(&fyne.KeyEvent{Name: fyne.KeySpace, Physical: e.Physical})
		return
	}
	if c := canvasOf(o); c != nil && c.OnTypedKey() != nil {
		c.OnTypedKey()(e)
	}
}

// collectionKeyDown passes a key going down (up when up is set) to the
// canvas's desktop hooks, so the shell sees Shift held while a collection
// has the focus.
func collectionKeyDown(o fyne.CanvasObject, e *fyne.KeyEvent, up bool) {
	dc, ok := canvasOf(o).(desktop.Canvas)
	if !ok {
		return
	}
	h := dc.OnKeyDown()
	if up {
		h = dc.OnKeyUp()
	}
	if h != nil {
		h(e)
	}
}

func canvasOf(o fyne.CanvasObject) fyne.Canvas {
	a := fyne.CurrentApp()
	if a == nil || a.Driver() == nil {
		return nil
	}
	return a.Driver().CanvasForObject(o)
}

// keyList is a widget.List that leaves the timeline keys to the shell.
type keyList struct{ widget.List }

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{widget.List{Length: length, CreateItem: create, UpdateItem: update}}
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(e *fyne.KeyEvent) { collectionKey(l, e, l.List.TypedKey) }
func (l *keyList) KeyDown(e *fyne.KeyEvent)  { collectionKeyDown(l, e, false) }
func (l *keyList) KeyUp(e *fyne.KeyEvent)    { collectionKeyDown(l, e, true) }

// keyTable is a widget.Table that leaves the timeline keys to the shell.
type keyTable struct{ widget.Table }

func newKeyTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *keyTable {
	t := &keyTable{widget.Table{Length: length, CreateCell: create, UpdateCell: update}}
	t.ExtendBaseWidget(t)
	return t
}

func (t *keyTable) TypedKey(e *fyne.KeyEvent) { collectionKey(t, e, t.Table.TypedKey) }
func (t *keyTable) KeyDown(e *fyne.KeyEvent)  { collectionKeyDown(t, e, false) }
func (t *keyTable) KeyUp(e *fyne.KeyEvent)    { collectionKeyDown(t, e, true) }

// keyTree is a widget.Tree that leaves the timeline keys to the shell.
type keyTree struct{ widget.Tree }

func newKeyTree(children func(widget.TreeNodeID) []widget.TreeNodeID, isBranch func(widget.TreeNodeID) bool,
	create func(bool) fyne.CanvasObject, update func(widget.TreeNodeID, bool, fyne.CanvasObject)) *keyTree {
	t := &keyTree{widget.Tree{ChildUIDs: children, IsBranch: isBranch, CreateNode: create, UpdateNode: update}}
	t.ExtendBaseWidget(t)
	return t
}

func (t *keyTree) TypedKey(e *fyne.KeyEvent) { collectionKey(t, e, t.Tree.TypedKey) }
func (t *keyTree) KeyDown(e *fyne.KeyEvent)  { collectionKeyDown(t, e, false) }
func (t *keyTree) KeyUp(e *fyne.KeyEvent)    { collectionKeyDown(t, e, true) }
