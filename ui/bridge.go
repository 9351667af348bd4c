package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog"
)

// The bridge is the only place in ui that starts goroutines or hands work to
// the UI goroutine (style.md, "Goroutines and the UI thread"). Everything it
// reports comes back through do, which is fyne.Do in the app and a queue or
// a direct call in tests; the callbacks then run where widgets may be
// touched. Every goroutine is started with wg.Go under a context the bridge
// holds, and close cancels them all and waits.
type bridge struct {
	do    func(func())
	after func(time.Duration) <-chan time.Time // time.After; tests inject a fake clock
	// relist is how often a ZooKeeper source lists its tenancies again.
	relist time.Duration
	// chunk is how many entries the first read appends per refresh.
	chunk int

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	feed *feed              // the open tenancy, nil when none
	play context.CancelFunc // the running player, nil when paused
	// playDelay is the wait before the player's next step, in ns; the UI
	// goroutine sets it after each step.
	playDelay atomic.Int64

	seekMu   sync.Mutex
	seekNext *seekReq // the newest replica asked for, nil when none waits
	seeking  bool     // the seeker goroutine runs
}

// seekReq asks for the replica at pos of r.
type seekReq struct {
	r    timeline.Reader
	pos  int
	done func(replay.Replica)
}

// defaultRelist is how often ZooKeeper sources list their tenancies again.
const defaultRelist = time.Second

func newBridge(do func(func())) *bridge {
	ctx, cancel := context.WithCancel(context.Background())
	return &bridge{do: do, after: time.After, relist: defaultRelist, chunk: 4096, ctx: ctx, cancel: cancel}
}

// close cancels every goroutine of the bridge and waits for them. It runs on
// the UI goroutine when the window closes; the goroutines never wait for the
// UI goroutine, so it cannot deadlock.
func (b *bridge) close() {
	b.cancel()
	b.wg.Wait()
}

// context is cancelled; its late reports carry the old feed and are ignored).
func (b *bridge) open(src zklog.Source, id string, ui feedUI) *feed {
	ctx, cancel := context.WithCancel(b.ctx)
	f := &feed{src: src, id: id, ctx: ctx, cancel: cancel}
	b.mu.Lock()
	if b.feed != nil {
		b.feed.cancel()
	}
	b.feed = f
	b.mu.Unlock()
	b.wg.Go(func() { b.run(f, ui) })
	return f
}

// closeFeed cancels the open tenancy's worker, if any.
func (b *bridge) closeFeed() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.feed != nil {
		b.feed.cancel()
		b.feed = nil
	}
}

// cancelRead cancels the worker of f (the progress bar's Cancel button):
// what was appended so far stays in the timeline.
func (b *bridge) cancelRead(f *feed) { f.cancel() }

// run is the worker of one tenancy: Open, StartOf, Read, Append, Follow.
func (b *bridge) run(f *feed, ui feedUI) {
	fail := func(err error) {
		if f.ctx.Err() == nil {
			b.do(func() { ui.failed(f, err) })
		}
	}
	h, err := f.src.Open(f.ctx, f.id)
	if err != nil {
		fail(err)
		return
	}
	st, err := zklog.StartOf(h, "")
	if err != nil {
		fail(err)
		return
	}
	f.header, f.start = h, st
	f.tl = timeline.New(st.Version, st.FromSeq-1, st.Replica, timeline.Options{})
	b.do(func() { ui.opened(f) })

	next, err := b.load(f, ui)
	for errors.Is(err, zklog.ErrTruncated) && f.ctx.Err() == nil {
		// GC moved the origin under the read: start again from the new one.
		if next, err = b.restart(f, ui); err == nil {
			next, err = b.load(f, ui)
		}
	}
	if err != nil {
		fail(err)
		return
	}
	b.do(func() { ui.loaded(f) })

	err = f.src.Follow(f.ctx, f.id, next, func(ev zklog.Event) { b.deliver(f, ui, ev) })
	if err != nil && !errors.Is(err, context.Canceled) {
		fail(fmt.Errorf("follow tenancy %s: %w", f.id, err))
	}
}

// load reads the entries of f from the timeline's end and appends them in
// chunks of b.chunk, refreshing the window after each. A zklog.ChunkReader
// hands each chunk over as soon as it is decoded, so the log is never held
// decoded whole: reading and appending go together, and the reader's
// progress is the load's. Any other source is read whole first: reading is
// the first half of the progress, appending the second. load returns the
// Seq to follow from.
func (b *bridge) load(f *feed, ui feedUI) (int64, error) {
	from := f.tl.Seq(f.tl.Len()-1) + 1
	_, streams := f.src.(zklog.ChunkReader)
	var total atomic.Int64 // as the reader last reported it
	read := func(done, n int) {
		total.Store(int64(n))
		if streams {
			b.progress(f, ui, done, n)
		} else {
			b.progress(f, ui, done, 2*n)
		}
	}
	appended := 0
	err := zklog.ReadChunks(f.ctx, f.src, f.id, from, b.chunk, read, func(part []zklog.Entry) error {
		if err := f.ctx.Err(); err != nil {
			return err
		}
		f.tl.Append(f.entries(part)...)
		from = part[len(part)-1].Seq + 1
		appended += len(part)
		if !streams {
			n := int(total.Load())
			b.progress(f, ui, n+appended, 2*n)
		}
		b.changed(f, ui)
		return nil
	})
	return from, err
}

// restart reopens f after GC truncated what it was reading.
func (b *bridge) restart(f *feed, ui feedUI) (int64, error) {
	h, err := f.src.Open(f.ctx, f.id)
	if err != nil {
		return 0, err
	}
	return b.reset(f, ui, h.Origin)
}

// reset starts the timeline of f again from origin o.
func (b *bridge) reset(f *feed, ui feedUI, o zklog.Origin) (int64, error) {
	h := f.header
	h.Origin = o
	st, err := zklog.StartOf(h, f.start.Version.String())
	if err != nil {
		return 0, err
	}
	f.tl.Reset(st.FromSeq-1, st.Replica)
	b.do(func() { ui.reset(f, st.FromSeq-1) })
	b.changed(f, ui)
	return st.FromSeq, nil
}

// deliver handles one Follow event on the follower's goroutine.
func (b *bridge) deliver(f *feed, ui feedUI, ev zklog.Event) {
	switch ev.Kind {
	case zklog.EventAppended:
		f.tl.Append(f.entries(ev.Entries)...)
		b.changed(f, ui)
	case zklog.EventReset:
		if _, err := b.reset(f, ui, ev.Origin); err != nil {
			b.do(func() { ui.failed(f, err) })
		}
	case zklog.EventDisconnected:
		err := ev.Err
		if err == nil {
			err = errors.New("connection lost")
		}
		b.do(func() { ui.conn(f, err) })
	case zklog.EventReconnected:
		b.do(func() { ui.conn(f, nil) })
	}
}

// changed schedules at most one refresh of the window for f: the flag is
// cleared on the UI goroutine before the Reader is read, so entries appended
// after that schedule the next one.
func (b *bridge) changed(f *feed, ui feedUI) {
	if f.dirty.CompareAndSwap(false, true) {
		b.do(func() {
			f.dirty.Store(false)
			ui.refresh(f)
		})
	}
}

// progress reports reading progress, at most one report in flight.
func (b *bridge) progress(f *feed, ui feedUI, done, total int) {
	f.progDone.Store(int64(done))
	f.progAll.Store(int64(total))
	if f.progSet.CompareAndSwap(false, true) {
		b.do(func() {
			f.progSet.Store(false)
			ui.progress(f, int(f.progDone.Load()), int(f.progAll.Load()))
		})
	}
}

// loadJob reads a job's data off the UI goroutine; done runs on it.
func (b *bridge) loadJob(f *feed, jobID string, taskIDs []string, done func(zklog.Job, error)) {
	if f == nil {
		done(zklog.Job{}, errors.New("load job: no tenancy is open"))
		return
	}
	b.wg.Go(func() {
		j, err := f.src.Job(f.ctx, f.id, jobID, taskIDs)
		if err != nil {
			err = fmt.Errorf("load job %s of tenancy %s: %w", jobID, f.id, err)
		}
		b.do(func() { done(j, err) })
	})
}

// sourceUI is what a source's goroutine reports, on the UI goroutine.
type sourceUI struct {
	connected func(src zklog.Source)              // the source is open
	listed    func(ts []zklog.Tenancy, err error) // a listing of its tenancies
}

// watchSource opens a source off the UI goroutine and lists its tenancies,
// again every relist when relist is set (ZooKeeper), until stop is called.
// closeSrc, when not nil, runs on the goroutine after stop. extra, when not
// nil, runs on a goroutine of its own once the source is open, until stop
// (the demo's simulated cluster writes with it).
func (b *bridge) watchSource(open func(ctx context.Context) (zklog.Source, error), relist bool,
	closeSrc func(zklog.Source), extra func(context.Context), ui sourceUI) (stop func()) {
	ctx, cancel := context.WithCancel(b.ctx)
	b.wg.Go(func() {
		src, err := open(ctx)
		if err != nil {
			b.do(func() { ui.listed(nil, err) })
			return
		}
		if closeSrc != nil {
			defer closeSrc(src)
		}
		if extra != nil {
			b.wg.Go(func() { extra(ctx) })
		}
		b.do(func() { ui.connected(src) })
		for {
			ts, err := src.Tenancies(ctx)
			if ctx.Err() != nil {
				return
			}
			b.do(func() { ui.listed(ts, err) })
			if !relist {
				<-ctx.Done()
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-b.after(b.relist):
			}
		}
	})
	return cancel
}

// startPlay runs the player: it waits playDelay, then runs step on the UI
// goroutine and waits for it, until step returns false or stopPlay. At most
// one step is ever queued, so a slow window slows the player instead of
// piling up work.
func (b *bridge) startPlay(first time.Duration, step func() bool) {
	b.stopPlay()
	ctx, cancel := context.WithCancel(b.ctx)
	b.mu.Lock()
	b.play = cancel
	b.mu.Unlock()
	b.playDelay.Store(int64(first))
	b.wg.Go(func() {
		ack := make(chan bool, 1)
		for {
			select {
			case <-ctx.Done():
				return
			case <-b.after(time.Duration(b.playDelay.Load())):
			}
			b.do(func() {
				if ctx.Err() != nil {
					ack <- false
					return
				}
				ack <- step()
			})
			select {
			case <-ctx.Done():
				return
			case more := <-ack:
				if !more {
					return
				}
			}
		}
	})
}

// stopPlay stops the player, if it runs.
func (b *bridge) stopPlay() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.play != nil {
		b.play()
		b.play = nil
	}
}

// task runs work off the UI goroutine under a context that cancel (returned)
// or closing the window ends. progress, which may be nil, gets at most one
// report in flight; done gets work's error. Both run on the UI goroutine.
// File actions (save an archive, export EDN, save bookmarks) use it.
func (b *bridge) task(work func(ctx context.Context, progress func(done, total int)) error,
	progress func(done, total int), done func(error)) (cancel func()) {
	ctx, cancel := context.WithCancel(b.ctx)
	var pDone, pAll atomic.Int64
	var pSet atomic.Bool
	report := func(d, t int) {
		pDone.Store(int64(d))
		pAll.Store(int64(t))
		if progress != nil && pSet.CompareAndSwap(false, true) {
			b.do(func() {
				pSet.Store(false)
				progress(int(pDone.Load()), int(pAll.Load()))
			})
		}
	}
	b.wg.Go(func() {
		defer cancel()
		err := work(ctx, report)
		b.do(func() { done(err) })
	})
	return cancel
}

// replica computes r.Replica(pos) off the UI goroutine, for moves far from
// any replica the timeline has at hand (up to K applies: hundreds of ms on
// big clusters). Only the newest request waiting is computed, so dragging
// the slider never queues work; done runs on the UI goroutine and checks
// that the position is still the one wanted.
func (b *bridge) replica(r timeline.Reader, pos int, done func(replay.Replica)) {
	b.seekMu.Lock()
	b.seekNext = &seekReq{r: r, pos: pos, done: done}
	if b.seeking {
		b.seekMu.Unlock()
		return
	}
	b.seeking = true
	b.seekMu.Unlock()
	b.wg.Go(func() {
		for {
			b.seekMu.Lock()
			req := b.seekNext
			b.seekNext = nil
			if req == nil {
				b.seeking = false
				b.seekMu.Unlock()
				return
			}
			b.seekMu.Unlock()
			if b.ctx.Err() != nil {
				continue
			}
			rep := req.r.Replica(req.pos)
			b.do(func() { req.done(rep) })
		}
	})
}
