package timeline

import (
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Reader is all a view may ask of a timeline. Every method is safe from any
// goroutine, never blocks for longer than one append chunk, and returns
// values the caller owns or immutable ones (replicas, entries) it must not
// modify. Positions run from 0 to Len()-1; -1 is the origin where a method
// says so. A Reset voids all positions: Generation changes, and a view that
// holds positions re-reads Len. Out-of-range positions never panic.
type Reader interface {
	// Generation changes when the timeline is reset to a new origin.
	Generation() uint64
	// Version is the Onyx version replayed.
	Version() replay.Version
	// Len is the number of entries; it only grows between resets.
	Len() int
	// Origin is the Seq and replica the log starts from.
	Origin() (seq int64, r replay.Replica)
	// Entry is the entry at pos (the zero Entry out of range).
	Entry(pos int) value.Entry
	// Seq converts a position to the entry's Seq (-1: the origin's).
	Seq(pos int) int64
	// Times returns the znode ctimes (epoch ms) of the entries at positions,
	// 0 for one out of range, all read at once: a view that needs many (a
	// duration per job) waits once for the writer, not once per entry.
	Times(positions []int) []int64
	// Pos converts a Seq to a position; ok is false when no entry has that
	// Seq, and pos is then the last entry before it.
	Pos(seq int64) (pos int, ok bool)
	// Replica is the state after the entry at pos (-1: the origin). It costs
	// at most K applies; recently asked positions are cached.
	Replica(pos int) replay.Replica
	// Flag is why the entry at pos left the replica unchanged, or nil.
	Flag(pos int) error
	// Flagged lists the positions of flagged entries in order.
	Flagged() []int
	// Events are what the entry at pos did.
	Events(pos int) []Event
	// EventsIn are the events of positions from..to of the given kinds (all
	// kinds when none is given).
	EventsIn(from, to int, kinds ...Kind) []Event
	// Filter returns the matching positions in order; fast enough to run on
	// every keystroke.
	Filter(f Filter) []int
	// Series is a metric over the log as change points.
	Series(m Metric, job value.Value) []Point
	// Diff is what changed between the replicas after a and b.
	Diff(a, b int) Diff
	// LastChange is the last entry at or before pos that changed path.
	LastChange(path []value.Value, pos int) (Change, bool)
	// History is up to max changes of path at or before pos, latest first.
	History(path []value.Value, pos, max int) []Change
}
