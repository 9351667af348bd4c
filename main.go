// Command onyx-dashboard replays the coordination log that Onyx keeps in
// ZooKeeper and shows the cluster state at any point of it. With no command
// it opens the desktop app; headless commands are dispatched by cli.go.
//
// main.go is wiring only, and the one importer of fyne.io/fyne/v2/app.
package main

import (
	"log/slog"
	"os"

	"fyne.io/fyne/v2/app"

	"onyx-dashboard/assets"
	"onyx-dashboard/ui"
	_ "onyx-dashboard/ui/langenv" // before Fyne reads the locale
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
	w := ui.New(a, f.Options)
	w.ShowAndRun()
}
