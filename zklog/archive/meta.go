package archive

import (
	"fmt"
	"time"

	"onyx-dashboard/model/codec/edn"
	"onyx-dashboard/model/value"
	"onyx-dashboard/zklog"
)

// Meta is what an archive says about its capture.
type Meta struct {
	// Tenancy is the tenancy as listed at capture; its entry numbers are
	// recomputed from the archive's index when it is opened.
	Tenancy zklog.Tenancy
	// Source names where the log came from ("zk 10.0.0.1:2181",
	// "simulate 0.8.3 seed 7", "file old.edn").
	Source string
	// CapturedAt is when the archive was written (wall clock).
	CapturedAt time.Time
	// AppVersion is the onyx-dashboard version that wrote it.
	AppVersion string
	// Version is the Onyx version detected at capture, with its evidence.
	Version zklog.Detection
	// Every is the least checkpoint interval K (0: the archive has none).
	// Archives written before checkpoints were also spaced by size have one
	// every K entries exactly; later ones may space them further (see
	// Writer.CheckpointDue) and add one after the last entry.
	Every int
}

var (
	kwFormat     = value.Kw("format")
	kwTenancyID  = value.Kw("tenancy-id")
	kwCreated    = value.Kw("created")
	kwModified   = value.Kw("modified")
	kwPulses     = value.Kw("pulses")
	kwSource     = value.Kw("source")
	kwCapturedAt = value.Kw("captured-at")
	kwAppVersion = value.Kw("app-version")
	kwOnyx       = value.Kw("onyx-version")
	kwEra        = value.Kw("era")
	kwExact      = value.Kw("exact?")
	kwEvidence   = value.Kw("evidence")
	kwEvery      = value.Kw("checkpoint-every")
)

func inst(t time.Time) value.Value {
	if t.IsZero() {
		return nil
	}
	return value.Inst{Time: t.UTC()}
}

// encodeMeta prints m as an EDN map, so the metadata stays readable with
// any hex viewer.
func encodeMeta(m Meta) []byte {
	ev := make(value.Vector, len(m.Version.Evidence))
	for i, s := range m.Version.Evidence {
		ev[i] = s
	}
	mm := value.NewMap(
		kwFormat, int64(FormatVersion),
		kwTenancyID, m.Tenancy.ID,
		kwCreated, inst(m.Tenancy.Created),
		kwModified, inst(m.Tenancy.Modified),
		kwPulses, int64(m.Tenancy.Pulses),
		kwSource, m.Source,
		kwCapturedAt, inst(m.CapturedAt),
		kwAppVersion, m.AppVersion,
	).Assoc(kwOnyx, m.Version.Version).
		Assoc(kwEra, m.Version.Era).
		Assoc(kwExact, m.Version.Exact).
		Assoc(kwEvidence, ev).
		Assoc(kwEvery, int64(m.Every))
	return []byte(value.PrStr(mm))
}

func decodeMeta(b []byte) (Meta, error) {
	v, err := edn.Read(b)
	if err != nil {
		return Meta{}, fmt.Errorf("meta: %w", err)
	}
	mm, ok := v.(*value.Map)
	if !ok {
		return Meta{}, fmt.Errorf("meta: a %s, want a map", value.TypeName(v))
	}
	str := func(k value.Keyword) string { s, _ := mm.Val(k).(string); return s }
	tm := func(k value.Keyword) time.Time {
		if i, ok := mm.Val(k).(value.Inst); ok {
			return i.Time
		}
		return time.Time{}
	}
	num := func(k value.Keyword) int { n, _ := mm.Val(k).(int64); return int(n) }
	m := Meta{
		Tenancy:    zklog.Tenancy{ID: str(kwTenancyID), Created: tm(kwCreated), Modified: tm(kwModified), Pulses: num(kwPulses)},
		Source:     str(kwSource),
		CapturedAt: tm(kwCapturedAt),
		AppVersion: str(kwAppVersion),
		Version:    zklog.Detection{Version: str(kwOnyx), Era: str(kwEra)},
		Every:      num(kwEvery),
	}
	m.Version.Exact, _ = mm.Val(kwExact).(bool)
	if ev, ok := mm.Val(kwEvidence).(value.Vector); ok {
		for _, x := range ev {
			if s, ok := x.(string); ok {
				m.Version.Evidence = append(m.Version.Evidence, s)
			}
		}
	}
	return m, nil
}
