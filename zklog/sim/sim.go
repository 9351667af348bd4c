// Package sim simulates an Onyx cluster writing its coordination log:
// peers (and peer groups from 0.9.7) joining through the join protocol, jobs
// submitted with their catalogs and workflows, tasks running to completion,
// kills, peer failures and garbage collection, for Onyx 0.5.3 to 0.14.6, with
// each version's byte encoding. For eras A and B (0.5.x – 0.8.3) it keeps
// the replica with replay.Apply and decides every reaction on it, as the
// peers do; for 0.9.x and 0.14.6, whose commands replay does not apply yet,
// it follows the protocol rules on a membership model of its own.
//
// The same Config gives the same log: randomness comes from the seed and
// time from a simulated clock. Sinks (archive files, ZooKeeper, a
// zklog.Memory) take the steps; zkwriter.go is the one importer of
// go-zookeeper outside zklog/zk, and only writes.
package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
	"onyx-dashboard/zklog/archive"
)

// Config says what cluster to simulate.
type Config struct {
	Version string  // Onyx release: 0.5.3, 0.6.0, 0.7.14, 0.8.3, 0.9.15, 0.14.6 …
	Seed    uint64  // same seed, same log
	Entries int     // entries to write; 0: DefaultEntries
	Peers   int     // virtual peers the cluster keeps running; 0: 4
	Jobs    int     // jobs kept submitted at a time; 0: 2
	Rate    float64 // entries per second of the simulated clock; 0: 5
	Tenancy string  // tenancy id; "": derived from the seed
}

// DefaultEntries is how many entries a Config with Entries 0 writes.
const DefaultEntries = 1000

// Epoch is when every simulated clock starts (created-at of entry 0).
var Epoch = time.Date(2016, 1, 4, 9, 0, 0, 0, time.UTC)

// Step is one entry the cluster appends, with what was written beside it.
type Step struct {
	Entry zklog.RawEntry
	// Decoded is the entry as the codec reads Entry.Data back.
	Decoded value.Entry
	// Jobs are the znodes (relative paths) a client wrote before a
	// submit-job entry.
	Jobs map[string][]byte
	// Origin, when not nil, encodes the origin the gc entry's caller wrote
	// after it; the entries below its message-id were then deleted. It
	// encodes the whole replica on every call: a sink that keeps only the
	// last origin (an archive) calls it once, at the end.
	Origin func() []byte
	// Flag is the replay error of the entry (eras A and B); a correct
	// simulation never has one.
	Flag error
	// Replica is the replica after the entry (eras A and B).
	Replica replay.Replica
}

// Sim is a simulated cluster. It is not safe for concurrent use.
type Sim struct {
	cfg     Config
	v       replay.Version
	rng     *rand.Rand
	clock   int64 // epoch ms of the next entry
	seq     int64
	limit   int64 // Next stops at this seq
	id      string
	params  map[string][]byte
	origin  []byte
	r       replay.Replica
	queue   []pending
	peers   []value.UUID // processes running (joined or joining)
	joining *join
	jobs    []*job
	hosts   int
	gen     generator
	jobSch  value.Keyword
	taskSch value.Keyword
	msg     value.Keyword
	allocs  allocCache // eraB.react's index of the replica's allocations
}

// pending is an entry a process will write in reaction to the log.
type pending struct {
	m   *value.Map
	who value.UUID // writer, so its reactions die with it
	h   int32      // value.Hash(m): enqueue compares maps only on a match
}

type join struct {
	p       value.UUID
	watcher value.UUID
	subject value.UUID
}

// generator is the era's strategy.
type generator interface {
	// spontaneous returns an entry a process decides to write now, or nil.
	spontaneous(s *Sim) *value.Map
	// react queues the reactions to entry e, given the replicas around it.
	react(s *Sim, e value.Entry, old, cur replay.Replica)
}

// New starts a simulated cluster.
func New(cfg Config) (*Sim, error) {
	v, err := zklog.ParseRelease(cfg.Version) // "0.7.x": the line's last patch
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	if v.Era() == replay.EraA && v.Before("0.5.2") {
		return nil, fmt.Errorf("simulate: onyx %s: 0.5.2 or later, please (0.5.0–0.5.1 keep the scheduler in the origin)", v)
	}
	if cfg.Entries <= 0 {
		cfg.Entries = DefaultEntries
	}
	if cfg.Peers <= 0 {
		cfg.Peers = 4
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = 2
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 5
	}
	s := &Sim{cfg: cfg, v: v, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), clock: Epoch.UnixMilli()}
	s.limit = int64(cfg.Entries)
	s.id = cfg.Tenancy
	if s.id == "" {
		s.id = fmt.Sprintf("sim-%s-%d", v, cfg.Seed)
	}
	if err := s.setup(); err != nil {
		return nil, err
	}
	return s, nil
}

// Version is the simulated Onyx release.
func (s *Sim) Version() replay.Version { return s.v }

// Tenancy is the tenancy id.
func (s *Sim) Tenancy() string { return s.id }

// Params are the parameter znodes a peer writes on start, by relative path.
func (s *Sim) Params() map[string][]byte { return s.params }

// InitialOrigin is /origin/origin as the first peer creates it.
func (s *Sim) InitialOrigin() []byte { return s.origin }

// Replayed says whether the simulation keeps the replica with replay.Apply.
func (s *Sim) Replayed() bool { return archive.Replayable(s.v) }

// Header is the tenancy's header before any entry.
func (s *Sim) Header() zklog.Header {
	det := s.Detection()
	o, _ := zklog.DecodeOrigin("origin/origin", s.origin)
	p, _ := zklog.DecodeParams(s.id, s.params)
	return zklog.Header{Tenancy: zklog.Tenancy{ID: s.id, Created: Epoch, Modified: Epoch, FirstSeq: -1, LastSeq: -1, Version: det}, Version: det, Origin: o, Params: p}
}

// Detection is the version the simulation says it is.
func (s *Sim) Detection() zklog.Detection {
	return zklog.Detection{Version: s.v.String(), Era: s.v.Era().String(), Exact: true,
		Evidence: []string{fmt.Sprintf("simulated onyx %s, seed %d", s.v, s.cfg.Seed)}}
}

func (s *Sim) encode(x value.Value) []byte {
	b, err := archive.Encode(s.v, x)
	if err != nil { // every value the simulator builds has an encoding
		panic(fmt.Sprintf("simulate: encode %s: %v", value.PrStr(x), err))
	}
	return b
}

// setup picks the cluster's parameters and writes its starting znodes.
func (s *Sim) setup() error {
	s.params = map[string][]byte{}
	switch s.v.Era() {
	case replay.EraA:
		s.jobSch = pick(s, kw("onyx.job-scheduler/greedy"), kw("onyx.job-scheduler/round-robin"))
		s.taskSch = pick(s, kw("onyx.task-scheduler/round-robin"), kw("onyx.task-scheduler/greedy"))
		s.gen = eraA{}
	default:
		s.jobSch = pick(s, kw("onyx.job-scheduler/balanced"), kw("onyx.job-scheduler/greedy"))
		s.taskSch = kw("onyx.task-scheduler/balanced")
		s.msg = kw("aeron")
		if s.v.Before("0.7.0") {
			s.msg = kw("netty")
		}
		if s.v.Era() == replay.EraB {
			s.gen = eraB{}
		} else {
			s.gen = &eraCD{}
		}
	}
	msgMap := value.NewMap(kw("onyx.messaging/impl"), s.msg)
	switch {
	case s.v.AtLeast("0.9.11"):
		s.params[zklog.ParamLogParameters] = s.encode(value.NewMap(kw("job-scheduler"), s.jobSch, kw("messaging"), msgMap, kw("log-version"), logVersion(s.v)))
	case s.v.AtLeast("0.6.0"):
		s.params[zklog.ParamJobScheduler] = s.encode(value.NewMap(kw("job-scheduler"), s.jobSch))
		s.params[zklog.ParamMessaging] = s.encode(value.NewMap(kw("messaging"), msgMap))
	default:
		s.params[zklog.ParamJobScheduler] = s.encode(value.NewMap(kw("job-scheduler"), s.jobSch))
	}
	base := replay.BaseReplica(s.v).Map()
	s.origin = s.encode(value.NewMap(kw("message-id"), int64(-1), kw("replica"), base))
	h := s.Header()
	r, _, err := replay.Initial(s.v, nil, replay.Params{JobScheduler: h.Params.JobScheduler, Messaging: h.Params.Messaging, LogParameters: lp(h.Params.LogParameters)})
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	s.r = r
	return nil
}

func lp(m *value.Map) value.Value {
	if m == nil {
		return nil
	}
	return m
}

func logVersion(v replay.Version) string {
	if v.AtLeast("0.14.6") { // the 0.14.6 release tag still says -SNAPSHOT (§1.2)
		return "0.14.6-SNAPSHOT"
	}
	return v.String()
}

// ErrDone: the simulation wrote all its entries.
var ErrDone = errors.New("simulation done")

// Next computes the next entry. It returns ErrDone after Config.Entries.
func (s *Sim) Next() (Step, error) {
	if s.seq >= s.limit {
		return Step{}, ErrDone
	}
	for try := range 3000 {
		m, jobs := s.choose()
		if m == nil && try >= 2000 {
			m = s.unstick()
		}
		if m == nil {
			continue
		}
		return s.emit(m, jobs), nil
	}
	return Step{}, fmt.Errorf("simulate: seq %d: the cluster is stuck", s.seq)
}

// choose picks the next entry: a queued reaction or a spontaneous action.
func (s *Sim) choose() (*value.Map, map[string][]byte) {
	if len(s.queue) > 0 && (s.rng.IntN(10) < 8 || s.limit-s.seq < 3) {
		i := 0
		if len(s.queue) > 1 && s.rng.IntN(4) == 0 { // reactions of different processes interleave
			i = 1
		}
		p := s.queue[i]
		s.queue = append(s.queue[:i], s.queue[i+1:]...)
		return p.m, nil
	}
	if s.running() < s.cfg.Jobs && s.members() > 0 && s.rng.IntN(6) == 0 {
		return s.submit()
	}
	if m := s.gen.spontaneous(s); m != nil {
		return m, nil
	}
	return nil, nil
}

// unstick is what an operator does with a cluster that went quiet: kill a
// job whose next task has no peer (0.5.x), or collect garbage.
func (s *Sim) unstick() *value.Map {
	var jobs []value.Value
	switch s.gen.(type) {
	case eraA:
		jobs = runningA(s.r)
	case eraB:
		jobs = rvec(s.r, "jobs")
	}
	if len(jobs) > 0 {
		return entry("kill-job", kw("job"), jobs[s.rng.IntN(len(jobs))])
	}
	if s.Replayed() {
		return entry("gc", kw("id"), s.uuid())
	}
	return nil
}

// emit encodes m as entry seq, applies it and queues the reactions.
func (s *Sim) emit(m *value.Map, jobs map[string][]byte) Step {
	data := s.encode(m)
	s.clock += int64(1000/s.cfg.Rate*(0.25+1.5*s.rng.Float64())) + 1
	raw := zklog.RawEntry{Seq: s.seq, Created: s.clock, Data: data}
	s.seq++
	de := zklog.DecodeEntry(zklog.EntryName(raw.Seq), raw)
	st := Step{Entry: raw, Decoded: de.Entry, Jobs: jobs, Flag: de.Err}
	old := s.r
	if s.Replayed() && de.Err == nil {
		s.r, st.Flag = replay.Apply(s.v, s.r, de.Entry)
	}
	st.Replica = s.r
	if de.Err == nil {
		s.gen.react(s, de.Entry, old, s.r)
		if de.Fn == kw("gc") && s.Replayed() {
			seq, r := raw.Seq, s.r
			st.Origin = func() []byte { return s.encode(value.NewMap(kw("message-id"), seq, kw("replica"), r.Map())) }
		}
	}
	return st
}

// enqueue adds a reaction by who unless the same one is already queued.
func (s *Sim) enqueue(who value.UUID, m *value.Map) {
	h := value.Hash(m)
	for _, p := range s.queue {
		if p.h == h && value.Equal(p.m, m) {
			return
		}
	}
	s.queue = append(s.queue, pending{m: m, who: who, h: h})
}

// forget drops the queued reactions of a process that died.
func (s *Sim) forget(who value.UUID) {
	q := s.queue[:0]
	for _, p := range s.queue {
		if p.who != who {
			q = append(q, p)
		}
	}
	s.queue = q
}

func (s *Sim) uuid() value.UUID {
	hi := s.rng.Uint64()&^0xf000 | 0x4000
	lo := s.rng.Uint64()&^(3<<62) | 2<<62
	return value.UUID{Hi: hi, Lo: lo}
}

func kw(s string) value.Keyword { return value.Kw(s) }

func pick[T any](s *Sim, xs ...T) T { return xs[s.rng.IntN(len(xs))] }

var inf = math.Inf(1)

func entry(fn string, args ...value.Value) *value.Map {
	return value.NewMap(value.KeyFn, kw(fn), value.KeyArgs, value.NewMap(args...))
}
