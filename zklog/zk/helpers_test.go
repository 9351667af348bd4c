package zk

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/codec/fressian"
	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// adminConnect opens a writing session to servers, for test setup only.
func adminConnect(tb testing.TB, servers string) *gozk.Conn {
	tb.Helper()
	hosts, _, err := ParseAddr(servers)
	if err != nil {
		tb.Fatal(err)
	}
	conn, events, err := gozk.Connect(hosts, 10*time.Second, gozk.WithLogInfo(false), gozk.WithLogger(discard{}))
	if err != nil {
		tb.Fatal(err)
	}
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State == gozk.StateHasSession {
				tb.Cleanup(conn.Close)
				return conn
			}
		case <-deadline:
			conn.Close()
			tb.Fatalf("admin connection to %s: no session", servers)
		}
	}
}

type discard struct{}

func (discard) Printf(string, ...any) {}

// world is the ACL of the test znodes unless a test says otherwise.
var world = gozk.WorldACL(gozk.PermAll)

// sandbox is a chroot of its own on the test server, removed at the end.
type sandbox struct {
	tb     testing.TB
	admin  *gozk.Conn
	server string // host:port
	chroot string // "/onyx-dashboard-test/<test>-<n>"
	acl    []gozk.ACL
}

func newSandbox(tb testing.TB, server string) *sandbox {
	tb.Helper()
	admin := adminConnect(tb, server)
	name := strings.NewReplacer("/", "-", " ", "-").Replace(tb.Name())
	s := &sandbox{tb: tb, admin: admin, server: server, acl: world,
		chroot: fmt.Sprintf("/onyx-dashboard-test/%s-%d", name, time.Now().UnixNano())}
	s.mkdirs(s.chroot + "/onyx")
	tb.Cleanup(func() { s.removeAll(s.chroot) })
	return s
}

// addr is the connection string of the sandbox: server plus chroot.
func (s *sandbox) addr() string { return s.server + s.chroot }

// onyx is the path of rel under /onyx in the sandbox.
func (s *sandbox) onyx(rel string) string { return s.chroot + "/onyx/" + rel }

// mkdirs creates path and its parents as empty persistent znodes.
func (s *sandbox) mkdirs(path string) {
	s.tb.Helper()
	p := ""
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		p += "/" + seg
		acl := world
		if strings.HasPrefix(p, s.chroot+"/onyx") {
			acl = s.acl
		}
		if _, err := s.admin.Create(p, nil, 0, acl); err != nil && err != gozk.ErrNodeExists {
			s.tb.Fatalf("create %s: %v", p, err)
		}
	}
}

// put creates (or sets) the znode at path with data.
func (s *sandbox) put(path string, data []byte) {
	s.tb.Helper()
	s.mkdirs(path[:strings.LastIndexByte(path, '/')])
	if _, err := s.admin.Create(path, data, 0, s.acl); err == gozk.ErrNodeExists {
		_, err = s.admin.Set(path, data, -1)
		if err != nil {
			s.tb.Fatalf("set %s: %v", path, err)
		}
	} else if err != nil {
		s.tb.Fatalf("create %s: %v", path, err)
	}
}

// appendLog appends entries to a tenancy's log as Onyx does, with
// PERSISTENT_SEQUENTIAL creates of log/entry-, many per multi request.
func (s *sandbox) appendLog(id string, datas ...[]byte) {
	s.tb.Helper()
	logPath := s.onyx(id + "/log")
	for len(datas) > 0 {
		n := min(len(datas), 1000)
		ops := make([]any, n)
		for i, d := range datas[:n] {
			ops[i] = &gozk.CreateRequest{Path: logPath + "/entry-", Data: d, Acl: s.acl, Flags: gozk.FlagSequence}
		}
		if _, err := s.admin.Multi(ops...); err != nil {
			s.tb.Fatalf("append %d entries to %s: %v", n, logPath, err)
		}
		datas = datas[n:]
	}
}

// gc does what Onyx's GC does: move the origin to gcID, then delete the
// entries below it, in one transaction when atomic.
func (s *sandbox) gc(id string, gcID int64, origin []byte, extra ...any) {
	s.tb.Helper()
	ops := append([]any{}, extra...)
	ops = append(ops, &gozk.SetDataRequest{Path: s.onyx(id + "/origin/origin"), Data: origin, Version: -1})
	names, _, err := s.admin.Children(s.onyx(id + "/log"))
	if err != nil {
		s.tb.Fatal(err)
	}
	for _, n := range names {
		if seq, ok := parseSeq(n); ok && seq < gcID {
			ops = append(ops, &gozk.DeleteRequest{Path: s.onyx(id + "/log/" + n), Version: -1})
		}
	}
	for len(ops) > 0 {
		n := min(len(ops), 500)
		if _, err := s.admin.Multi(ops[:n]...); err != nil {
			s.tb.Fatalf("gc %s to %d: %v", id, gcID, err)
		}
		ops = ops[n:]
	}
}

// waitAdmin waits until the admin session works again after a restart.
func (s *sandbox) waitAdmin() {
	s.tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, _, err := s.admin.Exists(s.chroot)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("admin connection did not come back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// removeAll deletes path and everything under it, many deletes per multi
// request (log entries are taken to be leaves, to skip listing them).
func (s *sandbox) removeAll(path string) {
	var ops []any
	var walk func(p string)
	walk = func(p string) {
		if !strings.HasPrefix(p[strings.LastIndexByte(p, '/')+1:], "entry-") {
			children, _, err := s.admin.Children(p)
			if err != nil {
				return
			}
			for _, c := range children {
				walk(p + "/" + c)
			}
		}
		ops = append(ops, &gozk.DeleteRequest{Path: p, Version: -1})
	}
	walk(path)
	for len(ops) > 0 {
		n := min(len(ops), 1000)
		if _, err := s.admin.Multi(ops[:n]...); err != nil {
			s.tb.Logf("remove %s: %v", path, err)
			return
		}
		ops = ops[n:]
	}
}

// fixture reads testdata/name: bytes written by the real Nippy and Fressian.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// era is a tenancy as a release of one era leaves it.
type era struct {
	name    string
	dirs    []string
	params  map[string]string // relative path -> fixture, or "" for a literal below
	origin  string
	entries []string
	era     string // expected detection
}

var eras = []era{
	{name: "0.5.3", dirs: []string{"log", "origin", "pulse", "catalog", "workflow", "task", "sentinel", "flow"},
		params: map[string]string{zklog.ParamJobScheduler: "job-scheduler-fressian"},
		origin: "a-origin.fressian", entries: []string{"a-prepare-join.fressian", "a-volunteer.fressian"}, era: "A"},
	{name: "0.6.0", dirs: []string{"log", "origin", "pulse", "catalog", "workflow", "task", "flow", "lifecycles", "chunk"},
		params: map[string]string{zklog.ParamJobScheduler: "job-scheduler", zklog.ParamMessaging: "messaging"},
		origin: "v210-origin.nippy", entries: []string{"v210-prepare-join.nippy", "b-prepare-join.nippy", "b-signal-ready.nippy"}, era: "B"},
	{name: "0.9.10", dirs: []string{"log", "origin", "pulse", "catalog", "workflow", "task", "flow", "lifecycles", "chunk", "windows", "triggers",
		"exception", "job-metadata", "job-hash", "ledgers", "job-scheduler", "messaging"},
		params: map[string]string{zklog.ParamJobScheduler: "job-scheduler", zklog.ParamMessaging: "messaging"},
		origin: "v211-origin-lz4.nippy", entries: []string{"v211-add-virtual-peer.nippy", "v211-submit-job.nippy"}, era: "C"},
	{name: "0.14.6", dirs: []string{"log", "origin", "pulse", "catalog", "workflow", "task", "flow", "lifecycles", "chunk", "windows", "triggers",
		"exception", "job-metadata", "job-hash", "checkpoint", "job-name", "job-config", "epoch"},
		params: map[string]string{zklog.ParamLogParameters: "log-parameters"},
		origin: "origin-large.nippy-auto", entries: []string{"d-add-virtual-peer.nippy-auto", "d-submit-job.nippy-auto", "d-complete-job.nippy-auto"}, era: "D"},
}

// writeEra creates tenancy id as release e leaves it, with n rounds of its
// entries, and returns the entries' bytes in log order.
func (s *sandbox) writeEra(id string, e era, rounds int) [][]byte {
	s.tb.Helper()
	for _, d := range e.dirs {
		s.mkdirs(s.onyx(id + "/" + d))
	}
	for rel, f := range e.params {
		var b []byte
		switch f {
		case "log-parameters":
			b = logParameters(s.tb, "0.14.6-SNAPSHOT")
		case "job-scheduler-fressian":
			var err error
			b, err = fressian.Encode(value.NewMap(value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/greedy")))
			if err != nil {
				s.tb.Fatal(err)
			}
		case "job-scheduler":
			b = encodeNippy(s.tb, value.NewMap(value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/balanced")))
		case "messaging":
			b = encodeNippy(s.tb, value.NewMap(value.Kw("messaging"), value.NewMap(value.Kw("onyx.messaging/impl"), value.Kw("netty"))))
		default:
			b = fixture(s.tb, f)
		}
		s.put(s.onyx(id+"/"+rel), b)
	}
	s.put(s.onyx(id+"/origin/origin"), fixture(s.tb, e.origin))
	var datas [][]byte
	for range rounds {
		for _, f := range e.entries {
			datas = append(datas, fixture(s.tb, f))
		}
	}
	s.appendLog(id, datas...)
	return datas
}

// follow runs Follow in the background and collects its events.
type follow struct {
	mu     sync.Mutex
	events []zklog.Event
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan error
}

func startFollow(tb testing.TB, c *Conn, id string, from int64) *follow {
	ctx, cancel := context.WithCancel(context.Background())
	f := &follow{wake: make(chan struct{}, 1), cancel: cancel, done: make(chan error, 1)}
	go func() {
		f.done <- c.Follow(ctx, id, from, func(e zklog.Event) {
			f.mu.Lock()
			f.events = append(f.events, e)
			f.mu.Unlock()
			select {
			case f.wake <- struct{}{}:
			default:
			}
		})
	}()
	tb.Cleanup(func() { f.stop(tb) })
	return f
}

func (f *follow) stop(tb testing.TB) {
	f.cancel()
	select {
	case err := <-f.done:
		if err != nil && err != context.Canceled {
			tb.Errorf("follow returned %v, want context.Canceled", err)
		}
		f.done <- context.Canceled
	case <-time.After(10 * time.Second):
		tb.Errorf("follow did not return after cancel")
	}
}

// waitFor waits until cond holds over the events so far, at most d.
func (f *follow) waitFor(tb testing.TB, d time.Duration, what string, cond func([]zklog.Event) bool) []zklog.Event {
	tb.Helper()
	deadline := time.After(d)
	for {
		f.mu.Lock()
		evs := slices.Clone(f.events)
		f.mu.Unlock()
		if cond(evs) {
			return evs
		}
		select {
		case <-f.wake:
		case <-deadline:
			tb.Fatalf("waiting for %s: events so far: %s", what, describe(evs))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// describe summarizes events for failure messages.
func describe(evs []zklog.Event) string {
	var b strings.Builder
	for _, e := range evs {
		switch e.Kind {
		case zklog.EventAppended:
			fmt.Fprintf(&b, "[appended %d..%d]", e.Entries[0].Seq, e.Entries[len(e.Entries)-1].Seq)
		case zklog.EventReset:
			fmt.Fprintf(&b, "[reset %d]", e.Origin.MessageID)
		default:
			fmt.Fprintf(&b, "[%v %v]", e.Kind, e.Err)
		}
	}
	return b.String()
}

// appended returns the seqs of every appended entry, in delivery order.
func appended(evs []zklog.Event) []int64 {
	var out []int64
	for _, e := range evs {
		for _, x := range e.Entries {
			out = append(out, x.Seq)
		}
	}
	return out
}

// contiguous checks seqs are exactly from, from+1, …, to.
func contiguous(tb testing.TB, seqs []int64, from, to int64) {
	tb.Helper()
	if int64(len(seqs)) != to-from+1 {
		tb.Fatalf("got %d entries, want %d (%d..%d)", len(seqs), to-from+1, from, to)
	}
	for i, s := range seqs {
		if s != from+int64(i) {
			tb.Fatalf("entry %d has seq %d, want %d (lost or repeated)", i, s, from+int64(i))
		}
	}
}

// ownServer is a ZooKeeper process of the test's own, which the test may
// stop and start again on the same port and data.
type ownServer struct {
	tb   testing.TB
	dir  string
	port int
	cmd  *exec.Cmd
}

func startOwnServer(tb testing.TB) *ownServer {
	tb.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		tb.Fatalf("java not found: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &ownServer{tb: tb, dir: tb.TempDir(), port: port}
	cfg := fmt.Sprintf("tickTime=250\nminSessionTimeout=500\ndataDir=%s/data\nclientPort=%d\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\nmaxClientCnxns=0\n4lw.commands.whitelist=ruok,srvr\n", s.dir, port)
	if err := os.WriteFile(filepath.Join(s.dir, "zoo.cfg"), []byte(cfg), 0o644); err != nil {
		tb.Fatal(err)
	}
	s.start()
	tb.Cleanup(s.stop)
	return s
}

func (s *ownServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

func (s *ownServer) start() {
	s.tb.Helper()
	cp := "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar"
	s.cmd = exec.Command("java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp,
		"org.apache.zookeeper.server.ZooKeeperServerMain", filepath.Join(s.dir, "zoo.cfg"))
	out, err := os.Create(filepath.Join(s.dir, "out.log"))
	if err != nil {
		s.tb.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ruok(s.addr()) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "out.log"))
	s.stop()
	s.tb.Fatalf("own ZooKeeper on %s did not start: %s", s.addr(), log)
}

// stop kills the process (like a crash) and waits for it.
func (s *ownServer) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

func ruok(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("ruok")); err != nil {
		return false
	}
	b, _ := io.ReadAll(c)
	return string(b) == "imok"
}

// logParameters is /log-parameters/log-parameters as 0.9.11+ writes it.
func logParameters(tb testing.TB, version string) []byte {
	tb.Helper()
	b, err := nippy.Encode(value.NewMap(
		value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/balanced"),
		value.Kw("messaging"), value.NewMap(value.Kw("onyx.messaging/impl"), value.Kw("aeron")),
		value.Kw("log-version"), version), nippy.EncodeOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// proxy forwards TCP connections to a server until cut, which drops them
// all and refuses new ones until restore: a network partition.
type proxy struct {
	l      net.Listener
	target string
	delay  time.Duration // added to each direction: half a round trip
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
	wg     sync.WaitGroup
}

func startProxy(tb testing.TB, target string) *proxy {
	return startDelayProxy(tb, target, 0)
}

// startDelayProxy is a proxy that holds every chunk for delay in each
// direction, like a network with a round trip of 2*delay.
func startDelayProxy(tb testing.TB, target string, delay time.Duration) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &proxy{l: l, target: target, delay: delay}
	p.wg.Go(p.accept)
	tb.Cleanup(func() {
		l.Close()
		p.partition()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) addr() string { return p.l.Addr().String() }

func (p *proxy) accept() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		s, err := net.DialTimeout("tcp", p.target, time.Second)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		p.wg.Go(func() { p.copy(s, c); s.Close() })
		p.wg.Go(func() { p.copy(c, s); c.Close() })
	}
}

// copy forwards src to dst, each chunk delay after it was read.
func (p *proxy) copy(dst, src net.Conn) {
	if p.delay == 0 {
		_, _ = io.Copy(dst, src)
		return
	}
	type chunk struct {
		at   time.Time
		data []byte
	}
	q := make(chan chunk, 4096)
	var wg sync.WaitGroup
	wg.Go(func() {
		for c := range q {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.data); err != nil {
				src.Close()
			}
		}
	})
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			q <- chunk{time.Now().Add(p.delay), append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			break
		}
	}
	close(q)
	wg.Wait()
}

// partition drops every connection and refuses new ones.
func (p *proxy) partition() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) heal() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}

func encodeNippy(tb testing.TB, v value.Value) []byte {
	tb.Helper()
	b, err := nippy.Encode(v, nippy.EncodeOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
