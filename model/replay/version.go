package replay

import (
	"fmt"
	"strconv"
	"strings"
)

// Era is a span of Onyx releases that share log semantics (onyx-log-format.md §0).
type Era int

const (
	EraA Era = iota + 1 // 0.5.0 – 0.5.3: Fressian, peers volunteer for tasks
	EraB                // 0.6.0 – 0.8.3: Nippy, reconfigure-cluster-workload
	EraC                // 0.8.4 – 0.9.16: BtrPlace placement, peer groups from 0.9.7
	EraD                // 0.10.0 – 0.14.6: complete-job, coordinators, :version
)

func (e Era) String() string {
	if e >= EraA && e <= EraD {
		return string(rune('A' + int(e-EraA)))
	}
	return "?"
}

// Version is an Onyx release. Pre-release suffixes ("-SNAPSHOT", "-alpha1") are
// kept in Suffix and do not change the rules.
type Version struct {
	Major, Minor, Patch int
	Suffix              string
}

// ParseVersion reads "0.8.3", "0.14.6-SNAPSHOT" and "0.7" (patch 0).
func ParseVersion(s string) (Version, error) {
	raw := strings.TrimSpace(s)
	core, suffix, _ := strings.Cut(raw, "-")
	parts := strings.Split(core, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("onyx version %q: want MAJOR.MINOR.PATCH", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("onyx version %q: %q is not a number", s, p)
		}
		n[i] = v
	}
	v := Version{Major: n[0], Minor: n[1], Patch: n[2], Suffix: suffix}
	if v.Era() == 0 {
		return Version{}, fmt.Errorf("onyx version %q: not supported (0.5.0 – 0.14.6 are)", s)
	}
	return v, nil
}

// MustVersion is ParseVersion for literals.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Suffix != "" {
		s += "-" + v.Suffix
	}
	return s
}

// Cmp orders versions by number, ignoring the suffix.
func (v Version) Cmp(o Version) int {
	for _, d := range [3]int{v.Major - o.Major, v.Minor - o.Minor, v.Patch - o.Patch} {
		if d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	return 0
}

// AtLeast reports v >= s; s must be a valid version literal. It parses s on
// every call: keep it out of per-entry paths (compare eras there).
func (v Version) AtLeast(s string) bool { return v.Cmp(MustVersion(s)) >= 0 }

// Before reports v < s.
func (v Version) Before(s string) bool { return !v.AtLeast(s) }

// Era returns the era of v, or 0 for releases outside 0.5.0 – 0.14.x.
func (v Version) Era() Era {
	if v.Major != 0 {
		return 0
	}
	switch {
	case v.Minor < 5:
		return 0
	case v.Minor == 5:
		return EraA
	case v.Minor < 8 || (v.Minor == 8 && v.Patch <= 3):
		return EraB
	case v.Minor < 10:
		return EraC
	case v.Minor <= 14:
		return EraD
	}
	return 0
}

// PlacementEstimated reports whether peer placement of this version came from a
// constraint solver that replay cannot run (0.8.4+), so allocations shown are a
// deterministic estimate with the right per-task counts.
func (v Version) PlacementEstimated() bool { return v.Era() >= EraC }
