package replay

import (
	"slices"
	"testing"

	"onyx-dashboard/model/value"
)

// The write floor: what the value model charges for producing each replica
// when nothing at all is computed. Every entry's changes are found beforehand
// by diffing consecutive replicas of a real replay; the timed loop then only
// writes them, with the fewest map operations (one transient per changed
// map, recursing into nested maps so only changed paths are copied). No
// Apply, however clever its schedulers, can write less than this, so the
// floor bounds what any engine keeping per-entry persistent replicas in these
// maps can reach.
//
// It is generous to Apply: sets and other leaves arrive built, and a value
// rebuilt equal to the old one is not written at all. Vectors are copied, as
// any engine on Go slices must copy the one it changes.

// patch is one changed key of a map: its new value, its removal, or, when
// both sides are maps, the changes inside it.
type patch struct {
	k   value.Value
	v   value.Value
	del bool
	sub []patch
}

// diffPatch lists what turns a into b, down to the deepest changed maps.
func diffPatch(a, b *value.Map) []patch {
	var ps []patch
	value.DiffKeys(a, b, func(k, va, vb value.Value, inA, inB bool) {
		switch {
		case !inB:
			ps = append(ps, patch{k: k, del: true})
		case !inA:
			ps = append(ps, patch{k: k, v: vb})
		case value.SameRef(va, vb) || value.Equal(va, vb):
		default:
			ma, okA := va.(*value.Map)
			mb, okB := vb.(*value.Map)
			if okA && okB && ma != nil && mb != nil {
				if sub := diffPatch(ma, mb); len(sub) > 0 {
					ps = append(ps, patch{k: k, sub: sub})
				}
				return
			}
			ps = append(ps, patch{k: k, v: vb})
		}
	})
	return ps
}

// writePatch writes ps into m: the timed work of the floor.
func writePatch(m *value.Map, ps []patch) *value.Map {
	if len(ps) == 1 {
		p := ps[0]
		switch {
		case p.del:
			return m.Dissoc(p.k)
		case p.sub != nil:
			return m.Assoc(p.k, writePatch(m.Val(p.k).(*value.Map), p.sub))
		default:
			return m.Assoc(p.k, leafCopy(p.v))
		}
	}
	t := m.AsTransient()
	for _, p := range ps {
		switch {
		case p.del:
			t.Dissoc(p.k)
		case p.sub != nil:
			t.Assoc(p.k, writePatch(t.Val(p.k).(*value.Map), p.sub))
		default:
			t.Assoc(p.k, leafCopy(p.v))
		}
	}
	return t.Persistent()
}

// leafCopy makes the copy an engine on Go slices must make of a vector it
// changes; other leaves are taken as they are.
func leafCopy(v value.Value) value.Value {
	if xs, ok := v.(value.Vector); ok {
		return slices.Clone(xs)
	}
	return v
}

// floorLog is one era's benchmark log as patches, with the replicas the real
// replay made at its start and end.
type floorLog struct {
	start, end Replica
	patches    [][]patch
}

func newFloorLog(tb testing.TB, v Version, start Replica, log []value.Entry) floorLog {
	tb.Helper()
	fl := floorLog{start: start, patches: make([][]patch, 0, len(log))}
	prev := start
	for _, e := range log {
		r, _ := Apply(v, prev, e) // a flagged entry leaves the replica as it was
		fl.patches = append(fl.patches, diffPatch(prev.Map(), r.Map()))
		prev = r
	}
	fl.end = prev
	return fl
}

// floorVersions are the versions BenchmarkApply and BenchmarkApplyD time,
// by era.
var floorVersions = map[string]string{"A": "0.5.3", "B": "0.8.3", "C": "0.9.15", "D": "0.14.6"}

// floorEraLog is era's benchmark log of n entries, with its version and the
// replica it starts from: for eras A and B with peers peers and about jobs
// live jobs, for C and D (about 100 vpeers and 10 jobs) from seed.
func floorEraLog(tb testing.TB, era string, peers, jobs, n int, seed uint64) (Version, Replica, []value.Entry) {
	v := MustVersion(floorVersions[era])
	switch era {
	case "A":
		start, log := eraALog(tb, v, jobSchedulerRoundRobin, peers, jobs, n)
		return v, start, log
	case "B":
		start, log := eraBLog(tb, v, peers, jobs, n)
		return v, start, log
	}
	start, log, _ := benchLogCD(tb, v, seed, n)
	return v, start, log
}

// TestWriteFloorRebuildsEveryReplica: the patches the floor writes, one
// after the other, rebuild every replica of the replay, so it times the
// right work.
func TestWriteFloorRebuildsEveryReplica(t *testing.T) {
	for _, era := range []string{"A", "B", "C", "D"} {
		t.Run("era="+era, func(t *testing.T) {
			n := map[string]int{"A": 3000, "B": 3000, "C": 1500, "D": 1500}[era]
			v, start, log := floorEraLog(t, era, 30, 4, n, 7)
			fl := newFloorLog(t, v, start, log)
			r, got := start, start.Map()
			writes := 0
			for i, e := range log {
				r, _ = Apply(v, r, e)
				got = writePatch(got, fl.patches[i])
				writes += len(fl.patches[i])
				if !value.Equal(got, r.Map()) {
					t.Fatalf("entry %d %s: the floor wrote %s, the replay made %s", e.Seq, e.Fn, value.PrStr(got), value.PrStr(r.Map()))
				}
			}
			if writes < n/2 {
				t.Errorf("%d top-level writes for %d entries: the patches miss changes", writes, n)
			}
		})
	}
}

// BenchmarkReplicaWriteFloor times only the writes of each era's benchmark
// log (see the top of this file): the ceiling on BenchmarkApply and
// BenchmarkApplyD for any engine on these maps.
func BenchmarkReplicaWriteFloor(b *testing.B) {
	for _, era := range []string{"A", "B", "C", "D"} {
		b.Run("era="+era, func(b *testing.B) {
			v, start, log := floorEraLog(b, era, 100, 10, 100_000, 42)
			fl := newFloorLog(b, v, start, log)
			b.ReportAllocs()
			cpu0, cpuOK := processCPUTime()
			var r *value.Map
			for b.Loop() {
				r = fl.start.Map()
				for _, ps := range fl.patches {
					r = writePatch(r, ps)
				}
			}
			n := len(fl.patches)
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
			if cpu1, ok := processCPUTime(); ok && cpuOK && cpu1 > cpu0 {
				b.ReportMetric(float64(n*b.N)/(cpu1-cpu0).Seconds(), "entries/cpu-s")
			}
			if !value.Equal(r, fl.end.Map()) {
				b.Fatal("the floor's last replica differs from the replay's")
			}
		})
	}
}
