package main

import (
	"bytes"
	"strings"
	"testing"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// An era D log (Onyx 0.14.6) replays from the command line, with the note
// that its placement is an estimate.
func TestRunReplayEraD(t *testing.T) {
	file := writeTemp(t, "d.edn", `{:onyx-version "0.14.6"
 :log-parameters {:job-scheduler :onyx.job-scheduler/balanced :messaging {:onyx.messaging/impl :aeron} :log-version "0.14.6"}
 :entries
 [{:fn :prepare-join-cluster :args {:joiner #uuid "0b7a9c2e-6f51-4d08-b3a4-95c1d7e2f3a6"}}
  {:fn :add-virtual-peer :args {:id #uuid "3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01" :group-id #uuid "0b7a9c2e-6f51-4d08-b3a4-95c1d7e2f3a6" :peer-site {:address "10.0.0.1"} :tags nil}}
  {:fn :submit-job :args {:id #uuid "7b1e0c3a-1111-4a2b-9c3d-0e1f2a3b4c51" :tasks [:in] :task-scheduler :onyx.task-scheduler/balanced
                          :saturation ##Inf :task-saturation {:in ##Inf} :min-required-peers {:in 1} :flux-policies {}
                          :inputs [:in] :outputs [:in] :reducers [] :grouped [] :state [] :in->out {:in #{}} :required-tags {}}}]}`)
	var out, errb bytes.Buffer
	if code := runReplay([]string{"--open", file}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "placement") || !strings.Contains(errb.String(), "estimate") {
		t.Fatalf("stderr %q: want the estimated-placement note", errb.String())
	}
	v, err := edn.Read(out.Bytes())
	if err != nil {
		t.Fatalf("stdout %q: %v", out.String(), err)
	}
	r, _ := v.(*value.Map)
	if r.Val(value.Kw("version")) != value.Value(int64(2)) {
		t.Fatalf(":version %v, want 2", r.Val(value.Kw("version")))
	}
	job, _ := value.ParseUUID("7b1e0c3a-1111-4a2b-9c3d-0e1f2a3b4c51")
	peer, _ := value.ParseUUID("3f6e1a52-7c1d-4b8e-9a0f-2d4c6b8e1f01")
	want := value.NewMap(job, value.NewMap(value.Kw("in"), value.Vector{peer}))
	if got := r.Val(value.Kw("allocations")); !value.Equal(got, want) {
		t.Fatalf(":allocations %s, want %s", value.PrStr(got), value.PrStr(want))
	}
	if got := r.Val(value.Kw("coordinators")); !value.Equal(got, value.NewMap(job, peer)) {
		t.Fatalf(":coordinators %s", value.PrStr(got))
	}
}
