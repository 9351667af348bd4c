package replay

import (
	"errors"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// applyCase is one entry applied to a replica, both written in EDN.
type applyCase struct {
	name    string
	replica string
	entry   string
	want    string // the replica after; "" when the entry must fail
	crash   bool   // the failure is an Onyx crash
}

func ednMap(t *testing.T, s string) *value.Map {
	t.Helper()
	v, err := edn.Read([]byte(s))
	if err != nil {
		t.Fatalf("read %q: %v", s, err)
	}
	m, ok := v.(*value.Map)
	if !ok {
		t.Fatalf("%q is not a map", s)
	}
	return m
}

func runApplyCases(t *testing.T, version string, cases []applyCase) {
	t.Helper()
	v := MustVersion(version)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := FromMap(ednMap(t, tc.replica))
			e, err := value.EntryFromValue(ednMap(t, tc.entry), -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Apply(v, before, e)
			if tc.want == "" {
				var ae *ApplyError
				if !errors.As(err, &ae) || ae.Crash != tc.crash {
					t.Fatalf("got error %v, want an ApplyError with Crash=%v", err, tc.crash)
				}
				if got.Map() != before.Map() {
					t.Error("a failed entry changed the replica")
				}
				return
			}
			if err != nil {
				t.Fatalf("entry %s: %v", e.Fn, err)
			}
			if want := ednMap(t, tc.want); !value.Equal(got.Map(), want) {
				t.Errorf("message-id %d: %s", e.Seq, firstDiff(got.Map(), want))
			}
		})
	}
}

func TestEraACommands(t *testing.T) {
	runApplyCases(t, "0.5.3", []applyCase{
		{"the first peer joins at once", `{}`,
			`{:fn :prepare-join-cluster :args {:joiner :a} :message-id 0}`,
			`{:peers [:a] :peer-state {:a :idle}}`, false},
		{"a joiner gets the watcher at message-id mod candidates", `{:peers [:a :b :c] :pairs {:a :b :b :c :c :a}}`,
			`{:fn :prepare-join-cluster :args {:joiner :d} :message-id 4}`,
			`{:peers [:a :b :c] :pairs {:a :b :b :c :c :a} :prepared {:b :d}}`, false},
		{"a joiner with no free watcher changes nothing", `{:peers [:a :b] :pairs {:a :b :b :a} :prepared {:a :c} :accepted {}}`,
			`{:fn :prepare-join-cluster :args {:joiner :d} :message-id 0}`,
			`{:peers [:a :b] :pairs {:a :b :b :a} :prepared {:a :c} :accepted {}}`, false},
		{"notify moves the joiner to accepted", `{:prepared {:a :d}}`,
			`{:fn :notify-join-cluster :args {:observer :d :subject :a}}`,
			`{:prepared {} :accepted {:a :d}}`, false},
		{"notify of a joiner not prepared writes a nil key", `{:prepared {}}`,
			`{:fn :notify-join-cluster :args {:observer :d :subject :a}}`,
			`{:prepared {} :accepted {nil :d}}`, false},
		{"accept stitches the joiner into the ring", `{:peers [:a] :pairs {} :accepted {:a :d}}`,
			`{:fn :accept-join-cluster :args {:observer :d :subject :a :accepted-observer :a :accepted-joiner :d}}`,
			`{:peers [:a :d] :pairs {:a :d :d :a} :accepted {} :peer-state {:d :idle}}`, false},
		{"abort on a replica without accepted writes :accepted nil", `{:prepared {:a :d}}`,
			`{:fn :abort-join-cluster :args {:id :d}}`,
			`{:prepared {} :accepted nil}`, false},
		{"leave closes the ring around the dead peer", `{:peers [:a :b :c] :pairs {:a :b :b :c :c :a} :allocations {:j {:t [:a :c]}}}`,
			`{:fn :leave-cluster :args {:id :c}}`,
			`{:peers [:a :b] :pairs {:a :b :b :a} :prepared nil :accepted nil :peer-state nil :allocations {:j {:t [:a]}}}`, false},
		{"submit records the job without allocating", `{:job-scheduler :onyx.job-scheduler/greedy}`,
			`{:fn :submit-job :args {:id :j :tasks (:t1 :t2) :task-scheduler :onyx.task-scheduler/greedy :saturation ##Inf :task-saturation {:t1 ##Inf :t2 ##Inf}}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy :jobs [:j] :tasks {:j [:t1 :t2]} :task-schedulers {:j :onyx.task-scheduler/greedy} :allocations {:j {}} :saturation {:j ##Inf} :task-saturation {:j {:t1 ##Inf :t2 ##Inf}}}`, false},
		{"submit under the percentage schedulers stores the percentages", `{:job-scheduler :onyx.job-scheduler/percentage}`,
			`{:fn :submit-job :args {:id :j :tasks [:t] :task-scheduler :onyx.task-scheduler/percentage :saturation 1 :task-saturation {:t 1} :percentage 30 :task-percentages {:t 100}}}`,
			`{:job-scheduler :onyx.job-scheduler/percentage :jobs [:j] :tasks {:j [:t]} :task-schedulers {:j :onyx.task-scheduler/percentage} :allocations {:j {}} :saturation {:j 1} :task-saturation {:j {:t 1}} :percentages {:j 30} :task-percentages {:j {:t 100}}}`, false},
		{"kill replaces the whole peer state", `{:jobs [:j] :tasks {:j [:t]} :allocations {:j {:t [:a]}} :peer-state {:a :active :b :active}}`,
			`{:fn :kill-job :args {:job :j}}`,
			`{:jobs [:j] :tasks {:j [:t]} :allocations {} :killed-jobs [:j] :peer-state {:a :idle}}`, false},
		{"kill of a complete job changes nothing", `{:jobs [:j] :tasks {:j [:t]} :completions {:j [:t]}}`,
			`{:fn :kill-job :args {:job :j}}`,
			`{:jobs [:j] :tasks {:j [:t]} :completions {:j [:t]}}`, false},
		{"gc drops finished jobs and leaves nil keys", `{:jobs [:j :k] :tasks {:j [:t] :k [:u]} :completions {:j [:t]} :task-saturation {:j {:t 1}}}`,
			`{:fn :gc :args {:id :g}}`,
			`{:jobs [:k] :killed-jobs [] :tasks {:k [:u]} :allocations nil :completions {} :task-schedulers nil :percentages nil :task-percentages nil :saturation nil :task-saturation {:j {:t 1}}}`, false},
		{"gc without finished jobs changes nothing", `{:jobs [:k] :tasks {:k [:u]}}`,
			`{:fn :gc :args {:id :g}}`, `{:jobs [:k] :tasks {:k [:u]}}`, false},
		{"the only active peer may seal", `{:allocations {:j {:t [:a :b]}} :peer-state {:a :active :b :idle}}`,
			`{:fn :seal-task :args {:id :a :job :j :task :t}}`,
			`{:allocations {:j {:t [:a :b]}} :peer-state {:a :active :b :idle} :sealing-task {:t :a}}`, false},
		{"a peer that may not seal goes idle and leaves", `{:allocations {:j {:t [:a :b]}} :peer-state {:a :active :b :active}}`,
			`{:fn :seal-task :args {:id :a :job :j :task :t}}`,
			`{:allocations {:j {:t [:b]}} :peer-state {:a :idle :b :active} :sealing-task {:t true}}`, false},
		{"complete idles the task's peers", `{:allocations {:j {:t [:a] :u [:b]}} :peer-state {:a :active :b :active}}`,
			`{:fn :complete-task :args {:job :j :task :t}}`,
			`{:allocations {:j {:u [:b]}} :peer-state {:a :idle :b :active} :completions {:j [:t]}}`, false},
		{"an unknown command is flagged", `{}`, `{:fn :signal-ready :args {:id :a}}`, "", false},
		{"a join without a joiner is flagged", `{}`, `{:fn :prepare-join-cluster :args {}}`, "", false},
		{"submit with a map of tasks is flagged", `{}`, `{:fn :submit-job :args {:id :j :tasks {:a 1}}}`, "", false},
		{"a replica whose :prepared is a vector crashes", `{:prepared [1]}`, `{:fn :abort-join-cluster :args {:id :a}}`, "", true},
	})
}

func TestEraASchedulers(t *testing.T) {
	const jobs2 = `:peers [:a :b :c :d] :jobs [:j :k] :tasks {:j [:t1 :t2] :k [:u1]} :saturation {:j ##Inf :k ##Inf} `
	runApplyCases(t, "0.5.3", []applyCase{
		{"greedy puts the peer on the first task of the first job",
			`{:job-scheduler :onyx.job-scheduler/greedy ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {} :k {}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a]} :k {}} :peer-state {:a :active}}`, false},
		{"greedy skips killed jobs",
			`{:job-scheduler :onyx.job-scheduler/greedy ` + jobs2 + `:killed-jobs [:j] :task-schedulers {:k :onyx.task-scheduler/greedy} :allocations {:k {}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy ` + jobs2 + `:killed-jobs [:j] :task-schedulers {:k :onyx.task-scheduler/greedy} :allocations {:k {:u1 [:a]}} :peer-state {:a :active}}`, false},
		{"round-robin gives the peer to the job below its share",
			`{:job-scheduler :onyx.job-scheduler/round-robin ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a :b]} :k {}}}`,
			`{:fn :volunteer-for-task :args {:id :c}}`,
			`{:job-scheduler :onyx.job-scheduler/round-robin ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a :b]} :k {:u1 [:c]}} :peer-state {:c :active}}`, false},
		{"round-robin leaves a saturated cluster alone",
			`{:job-scheduler :onyx.job-scheduler/round-robin ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a :b]} :k {:u1 [:c :d]}}}`,
			`{:fn :volunteer-for-task :args {:id :c}}`,
			`{:job-scheduler :onyx.job-scheduler/round-robin ` + jobs2 + `:task-schedulers {:j :onyx.task-scheduler/greedy :k :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a :b]} :k {:u1 [:c :d]}}}`, false},
		{"the round-robin task scheduler makes an allocated peer hop",
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a :b :c] :jobs [:j] :tasks {:j [:t1 :t2]} :task-schedulers {:j :onyx.task-scheduler/round-robin} :allocations {:j {:t1 [:a :c] :t2 [:b]}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a :b :c] :jobs [:j] :tasks {:j [:t1 :t2]} :task-schedulers {:j :onyx.task-scheduler/round-robin} :allocations {:j {:t1 [:c] :t2 [:b :a]}} :peer-state {:a :active}}`, false},
		{"completions out of task order leave the task a candidate",
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a] :jobs [:j] :tasks {:j [:t1 :t2 :t3]} :completions {:j [:t2]} :task-schedulers {:j :onyx.task-scheduler/greedy} :allocations {:j {}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a] :jobs [:j] :tasks {:j [:t1 :t2 :t3]} :completions {:j [:t2]} :task-schedulers {:j :onyx.task-scheduler/greedy} :allocations {:j {:t1 [:a]}} :peer-state {:a :active}}`, false},
		{"the percentage task scheduler fills the task below its share",
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a :b :c :d] :jobs [:j] :tasks {:j [:t1 :t2]} :task-schedulers {:j :onyx.task-scheduler/percentage} :task-percentages {:j {:t1 25 :t2 75}} :allocations {:j {:t2 [:b :c]}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`,
			`{:job-scheduler :onyx.job-scheduler/greedy :peers [:a :b :c :d] :jobs [:j] :tasks {:j [:t1 :t2]} :task-schedulers {:j :onyx.task-scheduler/percentage} :task-percentages {:j {:t1 25 :t2 75}} :allocations {:j {:t2 [:b :c :a]}} :peer-state {:a :active}}`, false},
		{"the percentage job scheduler crashes on a job beyond 100%",
			`{:job-scheduler :onyx.job-scheduler/percentage ` + jobs2 + `:percentages {:j 60 :k 60} :killed-jobs [:j] :task-schedulers {:k :onyx.task-scheduler/greedy} :allocations {:k {}}}`,
			`{:fn :volunteer-for-task :args {:id :a}}`, "", true},
		{"the percentage job scheduler crashes without jobs",
			`{:job-scheduler :onyx.job-scheduler/percentage :peers [:a]}`,
			`{:fn :volunteer-for-task :args {:id :a}}`, "", true},
		{"an unknown job scheduler crashes",
			`{:job-scheduler :onyx.job-scheduler/balanced :peers [:a]}`,
			`{:fn :volunteer-for-task :args {:id :a}}`, "", true},
	})
}

// TestWorkedExample73 replays onyx-log-format.md §7.3 and checks the states the
// spec describes after its key entries.
func TestWorkedExample73(t *testing.T) {
	c, err := loadFixture("testdata/0.5.3/doc-example-7-3.edn")
	if err != nil {
		t.Fatal(err)
	}
	P1, P2, P3 := value.MustUUID("3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01"), value.MustUUID("a72c5e90-4d3b-4f21-8e6a-5b9c0d1e2f02"), value.MustUUID("5d8f2b14-9e6a-4c37-b1d2-7f3e4a5b6c03")
	J1 := value.MustUUID("7b1e0c3a-1111-4a2b-9c3d-0e1f2a3b4c51")
	T1, T2, T3 := value.MustUUID("d0a1b2c3-0001-4000-8000-00000000a101"), value.MustUUID("d0a1b2c3-0001-4000-8000-00000000a102"), value.MustUUID("d0a1b2c3-0001-4000-8000-00000000a103")
	r := FromMap(c.initial)
	after := map[int64]Replica{}
	for _, e := range c.entries {
		if r, err = Apply(c.version, r, e); err != nil {
			t.Fatalf("entry %d: %v", e.Seq, err)
		}
		after[e.Seq] = r
	}
	alloc := func(seq int64, task value.UUID) []value.Value { return after[seq].Allocations()[J1][task] }
	checks := []struct {
		name string
		ok   bool
	}{
		{"after 10 round-robin spread P3, P1, P2 over T1, T2, T3",
			len(alloc(10, T1)) == 1 && alloc(10, T1)[0] == value.Value(P3) && alloc(10, T2)[0] == value.Value(P1) && alloc(10, T3)[0] == value.Value(P2)},
		{"after 11 P3 seals T1", value.Equal(after[11].Map().Val(kwSealingTask), value.NewMap(T1, P3))},
		{"after 12 T1 is complete and P3 idle", value.Equal(value.Vector(after[12].Completions(J1)), value.Vector{T1}) && after[12].PeerState(P3) == kwIdle},
		{"after 13 P3 joins T2", value.Equal(value.Vector(alloc(13, T2)), value.Vector{P1, P3})},
		{"after 14 J1 is killed but stays in :jobs", value.Equal(value.Vector(after[14].KilledJobs()), value.Vector{J1}) && value.Equal(value.Vector(after[14].Jobs()), value.Vector{J1})},
		{"after 17 nothing moved", value.Equal(after[17].Map(), after[14].Map())},
		{"after 18 gc removed J1 but not its task saturation", len(after[18].Jobs()) == 0 && mapAt(after[18].Map(), kwTaskSaturation).Has(J1)},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("§7.3: %s: not so", ch.name)
		}
	}
}
