package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// Open opens a log file of any kind the app accepts where it accepts a
// ZooKeeper source: an archive (an *Archive), or an EDN log file or a bare
// EDN vector of entries (replay.ReadLog's shapes). An EDN file becomes a
// zklog.Memory that serves the decoded entries directly; its header carries
// the origin re-encoded with the version's codec, and Capture re-encodes the
// entries, so an EDN file can be turned into an archive. A bare vector names
// no version: it is detected from the entries' shapes (zklog.Detect), the
// low end of the range taken. A damaged archive is returned with its error,
// as Load does.
func Open(path string) (zklog.Source, error) {
	return OpenVersion(path, nil)
}

// OpenVersion is Open with the Onyx version of an EDN file given (nil: the
// file's :onyx-version, or detection for a bare vector).
func OpenVersion(path string, v *replay.Version) (zklog.Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, len(magic))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == len(magic) && string(head) == magic {
		a, err := Load(path)
		if a == nil {
			return nil, err
		}
		return a, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	m, err := FromEDN(b, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), v)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return m, nil
}

// FromEDN reads an EDN log (replay.ReadLog's shapes) into a Memory holding
// one tenancy, named by the file's :tenancy-id or else by name.
func FromEDN(b []byte, name string, v *replay.Version) (*zklog.Memory, error) {
	l, err := replay.ReadLog(b, v)
	if errors.Is(err, replay.ErrNoVersion) {
		var dv replay.Version
		if dv, err = detectBare(b); err == nil {
			l, err = replay.ReadLog(b, &dv)
		}
	}
	if err != nil {
		return nil, err
	}
	return MemoryOf(l, name)
}

// MemoryOf puts a log into a Memory as one tenancy.
func MemoryOf(l *replay.Log, name string) (*zklog.Memory, error) {
	id := l.TenancyID
	if id == "" {
		id = name
	}
	omap := l.Origin.Map()
	raw, err := Encode(l.Version, value.NewMap(value.KeyMessageID, l.OriginSeq, kwReplica, omap))
	if err != nil {
		return nil, fmt.Errorf("encode the origin: %w", err)
	}
	det := zklog.Detection{Version: l.Version.String(), Era: l.Version.Era().String(), Exact: true,
		Evidence: []string{fmt.Sprintf("the log file says onyx %s", l.Version)}}
	es := make([]zklog.Entry, len(l.Entries))
	for i, e := range l.Entries {
		es[i] = zklog.Entry{Entry: e}
	}
	m := zklog.NewMemory()
	m.Put(zklog.Header{
		Tenancy: zklog.Tenancy{ID: id, Version: det},
		Version: det,
		Origin:  zklog.Origin{MessageID: l.OriginSeq, Replica: omap, Raw: raw},
	}, es...)
	return m, nil
}

// detectBare detects the version of a bare vector of entries.
func detectBare(b []byte) (replay.Version, error) {
	any := replay.MustVersion("0.14.6")
	l, err := replay.ReadLog(b, &any)
	if err != nil {
		return replay.Version{}, err
	}
	var ev zklog.Evidence
	for _, e := range l.Entries {
		ev.Observe(e)
	}
	return VersionOf(zklog.Detect(ev)), nil
}

// LogOf reads tenancy id of src as an EDN log (replay.WriteLog writes it):
// the version, the origin replica and every entry.
func LogOf(ctx context.Context, src zklog.Source, id string) (*replay.Log, error) {
	h, err := src.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	v := VersionOf(h.Version)
	r, next, err := replay.Initial(v, originMap(h.Origin), replayParams(h.Params))
	if err != nil {
		return nil, err
	}
	es, err := src.Read(ctx, id, -1, nil)
	if err != nil {
		return nil, err
	}
	l := &replay.Log{Version: v, TenancyID: id, OriginSeq: next - 1, Origin: r}
	for _, e := range es {
		if e.Err != nil {
			return nil, fmt.Errorf("entry %d: %w", e.Seq, e.Err)
		}
		l.Entries = append(l.Entries, e.Entry)
	}
	return l, nil
}
