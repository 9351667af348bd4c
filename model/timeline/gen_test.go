package timeline

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"onyx-dashboard/model/codec"
	"onyx-dashboard/model/codec/nippy"
	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// gen writes a deterministic, protocol-valid 0.8.3-like log: peers join
// through prepare/notify/accept (the watcher as the replica chose it), jobs
// are submitted, run, complete through exhaust-input/seal-output or get
// killed, peers signal ready, go in and out of backpressure, leave and are
// replaced, and a gc runs now and then. It keeps its own replica with
// simApply to know what is valid next.
type gen struct {
	apply   ApplyFunc
	version replay.Version
	rng     *rand.Rand
	r       replay.Replica
	entries []value.Entry
	peers   int // target cluster size
	jobs    int // target live jobs
}

func newGen(seed uint64, peers, jobs int) *gen {
	return &gen{apply: simApply, version: simVersion, rng: rand.New(rand.NewPCG(seed, 7)), r: replay.FromMap(value.NewMap()), peers: peers, jobs: jobs}
}

// realOrigin is the origin of a 0.8.3 tenancy as the real replay starts it:
// the base replica, the balanced job scheduler and core.async messaging.
func realOrigin() replay.Replica {
	m := replay.BaseReplica(simVersion).Map()
	m = m.Assoc(value.Kw("job-scheduler"), value.Kw("onyx.job-scheduler/balanced"))
	m = m.Assoc(value.Kw("messaging"), value.NewMap(value.Kw("onyx.messaging/impl"), value.Kw("core.async")))
	return replay.FromMap(m)
}

// newRealGen is newGen driving the real 0.8.3 commands (replay.Apply).
func newRealGen(seed uint64, peers, jobs int) *gen {
	g := newGen(seed, peers, jobs)
	g.apply, g.r = replay.Apply, realOrigin()
	return g
}

func (g *gen) uuid() value.UUID { return value.UUID{Hi: g.rng.Uint64(), Lo: g.rng.Uint64()} }

func (g *gen) write(fn string, kvs ...value.Value) {
	e := mkEntry(int64(len(g.entries)), fn, kvs...)
	g.entries = append(g.entries, e)
	g.r, _ = g.apply(g.version, g.r, e)
}

func mkEntry(seq int64, fn string, kvs ...value.Value) value.Entry {
	args := value.NewMap(kvs...)
	f := value.Kw(fn)
	return value.Entry{Seq: seq, Created: 1_700_000_000_000 + seq*37, Fn: f, Args: args,
		Map: value.NewMap(value.KeyFn, f, value.KeyArgs, args)}
}

// join runs the join protocol for a new peer; abort makes it give up after
// being prepared.
func (g *gen) join(abort bool) {
	p := g.uuid()
	g.write("prepare-join-cluster", kw("joiner"), p, kw("peer-site"), value.NewMap(kw("address"), "10.0.0.1"))
	m := g.r.Map()
	if len(value.Items(m.Val(kPeers))) == 1 && value.Equal(value.Items(m.Val(kPeers))[0], p) {
		return // instant join
	}
	w := invert(asMap(m.Val(kPrepared)), p)
	if w == nil || abort {
		g.write("abort-join-cluster", kw("id"), p)
		return
	}
	subject := asMap(m.Val(kPairs)).Val(w)
	if subject == nil {
		subject = w
	}
	g.write("notify-join-cluster", kw("observer"), p, kw("subject"), subject)
	g.write("accept-join-cluster", kw("observer"), p, kw("subject"), subject, kw("accepted-observer"), w, kw("accepted-joiner"), p)
}

func (g *gen) pick(xs []value.Value) value.Value { return xs[g.rng.IntN(len(xs))] }

// step writes one action's entries.
func (g *gen) step() {
	m := g.r.Map()
	peers := value.Items(m.Val(kPeers))
	jobs := value.Items(m.Val(kJobs))
	ps := asMap(m.Val(kPeerState))
	x := g.rng.IntN(1000)
	switch {
	case len(peers) < g.peers && (x < 20 || len(peers) < g.peers/2):
		g.join(x < 2)
	case len(jobs) < g.jobs && x < 40:
		n := 2 + g.rng.IntN(4)
		tasks := make(value.Vector, n)
		for i := range tasks {
			tasks[i] = g.uuid()
		}
		sat, minPeers := value.NewMap(), value.NewMap()
		for _, t := range tasks {
			sat = sat.Assoc(t, math.Inf(1))
			minPeers = minPeers.Assoc(t, int64(1))
		}
		g.write("submit-job", kw("id"), g.uuid(), kw("tasks"), value.List(tasks),
			kw("task-scheduler"), kw("onyx.task-scheduler/balanced"), kw("saturation"), math.Inf(1),
			kw("task-saturation"), sat, kw("min-required-peers"), minPeers, kw("flux-policies"), value.NewMap(),
			kw("inputs"), value.List{tasks[0]}, kw("outputs"), value.List{tasks[n-1]}, kw("exempt-tasks"), value.List{},
			kw("acker-percentage"), int64(1), kw("acker-exclude-inputs"), false, kw("acker-exclude-outputs"), false)
	case x < 45 && len(jobs) > 0:
		j := g.pick(jobs)
		ts := value.Items(asMap(m.Val(kTasks)).Val(j))
		g.write("exhaust-input", kw("job"), j, kw("task"), ts[0])
		g.write("seal-output", kw("job"), j, kw("task"), ts[len(ts)-1])
	case x < 47 && len(jobs) > 0:
		g.write("kill-job", kw("job"), g.pick(jobs))
	case x < 52 && len(peers) > g.peers/2:
		g.write("leave-cluster", kw("id"), g.pick(peers))
	case x < 54 && len(value.Items(m.Val(kKilledJobs)))+len(value.Items(m.Val(kCompletedJobs))) > 0:
		g.write("gc", kw("id"), g.uuid())
	case len(peers) > 0:
		p := g.pick(peers)
		switch ps.Val(p) {
		case value.Value(kIdle):
			g.write("signal-ready", kw("id"), p)
		case value.Value(kActive):
			g.write("backpressure-on", kw("peer"), p)
		default:
			g.write("backpressure-off", kw("peer"), p)
		}
	default:
		g.join(false)
	}
}

// genLog returns n entries of a log with about peers peers and jobs jobs,
// valid for simApply.
func genLog(seed uint64, n, peers, jobs int) []value.Entry {
	return newGen(seed, peers, jobs).run(n)
}

// genRealLog is genLog for the real 0.8.3 replay, from realOrigin.
func genRealLog(seed uint64, n, peers, jobs int) []value.Entry {
	return newRealGen(seed, peers, jobs).run(n)
}

func (g *gen) run(n int) []value.Entry {
	for len(g.entries) < n {
		g.step()
	}
	return g.entries[:n]
}

var (
	bigLogOnce  sync.Once
	bigLog      []value.Entry
	realLogOnce sync.Once
	realLog     *storedLog
)

// millionEntries is the benchmark log for simApply: 1,000,000 entries, ~100
// peers, ~10 jobs.
func millionEntries() []value.Entry {
	bigLogOnce.Do(func() { bigLog = genLog(1, 1_000_000, 100, 10) })
	return bigLog
}

// millionRealEntries is the same for the real 0.8.3 replay (from realOrigin),
// as a file of the bytes Onyx stores. A child process generates it, and the
// benchmarks read it a chunk at a time, as the app reads an archive (which it
// does not hold in memory): generating it in this process would leave what
// replay retains of the generator's replicas scattered over the heap, and
// the memory figures would be the generator's, not the app's.
func millionRealEntries() *storedLog {
	realLogOnce.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("onyx-timeline-bench-%d.log", os.Getpid()))
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), writeBenchLogEnv+"="+path)
		if out, err := cmd.CombinedOutput(); err != nil {
			panic(fmt.Sprintf("generate the benchmark log: %v\n%s", err, out))
		}
		realLog = &storedLog{path: path}
	})
	return realLog
}

// writeBenchLogEnv names the file a child test process writes the benchmark
// log to, instead of running tests (TestMain).
const writeBenchLogEnv = "ONYX_TIMELINE_WRITE_BENCH_LOG"

func TestMain(m *testing.M) {
	if path := os.Getenv(writeBenchLogEnv); path != "" {
		if err := writeStoredLog(path, genRealLog(1, 1_000_000, 100, 10)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if realLog != nil {
		os.Remove(realLog.path)
	}
	os.Exit(code)
}

// storedLog is a file of a log as Onyx stores it (Nippy, as 0.8.3 writes
// znodes): per entry its seq, ctime, length and bytes (varints).
type storedLog struct{ path string }

func writeStoredLog(path string, es []value.Entry) error {
	var b []byte
	for _, e := range es {
		data, err := nippy.Encode(value.NewMap(value.KeyFn, e.Fn, value.KeyArgs, e.Args), nippy.EncodeOptions{})
		if err != nil {
			return fmt.Errorf("encode entry %d: %w", e.Seq, err)
		}
		b = binary.AppendVarint(binary.AppendVarint(b, e.Seq), e.Created)
		b = append(binary.AppendUvarint(b, uint64(len(data))), data...)
	}
	return os.WriteFile(path, b, 0o600)
}

// size is the file's size in MB.
func (s *storedLog) size() float64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		panic(err)
	}
	return float64(fi.Size()) / (1 << 20)
}

// loadChunk is how many entries the app decodes and appends at a time (the
// ui bridge's chunk): more than one Append chunk, so the replay of one
// runs ahead of the recording of the one before, as in the app.
const loadChunk = 4096

// appendTo reads and decodes the log loadChunk entries at a time into tl,
// as the app loads one.
func (s *storedLog) appendTo(tl *Timeline) {
	f, err := os.Open(s.path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	batch := make([]value.Entry, 0, loadChunk)
	var data []byte
	for {
		seq, err := binary.ReadVarint(r)
		if err == io.EOF {
			break
		}
		ctime, err2 := binary.ReadVarint(r)
		size, err3 := binary.ReadUvarint(r)
		if err = errors.Join(err, err2, err3); err != nil {
			panic(fmt.Sprintf("%s: entry after %d entries: %v", s.path, tl.Len()+len(batch), err))
		}
		data = slices.Grow(data[:0], int(size))[:size]
		if _, err := io.ReadFull(r, data); err != nil {
			panic(fmt.Sprintf("%s: entry %d: %v", s.path, seq, err))
		}
		v, _, err := codec.Decode(data)
		var e value.Entry
		if err == nil {
			e, err = value.EntryFromValue(v, seq, ctime)
		}
		if err != nil {
			panic(fmt.Sprintf("decode entry %d: %v", seq, err))
		}
		if batch = append(batch, e); len(batch) == loadChunk {
			tl.Append(batch...)
			clear(batch)
			batch = batch[:0]
		}
	}
	tl.Append(batch...)
}

var simVersion = replay.MustVersion("0.8.3")

func newSim(opts Options) *Timeline {
	opts.Apply = simApply
	return New(simVersion, -1, replay.FromMap(value.NewMap()), opts)
}
