package ui

import (
	"context"
	"sync"
	"sync/atomic"

	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// feed is one open tenancy: its source, its timeline and the worker that
// fills it. The worker writes header, start and tl before it reports opened;
// afterwards they are read-only, and tl is safe from any goroutine.
type feed struct {
	src    zklog.Source
	id     string
	ctx    context.Context
	cancel context.CancelFunc

	header zklog.Header
	start  zklog.Start
	tl     *timeline.Timeline

	dirty    atomic.Bool  // a refresh is scheduled
	progDone atomic.Int64 // reading progress, for the progress bar
	progAll  atomic.Int64
	progSet  atomic.Bool // a progress report is scheduled

	badMu sync.Mutex
	bad   map[int64]error // why the znode of an entry did not decode, by Seq
}

// entries makes the timeline's entries of es. An entry whose znode did not
// decode goes in too, with its Seq and Created and no command: replay flags
// it and carries on (a corrupt znode is flagged, not dropped), and its
// decode error is kept by Seq for the Log tab (decodeErr). It runs on the
// worker.
func (f *feed) entries(es []zklog.Entry) []value.Entry {
	out := make([]value.Entry, len(es))
	for i, e := range es {
		out[i] = e.Entry
		if e.Err == nil {
			continue
		}
		out[i] = value.Entry{Seq: e.Seq, Created: e.Created, Args: value.NewMap()}
		f.badMu.Lock()
		if f.bad == nil {
			f.bad = map[int64]error{}
		}
		f.bad[e.Seq] = e.Err
		f.badMu.Unlock()
	}
	return out
}

// decodeErr is why the znode of entry seq did not decode; nil when it did.
// Safe from any goroutine.
func (f *feed) decodeErr(seq int64) error {
	f.badMu.Lock()
	defer f.badMu.Unlock()
	return f.bad[seq]
}

// feedUI is what the worker reports, each call on the UI goroutine. f tells
// the window which worker speaks: one for a tenancy no longer open is ignored.
type feedUI struct {
	opened   func(f *feed)                  // header, start and the empty timeline are ready
	progress func(f *feed, done, total int) // reading and replaying the first part of the log
	loaded   func(f *feed)                  // the log as it was is in the timeline; following now
	refresh  func(f *feed)                  // entries were appended or the timeline reset
	conn     func(f *feed, err error)       // the connection was lost (err) or is back (nil)
	failed   func(f *feed, err error)       // the worker stopped on err
	reset    func(f *feed, originSeq int64) // GC moved the origin: positions are void
}
