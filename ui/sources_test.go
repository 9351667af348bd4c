package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/zklog"
)

// threeTenancies is a Memory with tenancies active at different times.
func threeTenancies(t *testing.T) *zklog.Memory {
	t.Helper()
	l := readFixture(t, "port-one-job-test.edn.gz")
	m := zklog.NewMemory()
	day := func(d int) time.Time { return time.Date(2016, 1, d, 9, 0, 0, 0, time.UTC) }
	for _, x := range []struct {
		id        string
		modified  time.Time
		pulses, n int
	}{
		{"old-staging", day(1), 0, 3},
		{"prod-eu", day(20), 4, 10},
		{"prod-us", day(10), 0, 5},
	} {
		det := zklog.Detection{Version: "0.6.0", Era: "B", Exact: true}
		m.Put(zklog.Header{Tenancy: zklog.Tenancy{ID: x.id, Modified: x.modified, Created: day(1), Pulses: x.pulses, Version: det},
			Origin: zklog.Origin{MessageID: -1, Replica: l.Origin.Map(), Raw: []byte{0}}},
			sourceEntries(timed(l.Entries[:x.n], x.modified))...)
	}
	return m
}

func addMemorySource(ts *testShell, key string, m zklog.Source, autoOpen bool) *sourceItem {
	it := &sourceItem{key: key, title: key, kind: kindFile, autoOpen: autoOpen}
	ts.side.add(it, func(context.Context) (zklog.Source, error) { return m, nil }, false, nil, nil)
	return it
}

func TestSidebarListsDeploymentsNewestFirstAndFilters(t *testing.T) {
	ts := newTestShell(t, Options{})
	it := addMemorySource(ts, "mem", threeTenancies(t), false)
	ts.q.until(t, "the listing", func() bool { return len(it.ts) == 3 })

	ids := func() []string {
		var out []string
		for _, n := range ts.side.children("mem") {
			_, id, _ := strings.Cut(n, sep)
			out = append(out, id)
		}
		return out
	}
	if got := strings.Join(ids(), " "); got != "prod-eu prod-us old-staging" {
		t.Errorf("deployments listed %q, want newest first: prod-eu prod-us old-staging", got)
	}
	if got := ts.side.children(""); len(got) != 1 || got[0] != "mem" {
		t.Errorf("sources %q, want [mem]", got)
	}
	if it.state() != "3 deployments" {
		t.Errorf("source state %q", it.state())
	}

	test.Type(ts.side.filter, "prod")
	if got := strings.Join(ids(), " "); got != "prod-eu prod-us" {
		t.Errorf("filtered by prod: %q", got)
	}
	ts.side.filter.SetText("US")
	if got := strings.Join(ids(), " "); got != "prod-us" {
		t.Errorf("filtered by US: %q", got)
	}
	ts.side.filter.SetText("")

	// The row of a deployment: its id, version, entries, activity and a
	// green dot when peers pulse.
	row := ts.side.create(false)
	ts.side.update("mem"+sep+"prod-eu", false, row)
	texts := row.(*fyne.Container).Objects[0].(*fyne.Container)
	lines := texts.Objects[1].(*fyne.Container).Objects
	what, when := lines[0].(*widget.Label).Text, lines[1].(*widget.Label).Text
	if what != "Onyx 0.6.0 · 10 entries" || when != "active 2016-01-20 09:00 · 4 pulses" {
		t.Errorf("detail lines %q and %q", what, when)
	}

	// Selecting a deployment opens it.
	ts.side.tree.Select("mem" + sep + "prod-us")
	ts.q.until(t, "prod-us loads", func() bool { return ts.pos.Reader != nil && ts.pos.Reader.Len() == 5 && !ts.prog.visible() })
	if ts.pos.Tenancy != "prod-us" || ts.head.tenancy.Text != "prod-us" {
		t.Errorf("opened %q, header %q; want prod-us", ts.pos.Tenancy, ts.head.tenancy.Text)
	}
}

func TestSidebarOpensTheNewestOrTheNamedDeploymentAtStart(t *testing.T) {
	t.Run("the newest without --tenancy", func(t *testing.T) {
		ts := newTestShell(t, Options{})
		addMemorySource(ts, "mem", threeTenancies(t), true)
		ts.q.until(t, "a deployment opens", func() bool { return ts.pos.Reader != nil && !ts.prog.visible() })
		if ts.pos.Tenancy != "prod-eu" {
			t.Errorf("opened %q, want the newest, prod-eu", ts.pos.Tenancy)
		}
	})
	t.Run("the one --tenancy names", func(t *testing.T) {
		ts := newTestShell(t, Options{Tenancy: "old-staging"})
		addMemorySource(ts, "mem", threeTenancies(t), true)
		ts.q.until(t, "a deployment opens", func() bool { return ts.pos.Reader != nil && !ts.prog.visible() })
		if ts.pos.Tenancy != "old-staging" {
			t.Errorf("opened %q, want old-staging", ts.pos.Tenancy)
		}
	})
	t.Run("an unknown --tenancy is reported", func(t *testing.T) {
		ts := newTestShell(t, Options{Tenancy: "nope"})
		it := addMemorySource(ts, "mem", threeTenancies(t), true)
		ts.q.until(t, "the listing", func() bool { return it.err != nil })
		if !strings.Contains(it.state(), `no deployment "nope"`) || ts.feed != nil {
			t.Errorf("state %q, feed %v", it.state(), ts.feed)
		}
	})
}

func TestRemovingASourceClosesItsOpenDeployment(t *testing.T) {
	ts := newTestShell(t, Options{})
	it := addMemorySource(ts, "mem", threeTenancies(t), true)
	ts.q.until(t, "a deployment opens", func() bool { return ts.pos.Reader != nil && !ts.prog.visible() })
	ts.side.sel = "mem" + sep + "prod-eu"
	ts.side.removeSelected()
	if ts.feed != nil || ts.pos.Reader != nil || len(ts.side.items) != 0 {
		t.Errorf("after removing: feed %v reader %v sources %d", ts.feed, ts.pos.Reader, len(ts.side.items))
	}
	if ts.head.tenancy.Text != "No deployment open" {
		t.Errorf("header %q", ts.head.tenancy.Text)
	}
	_ = it
}

func TestZooKeeperSourcesDialThroughOptionsAndAreRemembered(t *testing.T) {
	var dialled []string
	m := threeTenancies(t)
	o := Options{Dial: func(ctx context.Context, addr string, timeout time.Duration, auth []string) (zklog.Source, error) {
		dialled = append(dialled, addr+" "+timeout.String()+" "+strings.Join(auth, ","))
		return m, nil
	}}
	ts := newTestShell(t, o)
	ts.side.addZK(zkConn{Addr: "zk1:2181", Timeout: 3 * time.Second, User: "ops", Pass: "secret"}, false)
	it := ts.side.byKey["zk:zk1:2181"]
	ts.q.until(t, "the listing", func() bool { return len(it.ts) == 3 })
	if len(dialled) != 1 || dialled[0] != "zk1:2181 3s ops:secret" {
		t.Errorf("dialled %q", dialled)
	}
	conns := ts.prefs.zkConns()
	if len(conns) != 1 || conns[0].Addr != "zk1:2181" || conns[0].Timeout != 3*time.Second || conns[0].User != "ops" || conns[0].Pass != "" {
		t.Errorf("remembered %+v; want zk1:2181, 3s, user ops and no password", conns)
	}
	for _, s := range ts.app.Preferences().StringList(prefZKConns) {
		if strings.Contains(s, "secret") {
			t.Errorf("the password was written to the preferences: %q", s)
		}
	}
	// ZooKeeper sources list again on the clock.
	ts.q.until(t, "the relister waits", func() bool { return ts.clock.pending() > 0 })

	// Without Dial, a ZooKeeper source says it cannot connect.
	ts2 := newTestShell(t, Options{})
	ts2.side.addZK(zkConn{Addr: "zk2:2181", Timeout: time.Second}, false)
	it2 := ts2.side.byKey["zk:zk2:2181"]
	ts2.q.until(t, "the error", func() bool { return it2.err != nil })
	if !strings.Contains(it2.state(), "cannot connect") {
		t.Errorf("state %q", it2.state())
	}
}

func TestZooKeeperDialogInputIsChecked(t *testing.T) {
	cases := []struct {
		addr, timeout, user, pass string
		wantErr                   string
	}{
		{"zk:2181", "10s", "", "", ""},
		{"a:1,b:2/onyx", "", "u", "p", ""},
		{"", "10s", "", "", "address: empty"},
		{"zk 2181", "10s", "", "", "blanks"},
		{"zk:2181", "ten", "", "", "want a duration"},
		{"zk:2181", "5s", "u", "", "both user and password"},
	}
	for _, c := range cases {
		_, err := zkConnOf(c.addr, c.timeout, c.user, c.pass)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q %q: %v", c.addr, c.timeout, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q %q: error %v, want %q", c.addr, c.timeout, err, c.wantErr)
		}
	}
}

func TestHeaderShowsVersionEvidenceAndNotes(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("h")
	h := newHeader(w)
	w.SetContent(h.object())

	h.show(Position{})
	if h.tenancy.Text != "No deployment open" || h.info.Visible() || h.note.Visible() {
		t.Errorf("no tenancy: %q info %v note %v", h.tenancy.Text, h.info.Visible(), h.note.Visible())
	}
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, _ := memoryOf(t, l, "one-job", 3)
	hd, err := m.Open(context.Background(), "one-job")
	if err != nil {
		t.Fatal(err)
	}
	st, err := zklog.StartOf(hd, "")
	if err != nil {
		t.Fatal(err)
	}
	p := Position{Tenancy: "one-job", Header: hd, Start: st, Reader: nil}
	h.show(p)
	if h.version.Text != "opening…" {
		t.Errorf("before the timeline: %q", h.version.Text)
	}
	tl := timeline.New(l.Version, l.OriginSeq, l.Origin, timeline.Options{})
	p.Reader = tl
	h.show(p)
	if h.version.Text != "Onyx 0.6.0 (detected)" {
		t.Errorf("version %q", h.version.Text)
	}
	if !h.info.Visible() || h.note.Visible() {
		t.Errorf("0.6.0: info %v note %v; want info, no note", h.info.Visible(), h.note.Visible())
	}
	if got := strings.Join(h.evidence, "\n"); !strings.Contains(got, "the log file says onyx 0.6.0") || !strings.Contains(got, "era B") {
		t.Errorf("evidence %q", got)
	}
	test.Tap(h.info)
	if over := w.Canvas().Overlays().Top(); over == nil {
		t.Error("the info button shows no pop-up")
	}

	p.Start.Version = replay.MustVersion("0.9.10")
	h.show(p)
	if !h.note.Visible() || h.note.Text != placementNote {
		t.Errorf("0.9.10: note %q shown %v", h.note.Text, h.note.Visible())
	}

	h.setConnection(errors.New("zookeeper session expired"))
	if !h.banner.Visible() || h.bannerTx.Text != "Not connected: zookeeper session expired" {
		t.Errorf("banner %q shown %v", h.bannerTx.Text, h.banner.Visible())
	}
	h.setConnection(nil)
	if h.banner.Visible() {
		t.Error("the banner stays after reconnecting")
	}
}

func TestPositionIsRememberedPerDeploymentAndAtOverridesIt(t *testing.T) {
	l := readFixture(t, "port-one-job-test.edn.gz")
	m, es := memoryOf(t, l, "one-job", len(l.Entries))
	ts := newTestShell(t, Options{})
	ts.openMemory(t, m, "one-job")
	ts.Seek(7)
	ts.close()
	if got := ts.prefs.lastSeq("mem", "one-job"); got != es[7].Seq {
		t.Fatalf("remembered seq %d, want %d", got, es[7].Seq)
	}

	// A new window on the same preferences opens where the user left off.
	ts2 := &testShell{shell: newShell(ts.app, ts.app.NewWindow("2"), Options{At: -1, Do: ts.q.do}), q: ts.q, clock: ts.clock}
	ts2.br.after = ts.clock.after
	t.Cleanup(ts2.br.close)
	ts2.openMemory(t, m, "one-job")
	ts2.q.until(t, "the remembered position", func() bool { return ts2.pos.Pos == 7 })
	if ts2.pos.Live {
		t.Error("a remembered position reopened in Live mode")
	}

	// --at wins over the remembered position.
	ts3 := &testShell{shell: newShell(ts.app, ts.app.NewWindow("3"), Options{At: int(es[12].Seq), Do: ts.q.do}), q: ts.q, clock: ts.clock}
	t.Cleanup(ts3.br.close)
	ts3.openMemory(t, m, "one-job")
	ts3.q.until(t, "the --at position", func() bool { return ts3.pos.Pos == 12 })

	// --at is for the first deployment only: another one opens where it was left.
	m2, _ := memoryOf(t, l, "other", len(l.Entries))
	ts3.prefs.setLastSeq("mem2", "other", es[3].Seq)
	ts3.openTenancy("mem2", m2, "other")
	ts3.q.until(t, "the other deployment's remembered position", func() bool { return ts3.pos.Reader != nil && !ts3.prog.visible() && ts3.pos.Pos == 3 })
}

func TestMenuOffersRecentFilesAndTheFileActions(t *testing.T) {
	ts := newTestShell(t, Options{})
	ts.prefs.addFile("/data/a.edn")
	ts.prefs.addFile("/data/b.onyx")
	ts.prefs.addFile("/data/a.edn")
	if got := strings.Join(ts.prefs.files(), " "); got != "/data/a.edn /data/b.onyx" {
		t.Errorf("recent files %q, want the newest first without repeats", got)
	}
	var labels []string
	var recent *fyne.MenuItem
	for _, it := range ts.menu().Items[0].Items {
		labels = append(labels, it.Label)
		if it.Label == "Open recent" {
			recent = it
		}
	}
	got := strings.Join(labels, "|")
	for _, want := range []string{"Open…", "Open recent", "Add ZooKeeper connection…", "Save as archive…",
		"Export EDN…", "Export EDN, redacted…", "Copy current entry", "Copy replica", "Quit"} {
		if !strings.Contains(got, want) {
			t.Errorf("File menu %q lacks %q", got, want)
		}
	}
	if recent == nil || recent.ChildMenu == nil || len(recent.ChildMenu.Items) != 2 || recent.ChildMenu.Items[0].Label != "/data/a.edn" {
		t.Errorf("Open recent: %+v", recent)
	}

	// Opening a file puts it first in the window's menu at once.
	ts.win.SetMainMenu(ts.menu())
	path := filepath.Join(t.TempDir(), "c.edn")
	ts.side.addFile(path, false)
	recent = nil
	for _, it := range ts.win.MainMenu().Items[0].Items {
		if it.Label == "Open recent" {
			recent = it
		}
	}
	if recent == nil || recent.ChildMenu == nil || recent.ChildMenu.Items[0].Label != path {
		t.Errorf("after opening %s, Open recent is %+v", path, recent)
	}
}

func TestTheDemoListsItsTenanciesAndOpensOne(t *testing.T) {
	ts := newTestShell(t, Options{})
	ts.side.addDemo(true)
	it := ts.side.byKey["demo"]
	ts.q.until(t, "a demo deployment opens", func() bool { return ts.pos.Reader != nil && !ts.prog.visible() })
	if len(it.ts) < 2 || !strings.HasPrefix(ts.pos.Tenancy, "demo-") {
		t.Errorf("demo: %d deployments, opened %q", len(it.ts), ts.pos.Tenancy)
	}
	if ts.pos.Reader.Len() == 0 || ts.pos.Pos != ts.pos.Reader.Len()-1 {
		t.Errorf("demo %s: %d entries, position %d; want Live at the newest", ts.pos.Tenancy, ts.pos.Reader.Len(), ts.pos.Pos)
	}
}
