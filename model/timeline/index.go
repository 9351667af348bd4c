package timeline

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"onyx-dashboard/model/value"
)

// index answers filters with positions. Per-id, per-command and per-kind
// posting lists are sorted position lists built while appending. Free text
// scans the lower-cased compact EDN of the entries: each distinct text is
// stored once, back to back, and every position keeps the number of its text
// (a log repeats the same few commands of the same peers: 1M entries have
// ~1/10 as many distinct texts).
type index struct {
	byFn     map[value.Keyword]*postings
	byKind   [numKinds]postings
	anomaly  postings
	byID     []postings // by interned id number
	text     []byte     // the distinct texts back to back
	textAt   []uint32   // textAt[i] is where distinct text i starts; one more than texts
	textOf   []uint32   // textOf[pos] is the number of pos's text
	textSeen map[uint64]uint32
	typed    *typed                 // the last free-text search, for the next keystroke
	buf      []byte                 // the writer's scratch for an entry's text
	recent   recent[uint64, uint32] // textSeen's answers for the hashes asked last
}

// recentTexts is how many hashes index.recent remembers.
const recentTexts = 1024

func newIndex() index {
	return index{byFn: map[value.Keyword]*postings{}, textAt: []uint32{0}, textSeen: map[uint64]uint32{}, typed: &typed{},
		recent: newRecent[uint64, uint32](recentTexts)}
}

// textHash hashes texts for dedup (a variable for the tests, which make
// every text collide).
var textHash = func() func([]byte) uint64 {
	seed := maphash.MakeSeed()
	return func(s []byte) uint64 { return maphash.Bytes(seed, s) }
}()

// addText records pos's text, once per distinct text. A hash that collides
// with a different text only costs the dedup of the newer text.
// x.recent holds textSeen's answers for the hashes asked last (a log
// repeats the commands of the same peers), as ids.recent does.
func (x *index) addText(s []byte) {
	h := textHash(s)
	i, ok := x.recent.get(h, h)
	if !ok {
		i, ok = x.textSeen[h]
		if ok {
			x.recent.put(h, h, i)
		}
	}
	if ok && bytes.Equal(x.text[x.textAt[i]:x.textAt[i+1]], s) {
		x.textOf = append(x.textOf, i)
		return
	}
	i = uint32(len(x.textAt) - 1)
	if !ok { // the first text of its hash
		x.textSeen[h] = i
		x.recent.put(h, h, i)
	}
	x.text = append(x.text, s...)
	x.textAt = append(x.textAt, uint32(len(x.text)))
	x.textOf = append(x.textOf, i)
}

// idArgs are the entry arguments that name peers, jobs, tasks or groups.
var idArgs = map[value.Keyword]bool{}

func init() {
	for _, k := range []string{"id", "joiner", "observer", "subject", "accepted-observer", "accepted-joiner",
		"job", "task", "tasks", "peer", "inputs", "outputs", "exempt-tasks", "group-id", "peer-id", "job-id", "task-id"} {
		idArgs[value.Kw(k)] = true
	}
}

func (x *index) add(pos int, e value.Entry, evs []pending, ids *ids) {
	p := int32(pos)
	fn := x.byFn[e.Fn]
	if fn == nil {
		fn = &postings{}
		x.byFn[e.Fn] = fn
	}
	fn.add(p)
	var seenKind [numKinds]bool
	anomaly := false
	for _, ev := range evs {
		if !seenKind[ev.kind] {
			seenKind[ev.kind] = true
			x.byKind[ev.kind].add(p)
		}
		anomaly = anomaly || ev.kind.Anomaly()
		for _, r := range ev.refs {
			x.addID(r.id(), p)
		}
	}
	if anomaly {
		x.anomaly.add(p)
	}
	e.Args.Range(func(k, v value.Value) bool {
		named := false
		if kw, ok := k.(value.Keyword); ok {
			named = idArgs[kw]
		}
		x.argIDs(v, named, p, ids)
		return true
	})
	m := e.Map
	if m == nil {
		m = value.NewMap(value.KeyFn, e.Fn, value.KeyArgs, e.Args)
	}
	x.buf = toLower(value.AppendPrStr(x.buf[:0], m))
	x.addText(x.buf)
}

// toLower is strings.ToLower of b, in place, eight bytes at a time while
// they are ASCII (printed entries are, but for strings and symbols that are
// not; ToLower maps rune by rune, so lowering the ASCII letters of a text
// first does not change its result).
func toLower(b []byte) []byte {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&highs != 0 {
			return append(b[:0], strings.ToLower(string(b))...)
		}
		// A byte's high bit in upper is set when it is in 'A'..'Z': at
		// least 'A' and not more than 'Z' (no byte carries into the next).
		upper := (w + (0x80-'A')*ones) &^ (w + (0x80-'Z'-1)*ones) & highs
		binary.LittleEndian.PutUint64(b[i:], w|upper>>2)
	}
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c >= utf8.RuneSelf:
			return append(b[:0], strings.ToLower(string(b))...)
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// argIDs indexes the UUIDs anywhere in an argument, and every id of an
// argument that names ids (keyword ids of the unit tests included).
func (x *index) argIDs(v value.Value, named bool, p int32, ids *ids) {
	switch y := v.(type) {
	case value.UUID:
		x.addID(ids.intern(y), p)
	case value.Vector, value.List, *value.Set:
		for _, it := range value.Items(y) {
			x.argIDs(it, named, p, ids)
		}
	case *value.Map:
		y.Range(func(_, w value.Value) bool {
			x.argIDs(w, false, p, ids)
			return true
		})
	default:
		if named && isID(v) {
			x.addID(ids.intern(v), p)
		}
	}
}

func (x *index) addID(id int32, p int32) {
	for int(id) >= len(x.byID) {
		x.byID = append(x.byID, postings{})
	}
	x.byID[id].add(p)
}

// Filter selects entries. The conditions combine with AND; a list matches
// when any of its items does. The zero Filter matches every entry.
type Filter struct {
	Fns       []value.Keyword // the entry's command
	Kinds     []Kind          // the entry caused an event of the kind
	Anomalies bool            // the entry caused an anomaly event
	// Job, Task, Peer: the entry names the id in its args or an event concerns
	// it; nil matches any. Ids are not told apart by role.
	Job, Task, Peer value.Value
	// Text is a case-insensitive substring of the entry's compact EDN.
	Text string
}

// Filter returns the positions of the matching entries, in order.
func (t *Timeline) Filter(f Filter) []int {
	t.mu.RLock()
	n := t.entries.len()
	var groups [][]postings // AND of the groups, OR within one
	if len(f.Fns) > 0 {
		var u []postings
		for _, fn := range f.Fns {
			if p := t.index.byFn[fn]; p != nil {
				u = append(u, *p)
			}
		}
		groups = append(groups, u)
	}
	if len(f.Kinds) > 0 {
		var u []postings
		for _, k := range f.Kinds {
			if k > 0 && k < numKinds {
				u = append(u, t.index.byKind[k])
			}
		}
		groups = append(groups, u)
	}
	if f.Anomalies {
		groups = append(groups, []postings{t.index.anomaly})
	}
	for _, id := range []value.Value{f.Job, f.Task, f.Peer} {
		if id == nil {
			continue
		}
		n := t.ids.lookup(id)
		if n < 0 || int(n) >= len(t.index.byID) {
			groups = append(groups, nil)
			continue
		}
		groups = append(groups, []postings{t.index.byID[n]})
	}
	x := &t.index
	text, textOf := x.text, x.textOf[:n]
	textAt := x.textAt // the distinct texts of the first n entries
	last := x.typed
	t.mu.RUnlock()

	lists := make([][]int32, len(groups))
	for i, g := range groups {
		u := make([][]int32, len(g))
		for j, p := range g {
			u[j] = p.list()
		}
		lists[i] = union(u)
	}
	var cand []int32
	all := len(lists) == 0
	if !all {
		cand = intersect(lists)
	}
	q := []byte(strings.ToLower(f.Text))
	out := []int{}
	switch {
	case len(q) == 0 && all:
		out = make([]int, n)
		for i := range out {
			out[i] = i
		}
	case len(q) == 0:
		out = make([]int, len(cand))
		for i, p := range cand {
			out[i] = int(p)
		}
	case all || len(cand) > n/32:
		hit := last.search(text, textAt, q)
		if all {
			n := 0
			for _, i := range textOf {
				n += int(hit[i>>6] >> (i & 63) & 1)
			}
			out = make([]int, 0, n)
			for p, i := range textOf {
				if hit[i>>6]&(1<<(i&63)) != 0 {
					out = append(out, p)
				}
			}
			return out
		}
		for _, p := range cand {
			if i := textOf[p]; hit[i>>6]&(1<<(i&63)) != 0 {
				out = append(out, int(p))
			}
		}
	default:
		for _, p := range cand {
			i := textOf[p]
			if bytes.Contains(text[textAt[i]:textAt[i+1]], q) {
				out = append(out, int(p))
			}
		}
	}
	return out
}

// typed remembers the last free-text search: typing into the filter box
// asks again with one more character, and a text holding the new query holds
// the old one, so only the texts that matched it (and any added since) need
// a look. Safe for concurrent use.
type typed struct {
	mu  sync.Mutex
	q   []byte
	hit []uint64 // the distinct texts holding q
	n   int      // the distinct texts there were
}

// search returns a bitmap of the texts (textAt delimits them) holding q.
func (c *typed) search(text []byte, textAt []uint32, q []byte) []uint64 {
	n := len(textAt) - 1
	c.mu.Lock()
	q0, hit0, n0 := c.q, c.hit, c.n
	c.mu.Unlock()
	var hit []uint64
	if len(q0) > 0 && n0 <= n && bytes.Contains(q, q0) && popCount(hit0) < n0/8 {
		hit = make([]uint64, (n+63)/64)
		for w, word := range hit0 {
			for word != 0 {
				i := w*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if bytes.Contains(text[textAt[i]:textAt[i+1]], q) {
					hit[i>>6] |= 1 << (i & 63)
				}
			}
		}
		if n0 < n { // texts added since
			scanRange(text, textAt, q, n0, n, hit)
		}
	} else {
		hit = scanText(text, textAt, q)
	}
	c.mu.Lock()
	c.q, c.hit, c.n = slices.Clone(q), hit, n
	c.mu.Unlock()
	return hit
}

// forget drops the last search (the benchmarks time cold scans).
func (c *typed) forget() {
	c.mu.Lock()
	c.q, c.hit, c.n = nil, nil, 0
	c.mu.Unlock()
}

func popCount(bm []uint64) int {
	n := 0
	for _, w := range bm {
		n += bits.OnesCount64(w)
	}
	return n
}

// scanParallelMin is the text size from which scanText splits the scan
// over the available cores (a variable for the tests).
var scanParallelMin = 4 << 20

// scanText returns a bitmap of the texts (textAt delimits them) that contain
// q. Big texts are cut at text boundaries into one part per core (at most
// 4), scanned at once; parts cover whole words of the bitmap.
func scanText(text []byte, textAt []uint32, q []byte) []uint64 {
	n := len(textAt) - 1
	hit := make([]uint64, (n+63)/64)
	parts := min(runtime.GOMAXPROCS(0), 4)
	if len(text) < scanParallelMin || parts < 2 || len(hit) < parts {
		scanRange(text, textAt, q, 0, n, hit)
		return hit
	}
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(hit)*i/parts*64, min(len(hit)*(i+1)/parts*64, n)
		wg.Go(func() { scanRange(text, textAt, q, lo, hi, hit) })
	}
	wg.Wait()
	return hit
}

// scanRange marks in hit the texts lo..hi-1 that contain q: one pass of
// bytes.Index, skipping to the next text after a hit.
func scanRange(text []byte, textAt []uint32, q []byte, lo, hi int, hit []uint64) {
	if lo >= hi {
		return
	}
	textAt = textAt[:hi+1]
	text = text[:textAt[hi]]
	off, pos := int(textAt[lo]), lo
	for {
		i := bytes.Index(text[off:], q)
		if i < 0 {
			return
		}
		at := uint32(off + i)
		for textAt[pos+1] <= at { // the text holding the hit
			pos = searchFrom(textAt, pos, at)
		}
		if at+uint32(len(q)) <= textAt[pos+1] { // not across two texts
			hit[pos>>6] |= 1 << (pos & 63)
		}
		off = int(textAt[pos+1])
		pos++
		if pos >= len(textAt)-1 {
			return
		}
	}
}

// searchFrom finds the entry whose text holds offset at, from pos on.
func searchFrom(textAt []uint32, pos int, at uint32) int {
	lo, hi := pos, len(textAt)-2
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textAt[mid] <= at {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func union(lists [][]int32) []int32 {
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	var out []int32
	for _, l := range lists {
		out = mergeUnion(out, l)
	}
	return out
}

func mergeUnion(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

func intersect(lists [][]int32) []int32 {
	out := lists[0]
	for _, l := range lists[1:] {
		var next []int32
		i, j := 0, 0
		for i < len(out) && j < len(l) {
			switch {
			case out[i] < l[j]:
				i++
			case out[i] > l[j]:
				j++
			default:
				next = append(next, out[i])
				i, j = i+1, j+1
			}
		}
		out = next
	}
	return out
}
