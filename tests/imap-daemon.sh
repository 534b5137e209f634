#!/bin/sh
# vulnd as a whole with an [imap] source and a real Dovecot: an advisory
# already in the mailbox and one APPENDed while vulnd IDLEs both end up in
# the database; the cursor "UIDVALIDITY:UID" is stored with them; a
# restarted vulnd fetches nothing twice.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available || ! command -v mdb_dump >/dev/null 2>&1; then
	skip "dovecot, doveadm, openssl, python3 or mdb_dump missing"; tap_done; exit
fi
T=$(mktmp)
VPID=
trap '[ -n "$VPID" ] && kill $VPID && wait $VPID; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
# invented advisories OSSA-2097-NNN from the project's own 2023-style fixture
sample() { sed -e "s/2099-003/2097-$1/g" "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml"; }
sample 001 >"$T/a1"; sample 002 >"$T/a2"; sample 003 >"$T/a3"
dovecot_deliver "$T/a1"

cat >"$T/vulnd.conf" <<EOF
[vulnd]
database = $T/db
$(dovecot_imap_section)
[notify]
dbus = none
EOF
start() {
	"$VULND" --foreground --config "$T/vulnd.conf" >>"$T/log" 2>&1 &
	VPID=$!
}
stop() { kill "$VPID"; wait "$VPID"; local rc=$?; VPID=; return $rc; }
shows() { "$VULNCTL" --db "$T/db" show "$1" >/dev/null 2>&1; }
cursor() { mdb_dump -p -s state "$T/db" 2>/dev/null | grep -A1 '^ imap/default/cursor$' | tail -n1 | tr -d ' '; }

start
check "advisory already in the mailbox stored" _dovecot_wait 150 shows OSSA-2097-001
dovecot_append "$T/a2"
check "advisory APPENDed during IDLE stored" _dovecot_wait 50 shows OSSA-2097-002
uv=$(dovecot_uidvalidity)
check "cursor imap/default/cursor = $uv:2 in the state db" _dovecot_wait 20 test "$(cursor)" = "$uv:2"
check "password not on vulnd's command line" sh -c "! grep -q '$DOVECOT_PASSWORD' /proc/$VPID/cmdline"
stop
check "vulnd stops cleanly" test $? -eq 0

dovecot_append "$T/a3"
start
check "restarted: the new advisory stored" _dovecot_wait 150 shows OSSA-2097-003
check "... cursor $uv:3" _dovecot_wait 20 test "$(cursor)" = "$uv:3"
stop
n=$("$VULNCTL" --db "$T/db" --json status 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("messages", -1))')
check "3 messages in the database, none twice (got $n)" test "$n" = 3

# A message over the 64 MiB IMAP limit is not fetched but quarantined with
# where it is and why; the cursor moves past it and the next one is stored.
{
	printf 'From: big@example.org\nSubject: large attachment\nMessage-ID: <big@example.org>\n\n'
	head -c 70000000 /dev/zero | tr '\0' 'x' | fold -w 76
} >"$T/big"
dovecot_deliver "$T/big"; rm -f "$T/big"
sample 004 >"$T/a4"; dovecot_deliver "$T/a4"
start
check "after an oversized message: the next advisory stored" _dovecot_wait 150 shows OSSA-2097-004
check "... cursor $uv:5" _dovecot_wait 20 test "$(cursor)" = "$uv:5"
stop
"$VULNCTL" --db "$T/db" status --no-daemon >"$T/status" 2>&1
grep "^quarantined" "$T/status" | sed "s/^/# /"
check "oversized message quarantined with its place and size" \
	grep -Eq "^quarantined +sha256:[0-9a-f]{64}: not fetched from imap:default $uv:4: [0-9]+ bytes, over the limit of 67108864 bytes" "$T/status"
check "... and logged" grep -q "quarantined: not fetched from imap:default $uv:4" "$T/log"
tap_done
