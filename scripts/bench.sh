#!/usr/bin/env bash
# bench.sh: run every benchmark of every package once and print a table of
# the figures. Raw output: build/bench.txt; the table: build/bench.md.
#
# usage: scripts/bench.sh [go test flags, e.g. -benchtime=3x]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
go test -run '^$' -bench . -benchmem "$@" ./... | tee build/bench.txt
bash scripts/benchtable.sh build/bench.txt | tee build/bench.md
