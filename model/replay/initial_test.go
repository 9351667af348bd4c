package replay

import (
	"testing"

	"onyx-dashboard/model/value"
)

func TestInitialStartsAfterTheOrigin(t *testing.T) {
	greedy := value.Kw("onyx.job-scheduler/greedy")
	core := value.NewMap(value.Kw("onyx.messaging/impl"), value.Kw("core.async"))
	origin := value.NewMap(kwMessageID, int64(41), kwReplica, value.NewMap(kwPeers, value.Vector{}))
	tests := []struct {
		name    string
		version string
		origin  *value.Map
		params  Params
		want    *value.Map
		next    int64
	}{
		{"0.5.1 keeps the job scheduler of its origin", "0.5.1",
			value.NewMap(kwMessageID, int64(-1), kwReplica, value.NewMap(kwJobScheduler, greedy)), Params{},
			value.NewMap(kwJobScheduler, greedy), 0},
		{"0.5.3 adds the job scheduler znode to a fresh tenancy", "0.5.3", nil,
			Params{JobScheduler: value.NewMap(kwJobScheduler, greedy)},
			value.NewMap(kwJobScheduler, greedy), 0},
		{"0.5.3 ignores the messaging znode", "0.5.3", origin,
			Params{JobScheduler: greedy, Messaging: core},
			value.NewMap(kwPeers, value.Vector{}, kwJobScheduler, greedy), 42},
		{"0.6.0 adds job scheduler and messaging", "0.6.0", origin,
			Params{JobScheduler: greedy, Messaging: value.NewMap(kwMessaging, core)},
			value.NewMap(kwPeers, value.Vector{}, kwJobScheduler, greedy, kwMessaging, core), 42},
		{"0.9.11 merges the log parameters", "0.9.11", origin,
			Params{LogParameters: value.NewMap(kwJobScheduler, greedy, kwLogVersion, "0.9.11")},
			value.NewMap(kwPeers, value.Vector{}, kwJobScheduler, greedy, kwLogVersion, "0.9.11"), 42},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, next, err := Initial(MustVersion(tt.version), tt.origin, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if !value.Equal(r.Map(), tt.want) || next != tt.next {
				t.Errorf("got %s from %d, want %s from %d", value.PrStr(r.Map()), next, value.PrStr(tt.want), tt.next)
			}
		})
	}
}

func TestInitialRejectsABadOrigin(t *testing.T) {
	bad := value.NewMap(kwMessageID, "x", kwReplica, value.NewMap())
	if _, _, err := Initial(MustVersion("0.6.0"), bad, Params{}); err == nil {
		t.Error("an origin with a string :message-id was accepted")
	}
}

// The 0.7.3+ base-replica must be exactly the origin the real Onyx starts a
// fresh tenancy with: the fixtures' :initial-replica minus the parameters.
func TestBaseReplicaMatchesTheFixtures(t *testing.T) {
	for _, tt := range []struct{ version, file string }{
		{"0.7.14", "testdata/0.7.14/sim-00-greedy-balanced.edn.gz"},
		{"0.8.3", "testdata/0.8.3/port-one-job-test.edn.gz"},
	} {
		t.Run(tt.version, func(t *testing.T) {
			c, err := loadFixture(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			want := c.initial.Dissoc(kwJobScheduler).Dissoc(kwMessaging)
			if got := BaseReplica(MustVersion(tt.version)).Map(); !value.Equal(got, want) {
				t.Errorf("base replica differs: %s", firstDiff(got, want))
			}
		})
	}
	if n := BaseReplica(MustVersion("0.7.2")).Map().Len(); n != 0 {
		t.Errorf("0.7.2 base replica has %d keys, want none", n)
	}
	if BaseReplica(MustVersion("0.7.3")).Map().Has(kwTaskSlotIDs) {
		t.Error("0.7.3 base replica has :task-slot-ids, which came in 0.7.4")
	}
}
