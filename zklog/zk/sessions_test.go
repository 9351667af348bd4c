package zk

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

// extraCount is how many extra read sessions c holds open.
func extraCount(c *Conn) int {
	c.extraMu.Lock()
	defer c.extraMu.Unlock()
	return len(c.extras)
}

func TestIntegration_SeveralSessionsReadTheSameLogInOrder(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	const n = 10_500
	const corrupt = 7_777
	kinds := [][]byte{fixture(t, "d-submit-job.nippy-auto"), fixture(t, "d-complete-job.nippy-auto"), fixture(t, "d-add-virtual-peer.nippy-auto")}
	datas := make([][]byte, n)
	for i := range datas {
		datas[i] = kinds[i*i%len(kinds)]
	}
	datas[corrupt] = []byte("NPY\x00\x5a\x01garbage")
	s.mkdirs(s.onyx("big/log"))
	s.appendLog("big", datas...)
	ctx := context.Background()

	one := dial(t, s.addr(), Options{ReadSessions: 1})
	want, err := one.Read(ctx, "big", 0, nil)
	if err != nil || len(want) != n {
		t.Fatalf("one session: %d entries, %v", len(want), err)
	}
	if extraCount(one) != 0 {
		t.Errorf("one session: %d extra sessions open", extraCount(one))
	}
	// A small window makes many chunks, each session serving several.
	many := dial(t, s.addr(), Options{ReadSessions: 4, Window: 8})
	var last int
	got, err := many.Read(ctx, "big", 0, func(done, total int) {
		if done < last || total != n {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil || len(got) != n || last != n {
		t.Fatalf("four sessions: %d entries (progress %d), %v", len(got), last, err)
	}
	if extraCount(many) != 3 {
		t.Errorf("four sessions: %d extra sessions open, want 3", extraCount(many))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.Seq != int64(i) || g.Seq != w.Seq || g.Created != w.Created || g.Fn != w.Fn || (g.Err == nil) != (w.Err == nil) {
			t.Fatalf("entry %d: got seq %d %v %v %v, want seq %d %v %v %v", i, g.Seq, g.Created, g.Fn, g.Err, w.Seq, w.Created, w.Fn, w.Err)
		}
	}
	if bad := got[corrupt]; bad.Err == nil || !strings.Contains(bad.Err.Error(), s.onyx("big/log/"+zklog.EntryName(corrupt))) {
		t.Errorf("seq %d: err %v, want a decode error naming the znode", corrupt, bad.Err)
	}
	for i, e := range got {
		if e.Err != nil && i != corrupt {
			t.Errorf("seq %d: %v", i, e.Err)
		}
	}

	raw, err := many.ReadRaw(ctx, "big", 100, nil)
	if err != nil || len(raw) != n-100 {
		t.Fatalf("raw from 100: %d entries, %v", len(raw), err)
	}
	for i, r := range raw {
		if r.Seq != int64(i+100) || !bytes.Equal(r.Data, datas[i+100]) {
			t.Fatalf("raw entry %d: seq %d, %d bytes, want seq %d, %d bytes", i, r.Seq, len(r.Data), i+100, len(datas[i+100]))
		}
	}
}

func TestIntegration_SmallReadsUseOneSession(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 1)
	c := dial(t, s.addr(), Options{ReadSessions: 3})
	if es, err := c.Read(context.Background(), "t", 0, nil); err != nil || len(es) == 0 {
		t.Fatalf("read: %d entries, %v", len(es), err)
	}
	if extraCount(c) != 0 {
		t.Errorf("%d extra sessions opened for a small read", extraCount(c))
	}
}

func TestIntegration_CloseEndsTheExtraSessions(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 2)
	ctx := context.Background()
	before := runtime.NumGoroutine()
	c, err := Dial(ctx, s.addr(), Options{ReadSessions: 3})
	if err != nil {
		t.Fatal(err)
	}
	c.minMulti = 1
	if es, err := c.Read(ctx, "t", 0, nil); err != nil || len(es) != 6 {
		t.Fatalf("read: %d entries, %v", len(es), err)
	}
	if extraCount(c) != 2 {
		t.Fatalf("%d extra sessions open, want 2", extraCount(c))
	}
	c.Close()
	// The client's goroutines end shortly after Close returns.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if now := runtime.NumGoroutine(); now > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after Close, %d before:\n%s", now, before, buf[:runtime.Stack(buf, true)])
	}
	// A read after Close fails and opens no session.
	if _, err := c.Read(ctx, "t", 0, nil); err == nil {
		t.Error("read after Close succeeded")
	} else if errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("read after Close: %v", err)
	}
	if extraCount(c) != 0 {
		t.Errorf("%d extra sessions after Close", extraCount(c))
	}
}
