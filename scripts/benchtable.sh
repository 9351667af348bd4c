#!/usr/bin/env bash
# benchtable.sh: turn `go test -bench` output into a Markdown table, one row
# per benchmark: package, name, ns/op, B/op, allocs/op and custom metrics
# (entries/s and the like).
#
# usage: scripts/benchtable.sh [bench.txt]   (default: stdin)
set -euo pipefail
awk '
/^pkg: / { pkg = $2; sub(/^onyx-dashboard\/?/, "", pkg); if (pkg == "") pkg = "."; next }
/^Benchmark/ && NF >= 4 {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	ns = "-"; bytes = "-"; allocs = "-"; other = ""
	for (i = 3; i < NF; i += 2) {
		v = $i; u = $(i + 1)
		if (u == "ns/op") ns = v
		else if (u == "B/op") bytes = v
		else if (u == "allocs/op") allocs = v
		else other = other (other == "" ? "" : ", ") v " " u
	}
	if (other == "") other = "-"
	rows[n++] = sprintf("| %s | %s | %s | %s | %s | %s |", pkg, name, ns, bytes, allocs, other)
}
END {
	print "| package | benchmark | ns/op | B/op | allocs/op | other |"
	print "|---|---|--:|--:|--:|---|"
	for (i = 0; i < n; i++) print rows[i]
	if (n == 0) print "| (no benchmarks found) | | | | | |"
}
' "${1:-/dev/stdin}"
