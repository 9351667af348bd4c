package replay

import (
	"errors"
	"testing"

	"onyx-dashboard/model/value"
)

// Unit tests of the era C and D commands, one behaviour each.

// cdRun applies entries (fn, args...) from the base replica of version vs
// with a balanced job scheduler, failing on an error unless the entry is the
// last and wantErr is set; it returns every replica.
type cdStep struct {
	fn   string
	args []value.Value
}

func cdReplay(t *testing.T, vs string, steps ...cdStep) []Replica {
	t.Helper()
	v := MustVersion(vs)
	r := Replica{BaseReplica(v).Map().Assoc(kwJobScheduler, kwCDJobBalanced)}
	var out []Replica
	for i, s := range steps {
		e := value.Entry{Seq: int64(i), Fn: value.Kw(s.fn), Args: value.NewMap(s.args...)}
		next, err := Apply(v, r, e)
		if err != nil {
			t.Fatalf("onyx %s entry %d %s: %v", vs, i, s.fn, err)
		}
		out = append(out, next)
		r = next
	}
	return out
}

func st(fn string, args ...value.Value) cdStep { return cdStep{fn, args} }

var (
	uG2 = mustUUID("1c2d3e4f-0000-4000-8000-000000000002")
	uG3 = mustUUID("1c2d3e4f-0000-4000-8000-000000000003")
)

func vpeer(p, g value.Value) cdStep {
	return st("add-virtual-peer", kwID, p, kwCDGroupID, g, kwCDPeerSite, value.NewMap(kwCDAddress, "h"), kwCDTags, nil)
}

func job1(id value.Value, tasks ...value.Value) cdStep {
	sat, minReq := value.NewMap(), value.NewMap()
	for _, t := range tasks {
		sat, minReq = sat.Assoc(t, posInf), minReq.Assoc(t, int64(1))
	}
	return st("submit-job", kwID, id, kwTasks, value.Vector(tasks), kwTaskScheduler, kwCDTaskBal,
		kwSaturation, posInf, kwTaskSaturation, sat, kwMinRequiredPeers, minReq, kwFluxPolicies, value.NewMap(),
		kwCDInputs, value.Vector(tasks[:1]), kwCDOutputs, value.Vector(tasks[len(tasks)-1:]),
		kwCDAckerPct, int64(100), kwCDExempt, value.Vector{})
}

func TestGroupJoinProtocol(t *testing.T) {
	rs := cdReplay(t, "0.14.6",
		st("prepare-join-cluster", kwJoiner, tG1),
		st("prepare-join-cluster", kwJoiner, uG2),
		st("prepare-join-cluster", kwJoiner, uG2),
		st("notify-join-cluster", kwObserver, uG2),
		st("accept-join-cluster", kwObserver, uG2, kwAcceptedObserver, tG1, kwAcceptedJoiner, uG2),
		vpeer(tP1, uG3),
		st("prepare-join-cluster", kwJoiner, uG3),
		st("notify-join-cluster", kwObserver, uG3),
	)
	if !value.Equal(rs[1].Prepared(), value.NewMap(tG1, uG2)) {
		t.Fatalf("after a second prepare: :prepared %s, want {G1 G2}", value.PrStr(rs[1].Prepared()))
	}
	if rs[2].Map() != rs[1].Map().Assoc(kwCDVersion, int64(2)) && !value.Equal(rs[2].Map(), rs[1].Map().Assoc(kwCDVersion, int64(2))) {
		t.Fatalf("a repeated prepare changed the replica")
	}
	if !value.Equal(rs[3].Accepted(), value.NewMap(tG1, uG2)) || rs[3].Prepared().Len() != 0 {
		t.Fatalf("after notify: :accepted %s :prepared %s", value.PrStr(rs[3].Accepted()), value.PrStr(rs[3].Prepared()))
	}
	if !value.Equal(rs[4].Pairs(), value.NewMap(tG1, uG2, uG2, tG1)) || len(rs[4].Groups()) != 2 {
		t.Fatalf("after accept: :pairs %s :groups %v", value.PrStr(rs[4].Pairs()), rs[4].Groups())
	}
	if len(rs[5].Peers()) != 0 || !value.Equal(rs[5].OrphanedPeers().Val(uG3), value.Vector{tP1}) {
		t.Fatalf("a vpeer of a joining group: :peers %v :orphaned-peers %s", rs[5].Peers(), value.PrStr(rs[5].OrphanedPeers()))
	}
	// candidates sorted [G2 G1] or [G1 G2] by UUID; 6 mod 2 picks the first.
	if rs[6].Prepared().Len() != 1 {
		t.Fatalf("third group: :prepared %s", value.PrStr(rs[6].Prepared()))
	}
	if rs[7].Accepted().Len() != 1 {
		t.Fatalf("third group notified: :accepted %s", value.PrStr(rs[7].Accepted()))
	}
}

func TestGroupAbortLeaveAndOrphans(t *testing.T) {
	rs := cdReplay(t, "0.14.6",
		st("prepare-join-cluster", kwJoiner, tG1),
		st("prepare-join-cluster", kwJoiner, uG2),
		st("abort-join-cluster", kwID, uG2),
		vpeer(tP1, uG2),
		st("prepare-join-cluster", kwJoiner, uG2),
		st("notify-join-cluster", kwObserver, uG2),
		st("accept-join-cluster", kwObserver, uG2, kwAcceptedObserver, tG1, kwAcceptedJoiner, uG2),
		vpeer(tP2, tG1),
		st("group-leave-cluster", kwID, uG2),
		vpeer(tP3, uG2),
	)
	if !setOf(rs[2].Get(kwCDAborted)).Has(uG2) || rs[2].Prepared().Len() != 0 {
		t.Fatalf("after abort: :aborted %s :prepared %s", value.PrStr(rs[2].Get(kwCDAborted)), value.PrStr(rs[2].Prepared()))
	}
	if setOf(rs[4].Get(kwCDAborted)).Has(uG2) {
		t.Fatalf("a new prepare keeps G2 in :aborted")
	}
	if !value.Equal(value.Vector(rs[6].Peers()), value.Vector{tP1}) || rs[6].OrphanedPeers().Has(uG2) {
		t.Fatalf("after accept the orphan is promoted: :peers %v :orphaned-peers %s", rs[6].Peers(), value.PrStr(rs[6].OrphanedPeers()))
	}
	r := rs[8]
	if !value.Equal(value.Vector(r.Peers()), value.Vector{tP2}) || r.Pairs().Len() != 0 || !setOf(r.Get(kwCDLeft)).Has(uG2) ||
		r.PeerGroup(tP1) != nil || r.PeerSites().Has(tP1) {
		t.Fatalf("after group leave: :peers %v :pairs %s :left %s", r.Peers(), value.PrStr(r.Pairs()), value.PrStr(r.Get(kwCDLeft)))
	}
	if !value.Equal(rs[9].Map(), rs[8].Map().Assoc(kwCDVersion, int64(9))) {
		t.Fatalf("a vpeer of a group that left changed the replica")
	}
}

func TestJobLifecycleD(t *testing.T) {
	in := value.Kw("in")
	rs := cdReplay(t, "0.14.6",
		st("prepare-join-cluster", kwJoiner, tG1),
		vpeer(tP1, tG1),
		job1(tJ1, in),
		job1(tJ1, in),
		st("complete-job", kwCDJobID, tJ2),
		st("kill-job", kwJob, tJ1),
		st("kill-job", kwJob, tJ1),
		st("set-replica!", kwCDReplica, value.NewMap(kwMessageID, int64(3), kwCDReplica, value.NewMap(kwJobs, value.Vector{}))),
	)
	if !value.Equal(value.Vector(rs[3].Jobs()), value.Vector{tJ1}) || !value.Equal(rs[3].AllocationsMap(), rs[2].AllocationsMap()) {
		t.Fatalf("a resubmission changed :jobs %v", rs[3].Jobs())
	}
	if !value.Equal(rs[4].Map(), rs[3].Map().Assoc(kwCDVersion, int64(4))) {
		t.Fatalf("completing an unknown job changed the replica")
	}
	if !value.Equal(value.Vector(rs[6].KilledJobs()), value.Vector{tJ1}) {
		t.Fatalf("killed twice: :killed-jobs %v", rs[6].KilledJobs())
	}
	if !value.Equal(rs[7].Map(), value.NewMap(kwJobs, value.Vector{})) { // it replaces the :version set before it
		t.Fatalf("set-replica! gave %s, want the inner replica", value.PrStr(rs[7].Map()))
	}
}

func TestFluxKillOnLeaveD(t *testing.T) {
	in := value.Kw("in")
	sub := job1(tJ1, in)
	for i := 0; i < len(sub.args); i += 2 {
		if sub.args[i] == kwFluxPolicies {
			sub.args[i+1] = value.NewMap(in, kwCDKill)
		}
	}
	rs := cdReplay(t, "0.14.6",
		st("prepare-join-cluster", kwJoiner, tG1), vpeer(tP1, tG1), vpeer(tP2, tG1), sub,
		st("leave-cluster", kwID, tP1, kwCDGroupID, tG1))
	if len(rs[4].Jobs()) != 0 || !value.Equal(value.Vector(rs[4].KilledJobs()), value.Vector{tJ1}) {
		t.Fatalf("a peer of a :kill task left: :jobs %v :killed-jobs %v", rs[4].Jobs(), rs[4].KilledJobs())
	}
}

func TestEraCPeersAndCompletion(t *testing.T) {
	in, out := value.Kw("in"), value.Kw("out")
	rs := cdReplay(t, "0.8.4",
		st("prepare-join-cluster", kwJoiner, tP1, kwCDPeerSite, value.NewMap()),
		st("prepare-join-cluster", kwJoiner, tP2, kwCDPeerSite, value.NewMap()),
		st("notify-join-cluster", kwObserver, tP2),
		st("accept-join-cluster", kwObserver, tP2, kwAcceptedObserver, tP1, kwAcceptedJoiner, tP2),
		job1(tJ1, in, out),
		st("signal-ready", kwID, tP1),
		st("backpressure-on", kwCDPeer, tP1),
		st("backpressure-off", kwCDPeer, tP1),
		st("exhaust-input", kwJob, tJ1, kwTask, in),
		st("seal-output", kwJob, tJ1, kwTask, out),
	)
	if !value.Equal(value.Vector(rs[3].Peers()), value.Vector{tP1, tP2}) || rs[3].PeerState(tP2) != kwIdle {
		t.Fatalf("after the join: :peers %v", rs[3].Peers())
	}
	sameCountsCD(t, taskCounts(rs[4], tJ1), map[value.Value]int{in: 1, out: 1})
	if acks := items(mapOf(rs[4].Get(kwAckers)).Val(tJ1)); !value.Equal(value.Vector(acks), value.Vector{tP2, tP1}) {
		t.Fatalf(":ackers %v, want both peers in UUID order", acks)
	}
	if rs[5].PeerState(tP1) != kwActive || rs[6].PeerState(tP1) != kwCDBackpressure || rs[7].PeerState(tP1) != kwActive {
		t.Fatalf("peer states %s %s %s", rs[5].PeerState(tP1), rs[6].PeerState(tP1), rs[7].PeerState(tP1))
	}
	r := rs[9]
	if len(r.Jobs()) != 0 || !value.Equal(value.Vector(r.CompletedJobs()), value.Vector{tJ1}) || r.PeerState(tP1) != kwIdle {
		t.Fatalf("after sealing: :jobs %v :completed-jobs %v P1 %s", r.Jobs(), r.CompletedJobs(), r.PeerState(tP1))
	}
}

func sameCountsCD(t *testing.T, got, want map[value.Value]int) {
	t.Helper()
	for k, n := range want {
		if got[k] != n || len(got) != len(want) {
			t.Fatalf("task counts %v, want %v", got, want)
		}
	}
}

func TestBookkeeperC(t *testing.T) {
	path := []value.Value{kwCDJobID, tJ1, kwCDTaskID, value.Kw("in"), kwCDSlotID, int64(0)}
	rs := cdReplay(t, "0.9.0",
		st("assign-bookkeeper-log-id", append(path, kwCDLedgerID, int64(5))...),
		st("assign-bookkeeper-log-id", append(path, kwCDLedgerID, int64(6))...),
		st("compact-bookkeeper-log-ids", append(path, kwCDPrevLedgers, value.Vector{int64(5)}, kwCDNewLedgers, value.Vector{int64(9)})...),
		st("deleted-bookkeeper-log-ids", kwCDLogs, value.NewSet(int64(5))),
	)
	logs := value.GetIn(rs[2].Map(), kwCDStateLogs, tJ1, value.Kw("in"), int64(0))
	if !value.Equal(logs, value.Vector{int64(9), int64(6)}) {
		t.Fatalf(":state-logs %s, want [9 6]", value.PrStr(logs))
	}
	if s := setOf(rs[3].Get(kwCDLogsMarked)); s == nil || s.Len() != 0 {
		t.Fatalf(":state-logs-marked %s", value.PrStr(rs[3].Get(kwCDLogsMarked)))
	}
}

func TestBadArgsCD(t *testing.T) {
	cases := []struct {
		name, version, fn string
	}{
		{"a vpeer before 0.9.7", "0.9.6", "add-virtual-peer"},
		{"a group leave before 0.9.7", "0.8.4", "group-leave-cluster"},
		{"complete-job without :job-id", "0.14.6", "complete-job"},
		{"kill-job without :job", "0.10.0", "kill-job"},
		{"prepare without :joiner", "0.14.6", "prepare-join-cluster"},
		{"signal-ready without :id", "0.9.16", "signal-ready"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := MustVersion(c.version)
			r := BaseReplica(v)
			got, err := Apply(v, r, value.Entry{Seq: 3, Fn: value.Kw(c.fn), Args: value.NewMap()})
			if !errors.Is(err, ErrBadArgs) || got.Map() != r.Map() {
				t.Fatalf("got %v, want ErrBadArgs and the replica unchanged", err)
			}
		})
	}
	t.Run("complete-job is not a command of era C", func(t *testing.T) {
		v := MustVersion("0.9.16")
		if _, err := Apply(v, BaseReplica(v), value.Entry{Fn: value.Kw("complete-job"), Args: value.NewMap()}); !errors.Is(err, ErrUnknownCommand) {
			t.Fatalf("got %v, want ErrUnknownCommand", err)
		}
	})
}
