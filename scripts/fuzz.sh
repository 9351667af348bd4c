#!/usr/bin/env bash
# fuzz.sh: fuzz every Fuzz target of every package for FUZZTIME each
# (default 20s), one after another. New crashers land in the package's
# testdata/fuzz/ (commit them with the fix).
#
# usage: FUZZTIME=1m scripts/fuzz.sh [packages, default ./...]
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-20s}
failed=()
count=0
for pkg in $(go list "${@:-./...}"); do
	for target in $(go test -list '^Fuzz' -run '^$' "$pkg" | grep '^Fuzz' || true); do
		count=$((count + 1))
		echo "==> $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg"; then
			failed+=("$pkg.$target")
		fi
	done
done
if ((${#failed[@]} > 0)); then
	echo "fuzz: FAIL: ${failed[*]} (of $count targets)"
	exit 1
fi
echo "fuzz: PASS ($count targets, $fuzztime each)"
