package zk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/zklog"
)

var _ zklog.ChunkReader = (*Conn)(nil)

// got is one znode read.
type got struct {
	data  []byte
	stat  *gozk.Stat
	err   error
	entry zklog.Entry // decoded, when the read asked for it
}

// getMany reads paths with at most c.window reads in flight on each of
// conns (nil: the Conn's session) and calls fn with each result in the
// order of paths. go-zookeeper has no asynchronous Get, but it pipelines
// concurrent requests on its one connection, so c.window worker goroutines
// per session give real pipelining. With several sessions, the paths are cut
// into chunks of c.window dealt round-robin, so the len(conns)*c.window
// reads in flight are spread evenly; a read that fails on an extra session
// with a connection error is retried on the Conn's. decode, when set, runs
// in the reading goroutine. getMany stops at the first error of fn or ctx
// and waits for the reads it started.
func (c *Conn) getMany(ctx context.Context, conns []*gozk.Conn, paths []string, decode func(i int, g *got), fn func(i int, g got) error) error {
	if len(paths) == 0 {
		return nil
	}
	if len(conns) == 0 {
		conns = []*gozk.Conn{c.zk}
	}
	window := min(c.window*len(conns), len(paths))
	ring := make([]chan got, window)
	for i := range ring {
		ring[i] = make(chan got, 1)
	}
	tokens := make(chan struct{}, window)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Each session has c.window workers: a run of window consecutive reads
	// holds at most c.window of any session's chunks. Long-lived workers
	// keep their grown stacks from one read to the next.
	jobs := make([]chan int, len(conns))
	for k, zc := range conns {
		jobs[k] = make(chan int)
		for range min(c.window, len(paths)) {
			wg.Go(func() {
				for i := range jobs[k] {
					var g got
					g.data, g.stat, g.err = zc.Get(paths[i])
					if zc != c.zk && isConnErr(g.err) {
						g.data, g.stat, g.err = c.zk.Get(paths[i])
					}
					if g.err == nil && decode != nil {
						decode(i, &g)
					}
					ring[i%window] <- g
				}
			})
		}
	}
	wg.Go(func() {
		defer func() {
			for _, j := range jobs {
				close(j)
			}
		}()
		for i := range paths {
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			jobs[i/c.window%len(conns)] <- i
		}
	})
	var err error
	for i := range paths {
		var g got
		select {
		case g = <-ring[i%window]:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		if err = fn(i, g); err != nil {
			break
		}
		<-tokens
	}
	// Reads already started finish into their buffered slots: a read i
	// starts only once read i-window was taken, so its slot is free.
	close(stop)
	wg.Wait()
	return err
}

// parseSeq reads the sequence number of an "entry-NNNNNNNNNN" name.
func parseSeq(name string) (int64, bool) {
	digits, ok := strings.CutPrefix(name, "entry-")
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil && n >= 0
}

// listLog returns the sorted sequence numbers of tenancy id's entries.
func (c *Conn) listLog(id string) ([]int64, error) {
	p := c.tpath(id, "log")
	names, _, err := c.zk.Children(p)
	if errors.Is(err, gozk.ErrNoNode) {
		return nil, c.noTenancy(id, p)
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", p, err)
	}
	return seqsOf(names), nil
}

func seqsOf(names []string) []int64 {
	seqs := make([]int64, 0, len(names))
	for _, n := range names {
		if s, ok := parseSeq(n); ok {
			seqs = append(seqs, s)
		}
	}
	slices.Sort(seqs)
	return seqs
}

// noTenancy explains a missing log directory: no tenancy, or one without a log.
func (c *Conn) noTenancy(id, logPath string) error {
	ok, _, err := c.zk.Exists(c.tpath(id))
	switch {
	case err != nil:
		return fmt.Errorf("list %s: %w", logPath, err)
	case !ok:
		return fmt.Errorf("tenancy %q: %w (no %s)", id, zklog.ErrNoTenancy, c.tpath(id))
	}
	return fmt.Errorf("tenancy %q: %w (no %s)", id, zklog.ErrNoTenancy, logPath)
}

// readSeqs reads the given entries (sorted, contiguous or not) in order,
// calling fn for each, spread over conns (nil: the Conn's session). A NoNode read means garbage collection deleted the
// entry after the listing: the error wraps zklog.ErrTruncated.
func (c *Conn) readSeqs(ctx context.Context, conns []*gozk.Conn, id string, seqs []int64, decode bool, fn func(r zklog.RawEntry, e zklog.Entry) error) error {
	paths := make([]string, len(seqs))
	for i, s := range seqs {
		paths[i] = c.tpath(id, "log", zklog.EntryName(s))
	}
	var dec func(i int, g *got)
	if decode {
		dec = func(i int, g *got) {
			g.entry = zklog.DecodeEntry(paths[i], zklog.RawEntry{Seq: seqs[i], Created: g.stat.Ctime, Data: g.data})
		}
	}
	return c.getMany(ctx, conns, paths, dec, func(i int, g got) error {
		switch {
		case errors.Is(g.err, gozk.ErrNoNode):
			return fmt.Errorf("read %s: %w", paths[i], zklog.ErrTruncated)
		case g.err != nil:
			return fmt.Errorf("read %s: %w", paths[i], g.err)
		}
		return fn(zklog.RawEntry{Seq: seqs[i], Created: g.stat.Ctime, Data: g.data}, g.entry)
	})
}

// logReaders returns the sessions to read n entries of tenancy id's log
// with. Each extra session first syncs the log with the leader, so that a
// session on a lagging follower sees every entry the listing named; one
// that fails to sync sits this read out.
func (c *Conn) logReaders(ctx context.Context, id string, n int) []*gozk.Conn {
	conns := c.readers(ctx, n)
	if len(conns) == 1 {
		return conns
	}
	p := c.tpath(id, "log")
	ok := make([]bool, len(conns))
	var wg sync.WaitGroup
	for i, zc := range conns[1:] {
		wg.Go(func() {
			_, err := zc.Sync(p)
			ok[i+1] = err == nil
		})
	}
	wg.Wait()
	synced := []*gozk.Conn{conns[0]}
	for i, zc := range conns[1:] {
		if ok[i+1] {
			synced = append(synced, zc)
		}
	}
	return synced
}

// plan lists the log and picks the entries with Seq >= from.
func (c *Conn) plan(id string, from int64) ([]int64, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	seqs, err := c.listLog(id)
	if err != nil {
		return nil, err
	}
	if len(seqs) > 0 && from < seqs[0] && from >= 0 {
		return nil, fmt.Errorf("read %s from %d: %w: the first entry is %d", c.tpath(id, "log"), from, zklog.ErrTruncated, seqs[0])
	}
	i, _ := slices.BinarySearch(seqs, from)
	return seqs[i:], nil
}

// ReadRaw returns the entries of tenancy id with Seq >= from, as stored.
func (c *Conn) ReadRaw(ctx context.Context, id string, from int64, progress zklog.Progress) ([]zklog.RawEntry, error) {
	seqs, err := c.plan(id, from)
	if err != nil {
		return nil, err
	}
	out := make([]zklog.RawEntry, 0, len(seqs))
	err = c.readSeqs(ctx, c.logReaders(ctx, id, len(seqs)), id, seqs, false, func(r zklog.RawEntry, _ zklog.Entry) error {
		out = append(out, r)
		report(progress, len(out), len(seqs))
		return nil
	})
	return out, err
}

// Read returns the entries of tenancy id with Seq >= from, decoded; an
// entry that does not decode is flagged, and an entry missing from the
// middle of the log is flagged with zklog.ErrMissingEntry.
func (c *Conn) Read(ctx context.Context, id string, from int64, progress zklog.Progress) ([]zklog.Entry, error) {
	return zklog.ReadAll(ctx, c, id, from, progress)
}

// ReadChunks is Read delivered chunk entries at a time: besides the chunk
// it fills, it holds only the reads in flight (Options.Window per session).
func (c *Conn) ReadChunks(ctx context.Context, id string, from int64, chunk int, progress zklog.Progress, fn func([]zklog.Entry) error) error {
	seqs, err := c.plan(id, from)
	if err != nil {
		return err
	}
	chunk = max(chunk, 1)
	logPath := c.tpath(id, "log")
	var buf []zklog.Entry
	add := func(e zklog.Entry) error {
		if buf == nil {
			buf = make([]zklog.Entry, 0, min(chunk, len(seqs)))
		}
		buf = append(buf, e)
		if len(buf) < chunk {
			return nil
		}
		full := buf
		buf = nil // fn owns full
		return fn(full)
	}
	done := 0
	err = c.readSeqs(ctx, c.logReaders(ctx, id, len(seqs)), id, seqs, true, func(r zklog.RawEntry, e zklog.Entry) error {
		if done > 0 {
			for s := seqs[done-1] + 1; s < r.Seq; s++ {
				if err := add(missingEntry(logPath, s)); err != nil {
					return err
				}
			}
		}
		done++
		report(progress, done, len(seqs))
		return add(e)
	})
	if err != nil || len(buf) == 0 {
		return err
	}
	return fn(buf)
}

// appendMissing appends flagged entries for the seqs in [from, to).
func appendMissing(out []zklog.Entry, logPath string, from, to int64) []zklog.Entry {
	for s := from; s < to; s++ {
		out = append(out, missingEntry(logPath, s))
	}
	return out
}

// missingEntry is entry seq flagged as missing from the middle of the log.
func missingEntry(logPath string, seq int64) zklog.Entry {
	e := zklog.Entry{Err: fmt.Errorf("read %s/%s: %w", logPath, zklog.EntryName(seq), zklog.ErrMissingEntry)}
	e.Seq = seq
	return e
}

// report calls progress every 256 entries and at the end.
func report(progress zklog.Progress, done, total int) {
	if progress != nil && (done%256 == 0 || done == total) {
		progress(done, total)
	}
}
