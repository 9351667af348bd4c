package replay

import (
	"errors"
	"testing"

	"onyx-dashboard/model/value"
)

func entryB(fn string, kvs ...value.Value) value.Entry {
	return value.Entry{Seq: 7, Fn: value.Kw(fn), Args: value.NewMap(kvs...)}
}

func TestEraBRejectedEntriesLeaveTheReplicaUnchanged(t *testing.T) {
	base := FromMap(value.NewMap(kwJobScheduler, kwBJobSchedBalanced, kwPeers, value.Vector{}))
	cases := []struct {
		name    string
		version string
		entry   value.Entry
		want    error
	}{
		{"an unknown command is not understood", "0.8.3", entryB("no-such-command"), ErrUnknownCommand},
		{"prepare-join-cluster without a joiner is bad args", "0.8.3", entryB("prepare-join-cluster"), ErrBadArgs},
		{"leave-cluster without an id is bad args", "0.7.14", entryB("leave-cluster"), ErrBadArgs},
		{"kill-job without a job is bad args", "0.6.0", entryB("kill-job"), ErrBadArgs},
		{"set-replica! with a vector is bad args", "0.8.3", entryB("set-replica!", kwBReplica, value.Vector{}), ErrBadArgs},
		{"backpressure-on does not exist in 0.6.0", "0.6.0", entryB("backpressure-on", kwBPeer, value.Kw("p1")), ErrBadArgs},
		{"bookkeeper entries do not exist before 0.8.0", "0.7.14", entryB("assign-bookkeeper-log-id"), ErrBadArgs},
		{"submit-job with a number of tasks is bad args", "0.8.3", entryB("submit-job", kwID, value.Kw("j"), kwTasks, int64(3)), ErrBadArgs},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Apply(MustVersion(c.version), base, c.entry)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if out.Map() != base.Map() {
				t.Errorf("the replica changed")
			}
		})
	}
}

func TestEraBCommandsChangeWhatOnyxChanges(t *testing.T) {
	v := MustVersion("0.8.3")
	logs := []value.Value{kwBStateLogs, value.Kw("j"), value.Kw("t"), int64(0)}
	cases := []struct {
		name  string
		in    *value.Map
		entry value.Entry
		path  []value.Value
		want  value.Value
	}{
		{
			"set-replica! replaces the whole replica",
			value.NewMap(kwPeers, value.Vector{value.Kw("a")}),
			entryB("set-replica!", kwBReplica, value.NewMap(kwJobs, value.Vector{})),
			nil, value.NewMap(kwJobs, value.Vector{}),
		},
		{
			"assign-bookkeeper-log-id appends the ledger to the slot's logs",
			value.NewMap(),
			entryB("assign-bookkeeper-log-id", kwBJobID, value.Kw("j"), kwBTaskID, value.Kw("t"), kwBSlotID, int64(0), kwBLedgerID, int64(42)),
			logs, value.Vector{int64(42)},
		},
		{
			"compact-bookkeeper-log-ids swaps a matching prefix for the new ledgers",
			value.AssocIn(value.NewMap(), logs, value.Vector{int64(1), int64(2), int64(3)}),
			entryB("compact-bookkeeper-log-ids", kwBJobID, value.Kw("j"), kwBTaskID, value.Kw("t"), kwBSlotID, int64(0),
				kwBPrevLedgerIDs, value.Vector{int64(1), int64(2)}, kwBNewLedgerIDs, value.Vector{int64(9)}),
			logs, value.Vector{int64(9), int64(3)},
		},
		{
			"compact-bookkeeper-log-ids keeps the logs when the prefix differs",
			value.AssocIn(value.NewMap(), logs, value.Vector{int64(1), int64(2)}),
			entryB("compact-bookkeeper-log-ids", kwBJobID, value.Kw("j"), kwBTaskID, value.Kw("t"), kwBSlotID, int64(0),
				kwBPrevLedgerIDs, value.Vector{int64(5)}, kwBNewLedgerIDs, value.Vector{int64(9)}),
			logs, value.Vector{int64(1), int64(2)},
		},
		{
			"deleted-bookkeeper-log-ids removes the ledgers from the marked set",
			value.NewMap(kwBStateLogsMarked, value.NewSet(int64(1), int64(2))),
			entryB("deleted-bookkeeper-log-ids", kwBLogs, value.Vector{int64(1)}),
			[]value.Value{kwBStateLogsMarked}, value.NewSet(int64(2)),
		},
		{
			"backpressure-on turns an active peer to backpressure",
			value.NewMap(kwPeerState, value.NewMap(value.Kw("p"), kwActive)),
			entryB("backpressure-on", kwBPeer, value.Kw("p")),
			[]value.Value{kwPeerState, value.Kw("p")}, kwBBackpressure,
		},
		{
			"backpressure-off leaves an idle peer idle",
			value.NewMap(kwPeerState, value.NewMap(value.Kw("p"), kwIdle)),
			entryB("backpressure-off", kwBPeer, value.Kw("p")),
			[]value.Value{kwPeerState, value.Kw("p")}, kwIdle,
		},
		{
			"exhaust-input adds the task to the job's exhausted inputs",
			value.NewMap(),
			entryB("exhaust-input", kwJob, value.Kw("j"), kwTask, value.Kw("t")),
			[]value.Value{kwExhaustedInputs, value.Kw("j")}, value.NewSet(value.Kw("t")),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Apply(v, FromMap(c.in), c.entry)
			if err != nil {
				t.Fatal(err)
			}
			got := value.Value(out.Map())
			if c.path != nil {
				got = value.GetIn(out.Map(), c.path...)
			}
			if !value.Equal(got, c.want) {
				t.Errorf("got %s, want %s", value.PrStr(got), value.PrStr(c.want))
			}
		})
	}
}
