// Package timeline holds one tenancy's log as the dashboard browses it: the
// entries, checkpoints of the replica at most K entries apart so that any
// position is at most K applies (and a bounded cost) away, the events each entry caused, an index to filter
// entries by command, id, event kind and text, series for charts, domain
// diffs between positions and the provenance of replica paths.
//
// One writer (the follower) appends entries in Seq order; any number of
// readers ask through the Reader interface from any goroutine. Replicas are
// immutable values (model/replay), so a replica handed out is never changed.
//
// This package imports model/replay and model/value only: no Fyne, no zklog.
// It never logs and never panics on any entry.
package timeline
