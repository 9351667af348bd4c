package nippy

import (
	"slices"
	"sync"

	"onyx-dashboard/model/value"
)

// kwCache maps the bytes of a keyword ("ns/name") to the interned Keyword, so
// that the common case allocates nothing: Go does not copy b for the lookup
// m[string(b)]. It stops growing at kwCacheMax names, so hostile input cannot
// fill memory; value.Kw still interns the rest.
var kwCache = struct {
	sync.RWMutex
	m map[string]value.Keyword
}{m: map[string]value.Keyword{}}

const kwCacheMax = 1 << 14

func internKeyword(b []byte) value.Keyword {
	kwCache.RLock()
	k, ok := kwCache.m[string(b)]
	kwCache.RUnlock()
	if ok {
		return k
	}
	s := string(b)
	k = value.Kw(s)
	kwCache.Lock()
	if len(kwCache.m) < kwCacheMax {
		kwCache.m[s] = k
	}
	kwCache.Unlock()
	return k
}

// sortPairs orders alternating keys and values by key (clojure.core/compare),
// as a sorted map iterates. The model has no sorted map, so the result is a
// plain map in that order (for up to eight entries; larger maps hash-order).
func sortPairs(kvs []value.Value) []value.Value {
	type pair struct{ k, v value.Value }
	ps := make([]pair, len(kvs)/2)
	for i := range ps {
		ps[i] = pair{kvs[2*i], kvs[2*i+1]}
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return value.Compare(a.k, b.k) })
	out := make([]value.Value, 0, len(kvs))
	for _, p := range ps {
		out = append(out, p.k, p.v)
	}
	return out
}
