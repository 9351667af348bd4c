#!/usr/bin/env bash
# test.sh: everything `make test` checks. Installs what is missing, vets,
# starts a throw-away ZooKeeper, runs every package's tests with -race and the
# end-to-end window test, stops ZooKeeper, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
passed=()
failed=()

# step NAME CMD…: run one step, timed, and remember how it went.
step() {
	local name=$1 t=$SECONDS
	shift
	echo "==> $name: $*"
	if "$@"; then
		passed+=("$name")
		echo "<== $name ok ($((SECONDS - t))s)"
	else
		failed+=("$name")
		echo "<== $name FAILED ($((SECONDS - t))s)"
	fi
}

summary() {
	local total=$((SECONDS - t0))
	local took="$((total / 60))m$((total % 60))s"
	if ((${#failed[@]} == 0)); then
		echo "make test: PASS (${passed[*]}) in $took"
	else
		echo "make test: FAIL (${failed[*]}; passed: ${passed[*]:-none}) in $took"
	fi
}

# Fyne logs "Error parsing user locale C" at start-up under LANG=C.UTF-8 unless
# LANGUAGE names a language.
case ${LC_ALL:-${LC_MESSAGES:-${LANG:-}}} in
C.* | POSIX.*) export LANGUAGE=${LANGUAGE:-en} ;;
esac

step deps bash scripts/install-deps.sh
if [[ ${failed[*]:-} == deps ]]; then
	summary
	exit 1
fi
step vet go vet ./...

# Integration tests must fail, not skip, when the server is missing.
export ONYX_ZK_REQUIRED=1
if zkenv=$(bash scripts/zk-test.sh start); then
	eval "$zkenv"
	export ONYX_ZK_TEST_ADDR ONYX_ZK_TEST_DIR
	stop_zk() {
		[[ -n ${ONYX_ZK_TEST_DIR:-} ]] && bash scripts/zk-test.sh stop "$ONYX_ZK_TEST_DIR"
		ONYX_ZK_TEST_DIR=
	}
	trap stop_zk EXIT
	trap 'exit 130' INT TERM
	passed+=(zookeeper)
else
	failed+=(zookeeper)
	echo "<== zookeeper FAILED: integration tests will fail without ONYX_ZK_TEST_ADDR"
fi

step unit go test -race -count=1 ./...
step e2e go test -tags e2e -run E2E -count=1 -v .

[[ $(type -t stop_zk) == function ]] && stop_zk
summary
((${#failed[@]} == 0))
