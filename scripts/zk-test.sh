#!/usr/bin/env bash
# zk-test.sh: a throw-away standalone ZooKeeper 3.8 (Debian's package) on a free
# loopback port, for the integration tests. It never touches the system's
# ZooKeeper service or /etc/zookeeper, /var/lib/zookeeper or /var/log/zookeeper:
# its config, data and log live in one directory under build/.
#
# usage:
#   eval "$(scripts/zk-test.sh start)"   # prints ONYX_ZK_TEST_ADDR=… and ONYX_ZK_TEST_DIR=…
#   scripts/zk-test.sh stop [DIR]        # DIR defaults to $ONYX_ZK_TEST_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "zk-test: $*" >&2; exit 1; }

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# four_letter PORT WORD: the server's answer to a four-letter word, or nothing.
four_letter() {
	timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf %s "$2" >&3 && cat <&3' _ "$1" "$2" 2>/dev/null || true
}

classpath() {
	local jar=/usr/share/java/zookeeper.jar cp
	[[ -f $jar ]] || die "$jar not found: install the Debian package zookeeper (scripts/install-deps.sh)"
	cp="$1:$jar" # the jar's manifest names its own dependencies
	# A log4j binding for slf4j, so the server's log goes to our file, not to NOP.
	for j in /usr/share/java/slf4j-log4j12.jar /usr/share/java/log4j-1.2.jar; do
		[[ -f $j ]] && cp="$cp:$j"
	done
	echo "$cp"
}

start() {
	command -v java >/dev/null || die "java not found: install default-jre-headless (scripts/install-deps.sh)"
	mkdir -p "$root/build"
	local dir
	dir=$(mktemp -d "$root/build/zk.XXXXXX")
	mkdir -p "$dir/data"
	cat >"$dir/log4j.properties" <<-LOG
		log4j.rootLogger=INFO, FILE
		log4j.appender.FILE=org.apache.log4j.FileAppender
		log4j.appender.FILE.File=$dir/zookeeper.log
		log4j.appender.FILE.layout=org.apache.log4j.PatternLayout
		log4j.appender.FILE.layout.ConversionPattern=%d{ISO8601} %-5p [%t:%C{1}@%L] %m%n
	LOG

	local attempt port
	for attempt in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		port_in_use "$port" && continue
		cat >"$dir/zoo.cfg" <<-CFG
			tickTime=2000
			initLimit=10
			syncLimit=5
			dataDir=$dir/data
			clientPort=$port
			clientPortAddress=127.0.0.1
			maxClientCnxns=0
			admin.enableServer=false
			4lw.commands.whitelist=*
			autopurge.purgeInterval=0
		CFG
		# Started detached, stdin from /dev/null and output to the log, so that
		# $(zk-test.sh start) returns and the server outlives this script.
		setsid java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
			-Djava.io.tmpdir="$dir" \
			-Dlog4j.configuration="file:$dir/log4j.properties" \
			-Dzookeeper.log.dir="$dir" \
			-Dzookeeper.admin.enableServer=false \
			-Dzookeeper.jmx.log4j.disable=true \
			-cp "$(classpath "$dir")" \
			org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" \
			</dev/null >>"$dir/stdout.log" 2>&1 &
		local pid=$!
		echo "$pid" >"$dir/zk.pid"
		# Wait until it answers srvr, at most 60 s.
		local i
		for i in $(seq 1 120); do
			if ! kill -0 "$pid" 2>/dev/null; then
				break
			fi
			if four_letter "$port" srvr | grep -q '^Mode: standalone'; then
				echo "$port" >"$dir/port"
				echo "zk-test: ZooKeeper $(four_letter "$port" srvr | sed -n 's/^Zookeeper version: \([^-,]*\).*/\1/p') on 127.0.0.1:$port (pid $pid, dir ${dir#"$root"/})" >&2
				echo "ONYX_ZK_TEST_ADDR=127.0.0.1:$port"
				echo "ONYX_ZK_TEST_DIR=$dir"
				return 0
			fi
			sleep 0.5
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "zk-test: ZooKeeper on port $port did not come up (attempt $attempt); its log:" >&2
		tail -n 20 "$dir/zookeeper.log" "$dir/stdout.log" >&2 2>/dev/null || true
	done
	rm -rf "$dir"
	die "could not start ZooKeeper"
}

stop() {
	local dir=${1:-${ONYX_ZK_TEST_DIR:-}}
	[[ -n $dir ]] || die "stop: no directory given and ONYX_ZK_TEST_DIR is not set"
	[[ -d $dir ]] || { echo "zk-test: $dir is already gone" >&2; return 0; }
	case $(cd "$dir" && pwd) in
	"$root"/build/zk.*) ;;
	*) die "stop: $dir is not a directory this script made (build/zk.*)" ;;
	esac
	if [[ -f $dir/zk.pid ]]; then
		local pid
		pid=$(<"$dir/zk.pid")
		# Only our server: its command line names our config.
		if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/zoo.cfg"; then
			kill "$pid" 2>/dev/null || true
			local i
			for i in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.2
			done
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$dir"
	echo "zk-test: stopped and removed ${dir#"$root"/}" >&2
}

case ${1:-} in
start) start ;;
stop) stop "${2:-}" ;;
*)
	echo "usage: $0 start | stop [DIR]" >&2
	exit 2
	;;
esac
