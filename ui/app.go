// Package ui is the desktop app's views. It imports Fyne's widgets, never
// fyne.io/fyne/v2/app (only main does), and reaches the log through
// zklog.Source and model/timeline.
package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Title is the main window's title.
const Title = "Onyx Dashboard"

// Options are the command-line choices the window opens with.
type Options struct {
	ZK          string // ZooKeeper ensemble, "host:port[,host:port]"; empty: the bundled demo
	Open        string // archive file to open instead of ZooKeeper
	Tenancy     string // tenancy ID to select at start
	At          int    // log position to open at; -1: not given
	AllowWrites bool   // permit actions that write to ZooKeeper
}

// New builds the main window of a; the caller shows it.
func New(a fyne.App, o Options) fyne.Window {
	w := a.NewWindow(Title)
	status := widget.NewLabel(source(o))
	bar := widget.NewToolbar(
		widget.NewToolbarAction(theme.FolderOpenIcon(), func() {}),
		widget.NewToolbarAction(theme.ViewRefreshIcon(), func() {}),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.InfoIcon(), func() {}),
	)
	w.SetContent(container.NewBorder(bar, nil, nil, nil, container.NewCenter(status)))
	w.Resize(fyne.NewSize(1024, 700))
	return w
}

// source says where the log comes from.
func source(o Options) string {
	switch {
	case o.Open != "":
		return fmt.Sprintf("Archive %s", o.Open)
	case o.ZK != "":
		return fmt.Sprintf("ZooKeeper %s", o.ZK)
	default:
		return "No log source yet: start with --zk HOST:PORT or --open FILE"
	}
}
