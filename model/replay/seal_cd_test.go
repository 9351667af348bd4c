package replay

import (
	"fmt"
	"testing"

	"onyx-dashboard/model/value"
)

// sealOutputPlainC is seal-output of era C assoc by assoc, as it was before
// applySealOutputC wrote its changes through a cdRep: the reference.
func sealOutputPlainC(r *value.Map, e value.Entry, f cdflags) (*value.Map, error) {
	job, task, err := jobTaskArgsCD(e)
	if err != nil {
		return nil, err
	}
	old := r
	r = unionIn(r, kwSealedOutputs, job, task)
	outs := value.NewSet(items(mapAt(r, kwOutputTasks).Val(job))...)
	if !value.Equal(outs, mapAt(r, kwSealedOutputs).Val(job)) {
		return r, nil
	}
	var peers []value.Value
	mapOf(mapAt(r, kwAllocations).Val(job)).Range(func(_, ps value.Value) bool {
		peers = append(peers, items(ps)...)
		return true
	})
	r = r.Assoc(kwExhaustedInputs, mapAt(r, kwExhaustedInputs).Dissoc(job))
	r = r.Assoc(kwSealedOutputs, mapAt(r, kwSealedOutputs).Dissoc(job))
	r = r.Assoc(kwJobs, removeValue(items(r.Val(kwJobs)), job))
	r = r.Assoc(kwCompletedJobs, conjVec(items(r.Val(kwCompletedJobs)), job))
	r = r.Assoc(kwAllocations, mapAt(r, kwAllocations).Dissoc(job))
	ps := mapAt(r, kwPeerState)
	for _, p := range peers {
		ps = ps.Assoc(p, kwIdle)
	}
	r = r.Assoc(kwPeerState, ps)
	return reconfigureCD(r, old, f)
}

// TestSealOutputC checks applySealOutputC against the plain way on the
// seal-output entries of random era C logs (0.8.4 peers, 0.9.15 groups):
// the same replica, printed alike, or the same error.
func TestSealOutputC(t *testing.T) {
	for _, vs := range []string{"0.9.15", "0.8.4"} {
		for seed := uint64(50); seed < 53; seed++ {
			t.Run(fmt.Sprintf("onyx %s seed %d", vs, seed), func(t *testing.T) {
				v := MustVersion(vs)
				g := newGenCD(t, v, seed, false)
				start := g.r
				for g.seq < 1500 {
					g.step()
				}
				r := start
				checked := 0
				for _, e := range g.out {
					next, err := Apply(v, r, e)
					if e.Fn == value.Kw("seal-output") {
						want, werr := sealOutputPlainC(r.Map(), e, flagsCD(v))
						if (err == nil) != (werr == nil) {
							t.Fatalf("entry %d: error %v, the plain way %v", e.Seq, err, werr)
						}
						if err == nil {
							if got, w := value.PrStr(next.Map()), value.PrStr(want); got != w {
								t.Fatalf("entry %d: seal-output differs at %s", e.Seq, textDiff(got, w))
							}
						}
						checked++
					}
					if err == nil {
						r = next
					}
				}
				if checked < 5 {
					t.Fatalf("the log has %d seal-output entries, want 5 or more", checked)
				}
			})
		}
	}
}
