#!/bin/sh
# vulnd with several sources and with require_signature=true:
#  1. the same advisory through the maildir AND a real Dovecot's IMAP
#     mailbox (in both orders, and a re-sent copy under another
#     Message-ID) gives one record and one alert;
#  2. require_signature=true: unsigned, unknown-key and tampered advisories
#     are quarantined with their reason and raise no alert; one signed by
#     the key in the configured keyring is stored and alerted as verified.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"

# shorter than daemon-lib's mktmp: gpg-agent's socket lives in the home
T=$(mktemp -d /tmp/vsrc.XXXXXX)
VPID=
cleanup() {
	[ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID"
	[ -n "${DOVECOT_DIR:-}" ] && dovecot_stop
	[ -d "$T/g" ] && gpgconf --homedir "$T/g" --kill all >/dev/null 2>&1
	[ -n "${KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT

start() { # CONFIG
	"$VULND" --foreground --config "$1" >>"$T/log" 2>&1 &
	VPID=$!
	wait_for_line "$T/log" '^vulnd: started' 100
}
stop() { kill "$VPID"; wait "$VPID"; local rc=$?; VPID=; return $rc; }
lines() { grep -c -- "$1" "$2" 2>/dev/null || true; }
db() { "$VULNCTL" --db "$T/db" "$@"; }
shows() { db show "$1" >/dev/null 2>&1; }
# an invented advisory OSSA-2096-NNN (MESSAGE-ID suffix optional)
sample() { # NNN [SUFFIX]
	sed -e "s/2099-003/2096-$1/g" -e "s/<sample-/<sources${2:-}-/" \
		"$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml"
}
md_deliver() { # FILE NAME
	cp "$1" "$T/md/tmp/$2" && mv "$T/md/tmp/$2" "$T/md/new/$2"
}
state() { mdb_dump -p -s state "$T/db" 2>/dev/null | grep -A1 "^ $1\$" | tail -n1 | sed 's/^ //'; }

mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
printf '#!/bin/sh\necho "$VULND_SEQ $VULND_ID $VULND_REVISION $VULND_VERIFIED" >>%s/alerts\n' "$T" >"$T/hook"
chmod +x "$T/hook"
: >"$T/alerts"

# ---- 1. maildir and IMAP at once ------------------------------------------
if ! dovecot_available || ! command -v mdb_dump >/dev/null 2>&1; then
	skip "maildir + IMAP: dovecot, doveadm, openssl, python3 or mdb_dump missing"
else
	dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
	cat >"$T/both.conf" <<EOF
[vulnd]
database = $T/db
[maildir]
path = $T/md
$(dovecot_imap_section)
[notify]
dbus = none
on_new = $T/hook
on_update = $T/hook
EOF
	sample 001 >"$T/a1"; sample 002 >"$T/a2"; sample 002 -resent >"$T/a2-resent"
	check "vulnd starts with a maildir and an IMAP source" start "$T/both.conf"

	# maildir first, then the same message through IMAP
	md_deliver "$T/a1" a1
	check "OSSA-2096-001 from the maildir" _dovecot_wait 100 shows OSSA-2096-001
	dovecot_append "$T/a1"
	# dovecot writes the mailbox's UIDVALIDITY on first use: read it once
	# it exists (bounded), not right after vulnd's start
	uv=0 n=0
	while [ "$uv" = 0 ] && [ "$n" -lt 100 ]; do
		uv=$(dovecot_uidvalidity); n=$((n + 1))
		[ "$uv" != 0 ] || sleep 0.1
	done
	check "... the IMAP copy is fetched (cursor $uv:1)" _dovecot_wait 100 sh -c "test \"\$(mdb_dump -p -s state '$T/db' | grep -A1 '^ imap/default/cursor\$' | tail -n1 | tr -d ' ')\" = '$uv:1'"
	# IMAP first, then the maildir
	dovecot_append "$T/a2"
	check "OSSA-2096-002 from IMAP" _dovecot_wait 100 shows OSSA-2096-002
	md_deliver "$T/a2" a2
	check "... the maildir copy is read" _dovecot_wait 100 sh -c "mdb_dump -p -s state '$T/db' | grep -q '^ maildir/seen/a2\$'"
	# the same announcement re-sent under another Message-ID, through IMAP
	dovecot_append "$T/a2-resent"
	check "... a re-sent copy is fetched (cursor $uv:3)" _dovecot_wait 100 sh -c "test \"\$(mdb_dump -p -s state '$T/db' | grep -A1 '^ imap/default/cursor\$' | tail -n1 | tr -d ' ')\" = '$uv:3'"
	stop
	check "vulnd stops cleanly" test $? -eq 0

	n=$(db --json list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	check "two records (got $n)" test "$n" = 2
	check "one ALERT line for OSSA-2096-001" test "$(lines 'ALERT new OSSA-2096-001 ' "$T/log")" -eq 1
	check "one ALERT line for OSSA-2096-002" test "$(lines 'ALERT new OSSA-2096-002 ' "$T/log")" -eq 1
	check "one hook run for OSSA-2096-001" test "$(lines ' OSSA-2096-001 ' "$T/alerts")" -eq 1
	check "one hook run for OSSA-2096-002" test "$(lines ' OSSA-2096-002 ' "$T/alerts")" -eq 1
	check "OSSA-2096-002 still at revision 1" \
		sh -c "'$VULNCTL' --db '$T/db' --json show OSSA-2096-002 | grep -q '\"revision\" : 1'"
	ev=$(db --json log | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	check "two entries in the changes log (got $ev)" test "$ev" = 2
	# messages db: a copy whose bytes differ (IMAP hands over CRLF) is
	# kept under "MESSAGE-ID sha256:HEX" with outcome "unchanged"
	mdb_dump -p -s messages "$T/db" | sed -n '/^HEADER=END$/,/^DATA=END$/p' | sed '1d;$d' >"$T/msgs"
	ids=$(sed -n '1~2p' "$T/msgs" | awk '{ print $1 }' | sort -u | wc -l)
	check "three Message-IDs in the messages db (got $ids)" test "$ids" = 3
	entries=$(( $(wc -l <"$T/msgs") / 2 ))
	check "two added, the $((entries - 2)) other copies unchanged" \
		test "$(lines '"outcome":"added"' "$T/msgs")" -eq 2 -a \
		"$(lines '"outcome":"unchanged"' "$T/msgs")" -eq $((entries - 2))
	dovecot_stop
fi

# ---- 2. require_signature=true ----------------------------------------------
if ! command -v gpg >/dev/null 2>&1; then
	skip "require_signature: gpg is not installed"
	tap_done
	exit 0
fi
rm -rf "$T/db" "$T/md"/*/* ; : >"$T/alerts"
G="$T/g"
mkdir -m 700 "$G" "$T/keys"
gpgq() { gpg --homedir "$G" --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' "$@"; }
gpgq --quick-gen-key 'Vera Signer <vera@example.org>' ed25519 sign never 2>/dev/null
gpgq --quick-gen-key 'Otto Other <otto@example.org>' ed25519 sign never 2>/dev/null
gpgq --armor --export vera@example.org >"$T/keys/vera.asc"
check "test keys created" test -s "$T/keys/vera.asc"

# signed NNN KEY: the advisory's body clear-signed by KEY, inline
signed() {
	sample "$1" >"$T/plain-$1"
	sed '1,/^$/d' "$T/plain-$1" | sed 's/ $//' | gpgq -u "$2" --digest-algo SHA256 --clearsign >"$T/clear-$1"
	{
		sed '/^$/q' "$T/plain-$1" | grep -v '^Content-Type\|^Content-Transfer' | sed '/^$/d'
		printf 'Content-Type: text/plain; charset=utf-8\n\n'
		cat "$T/clear-$1"
	} >"$T/signed-$1"
}
signed 011 vera@example.org
signed 013 otto@example.org
signed 014 vera@example.org
sed 's/Cinder: <20.2.1/Cinder: <29.2.1/' "$T/signed-014" >"$T/tampered-014"
sample 012 >"$T/unsigned-012"
cat >"$T/sig.conf" <<EOF
[vulnd]
database = $T/db
keyring = $T/keys
require_signature = true
[maildir]
path = $T/md
[notify]
dbus = none
on_new = $T/hook
on_update = $T/hook
EOF
: >"$T/log"
check "vulnd starts with require_signature=true" start "$T/sig.conf"
md_deliver "$T/unsigned-012" u012
md_deliver "$T/signed-013" k013
md_deliver "$T/tampered-014" t014
md_deliver "$T/signed-011" s011
check "the verified advisory is stored" _dovecot_wait 100 shows OSSA-2096-011
check "... and alerted as verified" _dovecot_wait 50 grep -q 'ALERT new OSSA-2096-011 rev 1 \[verified\]' "$T/log"
check "... its hook ran with VULND_VERIFIED=1" _dovecot_wait 50 grep -q ' OSSA-2096-011 1 1$' "$T/alerts"
stop
check "vulnd stops cleanly" test $? -eq 0
for id in 012 013 014; do
	check "OSSA-2096-$id not stored" sh -c "! '$VULNCTL' --db '$T/db' show OSSA-2096-$id >/dev/null 2>&1"
done
check "no other alert" test "$(lines '^ALERT' "$T/log")" -eq 1
check "no other hook run" test "$(wc -l <"$T/alerts")" -eq 1
db status >"$T/status"
check "unsigned: quarantined with its reason" \
	grep -q '^quarantined .*sources-2096-012@example.org: signature unsigned and require_signature=true' "$T/status"
check "unknown key: quarantined with its reason" \
	grep -q '^quarantined .*sources-2096-013@example.org: signature unknown-key and require_signature=true' "$T/status"
check "tampered: quarantined with its reason" \
	grep -q '^quarantined .*sources-2096-014@example.org: signature bad and require_signature=true' "$T/status"
q=$(db --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["quarantined"])')
check "three messages quarantined (got $q)" test "$q" = 3
check "the quarantine is logged" test "$(lines 'quarantined: signature' "$T/log")" -eq 3
tap_done
