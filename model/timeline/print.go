package timeline

import (
	"onyx-dashboard/model/value"
)

// prStr prints a value as compact EDN (pr-str) for the text index and the
// event lines. A variable so tests can count or replace it.
var prStr = value.PrStr

// shortID prints an id the way event lines do: a UUID as its first eight
// hex digits and "…" (the views show the same eight; four collide once a
// long log has seen a few hundred jobs), anything else (keyword ids of the
// unit tests) as printed.
func shortID(v value.Value) string {
	if u, ok := v.(value.UUID); ok {
		return u.String()[:8] + "…"
	}
	return prStr(v)
}
