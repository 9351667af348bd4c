package replay

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
)

// Log is a log read from an EDN file: the version, the origin replica replay
// starts from (after entry OriginSeq) and the entries that follow it.
type Log struct {
	Version   Version
	TenancyID string // "" when the file names none
	OriginSeq int64
	Origin    Replica
	Entries   []value.Entry
}

// ErrNoVersion: the file does not say which Onyx wrote it and none was given.
var ErrNoVersion = errors.New("no onyx version: the file has no :onyx-version, give one")

var (
	kwLogOnyxVersion    = value.Kw("onyx-version")
	kwLogTenancyID      = value.Kw("tenancy-id")
	kwLogOrigin         = value.Kw("origin")
	kwLogEntries        = value.Kw("entries")
	kwLogInitialReplica = value.Kw("initial-replica")
	kwLogParameters     = value.Kw("log-parameters")
)

// ReadLog reads an EDN log file in one of three shapes:
//
//	{:onyx-version "0.5.3" :tenancy-id "…" :origin {:message-id N :replica {…}} :entries […]}
//	[{:fn … :args …} …]                      ; a bare vector of entries (needs override)
//	{:onyx-version … :initial-replica {…} :entries […] …}   ; a replay fixture case
//
// :tenancy-id and :origin are optional; without an origin replay starts from
// the version's BaseReplica at -1, plus any top-level :job-scheduler,
// :messaging or :log-parameters (the znodes' contents, §1.6). An entry without
// :message-id gets its position after the origin. override, when not nil,
// replaces the file's version.
func ReadLog(b []byte, override *Version) (*Log, error) {
	v, err := edn.Read(b)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	l := &Log{OriginSeq: -1}
	var entries []value.Value
	switch x := v.(type) {
	case value.Vector, value.List:
		if override == nil {
			return nil, fmt.Errorf("read log: a bare vector of entries: %w", ErrNoVersion)
		}
		l.Version = *override
		l.Origin = BaseReplica(l.Version)
		entries = items(x)
	case *value.Map:
		if l.Version, err = logVersion(x, override); err != nil {
			return nil, err
		}
		if err := readLogHeader(l, x); err != nil {
			return nil, err
		}
		ev := x.Val(kwLogEntries)
		switch ev.(type) {
		case nil, value.Vector, value.List:
			entries = items(ev)
		default:
			return nil, fmt.Errorf("read log: :entries is a %s, want a vector", value.TypeName(ev))
		}
	default:
		return nil, fmt.Errorf("read log: a %s, want a map or a vector of entries", value.TypeName(v))
	}
	l.Entries = make([]value.Entry, 0, len(entries))
	for i, ev := range entries {
		e, err := value.EntryFromValue(ev, -1, -1)
		if err != nil {
			return nil, fmt.Errorf("read log: entry %d: %w", i, err)
		}
		if m := ev.(*value.Map); !m.Has(value.KeyMessageID) {
			e.Seq = l.OriginSeq + 1 + int64(i)
		}
		l.Entries = append(l.Entries, e)
	}
	return l, nil
}

func logVersion(m *value.Map, override *Version) (Version, error) {
	if override != nil {
		return *override, nil
	}
	switch s := m.Val(kwLogOnyxVersion).(type) {
	case nil:
		return Version{}, fmt.Errorf("read log: %w", ErrNoVersion)
	case string:
		v, err := ParseVersion(s)
		if err != nil {
			return Version{}, fmt.Errorf("read log: %w", err)
		}
		return v, nil
	default:
		return Version{}, fmt.Errorf("read log: :onyx-version is a %s, want a string", value.TypeName(s))
	}
}

// readLogHeader fills the tenancy and the origin of l from the file's map.
func readLogHeader(l *Log, m *value.Map) error {
	switch t := m.Val(kwLogTenancyID).(type) {
	case nil:
	case string:
		l.TenancyID = t
	default:
		l.TenancyID = value.PrStr(t)
	}
	if ir, ok := m.Get(kwLogInitialReplica); ok { // a fixture case
		rm, isMap := ir.(*value.Map)
		if !isMap {
			return fmt.Errorf("read log: :initial-replica is a %s, want a map", value.TypeName(ir))
		}
		l.Origin = FromMap(rm)
		return nil
	}
	var origin *value.Map
	if o := m.Val(kwLogOrigin); o != nil {
		om, ok := o.(*value.Map)
		if !ok {
			return fmt.Errorf("read log: :origin is a %s, want a map", value.TypeName(o))
		}
		origin = om
	}
	p := Params{JobScheduler: m.Val(kwJobScheduler), Messaging: m.Val(kwMessaging), LogParameters: m.Val(kwLogParameters)}
	r, next, err := Initial(l.Version, origin, p)
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	l.Origin, l.OriginSeq = r, next-1
	return nil
}

// WriteLog writes l in the first shape ReadLog reads, one entry per line.
func WriteLog(w io.Writer, l *Log) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{:onyx-version %s\n", value.PrStr(l.Version.String()))
	if l.TenancyID != "" {
		fmt.Fprintf(bw, " :tenancy-id %s\n", value.PrStr(l.TenancyID))
	}
	origin := value.NewMap(kwMessageID, l.OriginSeq, kwReplica, l.Origin.Map())
	fmt.Fprintf(bw, " :origin %s\n :entries\n [", value.PrStr(origin))
	for i, e := range l.Entries {
		if i > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString(value.PrStr(e.Value()))
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}
