package timeline

import (
	"fmt"
	"strings"

	"onyx-dashboard/model/value"
)

// Kind is what an event says happened.
type Kind uint8

// The kinds of events. The comment of each gives the ids its event carries, in
// order; Event sorts them into Jobs, Tasks, Peers and Groups.
const (
	KindPeerJoined      Kind = iota + 1 // peer, watcher (when it has one)
	KindPeerLeft                        // peer
	KindJoinAborted                     // joiner
	KindGroupJoined                     // group (0.9.7+)
	KindGroupLeft                       // group
	KindJobSubmitted                    // job, its tasks
	KindJobStarted                      // job, its peers: the job got peers for the first time
	KindJobResumed                      // job, its peers: peers again after starving
	KindJobStarved                      // job: lost all its peers while live
	KindJobCompleted                    // job
	KindJobKilled                       // job
	KindTaskPeers                       // job, task, peers gained, peers lost
	KindPeerMoved                       // peer, job and task it left, job and task it joined
	KindTaskCompleted                   // job, task (era A :completions)
	KindInputExhausted                  // job, task
	KindOutputSealed                    // job, task
	KindBackpressureOn                  // peer
	KindBackpressureOff                 // peer
	KindGC                              // the jobs it removed
	// Anomalies.
	KindJobWithoutPeers      // job: live without peers for Options.Patience entries
	KindPeerInTwoAllocations // peer and two job/task pairs holding it
	KindJoinNeverAccepted    // joiner, watcher: prepared Options.Patience entries ago
	KindPlacementEstimated   // none: allocations of 0.8.4+ are an estimate
	KindFlagged              // none: the entry left the replica unchanged (Flag has why)
	numKinds
)

var kindNames = [numKinds]string{
	KindPeerJoined: "peer-joined", KindPeerLeft: "peer-left", KindJoinAborted: "join-aborted",
	KindGroupJoined: "group-joined", KindGroupLeft: "group-left",
	KindJobSubmitted: "job-submitted", KindJobStarted: "job-started", KindJobResumed: "job-resumed",
	KindJobStarved: "job-starved", KindJobCompleted: "job-completed", KindJobKilled: "job-killed",
	KindTaskPeers: "task-peers", KindPeerMoved: "peer-moved", KindTaskCompleted: "task-completed",
	KindInputExhausted: "input-exhausted", KindOutputSealed: "output-sealed",
	KindBackpressureOn: "backpressure-on", KindBackpressureOff: "backpressure-off", KindGC: "gc",
	KindJobWithoutPeers: "job-without-peers", KindPeerInTwoAllocations: "peer-in-two-allocations",
	KindJoinNeverAccepted: "join-never-accepted", KindPlacementEstimated: "placement-estimated",
	KindFlagged: "flagged",
}

// String is the kind's name as the CLI's --kind takes it ("peer-joined").
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Anomaly reports kinds that point at something wrong or uncertain.
func (k Kind) Anomaly() bool { return k >= KindJobWithoutPeers && k < numKinds }

// Kinds lists every kind in order.
func Kinds() []Kind {
	out := make([]Kind, 0, numKinds-1)
	for k := Kind(1); k < numKinds; k++ {
		out = append(out, k)
	}
	return out
}

// ParseKind reads a kind's name; "anomaly" is not a kind (see Filter.Anomalies).
func ParseKind(s string) (Kind, error) {
	for k := Kind(1); k < numKinds; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown event kind %q", s)
}

// Event is something an entry did to the cluster, derived from the replicas
// before and after it.
type Event struct {
	Pos  int
	Seq  int64
	Time int64 // the entry's znode ctime in epoch ms; 0 when unknown
	Kind Kind
	// The ids the event concerns, by role, in the order the kind lists them.
	Jobs, Tasks, Peers, Groups []value.Value
	// Text is one plain-language line ("peer 3f6e… joined, watched by a72c…").
	Text string
}

// ref is an id an event refers to: its role, a flag, and its interned number.
type ref uint32

const (
	roleJob uint32 = iota
	roleTask
	rolePeer
	roleGroup

	roleShift = 29
	altBit    = 1 << 28 // a lost peer in KindTaskPeers
	idMask    = altBit - 1
)

func mkref(role uint32, id int32) ref { return ref(role<<roleShift | uint32(id)&idMask) }
func (r ref) role() uint32            { return uint32(r) >> roleShift }
func (r ref) id() int32               { return int32(uint32(r) & idMask) }
func (r ref) alt() bool               { return uint32(r)&altBit != 0 }

// store holds the events of every entry, in order: 5 bytes an event (its
// kind and where its refs start; its position is known from first) plus 4
// per ref.
type store struct {
	kinds  []Kind
	starts []uint32 // starts[i] is event i's first ref; the next event's start ends them
	refs   []ref
	first  []uint32 // first[pos] = index of pos's first event; len = entries+1
}

func newStore() store { return store{first: []uint32{0}} }

// pending is an event built by the deriver before it is stored.
type pending struct {
	kind Kind
	refs []ref
}

func (s *store) add(evs []pending) {
	for _, e := range evs {
		s.kinds = append(s.kinds, e.kind)
		s.starts = append(s.starts, uint32(len(s.refs)))
		s.refs = append(s.refs, e.refs...)
	}
	s.first = append(s.first, uint32(len(s.kinds)))
}

// refsOf returns the refs of event i.
func (s *store) refsOf(i int) []ref {
	end := uint32(len(s.refs))
	if i+1 < len(s.starts) {
		end = s.starts[i+1]
	}
	return s.refs[s.starts[i]:end]
}

// render turns a stored event of pos, of kind k, into an Event; vals are the
// interned ids and why explains a flagged entry.
func render(pos int, seq, created int64, k Kind, refs []ref, vals []value.Value, patience int, why string) Event {
	ev := Event{Pos: pos, Seq: seq, Time: created, Kind: k}
	ids := make([]value.Value, len(refs))
	var gained, lost []string
	for i, r := range refs {
		v := vals[r.id()]
		ids[i] = v
		switch r.role() {
		case roleJob:
			ev.Jobs = appendNew(ev.Jobs, v)
		case roleTask:
			ev.Tasks = appendNew(ev.Tasks, v)
		case rolePeer:
			ev.Peers = appendNew(ev.Peers, v)
			if r.alt() {
				lost = append(lost, shortID(v))
			} else if i >= 2 {
				gained = append(gained, shortID(v))
			}
		case roleGroup:
			ev.Groups = appendNew(ev.Groups, v)
		}
	}
	ev.Text = text(k, ids, gained, lost, patience, why)
	return ev
}

func appendNew(xs []value.Value, v value.Value) []value.Value {
	for _, x := range xs {
		if value.Equal(x, v) {
			return xs
		}
	}
	return append(xs, v)
}

func text(k Kind, ids []value.Value, gained, lost []string, patience int, why string) string {
	id := func(i int) string {
		if i < len(ids) {
			return shortID(ids[i])
		}
		return "?"
	}
	list := func(from int) string {
		var s []string
		for i := from; i < len(ids); i++ {
			s = append(s, shortID(ids[i]))
		}
		if len(s) == 0 {
			return "nothing"
		}
		return strings.Join(s, ", ")
	}
	switch k {
	case KindPeerJoined:
		if len(ids) > 1 {
			return fmt.Sprintf("peer %s joined, watched by %s", id(0), id(1))
		}
		return fmt.Sprintf("peer %s joined", id(0))
	case KindPeerLeft:
		return fmt.Sprintf("peer %s left", id(0))
	case KindJoinAborted:
		return fmt.Sprintf("join of peer %s aborted", id(0))
	case KindGroupJoined:
		return fmt.Sprintf("group %s joined", id(0))
	case KindGroupLeft:
		return fmt.Sprintf("group %s left", id(0))
	case KindJobSubmitted:
		return fmt.Sprintf("job %s submitted with %s", id(0), count(len(ids)-1, "task"))
	case KindJobStarted:
		return fmt.Sprintf("job %s started on %s", id(0), count(len(ids)-1, "peer"))
	case KindJobResumed:
		return fmt.Sprintf("job %s got peers again: %s", id(0), count(len(ids)-1, "peer"))
	case KindJobStarved:
		return fmt.Sprintf("job %s lost all its peers", id(0))
	case KindJobCompleted:
		return fmt.Sprintf("job %s completed", id(0))
	case KindJobKilled:
		return fmt.Sprintf("job %s killed", id(0))
	case KindTaskPeers:
		s := fmt.Sprintf("task %s of job %s", id(1), id(0))
		if len(gained) > 0 {
			s += " gained " + strings.Join(gained, ", ")
		}
		if len(lost) > 0 {
			if len(gained) > 0 {
				s += ";"
			}
			s += " lost " + strings.Join(lost, ", ")
		}
		return s
	case KindPeerMoved:
		return fmt.Sprintf("peer %s moved from task %s of job %s to task %s of job %s", id(0), id(2), id(1), id(4), id(3))
	case KindTaskCompleted:
		return fmt.Sprintf("task %s of job %s completed", id(1), id(0))
	case KindInputExhausted:
		return fmt.Sprintf("input task %s of job %s exhausted", id(1), id(0))
	case KindOutputSealed:
		return fmt.Sprintf("output task %s of job %s sealed", id(1), id(0))
	case KindBackpressureOn:
		return fmt.Sprintf("peer %s under backpressure", id(0))
	case KindBackpressureOff:
		return fmt.Sprintf("peer %s out of backpressure", id(0))
	case KindGC:
		return "gc removed jobs: " + list(0)
	case KindJobWithoutPeers:
		return fmt.Sprintf("job %s has had no peers for %d entries", id(0), patience)
	case KindPeerInTwoAllocations:
		return fmt.Sprintf("peer %s is allocated to task %s of job %s and task %s of job %s", id(0), id(2), id(1), id(4), id(3))
	case KindJoinNeverAccepted:
		return fmt.Sprintf("peer %s prepared to join under %s %d entries ago and is still not accepted", id(0), id(1), patience)
	case KindPlacementEstimated:
		return "peer placement of this Onyx version is estimated: per-task counts are right, which peer runs where may differ"
	case KindFlagged:
		return "entry flagged: " + why
	}
	return k.String()
}

// count says "1 peer", "3 peers".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
