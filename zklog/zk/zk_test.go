package zk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

func dial(tb testing.TB, addr string, opts Options) *Conn {
	tb.Helper()
	c, err := Dial(context.Background(), addr, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	return c
}

func decodeFixture(tb testing.TB, b []byte) value.Value {
	tb.Helper()
	v, _, err := codec.Decode(b)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestParseAddr(t *testing.T) {
	cases := []struct {
		addr, servers, chroot string
		bad                   bool
	}{
		{addr: "h1:2181", servers: "h1:2181"},
		{addr: "h1:2181,h2:2182/apps/onyx", servers: "h1:2181,h2:2182", chroot: "/apps/onyx"},
		{addr: "h1,h2/x/", servers: "h1:2181,h2:2181", chroot: "/x"},
		{addr: "h1:2181/", servers: "h1:2181"},
		{addr: "/chroot", bad: true},
		{addr: "h1/a//b", bad: true},
	}
	for _, c := range cases {
		t.Run(c.addr, func(t *testing.T) {
			servers, chroot, err := ParseAddr(c.addr)
			if c.bad {
				if err == nil {
					t.Fatalf("got %v %q, want an error", servers, chroot)
				}
				return
			}
			if err != nil || strings.Join(servers, ",") != c.servers || chroot != c.chroot {
				t.Errorf("got %v %q %v, want %s %q", servers, chroot, err, c.servers, c.chroot)
			}
		})
	}
}

func TestDialUnreachableFailsWithinTheTimeout(t *testing.T) {
	start := time.Now()
	_, err := Dial(context.Background(), "127.0.0.1:1", Options{SessionTimeout: time.Second})
	if !errors.Is(err, ErrNoSession) {
		t.Fatalf("got %v, want ErrNoSession", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q does not name the address", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v with a 1 s session timeout", d)
	}
}

func TestIntegration_ListsTenancies(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	for _, e := range eras {
		s.writeEra("t-"+e.name, e, 2)
	}
	s.mkdirs(s.onyx("t-0.14.6/pulse"))
	for i := range 3 {
		if _, err := s.admin.Create(s.onyx(fmt.Sprintf("t-0.14.6/pulse/p%d", i)), nil, gozk.FlagEphemeral, world); err != nil {
			t.Fatal(err)
		}
	}
	s.mkdirs(s.onyx("empty"))
	c := dial(t, s.addr(), Options{})
	ts, err := c.Tenancies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(eras)+1 {
		t.Fatalf("got %d tenancies, want %d: %+v", len(ts), len(eras)+1, ts)
	}
	byID := map[string]zklog.Tenancy{}
	for _, t := range ts {
		byID[t.ID] = t
	}
	if e := byID["empty"]; e.Count != 0 || e.FirstSeq != -1 || e.LastSeq != -1 {
		t.Errorf("empty: got %+v", e)
	}
	for _, e := range eras {
		got := byID["t-"+e.name]
		n := 2 * len(e.entries)
		if got.ID != "t-"+e.name || got.Count != n || got.FirstSeq != 0 || got.LastSeq != int64(n-1) {
			t.Errorf("%s: got id %s count %d first %d last %d, want %d entries from 0", e.name, got.ID, got.Count, got.FirstSeq, got.LastSeq, n)
		}
		if got.Version.Era != e.era {
			t.Errorf("%s: detected %s era %s, want era %s; evidence %q", e.name, got.Version.Version, got.Version.Era, e.era, got.Version.Evidence)
		}
		if got.Created.IsZero() || got.Modified.Before(got.Created) {
			t.Errorf("%s: created %v modified %v", e.name, got.Created, got.Modified)
		}
	}
	if d := byID["t-0.14.6"]; d.Pulses != 3 || d.Version.Version != "0.14.6" {
		t.Errorf("0.14.6: pulses %d version %s, want 3 and 0.14.6", d.Pulses, d.Version.Version)
	}
}

func TestIntegration_ReadsTheLogOfEachEra(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	c := dial(t, s.addr(), Options{})
	ctx := context.Background()
	for _, e := range eras {
		t.Run(e.name, func(t *testing.T) {
			id := "t-" + e.name
			datas := s.writeEra(id, e, 3)
			h, err := c.Open(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if h.Version.Era != e.era {
				t.Errorf("era %s (%s), want %s; evidence %q", h.Version.Era, h.Version.Version, e.era, h.Version.Evidence)
			}
			t.Logf("detected %s era %s from %q", h.Version.Version, h.Version.Era, h.Version.Evidence)
			if again := zklog.Detect(h.Evidence); again.Version != h.Version.Version || len(h.Evidence.Fns) == 0 {
				t.Errorf("detecting again from the header's evidence gives %s, want %s (fns %v)", again.Version, h.Version.Version, h.Evidence.Fns)
			}
			want := decodeFixture(t, fixture(t, e.origin)).(*value.Map)
			if h.Origin.MessageID != want.Val(value.Kw("message-id")) || !value.Equal(h.Origin.Replica, want.Val(value.Kw("replica"))) {
				t.Errorf("origin %d differs from %s", h.Origin.MessageID, e.origin)
			}
			switch e.era {
			case "A":
				if h.Params.JobScheduler != value.Kw("onyx.job-scheduler/greedy") || h.Params.Messaging != nil {
					t.Errorf("0.5.3 params: got %+v, want the greedy job scheduler only", h.Params)
				}
				if h.Version.Version != "0.5.2–0.5.3" {
					t.Errorf("0.5.3 detected as %s, want 0.5.2–0.5.3", h.Version.Version)
				}
			case "B":
				if h.Params.JobScheduler == nil && h.Params.Messaging == nil {
					t.Errorf("0.6.0 params: got none")
				}
			case "D":
				if h.Params.LogVersion() != "0.14.6-SNAPSHOT" {
					t.Errorf("0.14.6 log-version %q", h.Params.LogVersion())
				}
			}
			es, err := c.Read(ctx, id, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != len(datas) {
				t.Fatalf("read %d entries, want %d", len(es), len(datas))
			}
			for i, got := range es {
				if got.Err != nil {
					t.Fatalf("seq %d: %v", got.Seq, got.Err)
				}
				wantE, err := value.EntryFromValue(decodeFixture(t, datas[i]), int64(i), 0)
				if err != nil {
					t.Fatal(err)
				}
				if got.Seq != int64(i) || got.Fn != wantE.Fn || !value.Equal(got.Map, wantE.Map) {
					t.Errorf("seq %d: got %v %v, want %v", got.Seq, got.Fn, value.PrStr(got.Map), value.PrStr(wantE.Map))
				}
				if got.Created == 0 {
					t.Errorf("seq %d: no created time", got.Seq)
				}
			}
			raw, err := c.ReadRaw(ctx, id, 2, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != len(datas)-2 || raw[0].Seq != 2 || string(raw[0].Data) != string(datas[2]) {
				t.Errorf("raw from 2: %d entries, first seq %d; want the bytes as written", len(raw), raw[0].Seq)
			}
		})
	}
}

func TestIntegration_ReadsTenThousandEntries(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	const n = 10_000
	entry := fixture(t, "d-submit-job.nippy-auto")
	s.mkdirs(s.onyx("big/log"))
	datas := make([][]byte, n)
	for i := range datas {
		datas[i] = entry
	}
	s.appendLog("big", datas...)
	c := dial(t, s.addr(), Options{})
	var calls, last int
	es, err := c.Read(context.Background(), "big", 0, func(done, total int) {
		calls++
		if done < last || total != n {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	seqs := make([]int64, len(es))
	for i, e := range es {
		if e.Err != nil {
			t.Fatalf("seq %d: %v", e.Seq, e.Err)
		}
		seqs[i] = e.Seq
	}
	contiguous(t, seqs, 0, n-1)
	if last != n || calls < 10 {
		t.Errorf("progress ended at %d after %d calls", last, calls)
	}
}

func TestIntegration_FollowsWhileEntriesAreAppended(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 1)
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	c := dial(t, s.addr(), Options{})
	f := startFollow(t, c, "t", 1)
	entry := fixture(t, "d-complete-job.nippy-auto")
	go func() {
		for range 5 {
			s.appendLog("t", entry, entry, entry, entry)
			time.Sleep(50 * time.Millisecond)
		}
	}()
	evs := f.waitFor(t, 20*time.Second, "22 entries", func(evs []zklog.Event) bool { return len(appended(evs)) >= 22 })
	contiguous(t, appended(evs), 1, 22)
	for _, e := range evs {
		if e.Kind != zklog.EventAppended {
			t.Errorf("unexpected event %v", e.Kind)
		}
		for _, x := range e.Entries {
			if x.Err != nil {
				t.Errorf("seq %d: %v", x.Seq, x.Err)
			}
		}
	}
}

func TestIntegration_FollowSurvivesAServerRestart(t *testing.T) {
	zktest.Addr(t)
	srv := startOwnServer(t)
	s := newSandbox(t, srv.addr())
	s.writeEra("t", eras[1], 2) // 6 entries
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	c := dial(t, s.addr(), Options{SessionTimeout: 20 * time.Second})
	f := startFollow(t, c, "t", 0)
	f.waitFor(t, 10*time.Second, "the first 6 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 6 })

	// Kill the server right after an append, likely while the follower reads.
	entry := fixture(t, "b-signal-ready.nippy")
	burst := make([][]byte, 300)
	for i := range burst {
		burst[i] = entry
	}
	s.appendLog("t", burst...)
	srv.stop()
	f.waitFor(t, 20*time.Second, "a disconnection", func(evs []zklog.Event) bool {
		return evs[len(evs)-1].Kind == zklog.EventDisconnected
	})
	srv.start()
	s.waitAdmin()
	for range 3 {
		s.appendLog("t", entry, entry)
	}
	evs := f.waitFor(t, 30*time.Second, "312 entries", func(evs []zklog.Event) bool { return len(appended(evs)) >= 312 })
	contiguous(t, appended(evs), 0, 311)
	t.Logf("events: %s", describe(evs))
	if evs[len(evs)-1].Kind != zklog.EventAppended || !hasKind(evs, zklog.EventReconnected) {
		t.Errorf("events %s, want a reconnection then entries", describe(evs))
	}
}

func hasKind(evs []zklog.Event, k zklog.EventKind) bool {
	for _, e := range evs {
		if e.Kind == k {
			return true
		}
	}
	return false
}

func TestIntegration_FollowSurvivesSessionExpiry(t *testing.T) {
	zktest.Addr(t)
	srv := startOwnServer(t) // its short ticks allow a 1 s session
	s := newSandbox(t, srv.addr())
	s.writeEra("t", eras[3], 1) // 3 entries
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	p := startProxy(t, srv.addr())
	c := dial(t, p.addr()+s.chroot, Options{SessionTimeout: time.Second})
	session := c.zk.SessionID()
	f := startFollow(t, c, "t", 0)
	f.waitFor(t, 10*time.Second, "the first 3 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 3 })

	p.partition()
	entry := fixture(t, "d-complete-job.nippy-auto")
	s.appendLog("t", entry, entry)
	time.Sleep(2500 * time.Millisecond) // past the session timeout: the server expires it
	s.appendLog("t", entry)
	p.heal()
	evs := f.waitFor(t, 20*time.Second, "6 entries", func(evs []zklog.Event) bool { return len(appended(evs)) >= 6 })
	contiguous(t, appended(evs), 0, 5)
	if c.zk.SessionID() == session {
		t.Errorf("session %x did not change: it did not expire", session)
	}
	s.appendLog("t", entry)
	evs = f.waitFor(t, 20*time.Second, "7 entries", func(evs []zklog.Event) bool { return len(appended(evs)) >= 7 })
	contiguous(t, appended(evs), 0, 6)
}

func TestIntegration_FollowResetsWhenGCRunsAhead(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 1) // 0..2
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	c := dial(t, s.addr(), Options{})
	f := startFollow(t, c, "t", 0)
	f.waitFor(t, 10*time.Second, "3 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 3 })

	// In one transaction: entries 3..9 appear, the origin moves to 7 and
	// 0..6 are deleted, so the follower finds entry 3 gone.
	entry := fixture(t, "d-complete-job.nippy-auto")
	var ops []any
	for range 7 {
		ops = append(ops, &gozk.CreateRequest{Path: s.onyx("t/log/entry-"), Data: entry, Acl: world, Flags: gozk.FlagSequence})
	}
	// gc lists only 0..2; delete the new 3..6 in the same transaction, so
	// the follower can never see them (it would read them, rightly).
	for seq := int64(3); seq < 7; seq++ {
		ops = append(ops, &gozk.DeleteRequest{Path: s.onyx("t/log/" + zklog.EntryName(seq)), Version: -1})
	}
	s.gc("t", 7, origin(t, 7), ops...)
	evs := f.waitFor(t, 10*time.Second, "entries after the reset", func(evs []zklog.Event) bool {
		seqs := appended(evs)
		return len(seqs) > 0 && seqs[len(seqs)-1] == 9
	})
	if got := describe(evs); got != "[appended 0..2][reset 7][appended 8..9]" {
		t.Errorf("events %s, want [appended 0..2][reset 7][appended 8..9]", got)
	}
	if r := evs[1].Origin; r.MessageID != 7 || r.Raw == nil {
		t.Errorf("reset origin %+v", r)
	}
}

func TestIntegration_FollowResetsWhenGCDeletesUnderTheRead(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	const n = 3000
	entry := fixture(t, "d-complete-job.nippy-auto")
	s.writeEra("t", eras[3], 1)
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	datas := make([][]byte, n-3)
	for i := range datas {
		datas[i] = entry
	}
	s.appendLog("t", datas...)
	c := dial(t, s.addr(), Options{})
	gcDone := false
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var evs []zklog.Event
	err := c.Follow(ctx, "t", 0, func(e zklog.Event) {
		evs = append(evs, e)
		if !gcDone {
			// GC runs while the follower is still reading the log.
			gcDone = true
			s.gc("t", 2000, origin(t, 2000))
		}
		if seqs := appended(evs); len(seqs) > 0 && seqs[len(seqs)-1] == n-1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("follow: %v; events %s", err, describe(evs))
	}
	var resets int
	var before, after []int64
	for _, e := range evs {
		switch e.Kind {
		case zklog.EventReset:
			resets++
			if e.Origin.MessageID != 2000 {
				t.Errorf("reset to %d, want 2000", e.Origin.MessageID)
			}
		case zklog.EventAppended:
			for _, x := range e.Entries {
				if resets == 0 {
					before = append(before, x.Seq)
				} else {
					after = append(after, x.Seq)
				}
			}
		}
	}
	if resets != 1 {
		t.Fatalf("%d resets, want 1: %s", resets, describe(evs))
	}
	contiguous(t, before, 0, int64(len(before)-1))
	contiguous(t, after, 2001, n-1)
}

// origin is an origin znode with message-id id.
func origin(tb testing.TB, id int64) []byte {
	b := fixture(tb, "b-origin.nippy")
	m := decodeFixture(tb, b).(*value.Map).Assoc(value.Kw("message-id"), id)
	return encodeNippy(tb, m)
}

func TestIntegration_CorruptEntryIsFlagged(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[1], 1) // 0..2
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	s.appendLog("t", []byte("NPY\x00\x5a\x01garbage"), fixture(t, "b-signal-ready.nippy"))
	c := dial(t, s.addr(), Options{})
	es, err := c.Read(context.Background(), "t", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 5 {
		t.Fatalf("read %d entries, want 5", len(es))
	}
	bad := es[3]
	if bad.Err == nil || bad.Seq != 3 || !strings.Contains(bad.Err.Error(), s.onyx("t/log/entry-0000000003")) {
		t.Errorf("seq 3: err %v, want a decode error naming the znode", bad.Err)
	}
	if es[4].Err != nil || es[4].Fn != value.Kw("signal-ready") {
		t.Errorf("seq 4 after the corrupt one: %v %v", es[4].Fn, es[4].Err)
	}
	f := startFollow(t, c, "t", 2)
	evs := f.waitFor(t, 10*time.Second, "3 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 3 })
	if got := evs[0].Entries; got[1].Err == nil || got[2].Err != nil {
		t.Errorf("follow: flags %v %v %v, want only seq 3 flagged", got[0].Err, got[1].Err, got[2].Err)
	}
}

func TestIntegration_MissingTenancy(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	c := dial(t, s.addr(), Options{})
	ctx := context.Background()
	_, err := c.Open(ctx, "nope")
	if !errors.Is(err, zklog.ErrNoTenancy) || !strings.Contains(err.Error(), s.onyx("nope")) {
		t.Errorf("open: %v, want ErrNoTenancy naming %s", err, s.onyx("nope"))
	}
	if _, err := c.Read(ctx, "nope", 0, nil); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("read: %v, want ErrNoTenancy", err)
	}
	if err := c.Follow(ctx, "nope", 0, func(zklog.Event) {}); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("follow: %v, want ErrNoTenancy", err)
	}
	if _, err := c.Job(ctx, "nope", "j", nil); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("job: %v, want ErrNoTenancy", err)
	}
	if _, err := c.Open(ctx, "a/b"); !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("open a/b: %v, want ErrNoTenancy", err)
	}
}
