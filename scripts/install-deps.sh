#!/usr/bin/env bash
# install-deps.sh: install what building and testing Onyx Dashboard needs on
# Debian 12: the C toolchain and GL/X11 headers for Fyne, Xvfb and screenshot
# tools for the window test, ZooKeeper with a JRE for the integration tests,
# and the Go modules. Safe to run again: it asks apt only for what is missing.
#
# usage: scripts/install-deps.sh [--no-go]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	gcc pkg-config libgl1-mesa-dev xorg-dev # cgo build of Fyne's GLFW driver
	libgl1-mesa-dri                         # Mesa's software GL for the window under Xvfb
	xvfb x11-utils xdotool imagemagick      # end-to-end window test and its screenshot
	zookeeper default-jre-headless          # ZooKeeper 3.8 for the integration tests
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
	cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "install-deps: apt-get not found; install the equivalent of these Debian packages, then run again:" >&2
		echo "  ${missing[*]}" >&2
		exit 1
	fi
	if [[ $(id -u) != 0 ]]; then
		echo "install-deps: missing Debian packages: ${missing[*]}" >&2
		echo "install-deps: this needs root; run:" >&2
		echo "  sudo sh -c '$cmd'" >&2
		exit 1
	fi
	echo "install-deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if [[ ${1:-} != --no-go ]]; then
	go mod download
fi
