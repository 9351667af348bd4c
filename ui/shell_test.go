package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// uiQueue stands in for fyne.Do: the bridge's goroutines queue work, and the
// test runs it on its own goroutine, which plays the UI goroutine.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) do(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

// drain runs what is queued, including what that queues, and reports
// whether it ran anything.
func (q *uiQueue) drain() bool {
	ran := false
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return ran
		}
		for _, fn := range fns {
			fn()
		}
		ran = true
	}
}

// until drains the queue until cond holds, failing after a generous time:
// the bridge's goroutines are real, so the test waits for them.
func (q *uiQueue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// fakeClock stands in for time.After: a wait ends when the test ticks.
type fakeClock struct {
	mu    sync.Mutex
	waits []chan time.Time
	asked []time.Duration
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.waits = append(c.waits, ch)
	c.asked = append(c.asked, d)
	c.mu.Unlock()
	return ch
}

// tick ends every pending wait and reports how many there were.
func (c *fakeClock) tick() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.waits)
	for _, ch := range c.waits {
		ch <- time.Time{}
	}
	c.waits = nil
	return n
}

// waited is the i-th wait asked for.
func (c *fakeClock) waited(i int) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i >= len(c.asked) {
		return -1
	}
	return c.asked[i]
}

func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waits)
}

// readFixture reads an EDN log from testdata (gzipped or not).
func readFixture(t testing.TB, name string) *replay.Log {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasSuffix([]byte(name), []byte(".gz")) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	l, err := replay.ReadLog(b, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return l
}

// timed gives the entries Created times a second apart from base.
func timed(es []value.Entry, base time.Time) []value.Entry {
	out := make([]value.Entry, len(es))
	for i, e := range es {
		e.Created = base.Add(time.Duration(i) * time.Second).UnixMilli()
		out[i] = e
	}
	return out
}

func sourceEntries(es []value.Entry) []zklog.Entry {
	out := make([]zklog.Entry, len(es))
	for i, e := range es {
		out[i] = zklog.Entry{Entry: e}
	}
	return out
}

// logBase is when the test logs' first entry was created.
var logBase = time.Date(2015, 6, 9, 12, 0, 0, 0, time.UTC)

// memoryOf puts the first n entries of l into a Memory as tenancy id and
// returns it with all the (timed) entries.
func memoryOf(t testing.TB, l *replay.Log, id string, n int) (*zklog.Memory, []value.Entry) {
	t.Helper()
	es := timed(l.Entries, logBase)
	det := zklog.Detection{Version: l.Version.String(), Era: l.Version.Era().String(), Exact: true,
		Evidence: []string{"the log file says onyx " + l.Version.String()}}
	m := zklog.NewMemory()
	m.Put(zklog.Header{
		Tenancy: zklog.Tenancy{ID: id, Version: det, Modified: logBase},
		Version: det,
		Origin:  zklog.Origin{MessageID: l.OriginSeq, Replica: l.Origin.Map(), Raw: []byte{0}},
	}, sourceEntries(es[:n])...)
	return m, es
}

// testShell is a shell in a test window whose bridge reports through q and
// waits on clock.
type testShell struct {
	*shell
	q     *uiQueue
	clock *fakeClock
}

func newTestShell(t *testing.T, o Options) *testShell {
	t.Helper()
	a := test.NewTempApp(t)
	q := &uiQueue{}
	o.Do = q.do
	if o.At == 0 {
		o.At = -1
	}
	w := a.NewWindow(Title)
	s := newShell(a, w, o)
	clock := &fakeClock{}
	s.br.after = clock.after
	w.SetContent(s.content())
	s.bindKeys()
	w.Resize(fyne.NewSize(1280, 800))
	ts := &testShell{shell: s, q: q, clock: clock}
	t.Cleanup(func() {
		s.br.cancel()
		done := make(chan struct{})
		go func() { s.br.wg.Wait(); close(done) }()
		for {
			select {
			case <-done:
				q.drain()
				return
			default:
				q.drain()
				time.Sleep(time.Millisecond)
			}
		}
	})
	return ts
}

// openMemory opens tenancy id of m and waits until its log is loaded.
func (ts *testShell) openMemory(t *testing.T, m zklog.Source, id string) {
	t.Helper()
	ts.openTenancy("mem", m, id)
	ts.q.until(t, "the tenancy loads", func() bool { return ts.feed != nil && ts.pos.Reader != nil && !ts.prog.visible() })
}
