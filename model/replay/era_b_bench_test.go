package replay

import (
	"math"
	"math/rand/v2"
	"testing"

	"onyx-dashboard/model/value"
)

// eraBLog generates a protocol-valid 0.8.x log deterministically: nPeers
// join through prepare/notify/accept (the watcher is the one Apply picked by
// message-id mod n), then about nJobs jobs of five tasks run at a time under
// the balanced job and task schedulers: peers signal ready, inputs exhaust
// and outputs seal (the job completes), jobs are killed, peers leave and
// join again, backpressure flips, and gc runs. Entries are applied while
// generating so each one is valid for the replica it meets.
func eraBLog(tb testing.TB, v Version, nPeers, nJobs, nEntries int) (Replica, []value.Entry) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(3, 5))
	uuid := func() value.UUID { return value.UUID{Hi: rng.Uint64(), Lo: rng.Uint64()} }
	start := FromMap(value.NewMap(
		kwJobScheduler, kwBJobSchedBalanced,
		kwMessaging, value.NewMap(kwBMessagingImpl, kwBDummyMessenger),
		kwPeers, value.Vector{},
	))
	r := start
	var log []value.Entry
	emit := func(fn string, kvs ...value.Value) {
		e := value.Entry{Seq: int64(len(log)), Created: 1450000000000 + int64(len(log)), Fn: value.Kw(fn), Args: value.NewMap(kvs...)}
		next, err := Apply(v, r, e)
		if err != nil {
			tb.Fatalf("generated entry %d %s: %v", e.Seq, e.Fn, err)
		}
		r = next
		log = append(log, e)
	}
	site := value.NewMap(kwBPort, int64(1))
	join := func(p value.Value) {
		emit("prepare-join-cluster", kwJoiner, p, kwBPeerSite, site)
		w := invertGet(r.Prepared(), p)
		if w == nil {
			return // the first peer joins at once
		}
		emit("notify-join-cluster", kwObserver, p, kwSubject, r.Pairs().Val(w))
		emit("accept-join-cluster", kwObserver, p, kwSubject, r.Pairs().Val(w), kwAcceptedObserver, w, kwAcceptedJoiner, p)
	}
	for range nPeers {
		join(uuid())
	}
	inf := value.Value(math.Inf(1))
	submit := func() {
		tasks := value.Vector{uuid(), uuid(), uuid(), uuid(), uuid()}
		one := value.NewMap(tasks[0], int64(1), tasks[1], int64(1), tasks[2], int64(1), tasks[3], int64(1), tasks[4], int64(1))
		sat := value.NewMap(tasks[0], inf, tasks[1], inf, tasks[2], inf, tasks[3], inf, tasks[4], inf)
		emit("submit-job", kwID, uuid(), kwTasks, tasks, kwTaskScheduler, kwBTaskSchedBalanced,
			kwSaturation, inf, kwTaskSaturation, sat, kwMinRequiredPeers, one, kwFluxPolicies, value.NewMap(),
			kwBInputs, value.Vector{tasks[0]}, kwBOutputs, value.Vector{tasks[4]}, kwBExemptTasks, value.Vector{},
			kwBAckerPercentage, int64(10), kwBAckerExcludeInputs, false, kwBAckerExcludeOutput, false)
	}
	for len(log) < nEntries {
		for len(r.Jobs()) < nJobs {
			submit()
		}
		jobs := r.Jobs()
		job := jobs[rng.IntN(len(jobs))]
		peers := r.Peers()
		switch x := rng.IntN(100); {
		case x < 55: // a peer starts its task
			emit("signal-ready", kwID, peers[rng.IntN(len(peers))])
		case x < 70: // backpressure on and off
			p := peers[rng.IntN(len(peers))]
			emit("backpressure-on", kwBPeer, p)
			emit("backpressure-off", kwBPeer, p)
		case x < 80: // the job finishes
			ts := r.Tasks(job)
			emit("exhaust-input", kwJob, job, kwTask, ts[0])
			emit("seal-output", kwJob, job, kwTask, ts[len(ts)-1])
		case x < 86:
			emit("kill-job", kwJob, job)
		case x < 96: // a peer dies and a new one takes its place
			emit("leave-cluster", kwID, peers[rng.IntN(len(peers))])
			join(uuid())
		default:
			emit("gc", kwID, uuid())
		}
	}
	return start, log[:nEntries]
}

func TestGeneratedEraBLogKeepsPeersAndJobs(t *testing.T) {
	v := MustVersion("0.8.3")
	start, log := eraBLog(t, v, 12, 3, 3000)
	r := start
	for _, e := range log {
		var err error
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("entry %d %s: %v", e.Seq, e.Fn, err)
		}
	}
	if n := len(r.Peers()); n != 12 {
		t.Errorf("%d peers in the cluster, want 12", n)
	}
	allocated := 0
	for _, tasks := range r.Allocations() {
		for _, ps := range tasks {
			allocated += len(ps)
		}
	}
	if allocated != 12 {
		t.Errorf("%d peers allocated, want all 12 (balanced over %d jobs)", allocated, len(r.Jobs()))
	}
}
