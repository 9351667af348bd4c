package value

import (
	"errors"
	"fmt"
)

// Keys of the entry envelope, stored and reader-added (onyx-log-format.md §3).
var (
	KeyFn        = Kw("fn")
	KeyArgs      = Kw("args")
	KeyMessageID = Kw("message-id")
	KeyCreatedAt = Kw("created-at")
)

// Entry is one decoded log entry.
type Entry struct {
	// Seq is the absolute ZooKeeper sequence number, Onyx's message-id.
	Seq int64
	// Created is the znode's ctime in epoch milliseconds; 0 when unknown (0.5.0).
	Created int64
	// Fn is the command keyword (:prepare-join-cluster …).
	Fn Keyword
	// Args is the :args map (empty, never nil, when the entry had none).
	Args *Map
	// Map is the entry as stored, with every key it had (:immediate?,
	// :peer-parent, …) and without the reader-added :message-id and :created-at.
	Map *Map
}

// ErrNotEntry reports a decoded value that is not a log entry map.
var ErrNotEntry = errors.New("not a log entry")

// EntryFromValue makes an Entry from a decoded znode value. seq and created come
// from the znode (name and Stat); a :message-id or :created-at already inside v
// (as in EDN dumps) takes precedence when seq or created is negative.
func EntryFromValue(v Value, seq, created int64) (Entry, error) {
	m, ok := v.(*Map)
	if !ok {
		return Entry{}, fmt.Errorf("%w: a %s, want a map", ErrNotEntry, TypeName(v))
	}
	if seq < 0 {
		if id, ok := m.Val(KeyMessageID).(int64); ok {
			seq = id
		}
	}
	if created < 0 {
		created = 0
		if c, ok := m.Val(KeyCreatedAt).(int64); ok {
			created = c
		}
	}
	e := Entry{Seq: seq, Created: created, Map: m.Dissoc(KeyMessageID).Dissoc(KeyCreatedAt)}
	fn, ok := m.Val(KeyFn).(Keyword)
	if !ok {
		return e, fmt.Errorf("%w: :fn is %s, want a keyword", ErrNotEntry, TypeName(m.Val(KeyFn)))
	}
	e.Fn = fn
	switch a := m.Val(KeyArgs).(type) {
	case *Map:
		e.Args = a
	case nil:
		e.Args = NewMap()
	default:
		return e, fmt.Errorf("%w: :args is %s, want a map", ErrNotEntry, TypeName(a))
	}
	return e, nil
}

// Value is the entry as Onyx's subscriber hands it over: the stored map plus
// :message-id and, when known, :created-at.
func (e Entry) Value() *Map {
	m := e.Map
	if m == nil {
		m = NewMap(KeyFn, e.Fn, KeyArgs, e.Args)
	}
	m = m.Assoc(KeyMessageID, e.Seq)
	if e.Created != 0 {
		m = m.Assoc(KeyCreatedAt, e.Created)
	}
	return m
}

// Arg returns the named argument (nil when absent).
func (e Entry) Arg(name string) Value { return e.Args.Val(Kw(name)) }

// TypeName names the Clojure type of v for error messages.
func TypeName(v Value) string {
	switch v.(type) {
	case nil:
		return "nil"
	case bool:
		return "boolean"
	case int64, int:
		return "long"
	case float64:
		return "double"
	case string:
		return "string"
	case Char:
		return "char"
	case Keyword:
		return "keyword"
	case Symbol:
		return "symbol"
	case UUID:
		return "uuid"
	case Inst:
		return "inst"
	case Vector:
		return "vector"
	case List:
		return "list"
	case *Map:
		return "map"
	case *Set:
		return "set"
	case Bytes:
		return "byte array"
	case Tagged:
		return "tagged literal"
	case Opaque:
		return "opaque object"
	}
	return fmt.Sprintf("%T", v)
}
