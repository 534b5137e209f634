#!/bin/sh
# IMAP source against a real Dovecot: a changed UIDVALIDITY means a full
# rescan, reported, with cursors in the new UIDVALIDITY.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
trap 'driver_stop; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
for n in 1 2 3; do write_message "$T/m$n" $n; dovecot_deliver "$T/m$n"; done
old=$(dovecot_uidvalidity)

driver_start "$T/out" --state "$T/state" --timeout 5
check "first pass: 3 messages" wait_for_line "$T/out" "^MSG $old:3 "
check "cursor $old:3" grep -qx "$old:3" "$T/state"
check "server restarted with a new UIDVALIDITY" dovecot_renumber
new=$(dovecot_uidvalidity)
check "full rescan: all 3 messages again under UIDVALIDITY $new" \
	sh -c "wait_for() { n=0; while [ \$n -lt 150 ]; do [ \$(grep -c '^MSG $new:' '$T/out') -ge 3 ] && return 0; sleep 0.1; n=\$((n+1)); done; return 1; }; wait_for"
check "the change was reported" wait_for_line "$T/out.err" "UIDVALIDITY changed from $old to $new: full rescan"
check "cursor now $new:3" grep -qx "$new:3" "$T/state"
driver_stop
check "6 hand-overs in all (the store's Message-ID dedupe drops the repeats)" \
	test "$(grep -c '^MSG' "$T/out")" -eq 6
tap_done
