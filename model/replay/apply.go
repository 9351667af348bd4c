package replay

import (
	"errors"
	"fmt"

	"onyx-dashboard/model/value"
)

// Replica is the cluster state after an entry: a Clojure map whose EDN print is
// the replica Onyx holds. The zero Replica is the empty map {}.
type Replica struct{ m *value.Map }

// FromMap wraps a replica map (decoded from an origin or a fixture).
func FromMap(m *value.Map) Replica {
	if m == nil {
		m = value.NewMap()
	}
	return Replica{m}
}

// Map is the replica as a Clojure map. Never nil.
func (r Replica) Map() *value.Map {
	if r.m == nil {
		return value.NewMap()
	}
	return r.m
}

// Get returns the top-level key k of the replica (nil when absent).
func (r Replica) Get(k value.Keyword) value.Value { return r.m.Val(k) }

// command is one apply-log-entry method: it returns the new replica map or an
// error, in which case the caller keeps the old replica.
type command func(r *value.Map, e value.Entry, v Version) (*value.Map, error)

// commandTables maps each era to its :fn → command table; each era_*.go fills
// its own in an init function.
var commandTables = map[Era]map[value.Keyword]command{}

func registerCommands(era Era, table map[value.Keyword]command) {
	commandTables[era] = table
}

// ApplyError says why an entry left the replica unchanged.
type ApplyError struct {
	Seq    int64
	Fn     value.Keyword
	Reason string
	// Crash is set when the real Onyx of this version throws on this entry
	// (every peer's log loop dies there); the replica is left as it was.
	Crash bool
	Err   error
}

func (e *ApplyError) Error() string {
	what := "flagged"
	if e.Crash {
		what = "onyx crashes here"
	}
	return fmt.Sprintf("entry %d %s: %s: %s", e.Seq, e.Fn, what, e.Reason)
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Sentinels callers branch on with errors.Is.
var (
	// ErrUnknownCommand: the :fn is not a command of this version.
	ErrUnknownCommand = errors.New("unknown command")
	// ErrBadArgs: the command's args are missing or ill-typed.
	ErrBadArgs = errors.New("bad args")
	// ErrOnyxCrash: the real apply-log-entry throws for this entry.
	ErrOnyxCrash = errors.New("onyx throws")
)

// Apply is apply-log-entry for version v: the replica after entry e. On error
// the returned replica is r unchanged and the error is an *ApplyError; replay
// goes on with the next entry. Apply never panics.
func Apply(v Version, r Replica, e value.Entry) (out Replica, err error) {
	defer func() {
		if p := recover(); p != nil { // a bug of ours must not stop a replay
			out, err = r, &ApplyError{Seq: e.Seq, Fn: e.Fn, Reason: fmt.Sprintf("internal error: %v", p)}
		}
	}()
	table := commandTables[v.Era()]
	cmd := table[e.Fn]
	if cmd == nil {
		return r, &ApplyError{Seq: e.Seq, Fn: e.Fn, Reason: fmt.Sprintf("not a command of onyx %s", v), Err: ErrUnknownCommand}
	}
	// era D's commands set :version to e.Seq first, as the 0.10+
	// subscriber does (§4.7; cdCmdD in era_d.go)
	next, cerr := cmd(r.Map(), e, v)
	if cerr != nil {
		var ae *ApplyError
		if errors.As(cerr, &ae) {
			ae.Seq, ae.Fn = e.Seq, e.Fn
			return r, ae
		}
		return r, &ApplyError{Seq: e.Seq, Fn: e.Fn, Reason: cerr.Error(), Crash: errors.Is(cerr, ErrOnyxCrash), Err: cerr}
	}
	return Replica{next}, nil
}

// badArgs reports a missing or ill-typed argument.
func badArgs(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadArgs, fmt.Sprintf(format, a...))
}

// crash reports an entry on which the real Onyx throws.
func crash(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrOnyxCrash, fmt.Sprintf(format, a...))
}
