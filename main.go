// Command onyx-dashboard replays the coordination log that Onyx keeps in
// ZooKeeper and shows the cluster state at any point of it. With no command
// it opens the desktop app; headless commands are dispatched by cli.go.
//
// main.go is wiring only, and the one importer of fyne.io/fyne/v2/app.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"onyx-dashboard/assets"
	"onyx-dashboard/ui"
	_ "onyx-dashboard/ui/langenv" // before Fyne reads the locale
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zk"
)

// appID matches Details.ID in FyneApp.toml.
const appID = "io.onyxplatform.dashboard"

func main() {
	args := os.Args[1:]
	if isCommand(args) {
		os.Exit(runCommand(args, os.Stdout, os.Stderr))
	}
	f, code, ok := parseAppFlags(args, os.Stdout, os.Stderr)
	if !ok {
		os.Exit(code)
	}
	level := slog.LevelWarn
	if f.Verbose {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))

	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	o := f.Options
	o.Dial = dialZK
	w, err := newWindow(a, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "onyx-dashboard:", err)
		os.Exit(1)
	}
	w.ShowAndRun()
}

// newWindow makes the main window. When GLFW cannot start (no usable X
// display), go-gl's Init lets some of its errors pass and the first window
// then panics deep in Fyne: that becomes an error a user can act on.
func newWindow(a fyne.App, o ui.Options) (w fyne.Window, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cannot open a window (is DISPLAY a running X server?): %v", p)
		}
	}()
	return ui.New(a, o), nil
}

// dialZK is how the window connects to an ensemble: ui never imports
// zklog/zk (style.md, Layout), so main hands it this.
func dialZK(ctx context.Context, addr string, timeout time.Duration, auth []string) (zklog.Source, error) {
	c, err := zk.Dial(ctx, addr, zk.Options{SessionTimeout: timeout, Auth: auth})
	if err != nil {
		return nil, err // never a nil *Conn inside the interface
	}
	return c, nil
}
