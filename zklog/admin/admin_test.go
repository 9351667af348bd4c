package admin

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/timeline"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/sim"
	"onyx-dashboard/zklog/zk"
	"onyx-dashboard/zklog/zktest"
)

func TestKillEntryIsWhatTheClientWritesInEachCodec(t *testing.T) {
	job := value.MustUUID("3f6e2c1a-0000-4000-8000-000000000001")
	cases := []struct {
		version string
		format  codec.Format
	}{
		{"0.5.3", codec.Fressian},
		{"0.6.0", codec.Nippy},
		{"0.8.3", codec.Nippy},
		{"0.14.6", codec.Nippy},
	}
	want := value.NewMap(value.KeyFn, value.Kw("kill-job"), value.KeyArgs, value.NewMap(value.Kw("job"), job))
	for _, c := range cases {
		t.Run("onyx "+c.version, func(t *testing.T) {
			b, err := KillEntry(replay.MustVersion(c.version), job)
			if err != nil {
				t.Fatal(err)
			}
			got, f, err := codec.Decode(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if f != c.format {
				t.Errorf("format %v, want %v", f, c.format)
			}
			if !value.Equal(got, want) {
				t.Errorf("entry %s, want %s", value.PrStr(got), value.PrStr(want))
			}
		})
	}
}

func TestKillJobRefusesBadInputBeforeConnecting(t *testing.T) {
	ctx := context.Background()
	v := replay.MustVersion("0.8.3")
	if _, err := KillJob(ctx, Options{Addr: "127.0.0.1:1"}, "a/b", value.Kw("j"), v); err == nil {
		t.Error("a tenancy id with a slash: no error")
	}
	if _, err := KillJob(ctx, Options{Addr: "127.0.0.1:1"}, "t", nil, v); !errors.Is(err, ErrNoJob) {
		t.Errorf("no job: %v, want ErrNoJob", err)
	}
}

func TestSeqOfReadsTheZnodeCounter(t *testing.T) {
	cases := map[string]int64{
		"/onyx/t/log/entry-0000000042":   42,
		"/x/onyx/t/log/entry-0000000000": 0,
		"/onyx/t/log/other":              -1,
	}
	for path, want := range cases {
		if got := seqOf(path); got != want {
			t.Errorf("seqOf(%q) = %d, want %d", path, got, want)
		}
	}
}

// replayed reads tenancy id back from ZooKeeper and replays it.
func replayed(t *testing.T, ctx context.Context, c *zk.Conn, id string) *timeline.Timeline {
	t.Helper()
	h, err := c.Open(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st, err := zklog.StartOf(h, "")
	if err != nil {
		t.Fatal(err)
	}
	es, err := c.Read(ctx, id, st.FromSeq, nil)
	if err != nil {
		t.Fatal(err)
	}
	tl := timeline.New(st.Version, st.FromSeq-1, st.Replica, timeline.Options{})
	tl.Append(zklog.Entries(es)...)
	return tl
}

func TestIntegration_KillJobWritesWhatReplayKills(t *testing.T) {
	addr := zktest.Addr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, v := range []string{"0.5.3", "0.8.3"} {
		t.Run("onyx "+v, func(t *testing.T) {
			id := fmt.Sprintf("admin-it-%s-%d", v, time.Now().UnixNano())
			z, err := sim.DialZK(ctx, addr, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer z.Close()
			if err := sim.Run(ctx, sim.Config{Version: v, Seed: 7, Entries: 300, Peers: 6, Jobs: 2, Tenancy: id}, z, 0, nil); err != nil {
				t.Fatal(err)
			}
			c, err := zk.Dial(ctx, addr, zk.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tl := replayed(t, ctx, c, id)
			live := liveJobs(tl.Replica(tl.Len() - 1))
			if len(live) == 0 {
				t.Fatalf("the simulated log of %d entries ends with no live job", tl.Len())
			}
			job := live[0]

			seq, err := KillJob(ctx, Options{Addr: addr}, id, job, replay.MustVersion(v))
			if err != nil {
				t.Fatal(err)
			}
			if want := tl.Seq(tl.Len()-1) + 1; seq != want {
				t.Errorf("kill-job written as entry %d, want %d (the next one)", seq, want)
			}
			tl = replayed(t, ctx, c, id)
			last := tl.Entry(tl.Len() - 1)
			if last.Seq != seq || last.Fn != value.Kw("kill-job") || !value.Equal(last.Arg("job"), job) {
				t.Fatalf("last entry %d %s %s, want the kill-job of %s at %d", last.Seq, last.Fn, value.PrStr(last.Args), value.PrStr(job), seq)
			}
			after := tl.Replica(tl.Len() - 1)
			if !contains(after.KilledJobs(), job) || contains(liveJobs(after), job) {
				t.Errorf("after the kill: jobs %s, killed %s; want %s killed",
					value.PrStr(value.Vector(after.Jobs())), value.PrStr(value.Vector(after.KilledJobs())), value.PrStr(job))
			}
			if f := tl.Flag(tl.Len() - 1); f != nil {
				t.Errorf("replay flagged the kill-job: %v", f)
			}
		})
	}
}

func TestIntegration_KillJobOfAnUnknownTenancyFails(t *testing.T) {
	addr := zktest.Addr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := KillJob(ctx, Options{Addr: addr}, fmt.Sprintf("absent-%d", time.Now().UnixNano()), value.Kw("j"), replay.MustVersion("0.8.3"))
	if !errors.Is(err, zklog.ErrNoTenancy) {
		t.Errorf("kill in an absent tenancy: %v, want ErrNoTenancy", err)
	}
}

// liveJobs are the jobs neither killed nor completed (era A keeps those in
// :jobs until GC, a completed one with every task in :completions).
func liveJobs(r replay.Replica) []value.Value {
	var out []value.Value
	for _, j := range r.Jobs() {
		done := len(r.Completions(j)) > 0 && len(r.Completions(j)) >= len(r.Tasks(j))
		if !done && !contains(r.KilledJobs(), j) && !contains(r.CompletedJobs(), j) {
			out = append(out, j)
		}
	}
	return out
}

func contains(xs []value.Value, x value.Value) bool {
	for _, y := range xs {
		if value.Equal(x, y) {
			return true
		}
	}
	return false
}
