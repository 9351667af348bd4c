package ui

import (
	"fyne.io/fyne/v2"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog"
)

// Position is what every tab shows: the open tenancy's timeline and the
// position the user is at. It is built by the app shell on the UI goroutine
// each time the position or the timeline changes; views only read it.
type Position struct {
	// Tenancy is the open tenancy's id; empty when none is open.
	Tenancy string
	// Header is what the source said of the tenancy (version, evidence, origin).
	Header zklog.Header
	// Start is the replay start chosen for it (version and why).
	Start zklog.Start
	// Reader is the timeline; nil when no tenancy is open.
	Reader timeline.Reader
	// Pos is the current position: -1 is the origin, Reader.Len()-1 the newest.
	Pos int
	// Replica is Reader.Replica(Pos), computed once per move.
	Replica replay.Replica
	// Live is true while the position follows new entries.
	Live bool
}

// Version is the Onyx version being replayed (the zero Version when no
// tenancy is open).
func (p Position) Version() replay.Version { return p.Start.Version }

// tab is one tab of the window (Overview, Jobs, Allocations, Peers, Log, …).
// All methods run on the UI goroutine. show must be quick (a few ms for a
// 200-peer, 20-job replica), do no I/O and start no goroutine: what it needs
// from the source it asks of Actions.
type tab interface {
	title() string
	icon() fyne.Resource
	object() fyne.CanvasObject
	show(p Position)
}

// Actions are what views may ask of the window. The app shell implements
// them; views call them on the UI goroutine, and callbacks come back on it.
type Actions interface {
	// Seek moves the timeline to pos (leaving Live mode).
	Seek(pos int)
	// LoadJob reads a job's data (catalog, workflow, …) off the UI goroutine;
	// done runs on the UI goroutine. taskIDs names the job's tasks, for logs
	// whose task znodes are not grouped by job.
	LoadJob(jobID string, taskIDs []string, done func(zklog.Job, error))
	// Background runs work off the UI goroutine, then done on it: for what
	// reads much of the timeline (a task's history replays entries) and
	// must not freeze the window. work must not touch widgets.
	Background(work, done func())
	// Window is the main window, for dialogs and the clipboard.
	Window() fyne.Window
}
