package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// tabSet is the window's tabs. Every tab is told each position (so a tab
// switched to is already up to date), the selected one first.
type tabSet struct {
	tabs []tab
	app  *container.AppTabs
	last Position
	n    int // positions shown, for tests
}

// newTabSet makes the views; a new tab is one more constructor here.
func newTabSet(act Actions) *tabSet {
	ts := &tabSet{tabs: []tab{
		newOverviewTab(act),
		newJobsTab(act),
		newAllocationsTab(act),
		newPeersTab(act),
		newLogTab(act),
		newReplicaTab(act),
		newDiffTab(act),
	}}
	items := make([]*container.TabItem, len(ts.tabs))
	for i, t := range ts.tabs {
		items[i] = container.NewTabItemWithIcon(t.title(), t.icon(), t.object())
	}
	ts.app = container.NewAppTabs(items...)
	ts.app.SetTabLocation(container.TabLocationTop)
	ts.app.OnSelected = func(*container.TabItem) {
		if t, ok := ts.tabs[ts.app.SelectedIndex()].(revealer); ok {
			t.revealed()
		}
	}
	return ts
}

// revealer is a tab that wants to know when it is switched to: a list
// scrolled while its tab was hidden (zero-sized) scrolls again once laid out.
type revealer interface {
	revealed()
}

func (ts *tabSet) object() fyne.CanvasObject { return ts.app }

// show tells every tab the position, the visible one first.
func (ts *tabSet) show(p Position) {
	ts.last = p
	ts.n++
	sel := ts.app.SelectedIndex()
	if sel >= 0 && sel < len(ts.tabs) {
		ts.tabs[sel].show(p)
	}
	for i, t := range ts.tabs {
		if i != sel {
			t.show(p)
		}
	}
}

// selectIndex selects the i-th tab, if there is one.
func (ts *tabSet) selectIndex(i int) {
	if i >= 0 && i < len(ts.tabs) {
		ts.app.SelectIndex(i)
	}
}

// selectTitle selects the tab titled title; false when there is none.
func (ts *tabSet) selectTitle(title string) bool {
	for i, t := range ts.tabs {
		if t.title() == title {
			ts.app.SelectIndex(i)
			return true
		}
	}
	return false
}
