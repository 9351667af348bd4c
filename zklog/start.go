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

// chooseVersion picks one release for a detected range: its low end, whose era
// Detect reports (the evidence says when a range spans eras). A range's ".x"
// end is never picked, so the choice is always a real release.
func chooseVersion(d Detection, override string) (replay.Version, string, error) {
	if override != "" {
		v, err := replay.ParseVersion(override)
		return v, "given by the user", err
	}
	lo, _, isRange := strings.Cut(d.Version, "–")
	v, err := replay.ParseVersion(strings.Replace(lo, ".x", ".0", 1))
	if err != nil {
		return replay.Version{}, "", fmt.Errorf("detected onyx version %q: %w", d.Version, err)
	}
	if isRange {
		return v, "assumed from the range " + d.Version, nil
	}
	return v, "detected", nil
}
