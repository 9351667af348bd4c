package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zk"
)

// ErrTenancyExists: the simulator writes only under a tenancy it creates.
var ErrTenancyExists = errors.New("tenancy exists (the simulator writes only a tenancy it creates)")

// ZKSink writes a simulation into ZooKeeper as Onyx would: the tenancy's
// directories, parameters and origin, then entries as persistent sequential
// znodes, job znodes before their submit-job, and GC (origin rewritten, old
// entries deleted). It is the one writer to ZooKeeper in the app, and only
// ever writes under /onyx/<tenancy> of a tenancy it created. ZooKeeper
// stamps ctime itself, so created-at is wall time, not the simulated clock.
type ZKSink struct {
	conn    *gozk.Conn
	root    string // chroot + /onyx/<id>
	first   int64  // the first entry not yet deleted
	timeout time.Duration
	// appending: Start continues an existing tenancy (Append).
	appending bool
}

// DialZK connects to the ensemble at addr (HOST:PORT[,…][/CHROOT]).
func DialZK(ctx context.Context, addr string, timeout time.Duration) (*ZKSink, error) {
	servers, chroot, err := zk.ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	conn, events, err := gozk.Connect(servers, timeout, gozk.WithLogger(quiet{}))
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-events:
			if ev.State == gozk.StateHasSession {
				return &ZKSink{conn: conn, root: chroot, timeout: timeout}, nil
			}
		case <-deadline:
			conn.Close()
			return nil, fmt.Errorf("connect %s: no session after %v", addr, timeout)
		case <-ctx.Done():
			conn.Close()
			return nil, ctx.Err()
		}
	}
}

// Close ends the session.
func (z *ZKSink) Close() { z.conn.Close() }

type quiet struct{}

func (quiet) Printf(string, ...any) {}

var acl = gozk.WorldACL(gozk.PermAll)

// dirs are the tenancy directories a peer of v creates on start (§1.2).
func dirs(v replay.Version) []string {
	ds := []string{"log", "pulse", "origin", "catalog", "workflow", "task"}
	add := func(since string, names ...string) {
		if v.AtLeast(since) {
			ds = append(ds, names...)
		}
	}
	if v.Before("0.13.0") {
		ds = append(ds, "sentinel")
	}
	add("0.5.2", "job-scheduler")
	add("0.5.3", "flow")
	add("0.6.0", "lifecycles", "chunk")
	if v.AtLeast("0.6.0") && v.Before("0.9.11") {
		ds = append(ds, "messaging")
	}
	add("0.8.0", "windows", "triggers")
	add("0.8.4", "exception")
	add("0.9.0", "job-metadata")
	add("0.9.10", "job-hash")
	add("0.9.11", "log-parameters")
	add("0.10.0", "checkpoint", "resume-point")
	add("0.12.0", "job-name")
	add("0.13.0", "job-config", "epoch", "epoch-low-watermark")
	if v.AtLeast("0.9.11") {
		ds = removeStr(ds, "job-scheduler")
	}
	return ds
}

func removeStr(xs []string, s string) []string {
	out := xs[:0]
	for _, x := range xs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// create makes path and any missing parents; an existing node is fine.
func (z *ZKSink) create(path string, data []byte) error {
	_, err := z.conn.Create(path, data, 0, acl)
	if errors.Is(err, gozk.ErrNoNode) {
		if i := strings.LastIndexByte(path, '/'); i > 0 {
			if err := z.create(path[:i], nil); err != nil {
				return err
			}
		}
		_, err = z.conn.Create(path, data, 0, acl)
	}
	if err != nil && !errors.Is(err, gozk.ErrNodeExists) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// ErrNoTenancy: --append names a tenancy that does not exist.
var ErrNoTenancy = errors.New("no tenancy (append continues one a previous run wrote)")

// Append makes Start continue the existing tenancy of a resumed Sim
// (Resume) instead of creating one: it checks that /onyx/<id>/log exists and
// writes nothing else. first is the tenancy's first entry not yet deleted.
func (z *ZKSink) Append(first int64) { z.appending, z.first = true, first }

// Start creates the tenancy; it refuses one that exists.
func (z *ZKSink) Start(ctx context.Context, s *Sim) error {
	base := z.root + "/onyx"
	if z.appending {
		z.root = base + "/" + s.Tenancy()
		ok, _, err := z.conn.Exists(z.root + "/log")
		if err != nil {
			return fmt.Errorf("exists %s/log: %w", z.root, err)
		}
		if !ok {
			return fmt.Errorf("%s/log: %w", z.root, ErrNoTenancy)
		}
		return nil
	}
	if err := z.create(base, nil); err != nil {
		return err
	}
	z.root = base + "/" + s.Tenancy()
	if _, err := z.conn.Create(z.root, nil, 0, acl); err != nil {
		if errors.Is(err, gozk.ErrNodeExists) {
			return fmt.Errorf("create %s: %w", z.root, ErrTenancyExists)
		}
		return fmt.Errorf("create %s: %w", z.root, err)
	}
	for _, d := range dirs(s.Version()) {
		if err := z.create(z.root+"/"+d, nil); err != nil {
			return err
		}
	}
	for rel, b := range s.Params() {
		if err := z.create(z.root+"/"+rel, b); err != nil {
			return err
		}
	}
	return z.create(z.root+"/origin/origin", s.InitialOrigin())
}

// Step writes one step.
func (z *ZKSink) Step(ctx context.Context, st Step) error {
	for rel, b := range st.Jobs {
		if err := z.create(z.root+"/"+rel, b); err != nil {
			return err
		}
	}
	name, err := z.conn.Create(z.root+"/log/entry-", st.Entry.Data, gozk.FlagSequence, acl)
	if err != nil {
		return fmt.Errorf("create %s/log/%s: %w", z.root, zklog.EntryName(st.Entry.Seq), err)
	}
	if want := z.root + "/log/" + zklog.EntryName(st.Entry.Seq); name != want {
		return fmt.Errorf("create %s: ZooKeeper named it %s (the log had entries already)", want, name)
	}
	if st.Origin == nil {
		return nil
	}
	// The gc caller's update-origin!, then the deletions (§1.5).
	if _, err := z.conn.Set(z.root+"/origin/origin", st.Origin(), -1); err != nil {
		return fmt.Errorf("set %s/origin/origin: %w", z.root, err)
	}
	for ; z.first < st.Entry.Seq; z.first++ {
		p := z.root + "/log/" + zklog.EntryName(z.first)
		if err := z.conn.Delete(p, -1); err != nil && !errors.Is(err, gozk.ErrNoNode) {
			return fmt.Errorf("delete %s: %w", p, err)
		}
	}
	return nil
}
