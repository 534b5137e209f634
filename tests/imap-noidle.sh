#!/bin/sh
# IMAP source against a real Dovecot that does not advertise IDLE: the
# source polls with NOOP (1 s here, 60 s in service) and still gets new mail.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
trap 'driver_stop; dovecot_stop; rm -rf "$T"' EXIT
DOVECOT_NO_IDLE=1 dovecot_setup "$T/dovecot" && dovecot_start ||
	{ not_ok "dovecot starts"; tap_done; exit; }
write_message "$T/m1" 1; write_message "$T/m2" 2
dovecot_deliver "$T/m1"
driver_start "$T/out" --state "$T/state" --poll 1 --timeout 5
check "no IDLE capability: polling" wait_for_line "$T/out" '^STATE polling every 1s \(no IDLE\)'
check "existing mail fetched" grep -q '^MSG [0-9]*:1 <vulnd-test-1@' "$T/out"
dovecot_append "$T/m2"
check "new mail found by the NOOP poll" wait_for_line "$T/out" '^MSG [0-9]+:2 <vulnd-test-2@' 50
driver_stop
check "nothing twice" test "$(grep -c '^MSG' "$T/out")" -eq 2
check "never entered IDLE" sh -c "! grep -q '^STATE idle' '$T/out'"
tap_done
