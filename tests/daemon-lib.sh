# tests/daemon-lib.sh - helpers of the daemon tests (sourced after lib.sh).
# Everything lives in one temp dir; every process started is stopped by PID.
T=$(mktmp)
PIDS=""
# Never fails: scripts under "set -e" (the benchmarks) must keep their status.
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || :; done
	for p in $PIDS; do wait "$p" 2>/dev/null || :; done
	[ -z "${DBUS_PID:-}" ] || kill "$DBUS_PID" 2>/dev/null || :
	rm -rf "$T"
}
trap cleanup EXIT

# wait_for SECONDS COMMAND...: poll every 50 ms until COMMAND succeeds.
wait_for() {
	local n=$(( $1 * 20 )); shift
	while [ "$n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# start_dbus: a private bus at $T/bus, its PID in DBUS_PID.
start_dbus() {
	DBUS_ADDR="unix:path=$T/bus"
	DBUS_PID=$(dbus-daemon --session --address="$DBUS_ADDR" --print-pid --fork --nopidfile 2>"$T/dbus.err") || return 1
	wait_for 5 test -S "$T/bus"
}

# new_maildir DIR
new_maildir() { mkdir -p "$1/new" "$1/cur" "$1/tmp"; }

# deliver FILE MAILDIR [NAME]: the way an MTA does, tmp/ then rename to new/.
_deliver_n=0
deliver() {
	_deliver_n=$((_deliver_n + 1))
	local name="${3:-$(date +%s).$$_$_deliver_n.test}"
	cp "$1" "$2/tmp/$name" && mv "$2/tmp/$name" "$2/new/$name"
}

# sample N: an invented advisory OSSA-2098-NNN written from the 2023-style
# fixture (ids and Message-ID changed), on stdout.
sample() {
	local id; id=$(printf '%03d' "$1")
	sed -e "s/2099-003/2098-$id/g" "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml"
}

# start_vulnd CONFIG LOG: vulnd in the background, PID in VULND_PID; waits
# for this instance's "started" line (LOG may hold earlier ones).
start_vulnd() {
	local before
	before=$(count_lines 'vulnd: started' "$2"); before=${before:-0}
	"$VULND" --foreground --config "$1" >>"$2" 2>&1 &
	VULND_PID=$!
	PIDS="$PIDS $VULND_PID"
	wait_for 10 _started_since "$2" "$before"
}
_started_since() { test "$(count_lines 'vulnd: started' "$1")" -gt "$2"; }

# stop_vulnd: SIGTERM, then the exit status in VULND_RC.
stop_vulnd() {
	kill -TERM "$VULND_PID" 2>/dev/null
	wait "$VULND_PID"; VULND_RC=$?
}

count_lines() { grep -c "$1" "$2" 2>/dev/null || true; }
