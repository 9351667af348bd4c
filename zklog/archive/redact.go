package archive

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"onyx-dashboard/model/replay"
	"onyx-dashboard/model/value"
)

// Redact returns l with what identifies a deployment taken out, for bug
// reports: every UUID is replaced by a fresh one, consistently (the same
// UUID always becomes the same new one); host names and addresses become
// host-1, host-2 …; ports become 10000, 10001 … (distinct ports stay
// distinct); catalog maps (those with :onyx/name) lose their keys outside
// the onyx namespaces. Keywords (task names from 0.9.7) are kept.
//
// The new UUIDs keep the old ones' order (Java's UUID compareTo) and their
// Java hash codes, so a redacted log replays to the same watchers, ackers
// and era B placements as the original.
func Redact(l *replay.Log) *replay.Log {
	rd := &redactor{uuids: map[value.UUID]value.UUID{}, hosts: map[string]string{}, ports: map[int64]int64{}}
	var all []value.UUID
	seen := map[value.UUID]bool{}
	collect := func(v value.Value) {
		walk(v, func(u value.UUID) {
			if !seen[u] {
				seen[u] = true
				all = append(all, u)
			}
		})
	}
	collect(l.Origin.Map())
	for _, e := range l.Entries {
		collect(e.Value())
	}
	rd.plan(all)
	out := &replay.Log{Version: l.Version, OriginSeq: l.OriginSeq, Origin: replay.FromMap(rd.value(l.Origin.Map(), nil).(*value.Map))}
	if l.TenancyID != "" {
		out.TenancyID = "redacted"
	}
	for _, e := range l.Entries {
		m := rd.value(e.Map, nil).(*value.Map)
		ne, err := value.EntryFromValue(m, e.Seq, e.Created)
		if err != nil {
			ne = e
		}
		out.Entries = append(out.Entries, ne)
	}
	return out
}

type redactor struct {
	uuids map[value.UUID]value.UUID
	hosts map[string]string
	ports map[int64]int64
}

// plan picks the new UUIDs: sorted like the old ones, same Java hash.
func (rd *redactor) plan(all []value.UUID) {
	sorted := slices.Clone(all)
	slices.SortFunc(sorted, func(a, b value.UUID) int { return a.Compare(b) })
	rng := rand.New(rand.NewPCG(uint64(len(all)), 0x5eed))
	his := make([]int64, len(sorted))
	for i := range his {
		his[i] = int64(rng.Uint64())
	}
	slices.Sort(his) // signed, as compareTo compares the high longs
	for i, u := range sorted {
		hi := uint64(his[i])
		if i > 0 && sorted[i-1].Hi == u.Hi { // equal high longs stay equal
			hi = rd.uuids[sorted[i-1]].Hi
		}
		// Java's hashCode folds x = hi^lo into (int)(x>>32) ^ (int)x; keep it.
		h := javaHash(u)
		loHi := uint32(rng.Uint64())
		xHi := uint32(hi>>32) ^ loHi
		xLo := h ^ xHi
		lo := uint64(loHi)<<32 | uint64(xLo^uint32(hi))
		rd.uuids[u] = value.UUID{Hi: hi, Lo: lo}
	}
}

func javaHash(u value.UUID) uint32 {
	x := u.Hi ^ u.Lo
	return uint32(x>>32) ^ uint32(x)
}

// walk calls f on every UUID inside v.
func walk(v value.Value, f func(value.UUID)) {
	switch x := v.(type) {
	case value.UUID:
		f(x)
	case value.Vector:
		for _, y := range x {
			walk(y, f)
		}
	case value.List:
		for _, y := range x {
			walk(y, f)
		}
	case *value.Set:
		x.Range(func(y value.Value) bool { walk(y, f); return true })
	case *value.Map:
		x.Range(func(k, y value.Value) bool { walk(k, f); walk(y, f); return true })
	}
}

var kwOnyxName = value.Kw("onyx/name")

// value rewrites v; key is the map key v is stored under, if any.
func (rd *redactor) value(v value.Value, key value.Value) value.Value {
	switch x := v.(type) {
	case value.UUID:
		return rd.uuids[x]
	case string:
		if k, ok := key.(value.Keyword); ok && isHostKey(k) {
			if _, ok := rd.hosts[x]; !ok {
				rd.hosts[x] = fmt.Sprintf("host-%d", len(rd.hosts)+1)
			}
			return rd.hosts[x]
		}
		return x
	case int64:
		if k, ok := key.(value.Keyword); ok && isPortKey(k) {
			return rd.port(x)
		}
		return x
	case value.Vector:
		out := make(value.Vector, len(x))
		for i, y := range x {
			out[i] = rd.value(y, key)
		}
		return out
	case value.List:
		out := make(value.List, len(x))
		for i, y := range x {
			out[i] = rd.value(y, key)
		}
		return out
	case *value.Set:
		var items []value.Value
		x.Range(func(y value.Value) bool { items = append(items, rd.value(y, nil)); return true })
		return value.NewSet(items...)
	case *value.Map:
		catalog := x.Has(kwOnyxName)
		var kvs []value.Value
		x.Range(func(k, y value.Value) bool {
			if kk, ok := k.(value.Keyword); catalog && ok && !strings.HasPrefix(kk.NS(), "onyx") {
				return true
			}
			kvs = append(kvs, rd.value(k, nil), rd.value(y, k))
			return true
		})
		return value.NewMap(kvs...)
	}
	return v
}

func (rd *redactor) port(p int64) int64 {
	if _, ok := rd.ports[p]; !ok {
		rd.ports[p] = 10000 + int64(len(rd.ports))
	}
	return rd.ports[p]
}

func isHostKey(k value.Keyword) bool {
	n := k.Name()
	return strings.Contains(n, "addr") || strings.Contains(n, "host")
}

func isPortKey(k value.Keyword) bool {
	n := k.Name()
	return n == "port" || n == "ports" || strings.HasSuffix(n, "-port")
}
