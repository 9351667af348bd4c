// Package admin is the only code of the app that writes to ZooKeeper on a
// user's behalf: it kills a job the way Onyx's client does, by appending
// the entry onyx.api/kill-job appends. The app calls it only when started
// with --allow-writes (docs/inspecting.md). It imports go-zookeeper directly
// (zklog/zk is read-only by design) and never imports Fyne.
package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
	"onyx-dashboard/zklog/zk"
)

// Options say how to reach the ensemble.
type Options struct {
	// Addr is "host:port[,host:port][/chroot]", as zklog/zk.Dial takes it.
	Addr string
	// Timeout is the session timeout and how long to wait for a session;
	// 0: 10 s.
	Timeout time.Duration
	// Auth are digest credentials "user:password" added to the session.
	Auth []string
}

// ErrNoJob: KillJob was given no job id.
var ErrNoJob = errors.New("no job id")

// KillEntry is the entry onyx.api/kill-job writes, {:fn :kill-job :args
// {:job J}} (onyx-log-format.md §4.2, §4.4, §4.7), encoded with the codec
// Onyx v stores znodes with: Fressian for 0.5.x, Nippy from 0.6.0 (§2.1).
func KillEntry(v replay.Version, job value.Value) ([]byte, error) {
	if job == nil {
		return nil, ErrNoJob
	}
	e := value.NewMap(value.KeyFn, value.Kw("kill-job"), value.KeyArgs, value.NewMap(value.Kw("job"), job))
	b, err := archive.Encode(v, e)
	if err != nil {
		return nil, fmt.Errorf("encode the kill-job entry for onyx %s: %w", v, err)
	}
	return b, nil
}

// KillJob appends a kill-job entry for job to the log of tenancy, as Onyx v's
// client does: a PERSISTENT_SEQUENTIAL child /onyx/<tenancy>/log/entry-
// (§1.3). It returns the Seq of the new entry. The tenancy's log must exist
// (an error wrapping zklog.ErrNoTenancy otherwise); the peers of the
// cluster then apply it, and a replay of the log shows the job killed.
func KillJob(ctx context.Context, o Options, tenancy string, job value.Value, v replay.Version) (int64, error) {
	if tenancy == "" || strings.ContainsAny(tenancy, "/\x00") {
		return -1, fmt.Errorf("kill job: bad tenancy id %q", tenancy)
	}
	data, err := KillEntry(v, job)
	if err != nil {
		return -1, fmt.Errorf("kill job: %w", err)
	}
	c, root, err := dial(ctx, o)
	if err != nil {
		return -1, fmt.Errorf("kill job: %w", err)
	}
	defer c.Close()
	logDir := root + "/onyx/" + tenancy + "/log"
	var path string
	err = call(ctx, c, func() error {
		ok, _, err := c.Exists(logDir)
		switch {
		case err != nil:
			return fmt.Errorf("check %s: %w", logDir, err)
		case !ok:
			return fmt.Errorf("%s: %w", logDir, zklog.ErrNoTenancy)
		}
		path, err = c.Create(logDir+"/entry-", data, gozk.FlagSequence, gozk.WorldACL(gozk.PermAll))
		if err != nil {
			return fmt.Errorf("create %s/entry-: %w", logDir, err)
		}
		return nil
	})
	if err != nil {
		return -1, fmt.Errorf("kill job %s of tenancy %s: %w", archive.IDString(job), tenancy, err)
	}
	return seqOf(path), nil
}

// seqOf reads the sequence number of an entry znode path; -1 when it has none.
func seqOf(path string) int64 {
	i := strings.LastIndex(path, "entry-")
	if i < 0 {
		return -1
	}
	var n int64
	for _, r := range path[i+len("entry-"):] {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int64(r-'0')
	}
	return n
}

// dial connects and waits for a session; root is the chroot.
func dial(ctx context.Context, o Options) (*gozk.Conn, string, error) {
	servers, chroot, err := zk.ParseAddr(o.Addr)
	if err != nil {
		return nil, "", err
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	c, events, err := gozk.Connect(servers, timeout, gozk.WithLogger(quiet{}), gozk.WithLogInfo(false))
	if err != nil {
		return nil, "", fmt.Errorf("connect to zookeeper %s: %w", o.Addr, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case ev := <-events:
			switch ev.State {
			case gozk.StateHasSession:
				for _, a := range o.Auth {
					if err := c.AddAuth("digest", []byte(a)); err != nil {
						c.Close()
						user, _, _ := strings.Cut(a, ":")
						return nil, "", fmt.Errorf("connect to zookeeper %s: digest auth as %q: %w", o.Addr, user, err)
					}
				}
				return c, chroot, nil
			case gozk.StateAuthFailed:
				c.Close()
				return nil, "", fmt.Errorf("connect to zookeeper %s: authentication failed", o.Addr)
			}
		case <-timer.C:
			c.Close()
			return nil, "", fmt.Errorf("connect to zookeeper %s: no session within %v", o.Addr, timeout)
		case <-ctx.Done():
			c.Close()
			return nil, "", fmt.Errorf("connect to zookeeper %s: %w", o.Addr, ctx.Err())
		}
	}
}

// call runs f, which uses c, and gives up when ctx ends (closing c makes
// f's pending request return).
func call(ctx context.Context, c *gozk.Conn, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		c.Close()
		<-done
		return ctx.Err()
	}
}

type quiet struct{}

func (quiet) Printf(string, ...any) {}
