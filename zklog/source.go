// Package zklog reads an Onyx tenancy's coordination log as stored in
// ZooKeeper (onyx-log-format.md §1): the Source interface that the ZooKeeper
// client (zklog/zk), archive files (zklog/archive) and the in-memory Memory
// implement, the decoding of raw znode bytes into entries, and the detection
// of the Onyx version that wrote a tenancy (detect.go).
//
// It imports model/value and model/codec only; never Fyne, never
// go-zookeeper (that is zklog/zk's alone).
package zklog

import (
	"context"
	"errors"
	"slices"
	"time"

	"onyx-dashboard/model/value"
)

// Source yields tenancies and their logs. zklog/zk, zklog/archive and Memory
// implement it. Every method may be called from any goroutine and blocks until
// it is done or ctx ends; what it returns belongs to the caller. A Source never
// writes to the store it reads.
type Source interface {
	// Tenancies lists the tenancies (deployments), cheaply: no entry is read
	// beyond the first one.
	Tenancies(ctx context.Context) ([]Tenancy, error)

	// Open reads what a replay of tenancy id starts from (onyx-log-format.md
	// §1.6): the origin, the parameters and the detected version. An unknown
	// id gives an error that wraps ErrNoTenancy.
	Open(ctx context.Context, id string) (Header, error)

	// Read returns the entries of tenancy id with Seq >= from that exist now,
	// in order, calling progress (which may be nil) as entries arrive. An entry
	// whose znode does not decode is returned with Err set; it does not fail
	// the read. When garbage collection deleted entries the read needs (from
	// is below the first entry, or entries vanished under the read), the error
	// wraps ErrTruncated: Open again and read from the new origin.
	Read(ctx context.Context, id string, from int64, progress Progress) ([]Entry, error)

	// Follow delivers the entries of tenancy id from Seq from on, in order,
	// as they are appended, and blocks until ctx ends (it then returns
	// ctx.Err()) or an error it cannot recover from. Each call of deliver
	// gets one Event, from one goroutine, never concurrently; deliver must
	// not block for long. Entries are neither lost nor repeated across
	// connection losses and session expiries; when garbage collection deleted
	// the next entry, Follow delivers an EventReset with the new origin and
	// continues after it.
	Follow(ctx context.Context, id string, from int64, deliver func(Event)) error

	// Job reads a job's data (catalog, workflow, …) on demand. taskIDs names
	// the job's tasks (from the replica) for logs of 0.5.0–0.9.6, whose task
	// znodes are not grouped by job; it may be nil.
	Job(ctx context.Context, id, jobID string, taskIDs []string) (Job, error)
}

// RawSource is the optional ability to read znodes as stored, for the
// archive writer, which copies bytes without decoding them.
type RawSource interface {
	// ReadRaw is Read without decoding.
	ReadRaw(ctx context.Context, id string, from int64, progress Progress) ([]RawEntry, error)
	// RawJob returns a job's znodes as stored, keyed by their path relative
	// to the tenancy ("catalog/<job>", "task/<job>/<task>" …). Absent znodes
	// are left out.
	RawJob(ctx context.Context, id, jobID string, taskIDs []string) (map[string][]byte, error)
}

// ChunkReader is the optional ability to read a tenancy's log a chunk at a
// time, so that a reader of a long log never holds all of it decoded (a
// million entries decode to some 230 MB). zklog/zk, zklog/archive and Memory
// implement it; the function ReadChunks uses it when a Source has it and
// falls back to Read when not.
type ChunkReader interface {
	// ReadChunks is Read delivered in pieces. It calls fn (and progress)
	// on the calling goroutine, one call at a time, with the entries of
	// tenancy id with Seq >= from in order, in consecutive chunks of chunk
	// entries (chunk < 1 counts as 1); only the last chunk may be shorter,
	// and an empty log gives no call. Entries are flagged, errors wrap
	// ErrTruncated and progress is called as by Read. It holds about one
	// chunk decoded besides what it reads ahead. fn owns the slice it gets
	// and may keep it.
	//
	// An error from fn stops the read, and ReadChunks returns it as is. On
	// any error, the chunks delivered stay delivered and the entries read
	// since are dropped.
	ReadChunks(ctx context.Context, id string, from int64, chunk int, progress Progress, fn func([]Entry) error) error
}

// ReadChunks reads tenancy id of src from Seq from as
// ChunkReader.ReadChunks does: with src's own when it is a ChunkReader,
// else with one Read (holding the whole log decoded) cut into chunks.
func ReadChunks(ctx context.Context, src Source, id string, from int64, chunk int, progress Progress, fn func([]Entry) error) error {
	if cr, ok := src.(ChunkReader); ok {
		return cr.ReadChunks(ctx, id, from, chunk, progress, fn)
	}
	es, err := src.Read(ctx, id, from, progress)
	if err != nil {
		return err
	}
	return deliverChunks(ctx, es, chunk, nil, fn)
}

// deliverChunks calls fn with es cut into chunks of chunk entries, calling
// progress (which may be nil) before each, until fn fails or ctx ends.
func deliverChunks(ctx context.Context, es []Entry, chunk int, progress Progress, fn func([]Entry) error) error {
	chunk = max(chunk, 1)
	for done := 0; done < len(es); {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := done + min(chunk, len(es)-done)
		part := es[done:end:end] // fn may append without touching the next chunk
		done = end
		if progress != nil {
			progress(done, len(es))
		}
		if err := fn(part); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// readAllChunk is the chunk ReadAll reads with: large, so that chunks cost
// little, and small enough for progress reports between them.
const readAllChunk = 1 << 16

// ReadAll is Source.Read made of a ChunkReader, so that an implementation's
// Read and ReadChunks share one path. It sizes the result by the first
// progress report.
func ReadAll(ctx context.Context, cr ChunkReader, id string, from int64, progress Progress) ([]Entry, error) {
	out := []Entry{}
	sized := func(done, total int) {
		if n := total - len(out); n > 0 {
			out = slices.Grow(out, n)
		}
		if progress != nil {
			progress(done, total)
		}
	}
	err := cr.ReadChunks(ctx, id, from, readAllChunk, sized, func(es []Entry) error {
		out = append(out, es...)
		return nil
	})
	return out, err
}

// Progress is told, during a read, how many entries of total have arrived.
type Progress func(done, total int)

// Sentinel errors; callers test them with errors.Is.
var (
	// ErrNoTenancy: the tenancy does not exist.
	ErrNoTenancy = errors.New("no such tenancy")
	// ErrTruncated: garbage collection deleted entries the reader needed.
	ErrTruncated = errors.New("log truncated by garbage collection")
	// ErrMissingEntry: an entry is absent and no origin covers it (deleted by
	// hand, not by Onyx's GC).
	ErrMissingEntry = errors.New("entry missing from the log")
)

// Tenancy is one deployment, /onyx/<id>, as listed.
type Tenancy struct {
	ID string
	// Created and Modified are the tenancy znode's ctime and the later of
	// its mtime and the last entry's ctime.
	Created, Modified time.Time
	// FirstSeq and LastSeq bound the entries present; both are -1 and Count
	// is 0 when the log is empty.
	FirstSeq, LastSeq int64
	Count             int
	// Pulses is the number of live pulse znodes (peers or peer groups).
	Pulses int
	// Version is detected from cheap evidence: znodes and the first entry.
	Version Detection
}

// Header is what a replay of a tenancy starts from.
type Header struct {
	Tenancy Tenancy
	// Version is detected from the znodes, the parameters, the origin and a
	// sample of entries.
	Version Detection
	// Evidence is what Version was detected from; a replay can Observe
	// more entries and Detect again.
	Evidence Evidence
	Origin   Origin
	Params   Params
}

// Origin is /origin/origin, {:message-id N :replica R}: the compaction
// snapshot. Replay continues at MessageID+1.
type Origin struct {
	MessageID int64
	// Replica is the origin's replica as stored, nil when absent.
	Replica value.Value
	// Raw is the znode's bytes, nil when the znode is absent (a fresh
	// tenancy reads as {:message-id -1 :replica {}}).
	Raw []byte
}

// Params are the starting parameters merged into the origin replica
// (onyx-log-format.md §1.6). Absent znodes leave their fields nil.
type Params struct {
	// JobScheduler is /job-scheduler/scheduler's :job-scheduler (0.5.2–0.9.10).
	JobScheduler value.Value
	// Messaging is /messaging/messaging's :messaging map (0.6.0–0.9.10).
	Messaging value.Value
	// LogParameters is /log-parameters/log-parameters (0.9.11+).
	LogParameters *value.Map
	// Raw holds the stored bytes by relative path ("job-scheduler/scheduler",
	// "messaging/messaging", "log-parameters/log-parameters").
	Raw map[string][]byte
}

// Entry is an entry read from a Source: decoded, or flagged with the reason
// it could not be (Err). A flagged entry still has Seq and Created.
type Entry struct {
	value.Entry
	// Err names the znode and says why it did not decode; nil when it did.
	Err error
}

// RawEntry is an entry's znode as stored.
type RawEntry struct {
	Seq     int64
	Created int64 // znode ctime, epoch milliseconds
	Data    []byte
}

// EventKind says what a Follow event reports.
type EventKind int

const (
	// EventAppended: Entries were appended to the log, in order.
	EventAppended EventKind = iota + 1
	// EventReset: garbage collection deleted the entry the reader waited
	// for. Discard the replay state and restart from Origin; the entries
	// that follow start at Origin.MessageID+1.
	EventReset
	// EventDisconnected: the connection is lost (Err says how); Follow keeps
	// trying until ctx ends.
	EventDisconnected
	// EventReconnected: reading works again after EventDisconnected.
	EventReconnected
)

func (k EventKind) String() string {
	switch k {
	case EventAppended:
		return "appended"
	case EventReset:
		return "reset"
	case EventDisconnected:
		return "disconnected"
	case EventReconnected:
		return "reconnected"
	}
	return "unknown"
}

// Event is something that happened to a followed log.
type Event struct {
	Kind    EventKind
	Entries []Entry // EventAppended
	Origin  Origin  // EventReset
	Err     error   // EventDisconnected
}

// Job is a job's data, decoded; a part whose znode is absent is nil.
type Job struct {
	ID         string
	Catalog    value.Value
	Workflow   value.Value
	Flow       value.Value // flow conditions
	Lifecycles value.Value
	Windows    value.Value
	Triggers   value.Value
	Metadata   value.Value
	Name       value.Value // /job-name (0.12+): a string
	Exception  value.Value
	// Tasks maps task ids to task maps.
	Tasks map[string]value.Value
	// Errs lists parts that exist but did not decode, each naming its znode.
	Errs []error
}

// Part names of a job's znode directories, in the order Job lists them.
var JobParts = []string{"catalog", "workflow", "flow", "lifecycles", "windows", "triggers", "job-metadata", "job-name", "exception"}

// Set stores a decoded part by its directory name.
func (j *Job) Set(part string, v value.Value) {
	switch part {
	case "catalog":
		j.Catalog = v
	case "workflow":
		j.Workflow = v
	case "flow":
		j.Flow = v
	case "lifecycles":
		j.Lifecycles = v
	case "windows":
		j.Windows = v
	case "triggers":
		j.Triggers = v
	case "job-metadata":
		j.Metadata = v
	case "job-name":
		j.Name = v
	case "exception":
		j.Exception = v
	}
}

// Entries returns the decoded entries of es, leaving out flagged ones.
func Entries(es []Entry) []value.Entry {
	out := make([]value.Entry, 0, len(es))
	for _, e := range es {
		if e.Err == nil {
			out = append(out, e.Entry)
		}
	}
	return out
}
