#!/bin/sh
# vulnctl status: the database at a glance, plus the running daemon's view
# (sources, state, counters) asked over a real private dbus-daemon; a clear
# line when no daemon answers.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

if ! command -v dbus-daemon >/dev/null; then
	skip "dbus-daemon missing"; tap_done; exit 0
fi
check "private dbus-daemon is up" start_dbus
new_maildir "$T/md"
cat >"$T/vulnd.conf" <<CONF
[vulnd]
database = $T/db

[maildir]
path = $T/md

[notify]
dbus = $DBUS_ADDR
CONF
check "vulnd started" start_vulnd "$T/vulnd.conf" "$T/log"
sample 3 >"$T/a.eml"
deliver "$T/a.eml" "$T/md"
check "the advisory is stored" wait_for 20 sh -c "'$VULNCTL' --db '$T/db' show OSSA-2098-003 >/dev/null 2>&1"

"$VULNCTL" --db "$T/db" status --bus "$DBUS_ADDR" >"$T/status" 2>&1
sed 's/^/# /' "$T/status"
check "status shows the database" grep -q '^advisories    1 ' "$T/status"
check "status shows the daemon" grep -q '^daemon        vulnd [0-9]' "$T/status"
check "status shows the maildir source and its state" grep -q "^source        maildir maildir: watching" "$T/status"
check "status --json carries the daemon's view" \
	sh -c "'$VULNCTL' --db '$T/db' --json status --bus '$DBUS_ADDR' | python3 -c 'import json,sys; d=json.load(sys.stdin)[\"daemon\"]; assert d[\"sources\"][0][\"type\"] == \"maildir\" and d[\"messages_processed\"] >= 1'"
stop_vulnd
check "without a daemon: a clear line, still exit 0" \
	sh -c "'$VULNCTL' --db '$T/db' status --bus '$DBUS_ADDR' >'$T/s2' 2>&1 && grep -q '^daemon        not reachable' '$T/s2'"
check "--no-daemon skips the question" \
	sh -c "! '$VULNCTL' --db '$T/db' status --no-daemon | grep -q '^daemon'"
tap_done
