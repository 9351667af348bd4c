// Package replay computes Onyx's replica: Apply is apply-log-entry, one pure
// function per command and era, with the era's scheduler inside it exactly as
// Onyx ran it (onyx-log-format.md §4).
//
// Apply does no I/O and reads no clock or random source: the same replica and
// entry always give the same result. Replicas are immutable values; Apply
// returns a new one that shares structure with the old, so checkpoints and views
// may hold any replica from any goroutine.
//
// This package imports model/value only: no Fyne, no zklog.
package replay
