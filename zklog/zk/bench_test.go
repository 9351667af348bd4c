package zk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	gozk "github.com/go-zookeeper/zk"

	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/zktest"
)

const benchEntries = 10_000

var (
	benchOnce    sync.Once
	benchAddr    string   // the sandbox holding tenancy "bench"
	benchCleanup []func() // removes it, run by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range benchCleanup {
		f()
	}
	os.Exit(code)
}

// benchLog writes a 10,000-entry tenancy once per test binary, shared by
// the benchmarks, and returns the address to read it at.
func benchLog(b *testing.B) string {
	server := zktest.Addr(b)
	benchOnce.Do(func() {
		s := newSandbox(keeper{b}, server)
		s.writeEra("bench", eras[3], 1)
		s.put(s.onyx("bench/origin/origin"), origin(b, -1))
		entry := fixture(b, "d-submit-job.nippy-auto")
		datas := make([][]byte, benchEntries-3)
		for i := range datas {
			datas[i] = entry
		}
		s.appendLog("bench", datas...)
		benchAddr = s.addr()
	})
	return benchAddr
}

// BenchmarkReadLog reads the whole log the way Conn.Read does: one
// listing, then a window of reads in flight on each of 1 or the default
// number of sessions, decoded in order.
func BenchmarkReadLog(b *testing.B) {
	for _, n := range benchNets {
		b.Run(n.name, func(b *testing.B) {
			for _, s := range []int{1, defaultReadSessions} {
				b.Run(fmt.Sprintf("sessions=%d", s), func(b *testing.B) {
					benchReadLog(b, n.addr(b), Options{ReadSessions: s})
				})
			}
		})
	}
}

func benchReadLog(b *testing.B, addr string, opts Options) {
	c := dial(b, addr, opts)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		es, err := c.Read(ctx, "bench", 0, nil)
		if err != nil || len(es) != benchEntries {
			b.Fatalf("read %d entries: %v", len(es), err)
		}
	}
	b.ReportMetric(float64(b.N*benchEntries)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkReadLogRaw reads the whole log without decoding it, as the
// archive writer does.
func BenchmarkReadLogRaw(b *testing.B) {
	c := dial(b, benchLog(b), Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		es, err := c.ReadRaw(ctx, "bench", 0, nil)
		if err != nil || len(es) != benchEntries {
			b.Fatalf("read %d entries: %v", len(es), err)
		}
	}
	b.ReportMetric(float64(b.N*benchEntries)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkReadLogOnyxStyle reads it the way Onyx's subscriber does
// (onyx-log-format.md §6.2): exists, then get, one entry at a time, until
// the first missing one.
func BenchmarkReadLogOnyxStyle(b *testing.B) {
	for _, n := range benchNets {
		b.Run(n.name, func(b *testing.B) { benchReadLogOnyxStyle(b, n.addr(b)) })
	}
}

func benchReadLogOnyxStyle(b *testing.B, addr string) {
	c := dial(b, addr, Options{})
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for seq := int64(0); ; seq++ {
			p := c.tpath("bench", "log", zklog.EntryName(seq))
			ok, _, err := c.zk.Exists(p)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			data, stat, err := c.zk.Get(p)
			if errors.Is(err, gozk.ErrNoNode) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if e := zklog.DecodeEntry(p, zklog.RawEntry{Seq: seq, Created: stat.Ctime, Data: data}); e.Err != nil {
				b.Fatal(e.Err)
			}
			n++
		}
		if n != benchEntries {
			b.Fatalf("read %d entries, want %d", n, benchEntries)
		}
	}
	b.ReportMetric(float64(b.N*benchEntries)/b.Elapsed().Seconds(), "entries/s")
}

// benchNets are the networks between reader and server: loopback, and a
// proxy adding a 0.5 ms round trip, a fast LAN.
var benchNets = []struct {
	name string
	addr func(b *testing.B) string
}{
	{"net=loopback", benchLog},
	{"net=rtt-0.5ms", func(b *testing.B) string {
		addr := benchLog(b)
		server, chroot, _ := strings.Cut(addr, "/")
		return startDelayProxy(b, server, 250*time.Microsecond).addr() + "/" + chroot
	}},
}

// keeper is a testing.TB whose cleanups run at the end of the test binary
// instead of the end of the benchmark, so that benchmarks share a log.
type keeper struct{ *testing.B }

func (k keeper) Cleanup(f func()) { benchCleanup = append(benchCleanup, f) }
