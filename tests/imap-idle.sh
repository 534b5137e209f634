#!/bin/sh
# IMAP source against a real Dovecot: catch-up of existing mail, then IDLE
# delivers an APPEND within a second; BODY.PEEK[] leaves \Seen unset; a
# failed commit is retried (the message is neither lost nor doubled).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
trap 'driver_stop; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
for n in 1 2 3 4; do write_message "$T/m$n" $n; done
dovecot_deliver "$T/m1" && dovecot_deliver "$T/m2"

# IDLE re-issued every 3 s here, so the re-issue path runs too
driver_start "$T/out" --state "$T/state" --idle 3 --timeout 10
check "catch-up then IDLE" wait_for_line "$T/out" '^STATE idle'
check "existing mail fetched in UID order" \
	sh -c "grep '^MSG' '$T/out' | awk '{print \$2, \$3}' | sed 's/^[0-9]*://' | tr '\n' ' ' |
	       grep -qx '1 <vulnd-test-1@example.invalid> 2 <vulnd-test-2@example.invalid> '"
uv=$(dovecot_uidvalidity)
check "cursor UIDVALIDITY:UID ($uv:2) committed with the message" grep -qx "$uv:2" "$T/state"
check "state key imap/default/cursor, source imap:default" \
	grep -q '^MSG .* imap:default imap/default/cursor$' "$T/out"

# wait past one IDLE re-issue before appending
sleep_until() { _dovecot_wait 100 test "$(date +%s)" -ge "$1"; }
sleep_until $(( $(date +%s) + 4 ))
dovecot_append "$T/m3" "$T/t0"
t0=$(cat "$T/t0")
check "APPEND during IDLE arrives" wait_for_line "$T/out" '^MSG [0-9]+:3 <vulnd-test-3@' 50
t1=$(awk '/^MSG [0-9]+:3 / { print $4 }' "$T/out")
lat=$(( (t1 - t0) / 1000 ))
check "... within a second of the APPEND (${lat} ms)" test "$lat" -lt 1000
check "BODY.PEEK[]: no message got \\Seen" \
	sh -c "! doveadm -c '$DOVECOT_CONF' fetch -u '$DOVECOT_USER' flags mailbox INBOX all | grep -q Seen"

# a commit that fails: disconnect, back off, fetch the same UID again
driver_stop
check "SIGTERM ends the driver cleanly" test $? -eq 0
dovecot_deliver "$T/m4"
driver_start "$T/out2" --state "$T/state" --fail-uid 4 --timeout 10
check "failed commit of UID 4 reported" wait_for_line "$T/out2" '^FAIL [0-9]+:4$'
check "... followed by a backoff" wait_for_line "$T/out2" '^STATE backoff 1s: storing message UID 4 failed'
check "... and UID 4 fetched again after the backoff" wait_for_line "$T/out2" '^MSG [0-9]+:4 <vulnd-test-4@'
check "resumed from the stored cursor: nothing fetched twice" \
	test "$(grep -c '^MSG' "$T/out2")" -eq 1
tap_done
