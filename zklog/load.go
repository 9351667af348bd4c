package zklog

import (
	"context"
	"fmt"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Loaded is a tenancy's log read from a Source, ready to replay.
type Loaded struct {
	Header Header
	Start  Start
	Log    *replay.Log
	// Undecodable are the entries whose znodes did not decode. They stay in
	// Log.Entries (with a zero Fn, so replay flags them) to keep positions
	// and Seqs aligned with the store.
	Undecodable []Entry
}

// Load opens tenancy id of src and reads its whole log from the origin on.
// override, when not empty, is the Onyx version to replay with.
func Load(ctx context.Context, src Source, id, override string, progress Progress) (*Loaded, error) {
	h, err := src.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := StartOf(h, override)
	if err != nil {
		return nil, err
	}
	entries, err := src.Read(ctx, id, s.FromSeq, progress)
	if err != nil {
		return nil, fmt.Errorf("tenancy %s: %w", id, err)
	}
	l := &Loaded{Header: h, Start: s, Log: &replay.Log{
		Version:   s.Version,
		TenancyID: id,
		OriginSeq: s.FromSeq - 1,
		Origin:    s.Replica,
		Entries:   make([]value.Entry, 0, len(entries)),
	}}
	for _, e := range entries {
		if e.Err != nil {
			l.Undecodable = append(l.Undecodable, e)
		}
		l.Log.Entries = append(l.Log.Entries, e.Entry)
	}
	return l, nil
}
