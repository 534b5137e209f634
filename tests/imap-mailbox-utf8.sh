#!/bin/sh
# A mailbox with a non-ASCII name on a real Dovecot: vulnd.conf names it in
# UTF-8 (mailbox = Sécurité), vulnd SELECTs it in modified UTF-7
# ("S&AOk-curit&AOk-", RFC 3501 5.1.3) and stores its advisories, not
# INBOX's; a mailbox that does not exist is named in the error.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
VPID=
trap '[ -n "$VPID" ] && kill $VPID && wait $VPID; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
MBOX='Sécurité'
sample() { sed -e "s/2099-003/2097-$1/g" "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml"; }
save() { doveadm -c "$DOVECOT_CONF" save -u "$DOVECOT_USER" -m "$1"; }

check "doveadm creates mailbox $MBOX" doveadm -c "$DOVECOT_CONF" mailbox create -u "$DOVECOT_USER" "$MBOX"
# Dovecot's maildir keeps folder names in modified UTF-7 too: the same
# spelling, reached independently of vulnd's encoder
check "... stored as .S&AOk-curit&AOk-" test -d "$DOVECOT_MAILDIR/.S&AOk-curit&AOk-"
sample 101 | save INBOX
sample 102 | save "$MBOX"

cat >"$T/vulnd.conf" <<EOF
[vulnd]
database = $T/db
$(dovecot_imap_section)
mailbox = $MBOX
$(dovecot_imap_section missing)
mailbox = Archivé-absent
[notify]
dbus = none
EOF
shows() { "$VULNCTL" --db "$T/db" show "$1" >/dev/null 2>&1; }

"$VULND" --foreground --config "$T/vulnd.conf" >"$T/log" 2>&1 &
VPID=$!
check "advisory in $MBOX stored" _dovecot_wait 150 shows OSSA-2097-102
sample 103 | save "$MBOX"
check "advisory saved to $MBOX while vulnd runs stored" _dovecot_wait 150 shows OSSA-2097-103
check "INBOX not read" sh -c "! '$VULNCTL' --db '$T/db' show OSSA-2097-101 >/dev/null 2>&1"
# the log's charset follows the locale: the name may show as "Archiv?-absent"
check "a missing mailbox is named in the error" \
	wait_for_line "$T/log" 'imap:missing: .*SELECT "Archiv[^"]*-absent": SELECT refused' 150
kill "$VPID"; wait "$VPID"; rc=$?; VPID=
check "vulnd stops cleanly" test "$rc" -eq 0
grep -E "SELECT|connected" "$T/log" | head -n 3 | sed 's/^/# /'
tap_done
