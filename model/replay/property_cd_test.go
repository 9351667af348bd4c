package replay

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"onyx-dashboard/model/value"
)

// Property tests of eras C and D over random protocol-valid logs: groups join
// through the join protocol, vpeers come and go, jobs are submitted, killed,
// completed and collected. After every entry the invariants of
// checkInvariantsCD hold, and Apply never returns an error.

// genCD writes a protocol-valid log of version v, replaying it as it goes so
// that every entry is one a real cluster could write next.
type genCD struct {
	t      testing.TB
	v      Version
	rng    *rand.Rand
	r      Replica
	seq    int64
	ids    uint64
	out    []value.Entry
	check  bool
	groups []value.Value // groups started (joined or joining)
}

func newGenCD(t testing.TB, v Version, seed uint64, check bool) *genCD {
	r := BaseReplica(v).Map()
	r = r.Assoc(kwJobScheduler, kwCDJobBalanced).Assoc(kwMessaging, value.NewMap(value.Kw("onyx.messaging/impl"), value.Kw("aeron")))
	return &genCD{t: t, v: v, rng: rand.New(rand.NewPCG(seed, 7)), r: Replica{r}, check: check}
}

func (g *genCD) uuid() value.UUID {
	g.ids++
	return value.UUID{Hi: g.rng.Uint64(), Lo: g.ids}
}

// emit applies fn with args as the next entry.
func (g *genCD) emit(fn string, args ...value.Value) {
	e := value.Entry{Seq: g.seq, Fn: value.Kw(fn), Args: value.NewMap(args...)}
	e.Map = value.NewMap(value.Kw("fn"), e.Fn, value.Kw("args"), e.Args)
	g.seq++
	next, err := Apply(g.v, g.r, e)
	if err != nil {
		g.t.Fatalf("onyx %s: entry %d %s %s: %v", g.v, e.Seq, fn, value.PrStr(e.Args), err)
	}
	if g.check {
		checkInvariantsCD(g.t, g.v, next, e.Seq)
	}
	g.r = next
	g.out = append(g.out, e)
}

func (g *genCD) pick(xs []value.Value) value.Value { return xs[g.rng.IntN(len(xs))] }

// join runs the join protocol for a new group.
func (g *genCD) join() {
	id := g.uuid()
	g.groups = append(g.groups, id)
	g.emit("prepare-join-cluster", kwJoiner, id)
	if containsValue(g.r.Groups(), id) {
		return
	}
	w := invertGet(g.r.Prepared(), id)
	if w == nil {
		return // aborted: no watcher free
	}
	g.emit("notify-join-cluster", kwObserver, id)
	g.emit("accept-join-cluster", kwObserver, id, kwSubject, g.r.Pairs().Val(w), kwAcceptedObserver, w, kwAcceptedJoiner, id)
}

func (g *genCD) addPeer() {
	groups := g.r.Groups()
	if len(groups) == 0 {
		return
	}
	site := value.NewMap(kwCDAddress, fmt.Sprintf("10.0.0.%d", g.rng.IntN(4)), value.Kw("port"), int64(40200))
	g.emit("add-virtual-peer", kwID, g.uuid(), kwCDGroupID, g.pick(groups), kwCDPeerSite, site, kwCDTags, nil)
}

func (g *genCD) submit() {
	n := 1 + g.rng.IntN(3)
	tasks := value.Vector{}
	sat, minReq := value.NewMap(), value.NewMap()
	for i := range n {
		t := value.Kw(fmt.Sprintf("t%d", i))
		tasks = append(tasks, t)
		s := value.Value(posInf)
		if g.rng.IntN(3) == 0 {
			s = int64(1 + g.rng.IntN(3))
		}
		sat = sat.Assoc(t, s)
		minReq = minReq.Assoc(t, int64(1))
	}
	args := []value.Value{kwID, g.uuid(), kwTasks, tasks, kwTaskScheduler, kwCDTaskBal,
		kwSaturation, posInf, kwTaskSaturation, sat, kwMinRequiredPeers, minReq,
		kwFluxPolicies, value.NewMap(), kwCDInputs, tasks[:1], kwCDOutputs, tasks[n-1:],
		kwCDRequired, value.NewMap()}
	if g.v.Era() == EraD {
		args = append(args, kwCDReducers, value.Vector{}, kwCDGroupedA, value.Vector{}, kwCDState, value.Vector{},
			kwCDInOut, value.NewMap())
	} else {
		args = append(args, kwCDExempt, value.Vector{}, kwCDAckerPct, int64(10), kwCDExclIn, false, kwCDExclOut, false)
	}
	g.emit("submit-job", args...)
}

var posInf = value.Value(float64Inf())

func float64Inf() float64 { var z float64; return 1 / z }

func (g *genCD) complete(job value.Value) {
	if g.v.Era() == EraD {
		g.emit("complete-job", kwCDJobID, job)
		return
	}
	tasks := g.r.Tasks(job)
	g.emit("exhaust-input", kwJob, job, kwTask, tasks[0])
	g.emit("seal-output", kwJob, job, kwTask, tasks[len(tasks)-1])
}

// step writes one random action.
func (g *genCD) step() {
	peers, jobs, groups := g.r.Peers(), g.r.Jobs(), g.r.Groups()
	switch k := g.rng.IntN(100); {
	case k < 8 && len(groups) < 6:
		g.join()
	case k < 40:
		g.addPeer()
	case k < 50 && len(peers) > 0:
		p := g.pick(peers)
		g.emit("leave-cluster", kwID, p, kwCDGroupID, g.r.PeerGroup(p))
	case k < 53 && len(groups) > 1:
		g.emit("group-leave-cluster", kwID, g.pick(groups))
	case k < 68 && len(jobs) < 10:
		g.submit()
	case k < 74 && len(jobs) > 0:
		g.emit("kill-job", kwJob, g.pick(jobs))
	case k < 82 && len(jobs) > 0:
		g.complete(g.pick(jobs))
	case k < 85:
		g.emit("gc", kwID, g.uuid())
	case g.v.Era() == EraC && len(peers) > 0:
		g.emit("signal-ready", kwID, g.pick(peers))
	default:
		g.addPeer()
	}
}

// checkInvariantsCD checks what every era C/D replica must satisfy whatever
// the placement: only members allocated, no peer on two tasks, per-task
// counts equal to the planned counts, starved jobs hold no peers, membership
// and ring consistent, coordinators among the job's peers.
func checkInvariantsCD(t testing.TB, v Version, r Replica, seq int64) {
	t.Helper()
	f := flagsCD(v)
	fail := func(format string, a ...any) {
		t.Helper()
		t.Fatalf("onyx %s: after entry %d: %s", v, seq, fmt.Sprintf(format, a...))
	}
	peers := r.Peers()
	seen := map[value.Value]bool{}
	for job, tasks := range r.Allocations() {
		if !containsValue(r.Jobs(), job) {
			fail("job %s is allocated but not in :jobs", job)
		}
		for task, ps := range tasks {
			for _, p := range ps {
				if !containsValue(peers, p) {
					fail("peer %s on %s/%s is not a member", p, job, task)
				}
				if seen[p] {
					fail("peer %s is on two tasks", p)
				}
				seen[p] = true
			}
		}
	}
	s := newCDSched(r.Map(), f)
	if jobs := r.Jobs(); len(jobs) > 0 && r.JobScheduler() == kwCDJobBalanced {
		offers, err := s.offers(jobs)
		if err != nil {
			fail("offers: %v", err)
		}
		claims, spare := s.claims(offers)
		util := s.claimSpare(claims, spare)
		for _, job := range jobs {
			n, _ := cdGet(util, job)
			planned, err := s.distribute(job, n)
			if err != nil {
				fail("distribute: %v", err)
			}
			counts := taskCounts(r, job)
			for i, task := range r.Tasks(job) {
				if counts[task] != planned[i] {
					fail("job %s task %s has %d peers, planned %d (%s)", job, task, counts[task], planned[i], value.PrStr(r.AllocationsMap()))
				}
			}
		}
	}
	for _, job := range r.Jobs() {
		counts, held := taskCounts(r, job), 0
		starved := false
		for _, task := range r.Tasks(job) {
			held += counts[task]
			need := cdNum(mapOf(mapAt(r.Map(), kwMinRequiredPeers).Val(job)).Val(task), 1)
			starved = starved || float64(counts[task]) < need
		}
		// 0.9.x may keep an empty {task []} entry (it returns before
		// deallocate-starved-jobs when the plan is the current usage).
		if starved && (held > 0 || (f.d && r.AllocationsMap().Has(job))) {
			fail("starved job %s holds peers: %s", job, value.PrStr(r.AllocationsMap().Val(job)))
		}
	}
	if f.groups {
		checkMembershipCD(t, r, fail)
	}
	if f.d {
		if n, _ := r.LogVersion(); n != seq {
			fail(":version %d, want %d", n, seq)
		}
		r.AllocationsMap().Range(func(job, _ value.Value) bool {
			var ps []value.Value
			for _, x := range r.Allocations()[job] {
				ps = append(ps, x...)
			}
			if c := r.Coordinator(job); !containsValue(ps, c) {
				fail("coordinator %v of %s is not one of its peers", c, job)
			}
			return true
		})
	}
}

func checkMembershipCD(t testing.TB, r Replica, fail func(string, ...any)) {
	t.Helper()
	groups := r.Groups()
	var want []value.Value
	for _, g := range groups {
		for _, p := range r.GroupPeers(g) {
			want = append(want, p)
			if r.PeerGroup(p) != g {
				fail("peer %s of group %s is not reverse-indexed", p, g)
			}
		}
	}
	peers := r.Peers()
	if len(want) != len(peers) {
		fail(":peers has %d, the joined groups index %d", len(peers), len(want))
	}
	for _, p := range want {
		if !containsValue(peers, p) {
			fail("peer %s of a joined group is not in :peers", p)
		}
	}
	r.OrphanedPeers().Range(func(g, _ value.Value) bool {
		if containsValue(groups, g) {
			fail("joined group %s still has orphans", g)
		}
		return true
	})
	pairs := r.Pairs()
	if len(groups) == 1 && pairs.Len() != 0 {
		fail("one group but :pairs %s", value.PrStr(pairs))
	}
	if len(groups) > 1 {
		if pairs.Len() != len(groups) {
			fail(":pairs %s does not cover the %d groups", value.PrStr(pairs), len(groups))
		}
		at, n := groups[0], 0
		for {
			at = pairs.Val(at)
			n++
			if at == nil || !containsValue(groups, at) {
				fail(":pairs %s is not a ring over :groups", value.PrStr(pairs))
			}
			if at == groups[0] {
				break
			}
		}
		if n != len(groups) {
			fail(":pairs %s is a ring of %d, want %d", value.PrStr(pairs), n, len(groups))
		}
	}
}

func TestPropertiesCD(t *testing.T) {
	for _, vs := range []string{"0.9.15", "0.14.6"} {
		for seed := range uint64(6) {
			t.Run(fmt.Sprintf("onyx %s seed %d", vs, seed), func(t *testing.T) {
				g := newGenCD(t, MustVersion(vs), seed, true)
				for g.seq < 600 {
					g.step()
				}
			})
		}
	}
}
