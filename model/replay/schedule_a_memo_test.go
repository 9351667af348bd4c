package replay

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// TestMemoAgreesWithFreshComputation replays a generated era A log and checks,
// before every entry, that the memoized shares and executable jobs are the
// ones computed afresh from the replica.
func TestMemoAgreesWithFreshComputation(t *testing.T) {
	v := MustVersion("0.5.3")
	start, log := eraALog(t, v, jobSchedulerRoundRobin, 20, 4, 3000)
	r := start
	for _, e := range log {
		m := r.Map()
		jobs, shares, err := balanceJobsA(m)
		sh := sharesOf(m)
		if err != nil || sh.err != nil {
			t.Fatalf("seq %d: balance-jobs failed: fresh %v, memo %v", e.Seq, err, sh.err)
		}
		if !slices.Equal(shares, sh.shares) || len(jobs) != len(sh.jobs) {
			t.Fatalf("seq %d: shares: got %v, want %v", e.Seq, sh.shares, shares)
		}
		if got, want := executableOf(m), executableJobsA(m); !value.Equal(value.Vector(got), value.Vector(want)) {
			t.Fatalf("seq %d: executable jobs: got %v, want %v", e.Seq, got, want)
		}
		if r, err = Apply(v, r, e); err != nil {
			t.Fatalf("seq %d: %v", e.Seq, err)
		}
	}
}

func TestSameValueIsIdentityNotEquality(t *testing.T) {
	a := value.Vector{value.Kw("x")}
	b := value.Vector{value.Kw("x")}
	m := value.NewMap(value.Kw("k"), int64(1))
	for _, c := range []struct {
		name string
		x, y value.Value
		want bool
	}{
		{"a vector is itself", a, a, true},
		{"an equal vector with its own array is not", a, b, false},
		{"a prefix of the same array is not", a, a[:0], false},
		{"a map is itself", m, m, true},
		{"an equal map built apart is not", m, value.NewMap(value.Kw("k"), int64(1)), false},
		{"nil is nil", nil, nil, true},
		{"numbers are never known the same", int64(1), int64(1), false},
	} {
		if got := sameValue(c.x, c.y); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
