package sim

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zk"
	"onyx-dashboard/zklog/zktest"
)

func TestIntegration_AppendContinuesATenancy(t *testing.T) {
	addr := zktest.Addr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := zk.Dial(ctx, addr, zk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, v := range []string{"0.8.3", "0.5.3"} {
		id := fmt.Sprintf("sim-append-%s-%d", v, time.Now().UnixNano())
		cfg := Config{Version: v, Seed: 5, Entries: 300, Tenancy: id}
		z, err := DialZK(ctx, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { removeTenancy(t, z, z.root); z.Close() })
		if err := Run(ctx, cfg, z, 0, nil); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		l, err := zklog.Load(ctx, c, id, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Resume(cfg, l)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		za, err := DialZK(ctx, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		za.Append(l.Start.FromSeq)
		if err := s.Run(ctx, za, 0, nil); err != nil {
			t.Fatalf("%s: append: %v", v, err)
		}
		za.Close()

		l, err = zklog.Load(ctx, c, id, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		es := l.Log.Entries
		if len(es) == 0 || es[len(es)-1].Seq != 599 {
			t.Fatalf("%s: %d entries, the last %v; want the last seq 599", v, len(es), es)
		}
		r := l.Start.Replica
		for i, e := range es {
			if e.Seq != l.Start.FromSeq+int64(i) {
				t.Fatalf("%s: entry %d has seq %d, want %d", v, i, e.Seq, l.Start.FromSeq+int64(i))
			}
			if i > 0 && e.Created < es[i-1].Created {
				t.Errorf("%s: entry %d created %d before entry %d (%d)", v, e.Seq, e.Created, es[i-1].Seq, es[i-1].Created)
			}
			if r, err = replay.Apply(l.Start.Version, r, e); err != nil {
				t.Fatalf("%s: entry %d flagged: %v", v, e.Seq, err)
			}
		}
		if len(l.Undecodable) > 0 {
			t.Errorf("%s: %d undecodable entries", v, len(l.Undecodable))
		}
	}

	// A tenancy that does not exist cannot be continued.
	z, err := DialZK(ctx, addr, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	z.Append(0)
	s, err := New(Config{Version: "0.8.3", Entries: 5, Tenancy: fmt.Sprintf("sim-append-none-%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx, z, 0, nil); !errors.Is(err, ErrNoTenancy) {
		t.Errorf("appending to a missing tenancy: %v, want ErrNoTenancy", err)
	}
}
