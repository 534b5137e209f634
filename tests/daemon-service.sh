#!/bin/sh
# vulnd with a real private dbus-daemon: a delivered advisory runs the hook
# (clean environment, record JSON on stdin), raises the D-Bus signal seen by
# vulnctl watch and dbus-monitor, one ALERT line; Status answers; the same
# advisory again raises nothing; SIGHUP reloads, and a hook running then
# finishes; SIGTERM exits 0 quickly.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

if ! command -v dbus-daemon >/dev/null || ! command -v busctl >/dev/null; then
	skip "dbus-daemon or busctl missing"; tap_done; exit 0
fi
check "private dbus-daemon is up" start_dbus

new_maildir "$T/md"
mkdir "$T/hooks"
# The erratum's hook holds on until $T/go exists (at most 7.5 s, under
# hook_timeout): it is still running when vulnd reloads.
cat >"$T/hook" <<HOOK
#!/bin/sh
if [ "\$VULND_EVENT" = updated ]; then
	: >"$T/hooks/\$VULND_SEQ.running"
	n=0
	while [ ! -e "$T/go" ] && [ \$n -lt 150 ]; do sleep 0.05; n=\$((n + 1)); done
fi
env | sort >"$T/hooks/\$VULND_SEQ.env.tmp" && mv "$T/hooks/\$VULND_SEQ.env.tmp" "$T/hooks/\$VULND_SEQ.env"
cat >"$T/hooks/\$VULND_SEQ.json"
HOOK
chmod +x "$T/hook"
cat >"$T/vulnd.conf" <<CONF
[vulnd]
database = $T/db

[maildir]
path = $T/md

[notify]
dbus = $DBUS_ADDR
on_new = $T/hook
on_update = $T/hook
hook_timeout = 10
CONF

dbus-monitor --address "$DBUS_ADDR" "type='signal',interface='org.openstack.vulnd1'" >"$T/monitor" 2>&1 &
PIDS="$PIDS $!"
"$VULNCTL" watch --bus "$DBUS_ADDR" --json --count 2 >"$T/watch" 2>"$T/watch.err" &
WATCH_PID=$!
PIDS="$PIDS $WATCH_PID"
wait_for 10 grep -q listening "$T/watch.err"
wait_for 10 grep -q "NameAcquired\|member=" "$T/monitor"

check "vulnd starts" start_vulnd "$T/vulnd.conf" "$T/log"
check "vulnd owns org.openstack.vulnd" wait_for 10 sh -c "busctl --address='$DBUS_ADDR' list | grep -q org.openstack.vulnd"

deliver "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml" "$T/md"
check "the hook ran for the new advisory" wait_for 20 sh -c "ls '$T/hooks/'*.env"
env=$(cat "$T"/hooks/*.env 2>/dev/null)
seq=$(printf '%s\n' "$env" | sed -n 's/^VULND_SEQ=//p')
check "hook env: VULND_ID" sh -c "printf '%s\n' '$env' | grep -qx VULND_ID=OSSA-2099-003"
check "hook env: VULND_KIND" sh -c "printf '%s\n' '$env' | grep -qx VULND_KIND=ossa"
check "hook env: VULND_REVISION" sh -c "printf '%s\n' '$env' | grep -qx VULND_REVISION=1"
check "hook env: VULND_VERIFIED=0 (no keyring)" sh -c "printf '%s\n' '$env' | grep -qx VULND_VERIFIED=0"
check "hook env: VULND_SEQ is a number" sh -c "echo '$seq' | grep -qx '[0-9][0-9]*'"
check "hook env: PATH=/usr/bin:/bin" sh -c "printf '%s\n' '$env' | grep -qx PATH=/usr/bin:/bin"
check "hook env is clean (no HOME, no DBUS, nothing inherited)" sh -c "! printf '%s\n' '$env' | grep -q '^HOME=\|^top_srcdir=\|^G_DEBUG='"
check "hook stdin is the record JSON" wait_for 5 sh -c "grep -q '\"id\" *: *\"OSSA-2099-003\"' '$T/hooks/$seq.json' && grep -q '\"vulnerabilities\"' '$T/hooks/$seq.json'"
check "one ALERT line, marked UNVERIFIED" sh -c "test \$(grep -c '^ALERT new OSSA-2099-003 rev 1 \[UNVERIFIED\]' '$T/log') -eq 1"
check "dbus-monitor saw AdvisoryAdded" wait_for 10 sh -c "grep -A3 'member=AdvisoryAdded' '$T/monitor' | grep -q OSSA-2099-003"
check "vulnctl watch printed the JSON line" wait_for 10 sh -c "grep -q '\"id\":\"OSSA-2099-003\".*\"verified\":false' '$T/watch'"

status=$(busctl --address="$DBUS_ADDR" call org.openstack.vulnd /org/openstack/vulnd org.openstack.vulnd1 Status 2>&1)
check "Status lists the maildir source" sh -c "echo '$status' | grep -q 'maildir'"
check "Status counts the processed message" sh -c "echo '$status' | grep -q 'messages_processed[^0-9]*:1[,}]'"

# The same advisory again (another copy of the message): no new alert.
deliver "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml" "$T/md"
# ... then the erratum: one update alert.
deliver "$top_srcdir/tests/fixtures/mail/04-ossa-2023-errata.eml" "$T/md"
check "the erratum raised AdvisoryUpdated" wait_for 20 sh -c "grep -q 'member=AdvisoryUpdated' '$T/monitor'"
check "vulnctl watch got both and exited (--count 2)" wait_for 10 sh -c "! kill -0 $WATCH_PID"
check "vulnctl watch printed the update" sh -c "grep -q '\"event\":\"updated\"' '$T/watch'"
check "the duplicate raised no alert" sh -c "test \$(grep -c '^ALERT' '$T/log') -eq 2"

# hooks_idle: Status says no hook runs or waits for a retry
hooks_idle() {
	busctl --address="$DBUS_ADDR" call org.openstack.vulnd /org/openstack/vulnd \
		org.openstack.vulnd1 Status | grep -q 'hooks_pending[^0-9]*:0[,}]'
}

# SIGHUP: reload a changed configuration (hook removed) while the erratum's
# hook runs.  vulnd used to stop that hook (SIGTERM, never reaped) and its
# alert was lost; a CI run caught it when the hook was merely slow.
check "the erratum's hook is running" wait_for 20 sh -c "ls '$T/hooks/'*.running >/dev/null"
sed -i '/^on_new/d' "$T/vulnd.conf"
kill -HUP "$VULND_PID"
check "SIGHUP reloads" wait_for 10 grep -q "configuration reloaded" "$T/log"
: >"$T/go"
check "the hook running at the reload finishes after it" \
	wait_for 10 sh -c "test \$(ls '$T/hooks/'*.env | wc -l) -eq 2"
deliver "$top_srcdir/tests/fixtures/mail/05-ossn-style.eml" "$T/md"
check "alerts continue after the reload" wait_for 20 grep -q "^ALERT new OSSN-9901" "$T/log"
# A hook is started right after its ALERT line: once none is pending, the
# one for OSSN-9901 would have written its file.
check "no hook pending" wait_for 10 hooks_idle
check "no on_new hook after it was removed" sh -c "test \$(ls '$T/hooks/'*.env | wc -l) -eq 2"

start=$(date +%s%N)
stop_vulnd
end=$(date +%s%N)
check "SIGTERM: exit status 0" test "$VULND_RC" -eq 0
check "SIGTERM: stopped within 2 s ($(( (end - start) / 1000000 )) ms)" test $(( (end - start) / 1000000 )) -lt 2000
tap_done
