package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zk"
	"onyx-dashboard/zklog/zktest"
)

// removeTenancy deletes /onyx/<id> and everything under it.
func removeTenancy(t *testing.T, z *ZKSink, path string) {
	var rm func(p string)
	rm = func(p string) {
		kids, _, err := z.conn.Children(p)
		if err != nil {
			return
		}
		for _, k := range kids {
			rm(p + "/" + k)
		}
		if err := z.conn.Delete(p, -1); err != nil && !errors.Is(err, gozk.ErrNoNode) {
			t.Logf("cleanup %s: %v", p, err)
		}
	}
	rm(path)
}

func TestIntegration_SimulateIntoZooKeeperAndReadItBack(t *testing.T) {
	addr := zktest.Addr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, v := range []string{"0.5.3", "0.8.3", "0.14.6"} {
		id := fmt.Sprintf("sim-it-%s-%d", v, time.Now().UnixNano())
		cfg := Config{Version: v, Seed: 11, Entries: 600, Tenancy: id}
		z, err := DialZK(ctx, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { removeTenancy(t, z, z.root); z.Close() })
		if err := Run(ctx, cfg, z, 0, nil); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		// The simulator refuses to write into a tenancy that exists.
		z2, err := DialZK(ctx, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := Run(ctx, cfg, z2, 0, nil); !errors.Is(err, ErrTenancyExists) {
			t.Errorf("%s: a second run into %s: %v, want ErrTenancyExists", v, id, err)
		}
		z2.Close()

		m := zklog.NewMemory()
		if err := Run(ctx, cfg, &MemorySink{M: m}, 0, nil); err != nil {
			t.Fatal(err)
		}
		c, err := zk.Dial(ctx, addr, zk.Options{})
		if err != nil {
			t.Fatal(err)
		}
		hz, err := c.Open(ctx, id)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		hm, _ := m.Open(ctx, id)
		if hz.Origin.MessageID != hm.Origin.MessageID || !bytes.Equal(hz.Origin.Raw, mustOrigin(t, hm)) {
			t.Errorf("%s: origin %d, want %d", v, hz.Origin.MessageID, hm.Origin.MessageID)
		}
		if hz.Version.Era != hm.Version.Era {
			t.Errorf("%s: detected %+v, simulated %+v", v, hz.Version, hm.Version)
		}
		got, err := c.Read(ctx, id, hz.Origin.MessageID+1, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := m.Read(ctx, id, hm.Origin.MessageID+1, nil)
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries in ZooKeeper, want %d", v, len(got), len(want))
		}
		for i := range got {
			if got[i].Err != nil || got[i].Seq != want[i].Seq || !value.Equal(got[i].Map, want[i].Map) {
				t.Fatalf("%s: entry %d: %v %s, want %s", v, i, got[i].Err, value.PrStr(got[i].Map), value.PrStr(want[i].Map))
			}
		}
		c.Close()
	}
}

func mustOrigin(t *testing.T, h zklog.Header) []byte {
	t.Helper()
	return h.Origin.Raw
}
