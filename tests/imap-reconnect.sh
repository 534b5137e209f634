#!/bin/sh
# IMAP source against a real Dovecot: the server killed and restarted ->
# reconnect with backoff and fetch what arrived meanwhile, nothing twice; a
# silent dead connection (server processes frozen) -> detected at the IDLE
# re-issue, reconnect; a restarted client resumes from its cursor.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
FROZEN=
trap '[ -n "$FROZEN" ] && kill -CONT $FROZEN; driver_stop; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
for n in 1 2 3 4 5 6 7; do write_message "$T/m$n" $n; done
dovecot_deliver "$T/m1"

driver_start "$T/out" --state "$T/state" --idle 2 --timeout 2
check "connected and idle" wait_for_line "$T/out" '^STATE idle'

dovecot_stop KILL
check "server gone: backoff 1s with the error" wait_for_line "$T/out" '^STATE backoff 1s: '
check "... then doubling: backoff 2s" wait_for_line "$T/out" '^STATE backoff 2s: '
maildir_deliver "$T/m2" && maildir_deliver "$T/m3"
dovecot_start
check "reconnected: mail delivered while down fetched" \
	wait_for_line "$T/out" '^MSG [0-9]+:3 <vulnd-test-3@' 150
check "... and idle again" sh -c "tail -n1 '$T/out' | grep -q '^STATE idle'" ||
	wait_for_line "$T/out" '^STATE idle'
dovecot_append "$T/m4"
check "IDLE works after the reconnect" wait_for_line "$T/out" '^MSG [0-9]+:4 <vulnd-test-4@'

# freeze the server side of the connection: no BYE, no RST, just silence
FROZEN=$(dovecot_session_pids | tr '\n' ' ')
check "found the session's server processes ($FROZEN)" test -n "$FROZEN"
kill -STOP $FROZEN
n_before=$(grep -c '^STATE backoff' "$T/out")
check "silent connection detected (IDLE re-issue + timeout)" \
	_dovecot_wait 150 sh -c "test \$(grep -c '^STATE backoff' '$T/out') -gt $n_before"
dovecot_append "$T/m5"
check "reconnected past the frozen session: new mail fetched" \
	wait_for_line "$T/out" '^MSG [0-9]+:5 <vulnd-test-5@' 150
kill -CONT $FROZEN; FROZEN=

driver_stop
check "each message handed over exactly once" \
	test "$(grep '^MSG' "$T/out" | awk '{print $3}' | sort | uniq -d | wc -l)" -eq 0
check "... five of them" test "$(grep -c '^MSG' "$T/out")" -eq 5

dovecot_append "$T/m6"
"$top_builddir/tests/test-imap" --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps \
	--ca "$DOVECOT_CA" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
	--state "$T/state" --once >"$T/out2" 2>/dev/null
check "restarted client resumes from the cursor: only the new message" \
	sh -c "test \$(grep -c '^MSG' '$T/out2') -eq 1 && grep -q '^MSG [0-9]*:6 <vulnd-test-6@' '$T/out2'"
tap_done
