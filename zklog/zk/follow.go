package zk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/zklog"
)

// pollEvery bounds the wait on a children watch, as Onyx 0.14 does, in case a
// watch never fires.
const pollEvery = 15 * time.Second

// batchSize is the most entries one EventAppended carries while catching up.
const batchSize = 512

// follower is one Follow call's state (onyx-log-format.md §6.3).
type follower struct {
	c       *Conn
	id      string
	logPath string
	next    int64 // the seq of the next entry to deliver
	deliver func(zklog.Event)
	down    bool // an EventDisconnected was delivered and not yet undone
}

// Follow delivers tenancy id's entries from seq from on, as they are
// appended, until ctx ends. It lists the log with a children watch, reads
// what is new (many reads in flight), delivers it in order and waits for the
// watch (or 15 s) again. A lost connection or an expired session (the client
// opens a new one) is retried with back-off, resuming at the next
// undelivered seq, so nothing is lost or repeated. When the next entry is
// gone but later ones exist, or the origin has moved past it, garbage
// collection ran: Follow re-reads the origin, delivers EventReset and goes on
// after it.
func (c *Conn) Follow(ctx context.Context, id string, from int64, deliver func(zklog.Event)) error {
	if err := checkID(id); err != nil {
		return err
	}
	f := &follower{c: c, id: id, logPath: c.tpath(id, "log"), next: max(from, 0), deliver: deliver}
	const minBackoff, maxBackoff = 50 * time.Millisecond, 2 * time.Second
	backoff := minBackoff
	for {
		err := f.step(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			backoff = minBackoff
			continue
		case errors.Is(err, zklog.ErrTruncated):
			continue // GC deleted entries under the read: the next listing sees it
		case errors.Is(err, gozk.ErrClosing):
			return fmt.Errorf("follow %s: connection closed", f.logPath)
		case !isConnErr(err):
			return err
		}
		if !f.down {
			c.log.Debug("follow: connection lost", "tenancy", id, "seq", f.next, "err", err)
			f.down = true
			f.deliver(zklog.Event{Kind: zklog.EventDisconnected, Err: err})
		}
		_, changed := c.sessionState()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// step lists the log with a watch, delivers what is new and, when nothing
// was, waits for the watch.
func (f *follower) step(ctx context.Context) error {
	_, changed := f.c.sessionState()
	names, _, watch, err := f.c.zk.ChildrenW(f.logPath)
	if errors.Is(err, gozk.ErrNoNode) {
		return f.c.noTenancy(f.id, f.logPath)
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", f.logPath, err)
	}
	if f.down {
		f.down = false
		f.deliver(zklog.Event{Kind: zklog.EventReconnected})
	}
	progressed, err := f.catchUp(ctx, seqsOf(names))
	if err != nil || progressed {
		return err
	}
	timer := time.NewTimer(pollEvery)
	defer timer.Stop()
	// A session state change (connection lost, session expired) also wakes
	// us, so that EventDisconnected is timely; listing again is harmless.
	select {
	case <-watch:
	case <-changed:
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil
}

// catchUp delivers the entries of seqs (sorted) from f.next on. It reports
// whether anything was delivered.
func (f *follower) catchUp(ctx context.Context, seqs []int64) (bool, error) {
	i, found := slices.BinarySearch(seqs, f.next)
	if !found {
		// The next entry is absent: not written yet, or deleted by GC, which
		// moves the origin first (§1.5).
		origin, err := f.c.readOrigin(f.c.tpath(f.id, "origin", "origin"))
		if err != nil {
			return false, err
		}
		if origin.MessageID >= f.next {
			f.c.log.Debug("follow: reset to the origin after GC", "tenancy", f.id, "seq", f.next, "path", f.logPath)
			f.next = origin.MessageID + 1
			f.deliver(zklog.Event{Kind: zklog.EventReset, Origin: origin})
			return true, nil
		}
		if i == len(seqs) {
			return false, nil // not written yet
		}
		// Later entries exist but no origin covers the gap: flag it.
		missing := appendMissing(nil, f.logPath, f.next, seqs[i])
		f.next = seqs[i]
		f.deliver(zklog.Event{Kind: zklog.EventAppended, Entries: missing})
	}
	var batch []zklog.Entry
	flush := func() {
		if len(batch) > 0 {
			f.deliver(zklog.Event{Kind: zklog.EventAppended, Entries: batch})
			batch = nil
		}
	}
	err := f.c.readSeqs(ctx, nil, f.id, seqs[i:], true, func(r zklog.RawEntry, e zklog.Entry) error {
		batch = appendMissing(batch, f.logPath, f.next, r.Seq)
		batch = append(batch, e)
		f.next = r.Seq + 1
		if len(batch) >= batchSize {
			flush()
		}
		return nil
	})
	flush()
	return true, err
}
