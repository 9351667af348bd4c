package timeline

import (
	"fmt"
	"strings"

	"onyx-dashboard/model/value"
)

// Diff is what changed in the cluster between two positions.
type Diff struct {
	From, To    int
	JobsAdded   []value.Value
	JobsRemoved []value.Value
	JobStatus   []JobChange
	PeersJoined []value.Value
	PeersLeft   []value.Value
	Tasks       []TaskChange
	Moved       []Move
	// Paths are the replica key paths whose values differ, deepest map level
	// first reached (a generic recursive diff of the two replica maps).
	Paths [][]value.Value
}

// JobChange is a job whose status changed ("waiting", "running", "completed",
// "killed"; "" when absent).
type JobChange struct {
	Job      value.Value
	From, To string
}

// TaskChange is the peers a task gained and lost.
type TaskChange struct {
	Job, Task    value.Value
	Gained, Lost []value.Value
}

// Move is a peer that changed tasks.
type Move struct {
	Peer              value.Value
	FromJob, FromTask value.Value
	ToJob, ToTask     value.Value
}

// Diff compares the replicas after positions a and b (-1: the origin).
func (t *Timeline) Diff(a, b int) Diff {
	ra, rb := t.Replica(a).Map(), t.Replica(b).Map()
	d := Diff{From: a, To: b, Paths: Paths(ra, rb)}
	aorder, ast := jobStatuses(ra)
	border, bst := jobStatuses(rb)
	for _, j := range border {
		if _, ok := ast[j]; !ok {
			d.JobsAdded = append(d.JobsAdded, j)
		} else if ast[j] != bst[j] {
			d.JobStatus = append(d.JobStatus, JobChange{Job: j, From: ast[j].String(), To: bst[j].String()})
		}
	}
	for _, j := range aorder {
		if _, ok := bst[j]; !ok {
			d.JobsRemoved = append(d.JobsRemoved, j)
		}
	}
	pa, pb := setOf(value.Items(ra.Val(kPeers))), setOf(value.Items(rb.Val(kPeers)))
	for _, p := range value.Items(rb.Val(kPeers)) {
		if !pa.has(p) {
			d.PeersJoined = append(d.PeersJoined, p)
		}
	}
	for _, p := range value.Items(ra.Val(kPeers)) {
		if !pb.has(p) {
			d.PeersLeft = append(d.PeersLeft, p)
		}
	}
	d.Tasks, d.Moved = allocDiff(asMap(ra.Val(kAllocations)), asMap(rb.Val(kAllocations)))
	return d
}

func allocDiff(a, b *value.Map) ([]TaskChange, []Move) {
	var tasks []TaskChange
	from := map[value.Value]slot{}
	type gain struct {
		p value.Value
		s slot
	}
	var gains []gain
	diffKeys(a, b, func(j value.Value) {
		aj, bj := asMap(a.Val(j)), asMap(b.Val(j))
		diffKeys(aj, bj, func(t value.Value) {
			ap, bp := value.Items(aj.Val(t)), value.Items(bj.Val(t))
			as, bs := setOf(ap), setOf(bp)
			tc := TaskChange{Job: j, Task: t}
			for _, p := range bp {
				if !as.has(p) {
					tc.Gained = append(tc.Gained, p)
					gains = append(gains, gain{p, slot{j, t}})
				}
			}
			for _, p := range ap {
				if !bs.has(p) {
					tc.Lost = append(tc.Lost, p)
					if isID(p) {
						from[p] = slot{j, t}
					}
				}
			}
			if len(tc.Gained)+len(tc.Lost) > 0 {
				tasks = append(tasks, tc)
			}
		})
	})
	var moves []Move
	for _, g := range gains {
		if f, ok := from[g.p]; ok && isID(g.p) {
			moves = append(moves, Move{Peer: g.p, FromJob: f.job, FromTask: f.task, ToJob: g.s.job, ToTask: g.s.task})
		}
	}
	return tasks, moves
}

// Paths returns the key paths at which two maps differ: where both sides
// hold maps it descends, otherwise the path itself differs. A key whose value
// is nil reads as absent (Onyx's update-in … dissoc leaves :k nil).
func Paths(a, b *value.Map) [][]value.Value {
	var out [][]value.Value
	paths(nil, a, b, &out)
	return out
}

func paths(prefix []value.Value, a, b *value.Map, out *[][]value.Value) {
	diffKeys(a, b, func(k value.Value) {
		p := append(append([]value.Value(nil), prefix...), k)
		am, aok := a.Val(k).(*value.Map)
		bm, bok := b.Val(k).(*value.Map)
		if aok && bok {
			paths(p, am, bm, out)
			return
		}
		*out = append(*out, p)
	})
}

// String prints the diff for people, one change a line, ids in full EDN:
// what `onyx-dashboard replay … --diff A B` shows.
func (d Diff) String() string {
	var b strings.Builder
	list := func(label string, xs []value.Value) {
		if len(xs) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", label, joinEDN(xs))
		}
	}
	list("jobs added", d.JobsAdded)
	list("jobs removed", d.JobsRemoved)
	for _, c := range d.JobStatus {
		fmt.Fprintf(&b, "job %s: %s → %s\n", prStr(c.Job), c.From, c.To)
	}
	list("peers joined", d.PeersJoined)
	list("peers left", d.PeersLeft)
	for _, c := range d.Tasks {
		fmt.Fprintf(&b, "task %s of job %s:", prStr(c.Task), prStr(c.Job))
		if len(c.Gained) > 0 {
			fmt.Fprintf(&b, " gained %s", joinEDN(c.Gained))
		}
		if len(c.Lost) > 0 {
			fmt.Fprintf(&b, " lost %s", joinEDN(c.Lost))
		}
		b.WriteByte('\n')
	}
	for _, m := range d.Moved {
		fmt.Fprintf(&b, "peer %s moved from task %s of job %s to task %s of job %s\n",
			prStr(m.Peer), prStr(m.FromTask), prStr(m.FromJob), prStr(m.ToTask), prStr(m.ToJob))
	}
	for _, p := range d.Paths {
		fmt.Fprintf(&b, "changed %s\n", prStr(value.Vector(p)))
	}
	return b.String()
}

func joinEDN(xs []value.Value) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = prStr(x)
	}
	return strings.Join(s, ", ")
}
