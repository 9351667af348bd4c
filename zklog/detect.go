package zklog

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"onyx-dashboard/model/value"
)

// Evidence is what a tenancy shows about the Onyx version that wrote it
// (onyx-log-format.md §1.6). Detect turns it into a version range; it does no
// I/O, so the replay engine can add what it sees in entries and detect again.
type Evidence struct {
	// Dirs are the names of the tenancy znode's children ("log", "origin",
	// "windows" …); nil when they were not listed.
	Dirs []string
	// Which parameter znodes exist.
	HasJobScheduler, HasMessaging, HasLogParameters bool
	// LogVersion is :log-version of the log parameters ("0.14.6-SNAPSHOT").
	LogVersion string
	// FirstBytes are the first bytes of an entry's znode (a dozen suffice).
	FirstBytes []byte
	// Fns are the commands seen in entries.
	Fns map[value.Keyword]bool
	// Entry envelope keys seen: :immediate? (≤0.7.x) and :peer-parent or
	// :entry-parent (0.8.4+).
	Immediate, PeerParent bool
}

// Detection is a detected Onyx version.
type Detection struct {
	// Version is exact ("0.9.11") or a range ("0.6.0–0.7.x").
	Version string
	// Era is "A" … "D"; for a range across eras, the era of its low end
	// (Evidence then says so).
	Era string
	// Evidence says, one line each, what narrowed the range.
	Evidence []string
	// Exact is true when Version is one release.
	Exact bool
}

var (
	kwImmediate   = value.Kw("immediate?")
	kwPeerParent  = value.Kw("peer-parent")
	kwEntryParent = value.Kw("entry-parent")
)

// Observe adds the shape of e to the evidence.
func (ev *Evidence) Observe(e value.Entry) {
	if ev.Fns == nil {
		ev.Fns = map[value.Keyword]bool{}
	}
	if e.Fn != (value.Keyword{}) {
		ev.Fns[e.Fn] = true
	}
	if e.Map != nil {
		if e.Map.Has(kwImmediate) {
			ev.Immediate = true
		}
		if e.Map.Has(kwPeerParent) || e.Map.Has(kwEntryParent) {
			ev.PeerParent = true
		}
	}
}

// ver is an Onyx 0.x release as minor*100+patch; patch 99 stands for ".x".
type ver int

func v(minor, patch int) ver { return ver(minor*100 + patch) }

func (x ver) String() string {
	if x%100 == 99 {
		return fmt.Sprintf("0.%d.x", x/100)
	}
	return fmt.Sprintf("0.%d.%d", x/100, x%100)
}

func (x ver) era() string {
	switch {
	case x <= v(5, 99):
		return "A"
	case x <= v(8, 3):
		return "B"
	case x <= v(9, 99):
		return "C"
	}
	return "D"
}

var (
	oldest = v(5, 0)
	newest = v(14, 6)
)

// constraint narrows the range to [lo, hi] because of why.
type constraint struct {
	lo, hi ver
	why    string
}

// fnRanges are commands that exist only in some releases (Appendix A).
var fnRanges = map[string][2]ver{
	"volunteer-for-task":         {v(5, 0), v(5, 3)},
	"seal-task":                  {v(5, 0), v(5, 3)},
	"complete-task":              {v(5, 0), v(5, 3)},
	"signal-ready":               {v(6, 0), v(9, 16)},
	"exhaust-input":              {v(6, 0), v(9, 16)},
	"seal-output":                {v(6, 0), v(9, 16)},
	"backpressure-on":            {v(7, 0), v(9, 16)},
	"backpressure-off":           {v(7, 0), v(9, 16)},
	"assign-bookkeeper-log-id":   {v(8, 0), v(9, 16)},
	"compact-bookkeeper-log-ids": {v(8, 0), v(9, 16)},
	"deleted-bookkeeper-log-ids": {v(8, 0), v(9, 16)},
	"add-virtual-peer":           {v(9, 7), newest},
	"group-leave-cluster":        {v(9, 7), newest},
	"complete-job":               {v(10, 0), newest},
}

// dirSince are tenancy directories every peer creates on start from a
// release on (onyx-log-format.md §1.2, §1.6).
var dirSince = []struct {
	name  string
	since ver
}{
	{"windows", v(8, 0)},
	{"exception", v(8, 4)},
	{"job-metadata", v(9, 0)},
	{"job-hash", v(9, 10)},
	{"checkpoint", v(10, 0)},
	{"job-name", v(12, 0)},
	{"job-config", v(13, 0)},
	{"epoch", v(13, 0)},
}

// Detect narrows the release range with the evidence: strong evidence first
// (the log-version, parameter znodes, the codec, commands, entry keys), then
// weak evidence (directories present or absent, the parameter znodes
// missing), each applied only when it agrees with what came before.
func Detect(ev Evidence) Detection {
	var strong, weak []constraint
	if ev.LogVersion != "" {
		if x, ok := parseVer(ev.LogVersion); ok {
			strong = append(strong, constraint{x, x, fmt.Sprintf("log-parameters :log-version %q", ev.LogVersion)})
		}
	}
	if ev.HasLogParameters {
		strong = append(strong, constraint{v(9, 11), newest, "/log-parameters exists (0.9.11+)"})
	}
	if ev.HasMessaging {
		strong = append(strong, constraint{v(6, 0), v(9, 10), "/messaging/messaging exists (0.6.0–0.9.10)"})
	}
	if ev.HasJobScheduler {
		strong = append(strong, constraint{v(5, 2), v(9, 10), "/job-scheduler/scheduler exists (0.5.2–0.9.10)"})
	}
	strong = append(strong, bytesConstraints(ev.FirstBytes)...)
	fns := make([]string, 0, len(ev.Fns))
	for fn := range ev.Fns {
		fns = append(fns, fn.Name())
	}
	slices.Sort(fns)
	for _, fn := range fns {
		if r, ok := fnRanges[fn]; ok {
			strong = append(strong, constraint{r[0], r[1], fmt.Sprintf("entry :%s (%v–%v)", fn, r[0], r[1])})
		}
	}
	if ev.Immediate {
		strong = append(strong, constraint{oldest, v(7, 99), "entry key :immediate? (0.5.0–0.7.x)"})
	}
	if ev.PeerParent {
		strong = append(strong, constraint{v(8, 4), newest, "entry key :peer-parent (0.8.4+)"})
	}

	if ev.Dirs != nil {
		for _, d := range dirSince {
			if slices.Contains(ev.Dirs, d.name) {
				weak = append(weak, constraint{d.since, newest, fmt.Sprintf("/%s exists (%v+)", d.name, d.since)})
			} else {
				weak = append(weak, constraint{oldest, d.since - 1, fmt.Sprintf("no /%s (before %v)", d.name, d.since)})
			}
		}
	}
	if !ev.HasLogParameters && !ev.HasMessaging && !ev.HasJobScheduler {
		weak = append(weak, constraint{oldest, v(5, 1), "no parameter znodes (0.5.0–0.5.1)"})
	}
	weak = append(weak, nippyMapConstraints(ev.FirstBytes)...)

	lo, hi := oldest, newest
	var d Detection
	apply := func(c constraint, isWeak bool) {
		nlo, nhi := max(lo, c.lo), min(hi, c.hi)
		switch {
		case nlo > nhi && isWeak:
			return // weak evidence that disagrees says nothing
		case nlo > nhi:
			d.Evidence = append(d.Evidence, c.why+": contradicts the rest, ignored")
			return
		case nlo == lo && nhi == hi:
			return
		}
		lo, hi = nlo, nhi
		d.Evidence = append(d.Evidence, c.why)
	}
	for _, c := range strong {
		apply(c, false)
	}
	for _, c := range weak {
		apply(c, true)
	}
	d.Exact = lo == hi
	d.Version = lo.String()
	if !d.Exact {
		d.Version += "–" + hi.String()
	}
	d.Era = lo.era()
	if hi.era() != d.Era {
		d.Evidence = append(d.Evidence, fmt.Sprintf("the range spans eras %s–%s; assuming %s", d.Era, hi.era(), d.Era))
	}
	if len(d.Evidence) == 0 {
		d.Evidence = []string{"no evidence: any supported release"}
	}
	return d
}

// bytesConstraints reads the codec from an entry's first bytes (§2.1).
func bytesConstraints(b []byte) []constraint {
	switch {
	case len(b) == 0:
		return nil
	case bytes.HasPrefix(b, []byte("NPY")):
		cs := []constraint{{v(6, 0), newest, "entries are Nippy (0.6.0+)"}}
		if len(b) > 3 && b[3] == 0x08 {
			cs = append(cs, constraint{v(8, 1), newest, "an entry is LZ4-compressed Nippy (0.8.1+)"})
		}
		return cs
	}
	return []constraint{{oldest, v(5, 3), "entries are Fressian (0.5.x)"}}
}

// nippyMapConstraints reads the Nippy version from the type id of an
// uncompressed entry map (§2.3): id 27 was written by Nippy ≤2.10 (Onyx
// ≤0.9.0), ids 112/33/30 by Nippy 2.11+ (Onyx 0.9.1+). Weak: a deployment
// may have resolved another Nippy.
func nippyMapConstraints(b []byte) []constraint {
	if len(b) < 5 || !bytes.HasPrefix(b, []byte("NPY\x00")) {
		return nil
	}
	switch b[4] {
	case 27:
		return []constraint{{oldest, v(9, 0), "entry map written by Nippy ≤2.10 (Onyx ≤0.9.0)"}}
	case 112, 33, 30:
		return []constraint{{v(9, 1), newest, "entry map written by Nippy 2.11+ (Onyx 0.9.1+)"}}
	}
	return nil
}

// parseVer reads "0.14.6-SNAPSHOT" as 0.14.6; false outside 0.5–0.14.
func parseVer(s string) (ver, bool) {
	core, _, _ := strings.Cut(strings.TrimSpace(s), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 || parts[0] != "0" {
		return 0, false
	}
	minor, err1 := strconv.Atoi(parts[1])
	patch, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || minor < 5 || minor > 14 || patch < 0 || patch > 98 {
		return 0, false
	}
	return v(minor, patch), true
}
