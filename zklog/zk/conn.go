// Package zk is the ZooKeeper Source: it reads Onyx tenancies from an
// ensemble, fast (many reads in flight) and read-only (it never creates,
// sets or deletes a znode). It is the only importer of
// github.com/go-zookeeper/zk and never imports Fyne.
package zk

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/zklog"
)

// Options configure Dial. The zero value is usable.
type Options struct {
	// SessionTimeout is the ZooKeeper session timeout, and also how long
	// Dial waits for a session. Default 10 s.
	SessionTimeout time.Duration
	// Auth are digest credentials "user:password", added to the session.
	Auth []string
	// TLS, when set, wraps every connection in TLS with this config.
	TLS *tls.Config
	// Logger receives the client's log at Debug level. Default: discarded.
	Logger *slog.Logger
	// Window is how many reads are in flight at once on each session.
	// Default 64.
	Window int
	// ReadSessions is how many sessions a large read (Read or ReadRaw of
	// at least minMultiRead entries) spreads its reads over, the Conn's
	// own included. The extra sessions are read-only like the first, with
	// the same credentials, TLS and chroot; they open at the first large
	// read and close with the Conn. A ZooKeeper server answers one
	// session's requests in order but different sessions' reads in
	// parallel. Default 4; 1 reads with the Conn's session only.
	ReadSessions int
}

// DefaultSessionTimeout is the session timeout when Options leave it zero.
const DefaultSessionTimeout = 10 * time.Second

const defaultWindow = 64

// defaultReadSessions is Options.ReadSessions when left zero; measured in
// docs/zookeeper.md.
const defaultReadSessions = 4

// minMultiRead is the smallest read that uses the extra sessions: below
// it, opening or syncing them costs more than it saves.
const minMultiRead = 500

// Conn is a read-only connection to an ensemble, holding one ZooKeeper
// session (renewed by itself after expiry). It implements zklog.Source and
// zklog.RawSource; its methods are safe from any goroutine.
type Conn struct {
	zk     *gozk.Conn
	addr   string // as given to Dial, for messages
	root   string // chroot + "/onyx"
	log    *slog.Logger
	window int

	// The extra read sessions, opened lazily by readers.
	servers  []string
	chroot   string
	opts     Options
	extraMu  sync.Mutex
	extras   []*Conn
	extraErr error // why opening them failed; not retried
	closed   bool
	minMulti int // minMultiRead; tests lower it

	mu      sync.Mutex
	state   gozk.State
	changed chan struct{} // closed and replaced on every session state change
}

var (
	_ zklog.Source    = (*Conn)(nil)
	_ zklog.RawSource = (*Conn)(nil)
)

// ErrNoSession reports that no session was established in time.
var ErrNoSession = errors.New("no zookeeper session")

// ParseAddr splits "h1:2181,h2:2181/chroot" into servers and a chroot
// ("" or "/a/b"). The client does not support chroots, so Conn prefixes
// every path with it.
func ParseAddr(addr string) (servers []string, chroot string, err error) {
	hosts, chroot, _ := strings.Cut(strings.TrimSpace(addr), "/")
	if chroot != "" {
		chroot = "/" + strings.TrimRight(chroot, "/")
		if chroot == "/" {
			chroot = ""
		}
		for _, seg := range strings.Split(chroot[min(1, len(chroot)):], "/") {
			if chroot != "" && (seg == "" || seg == "." || seg == "..") {
				return nil, "", fmt.Errorf("zookeeper address %q: bad chroot %q", addr, chroot)
			}
		}
	}
	for _, h := range strings.Split(hosts, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !strings.Contains(h, ":") {
			h += ":2181"
		}
		servers = append(servers, h)
	}
	if len(servers) == 0 {
		return nil, "", fmt.Errorf("zookeeper address %q: no host", addr)
	}
	return servers, chroot, nil
}

// Dial connects to the ensemble at addr ("h1:2181,h2:2181[/chroot]") and
// waits for a session, at most the session timeout: an unreachable ensemble
// gives an error wrapping ErrNoSession. Close the Conn when done.
func Dial(ctx context.Context, addr string, opts Options) (*Conn, error) {
	servers, chroot, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	if opts.SessionTimeout <= 0 {
		opts.SessionTimeout = DefaultSessionTimeout
	}
	if opts.Window <= 0 {
		opts.Window = defaultWindow
	}
	if opts.ReadSessions <= 0 {
		opts.ReadSessions = defaultReadSessions
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	for _, a := range opts.Auth {
		if !strings.Contains(a, ":") {
			return nil, fmt.Errorf("zookeeper auth: want user:password, got no colon")
		}
	}
	return connect(ctx, addr, servers, chroot, opts)
}

// connect opens one session with normalised opts.
func connect(ctx context.Context, addr string, servers []string, chroot string, opts Options) (*Conn, error) {
	c := &Conn{
		addr:     addr,
		root:     chroot + "/onyx",
		log:      opts.Logger,
		window:   opts.Window,
		servers:  servers,
		chroot:   chroot,
		opts:     opts,
		minMulti: minMultiRead,
		changed:  make(chan struct{}),
	}
	zl := &zkLogger{log: opts.Logger}
	dial := func(network, address string, timeout time.Duration) (net.Conn, error) {
		return net.DialTimeout(network, address, timeout)
	}
	if opts.TLS != nil {
		cfg := opts.TLS
		dial = func(network, address string, timeout time.Duration) (net.Conn, error) {
			return tls.DialWithDialer(&net.Dialer{Timeout: timeout}, network, address, cfg)
		}
	}
	conn, _, err := gozk.Connect(servers, opts.SessionTimeout,
		gozk.WithEventCallback(c.onEvent),
		gozk.WithLogger(zl),
		gozk.WithLogInfo(false),
		gozk.WithDialer(dial))
	if err != nil {
		return nil, fmt.Errorf("connect to zookeeper %s: %w", addr, err)
	}
	c.zk = conn
	if err := c.waitSession(ctx, opts.SessionTimeout); err != nil {
		conn.Close()
		if last := zl.lastFailure(); last != "" {
			return nil, fmt.Errorf("connect to zookeeper %s: %w (last error: %s)", addr, err, last)
		}
		return nil, fmt.Errorf("connect to zookeeper %s: %w", addr, err)
	}
	for _, a := range opts.Auth {
		if err := conn.AddAuth("digest", []byte(a)); err != nil {
			conn.Close()
			user, _, _ := strings.Cut(a, ":")
			return nil, fmt.Errorf("connect to zookeeper %s: digest auth as %q: %w", addr, user, err)
		}
	}
	return c, nil
}

// waitSession blocks until the session is established, ctx ends or timeout
// passes.
func (c *Conn) waitSession(ctx context.Context, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		st, changed := c.sessionState()
		switch st {
		case gozk.StateHasSession:
			return nil
		case gozk.StateAuthFailed:
			return fmt.Errorf("%w: authentication failed", ErrNoSession)
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("%w within %v (state %v)", ErrNoSession, timeout, st)
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrNoSession, ctx.Err())
		}
	}
}

// onEvent runs on the client's goroutines and must not block.
func (c *Conn) onEvent(ev gozk.Event) {
	if ev.Type != gozk.EventSession {
		return
	}
	c.mu.Lock()
	c.state = ev.State
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// sessionState returns the current state and a channel closed at its next
// change.
func (c *Conn) sessionState() (gozk.State, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.changed
}

// Close ends the session and the extra read sessions.
func (c *Conn) Close() {
	c.extraMu.Lock()
	c.closed = true
	extras := c.extras
	c.extras = nil
	c.extraMu.Unlock()
	for _, e := range extras {
		e.Close()
	}
	c.zk.Close()
}

// readers returns the sessions a read of n entries spreads over: the
// Conn's own first, then the extra ones that have a session, opened at the
// first call that wants them. When they cannot be opened, reads use the
// Conn's session alone and the failure is logged once.
func (c *Conn) readers(ctx context.Context, n int) []*gozk.Conn {
	conns := []*gozk.Conn{c.zk}
	if n < c.minMulti || c.opts.ReadSessions <= 1 {
		return conns
	}
	c.extraMu.Lock()
	defer c.extraMu.Unlock()
	if c.closed {
		return conns
	}
	if len(c.extras) == 0 && c.extraErr == nil {
		c.extras, c.extraErr = c.openExtras(ctx, c.opts.ReadSessions-1)
		if c.extraErr != nil {
			c.log.Warn("zookeeper: extra read sessions unavailable, reading with one", "addr", c.addr, "err", c.extraErr)
		}
	}
	for _, e := range c.extras {
		if st, _ := e.sessionState(); st == gozk.StateHasSession {
			conns = append(conns, e.zk)
		}
	}
	return conns
}

// openExtras opens n more sessions in parallel, each waiting at most the
// session timeout.
func (c *Conn) openExtras(ctx context.Context, n int) ([]*Conn, error) {
	opts := c.opts
	opts.ReadSessions = 1
	extras := make([]*Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range extras {
		wg.Go(func() { extras[i], errs[i] = connect(ctx, c.addr, c.servers, c.chroot, opts) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, e := range extras {
			if e != nil {
				e.Close()
			}
		}
		return nil, fmt.Errorf("extra read session: %w", err)
	}
	return extras, nil
}

// Addr is the address the Conn was dialled with.
func (c *Conn) Addr() string { return c.addr }

// tpath is the path of rel ("log", "origin/origin") under tenancy id.
func (c *Conn) tpath(id string, rel ...string) string {
	p := c.root + "/" + id
	for _, r := range rel {
		p += "/" + r
	}
	return p
}

// checkID rejects tenancy ids that cannot be a znode name.
func checkID(id string) error {
	if id == "" || strings.Contains(id, "/") || id == "." || id == ".." {
		return fmt.Errorf("tenancy %q: %w (not a znode name)", id, zklog.ErrNoTenancy)
	}
	return nil
}

// zkLogger routes the client's Printf logging into slog at Debug and keeps
// the last connection failure for Dial's error.
type zkLogger struct {
	log  *slog.Logger
	mu   sync.Mutex
	last string
}

func (l *zkLogger) Printf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if strings.HasPrefix(msg, "failed to connect") {
		l.mu.Lock()
		l.last = msg
		l.mu.Unlock()
	}
	l.log.Debug("zookeeper client: " + msg)
}

func (l *zkLogger) lastFailure() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// isConnErr reports errors that a retry after reconnecting may cure.
func isConnErr(err error) bool {
	return errors.Is(err, gozk.ErrConnectionClosed) || errors.Is(err, gozk.ErrNoServer) ||
		errors.Is(err, gozk.ErrSessionExpired) || errors.Is(err, gozk.ErrSessionMoved)
}
