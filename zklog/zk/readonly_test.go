package zk

import (
	"context"
	"errors"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

// writeJob writes a 0.14-style job: its parts, and two tasks nested under it.
func (s *sandbox) writeJob(id, job string) {
	s.tb.Helper()
	parts := map[string]value.Value{
		"catalog":      value.Vector{value.NewMap(value.Kw("onyx/name"), value.Kw("in"), value.Kw("onyx/type"), value.Kw("input"))},
		"workflow":     value.Vector{value.Vector{value.Kw("in"), value.Kw("out")}},
		"flow":         nil,
		"lifecycles":   value.Vector{},
		"windows":      value.Vector{},
		"triggers":     value.Vector{},
		"job-metadata": value.NewMap(value.Kw("job-id"), value.UUID{Hi: 1, Lo: 2}),
		"job-name":     "wordcount",
	}
	for part, v := range parts {
		s.put(s.onyx(id+"/"+part+"/"+job), encodeNippy(s.tb, v))
	}
	s.put(s.onyx(id+"/exception/"+job), []byte("NPY\x00\x5a\x00")) // corrupt
	for _, task := range []string{":in", ":out"} {
		s.put(s.onyx(id+"/task/"+job+"/"+task), encodeNippy(s.tb, value.NewMap(value.Kw("id"), value.Kw(task[1:]))))
	}
}

func checkJob(t *testing.T, j zklog.Job, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if j.Name != "wordcount" || len(j.Catalog.(value.Vector)) != 1 || len(j.Workflow.(value.Vector)) != 1 {
		t.Errorf("job: name %v catalog %v workflow %v", j.Name, j.Catalog, j.Workflow)
	}
	if len(j.Tasks) != 2 || j.Tasks[":in"] == nil {
		t.Errorf("tasks %v, want :in and :out", j.Tasks)
	}
	if len(j.Errs) != 1 || j.Exception != nil {
		t.Errorf("errs %v, want the corrupt exception only", j.Errs)
	}
}

func TestIntegration_ReadsAJob(t *testing.T) {
	s := newSandbox(t, zktest.Addr(t))
	s.writeEra("t", eras[3], 1)
	s.writeJob("t", "j1")
	// 0.5–0.9.6 layout: tasks by id, found through the ids the caller knows.
	s.put(s.onyx("t/task/tid-1"), encodeNippy(t, value.NewMap(value.Kw("id"), "tid-1")))
	s.put(s.onyx("t/catalog/j0"), encodeNippy(t, value.Vector{}))
	c := dial(t, s.addr(), Options{})
	j, err := c.Job(context.Background(), "t", "j1", nil)
	checkJob(t, j, err)
	old, err := c.Job(context.Background(), "t", "j0", []string{"tid-1", "tid-absent"})
	if err != nil || old.Catalog == nil || len(old.Tasks) != 1 || old.Tasks["tid-1"] == nil || old.Workflow != nil {
		t.Errorf("old-layout job: %+v %v", old, err)
	}
}

// TestIntegration_ReadOnlyUserReadsEverything proves that the package
// never writes: every znode under /onyx is readable, and nothing else, by a
// digest user, and every read feature works with that user.
func TestIntegration_ReadOnlyUserReadsEverything(t *testing.T) {
	server := zktest.Addr(t)
	s := newSandbox(t, server)
	if err := s.admin.AddAuth("digest", []byte("admin:adminpw")); err != nil {
		t.Fatal(err)
	}
	s.acl = append(gozk.DigestACL(gozk.PermRead, "reader", "readerpw"), gozk.DigestACL(gozk.PermAll, "admin", "adminpw")...)
	if _, err := s.admin.SetACL(s.chroot+"/onyx", s.acl, -1); err != nil {
		t.Fatal(err)
	}
	s.writeEra("t", eras[3], 2)
	s.put(s.onyx("t/origin/origin"), origin(t, -1))
	s.writeJob("t", "j1")
	if _, err := s.admin.Create(s.onyx("t/pulse/p1"), nil, gozk.FlagEphemeral, s.acl); err != nil {
		t.Fatal(err)
	}

	// Without credentials nothing under /onyx is readable: the ACL holds.
	anon := dial(t, s.addr(), Options{})
	if _, err := anon.Open(context.Background(), "t"); !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("open without credentials: %v, want ErrNoAuth", err)
	}

	c := dial(t, s.addr(), Options{Auth: []string{"reader:readerpw"}, ReadSessions: 3})
	c.minMulti = 1 // every read uses the extra sessions, which need the same credentials
	ctx := context.Background()
	if _, err := c.zk.Create(s.onyx("t/log/entry-"), nil, gozk.FlagSequence, world); !errors.Is(err, gozk.ErrNoAuth) {
		t.Fatalf("the reader could write: %v", err)
	}
	ts, err := c.Tenancies(ctx)
	if err != nil || len(ts) != 1 || ts[0].Count != 6 || ts[0].Pulses != 1 {
		t.Fatalf("tenancies: %+v %v", ts, err)
	}
	h, err := c.Open(ctx, "t")
	if err != nil || h.Origin.MessageID != -1 || h.Params.LogVersion() == "" {
		t.Fatalf("open: %+v %v", h, err)
	}
	if es, err := c.Read(ctx, "t", 0, nil); err != nil || len(es) != 6 {
		t.Fatalf("read: %d entries, %v", len(es), err)
	}
	if raw, err := c.ReadRaw(ctx, "t", 0, nil); err != nil || len(raw) != 6 {
		t.Fatalf("read raw: %d entries, %v", len(raw), err)
	}
	if n := extraCount(c); n != 2 {
		t.Fatalf("%d extra read sessions, want 2", n)
	}
	j, err := c.Job(ctx, "t", "j1", nil)
	checkJob(t, j, err)
	if raw, err := c.RawJob(ctx, "t", "j1", nil); err != nil || len(raw) != 11 {
		t.Fatalf("raw job: %d znodes, %v", len(raw), err)
	}
	f := startFollow(t, c, "t", 0)
	f.waitFor(t, 10*time.Second, "6 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 6 })
	s.appendLog("t", fixture(t, "d-complete-job.nippy-auto"))
	evs := f.waitFor(t, 10*time.Second, "7 entries", func(evs []zklog.Event) bool { return len(appended(evs)) == 7 })
	contiguous(t, appended(evs), 0, 6)
}
