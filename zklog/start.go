package zklog

import (
	"fmt"
	"strings"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Start is where a replay of a tenancy begins: the Onyx version whose rules
// apply, the starting replica (onyx-log-format.md §1.6) and the Seq of the
// first entry to apply. override, when not empty, is the user's choice of
// version and wins over detection.
type Start struct {
	Version replay.Version
	// Chosen says why Version was picked: "detected", "assumed from the range
	// 0.6.0–0.7.x" or "given by the user".
	Chosen  string
	Replica replay.Replica
	FromSeq int64
}

// StartOf turns what Open read into a replay start.
func StartOf(h Header, override string) (Start, error) {
	var s Start
	var err error
	s.Version, s.Chosen, err = chooseVersion(h.Version, override)
	if err != nil {
		return Start{}, err
	}
	var origin *value.Map
	if h.Origin.Raw != nil || h.Origin.Replica != nil {
		origin = value.NewMap(value.Kw("message-id"), h.Origin.MessageID, value.Kw("replica"), h.Origin.Replica)
	}
	p := replay.Params{JobScheduler: h.Params.JobScheduler, Messaging: h.Params.Messaging}
	if h.Params.LogParameters != nil {
		p.LogParameters = h.Params.LogParameters
	}
	s.Replica, s.FromSeq, err = replay.Initial(s.Version, origin, p)
	if err != nil {
		return Start{}, fmt.Errorf("tenancy %s: %w", h.Tenancy.ID, err)
	}
	return s, nil
}

// chooseVersion picks one release for a detected range: the newest release
// of the range that is in the era of its low end (the era Detect reports), as
// clusters ran the last patch of a line far more often than the first. A
// ".x" end is the last patch of that line.
func chooseVersion(d Detection, override string) (replay.Version, string, error) {
	if override != "" {
		v, err := ParseRelease(override)
		return v, "given by the user", err
	}
	lo, hi, isRange := strings.Cut(d.Version, "–")
	low, err := ParseRelease(lo)
	if err != nil {
		return replay.Version{}, "", fmt.Errorf("detected onyx version %q: %w", d.Version, err)
	}
	if !isRange {
		return low, "detected", nil
	}
	high, err := ParseRelease(hi)
	if err != nil {
		return replay.Version{}, "", fmt.Errorf("detected onyx version %q: %w", d.Version, err)
	}
	if high.Era() != low.Era() {
		high = lastOfEra[low.Era()]
	}
	return high, "assumed from the range " + d.Version + ": its newest release", nil
}

// lastPatch is the last release of each 0.x line that replay's rules tell
// apart; lastOfEra the last release of each era.
var (
	lastPatch = map[int]int{5: 3, 6: 0, 7: 14, 8: 11, 9: 16, 10: 0, 11: 1, 12: 7, 13: 5, 14: 6}
	lastOfEra = map[replay.Era]replay.Version{
		replay.EraA: replay.MustVersion("0.5.3"),
		replay.EraB: replay.MustVersion("0.8.3"),
		replay.EraC: replay.MustVersion("0.9.16"),
		replay.EraD: replay.MustVersion("0.14.6"),
	}
)

// ParseRelease reads a release as users name it: "0.7.3", or "0.7.x" for the
// last patch of the line.
func ParseRelease(s string) (replay.Version, error) {
	if line, ok := strings.CutSuffix(s, ".x"); ok {
		v, err := replay.ParseVersion(line + ".0")
		if err != nil {
			return v, err
		}
		v.Patch = lastPatch[v.Minor]
		return v, nil
	}
	return replay.ParseVersion(s)
}
