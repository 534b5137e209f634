#!/bin/sh
# Malformed mail and forged advisories, through "vulnd import" and through a
# running vulnd (maildir delivery, private dbus-daemon, a hook).  Every case
# is generated here (tests/gen-malformed.py, keys made by gpg): truncated
# multipart, missing boundaries, bad base64 / QP, a 1 MB header line, 10,000
# headers, NUL bytes, invalid UTF-8 and lying charsets, 1,000-deep nesting, a
# 50 MB message and 50 MB of junk, keys past LMDB's size limit; forged OSSAs
# (unsigned, signed by the wrong key, tampered after signing, reusing the
# genuine Message-ID) and an id reused with another title.  For each: the outcome
# recorded in the messages db, with a reason when quarantined; the daemon
# stays up and still takes a good advisory; earlier records are unchanged
# (show --json before/after); a forged advisory never replaces a verified
# one; require_signature=true quarantines unverified mail; and every
# delivered message is accounted for.
# MALFORMED_BIG_MB (default 50) sets the size of the big message.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

for tool in gpg python3 mdb_dump dbus-daemon busctl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		skip "$tool is not installed"; tap_done; exit 0
	fi
done
GEN="python3 $top_srcdir/tests/gen-malformed.py"
BIG_MB="${MALFORMED_BIG_MB:-50}"

# ---- keys: the trusted "VMT" key and an impostor's ------------------------
G="$T/g"
mkdir -m 700 "$G"
mkdir "$T/keys" "$T/mail"
cleanup_gpg() { gpgconf --homedir "$G" --kill all >/dev/null 2>&1; cleanup; }
trap cleanup_gpg EXIT
gpgq() { gpg --homedir "$G" --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' "$@"; }
gpgq --quick-gen-key 'Invented VMT <vmt@example.org>' ed25519 sign never 2>/dev/null
gpgq --quick-gen-key 'Mallory Impostor <vmt@example.com>' ed25519 sign never 2>/dev/null
gpgq --armor --export vmt@example.org >"$T/keys/vmt.asc"
check "test keys created (only VMT's in the trusted keyring)" \
	sh -c "test -s '$T/keys/vmt.asc' && gpg --show-keys '$T/keys/vmt.asc' 2>/dev/null | grep -c '^pub' | grep -qx 1"

# ---- the mail -------------------------------------------------------------
# plain_mail NUM TITLE NAME: an unsigned advisory
plain_mail() {
	{ $GEN head "$1" "$2" "$3"; printf 'Content-Type: text/plain; charset=us-ascii\n\n'
	  $GEN text "$1" "$2"; } >"$T/mail/$3.eml"
}
# signed_mail NUM TITLE NAME KEY: a PGP/MIME advisory signed by KEY
signed_mail() {
	{ printf 'Content-Type: text/plain; charset=us-ascii\n\n'; $GEN text "$1" "$2"; } >"$T/part"
	sed 's/$/\r/' "$T/part" | head -c -2 >"$T/part.crlf"
	gpgq -u "$4" --digest-algo SHA256 --armor --detach-sign -o - "$T/part.crlf" >"$T/sig.asc"
	{
		$GEN head "$1" "$2" "$3"
		printf 'Content-Type: multipart/signed; micalg=pgp-sha256;\n protocol="application/pgp-signature"; boundary="SIGB"\n\n'
		printf -- '--SIGB\n'; head -c -1 "$T/part"; printf '\n--SIGB\n'
		printf 'Content-Type: application/pgp-signature; name="signature.asc"\n\n'
		cat "$T/sig.asc"
		printf -- '--SIGB--\n'
	} >"$T/mail/$3.eml"
}
# inline_mail NUM TITLE NAME KEY: an inline clear-signed advisory
inline_mail() {
	$GEN text "$1" "$2" | gpgq -u "$4" --digest-algo SHA256 --clearsign >"$T/clear"
	{ $GEN head "$1" "$2" "$3"; printf 'Content-Type: text/plain; charset=us-ascii\n\n'
	  cat "$T/clear"; } >"$T/mail/$3.eml"
}

# the genuine set, delivered first
signed_mail 720 "Sprocket tenant leak" genuine-720 vmt@example.org
inline_mail 722 "Widget quota bypass" genuine-722 vmt@example.org
plain_mail 723 "Unsigned but first" plain-723
GENUINE="genuine-720 genuine-722 plain-723"
# forgeries of OSSA-2099-720 in the right format, and reuses of 722's id
plain_mail 720 "Sprocket tenant leak" forged-unsigned-720
sed -i 's/<4.0.1, >=5.0.0 <5.2.3/<1.0.0/' "$T/mail/forged-unsigned-720.eml"
signed_mail 720 "Sprocket tenant leak" forged-wrongkey-720 vmt@example.com
sed -i 's/<4.0.1, >=5.0.0 <5.2.3/<1.0.0/' "$T/part"
signed_mail 720 "Sprocket tenant leak" forged-tampered-720 vmt@example.org
sed -i 's/^- Gizmo: <4.0.1, >=5.0.0 <5.2.3/- Gizmo: <1.0.0/; s/tampered-720@/tampered-720b@/' "$T/mail/forged-tampered-720.eml"
plain_mail 722 "Completely different title" reused-722
signed_mail 722 "Reused id, wrong signer" reused-wrongkey-722 vmt@example.com
plain_mail 721 "Never announced by the VMT" forged-new-721
# a forgery that reuses the genuine message's Message-ID
signed_mail 720 "Sprocket tenant leak" forged-sameid-720 vmt@example.com
sed -i 's/^Message-ID: <forged-sameid-720@/Message-ID: <genuine-720@/; s/^- Gizmo: <4.0.1, >=5.0.0 <5.2.3/- Gizmo: <1.0.0/' "$T/mail/forged-sameid-720.eml"
FORGED="forged-unsigned-720 forged-wrongkey-720 forged-tampered-720 reused-722 reused-wrongkey-722 forged-new-721"
# for require_signature=true
plain_mail 725 "Unsigned under require_signature" unsigned-725
signed_mail 726 "Signed under require_signature" signed-726 vmt@example.org
signed_mail 727 "Impostor under require_signature" wrongkey-727 vmt@example.com
# the malformed set
$GEN cases "$T/cases" --big-mb "$BIG_MB"
check "generated $(wc -l <"$T/cases/cases.tsv") malformed cases and $(ls "$T/mail" | wc -l) advisories" \
	test -s "$T/cases/huge-message.eml" -a -s "$T/mail/forged-new-721.eml"
CASES=$(cut -f1 "$T/cases/cases.tsv")
expected_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$T/cases/cases.tsv"; }
what_of() { awk -F'\t' -v n="$1" '$1 == n { print $3 }' "$T/cases/cases.tsv"; }
file_of() { if [ -e "$T/cases/$1.eml" ]; then echo "$T/cases/$1.eml"; else echo "$T/mail/$1.eml"; fi; }

# ---- reading the store ----------------------------------------------------
# entry_of DB NAME: the messages-db entry (JSON) of that message, by sha256
entry_of() {
	local sha; sha=$(sha256sum "$(file_of "$2")" | cut -d' ' -f1)
	mdb_dump -p -s messages "$1" | grep -F "\"sha256\":\"$sha\"" | head -n1
}
json_str() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
outcome_of() { entry_of "$1" "$2" | json_str outcome; }
reason_of() { entry_of "$1" "$2" | json_str reason; }
show() { "$VULNCTL" --db "$1" --json show "$2"; }
sig_of() { show "$1" "$2" | grep -o '"status" : "[a-z-]*"' | head -n1 | cut -d'"' -f4; }
snapshot() { # DB DIR: show --json of every genuine advisory into DIR
	mkdir -p "$2"
	for id in 720 722 723; do show "$1" "OSSA-2099-$id" >"$2/$id.json" || return 1; done
}
same_snapshot() { for id in 720 722 723; do cmp -s "$1/$id.json" "$2/$id.json" || return 1; done; }

# check_outcome DB NAME EXPECTED: the recorded outcome, and a reason when
# quarantined
check_outcome() {
	local got what; got=$(outcome_of "$1" "$2"); what=$(what_of "$2")
	check "$2${what:+ ($what)}: $3 (got ${got:-nothing})" test "$got" = "$3"
	if [ "$3" = quarantined ]; then
		check "$2: the quarantine entry gives a reason ($(reason_of "$1" "$2"))" \
			test -n "$(reason_of "$1" "$2")"
	fi
}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# ==== (a) vulnd import =======================================================
IDB="$T/idb"
import_one() {
	"$VULND" import --db "$IDB" --keyring "$T/keys" --quiet "$(file_of "$1")" >"$T/import.out" 2>&1
}
for m in $GENUINE; do import_one "$m"; done
check "import: genuine 720 verified (PGP/MIME)" test "$(sig_of "$IDB" OSSA-2099-720)" = verified
check "import: genuine 722 verified (inline)" test "$(sig_of "$IDB" OSSA-2099-722)" = verified
check "import: 723 stored unsigned" test "$(sig_of "$IDB" OSSA-2099-723)" = unsigned
snapshot "$IDB" "$T/isnap0"

for c in $CASES; do
	start=$(date +%s%N)
	import_one "$c"; rc=$?
	took=$(ms_since "$start")
	check "import $c: exit 0 in $took ms" test "$rc" -eq 0 -a "$took" -lt 30000
	check_outcome "$IDB" "$c" "$(expected_of "$c")"
done
for m in $FORGED; do import_one "$m"; done
check_outcome "$IDB" forged-unsigned-720 rejected
check_outcome "$IDB" forged-wrongkey-720 rejected
check_outcome "$IDB" forged-tampered-720 rejected
check_outcome "$IDB" reused-722 rejected
check_outcome "$IDB" reused-wrongkey-722 rejected
check_outcome "$IDB" forged-new-721 added
import_one forged-sameid-720
# A Message-ID is no secret: reusing one with other bytes is processed, and
# the forgery is compared with the verified record (here: same content, so
# unchanged; other content: a rejected revision), never a "duplicate" that
# could hide the genuine mail.
check "import: a forgery reusing the genuine Message-ID is processed, not a duplicate" \
	sh -c "grep -Eq ' (1 unchanged|1 rejected)' '$T/import.out' && grep -q ' 0 duplicates' '$T/import.out'"
check "import: ... and the verified 720 stays" test "$(sig_of "$IDB" OSSA-2099-720)" = verified
check "import: the forged 721 is stored as unsigned" test "$(sig_of "$IDB" OSSA-2099-721)" = unsigned
snapshot "$IDB" "$T/isnap1"
check "import: show --json of every earlier advisory unchanged" same_snapshot "$T/isnap0" "$T/isnap1"
check "import: 720's history holds the 3 forgeries as rejected revisions" \
	sh -c "'$VULNCTL' --db '$IDB' --json show --history OSSA-2099-720 | grep -c '\"rejected\"' | grep -qx 3"
check "import: the tampered one is a rejected revision with signature bad" \
	sh -c "'$VULNCTL' --db '$IDB' --json show --history OSSA-2099-720 | grep -q '\"status\" : \"bad\"'"
check "import: the wrong key's is a rejected revision with signature unknown-key" \
	sh -c "'$VULNCTL' --db '$IDB' --json show --history OSSA-2099-720 | grep -q '\"status\" : \"unknown-key\"'"
check "import: 722 keeps its verified title despite the reuse" \
	sh -c "'$VULNCTL' --db '$IDB' --json show OSSA-2099-722 | grep -q '\"title\" : \"Widget quota bypass\"'"
n_import=$(echo $GENUINE $FORGED $CASES | wc -w)
check "import: nothing lost: $((n_import + 1)) messages, $((n_import + 1)) entries in the messages db" \
	test "$(mdb_dump -p -s messages "$IDB" | grep -c '"outcome":')" -eq "$((n_import + 1))"

# require_signature=true in the configuration import reads: unverified
# advisories are quarantined there too
printf '[vulnd]\nrequire_signature = true\n' >"$T/strict.conf"
for m in unsigned-725 signed-726 wrongkey-727; do
	"$VULND" import --config "$T/strict.conf" --db "$T/sdb" --keyring "$T/keys" --quiet "$(file_of "$m")" >/dev/null 2>&1
done
check_outcome "$T/sdb" unsigned-725 quarantined
check "import, require_signature: ... because of require_signature" \
	sh -c "echo '$(reason_of "$T/sdb" unsigned-725)' | grep -q 'signature unsigned and require_signature=true'"
check_outcome "$T/sdb" wrongkey-727 quarantined
check_outcome "$T/sdb" signed-726 added

# ==== (b) a running vulnd ====================================================
DB="$T/db"
check "private dbus-daemon is up" start_dbus
new_maildir "$T/md"
mkdir "$T/hooks"
cat >"$T/hook" <<HOOK
#!/bin/sh
echo "\$VULND_ID \$VULND_VERIFIED" >"$T/hooks/\$VULND_SEQ.tmp" && mv "$T/hooks/\$VULND_SEQ.tmp" "$T/hooks/\$VULND_SEQ"
HOOK
chmod +x "$T/hook"
write_conf() {
	cat >"$T/vulnd.conf" <<CONF
[vulnd]
database = $DB
keyring = $T/keys
require_signature = $1

[maildir]
path = $T/md

[notify]
dbus = $DBUS_ADDR
on_new = $T/hook
on_update = $T/hook
hook_timeout = 10
CONF
}
write_conf false
check "vulnd starts" start_vulnd "$T/vulnd.conf" "$T/log"

status_json() {
	busctl --address="$DBUS_ADDR" call org.openstack.vulnd /org/openstack/vulnd org.openstack.vulnd1 Status 2>/dev/null
}
status_num() { status_json | grep -o "$1[^0-9]*:[0-9]*" | grep -o '[0-9]*$'; }
DELIVERED=0
# feed NAME: deliver into the maildir, wait until vulnd has processed it
feed() {
	DELIVERED=$((DELIVERED + 1))
	deliver "$(file_of "$1")" "$T/md" "$1.$DELIVERED.test"
	wait_for "${2:-20}" sh -c "test \"\$(busctl --address='$DBUS_ADDR' call org.openstack.vulnd /org/openstack/vulnd org.openstack.vulnd1 Status 2>/dev/null | grep -o 'messages_processed[^0-9]*:[0-9]*' | grep -o '[0-9]*\$')\" -ge $DELIVERED"
}
alive() { kill -0 "$VULND_PID" && status_json | grep -q messages_processed; }

for m in $GENUINE; do feed "$m"; done
check "vulnd: the genuine set processed" test "$(status_num messages_processed)" = 3
check "vulnd: ALERT new OSSA-2099-720 [verified]" grep -q '^ALERT new OSSA-2099-720 rev 1 \[verified\]' "$T/log"
check "vulnd: ALERT new OSSA-2099-722 [verified]" grep -q '^ALERT new OSSA-2099-722 rev 1 \[verified\]' "$T/log"
check "vulnd: ALERT new OSSA-2099-723 [UNVERIFIED]" grep -q '^ALERT new OSSA-2099-723 rev 1 \[UNVERIFIED\]' "$T/log"
snapshot "$DB" "$T/dsnap0"

for c in $CASES; do
	start=$(date +%s%N)
	feed "$c" 60; rc=$?
	took=$(ms_since "$start")
	check "vulnd $c: processed in $took ms" test "$rc" -eq 0
	check "vulnd $c: still up and answering" alive
	check_outcome "$DB" "$c" "$(expected_of "$c")"
done
for m in $FORGED; do feed "$m"; done
check_outcome "$DB" forged-unsigned-720 rejected
check_outcome "$DB" forged-wrongkey-720 rejected
check_outcome "$DB" forged-tampered-720 rejected
check_outcome "$DB" reused-722 rejected
check_outcome "$DB" reused-wrongkey-722 rejected
check_outcome "$DB" forged-new-721 added
check "vulnd: no alert for the forgeries of 720 and 722" \
	test "$(grep -c '^ALERT .* OSSA-2099-72[02] ' "$T/log")" -eq 2
check "vulnd: the new forged id alerts as UNVERIFIED" \
	grep -q '^ALERT new OSSA-2099-721 rev 1 \[UNVERIFIED\] Never announced by the VMT' "$T/log"
check "vulnd: its hook ran with VULND_VERIFIED=0" wait_for 10 sh -c "cat '$T/hooks/'* | grep -qx 'OSSA-2099-721 0'"
check "vulnd: show gives the verified 720" test "$(sig_of "$DB" OSSA-2099-720)" = verified
check "vulnd: 720's history holds the 3 forgeries as rejected revisions" \
	sh -c "'$VULNCTL' --db '$DB' --json show --history OSSA-2099-720 | grep -c '\"rejected\"' | grep -qx 3"

feed forged-sameid-720
check "vulnd: a forgery reusing the genuine Message-ID is processed, not a duplicate" \
	sh -c "status_json() { busctl --address='$DBUS_ADDR' call org.openstack.vulnd /org/openstack/vulnd org.openstack.vulnd1 Status; }; status_json | grep -Eq 'forged-sameid-720[^,]*: (unchanged|rejected)'"
DUPLICATES=0
plain_mail 724 "Good news after the storm" good-724
feed good-724
check "vulnd: a good advisory after all that is stored" test "$(outcome_of "$DB" good-724)" = added
check "vulnd: ... and alerted" grep -q '^ALERT new OSSA-2099-724 rev 1' "$T/log"
snapshot "$DB" "$T/dsnap1"
check "vulnd: show --json of every earlier advisory unchanged" same_snapshot "$T/dsnap0" "$T/dsnap1"

# require_signature=true: unverified mail goes to quarantine
write_conf true
kill -HUP "$VULND_PID"
check "vulnd: reloaded with require_signature=true" wait_for 10 grep -q "configuration reloaded" "$T/log"
for m in unsigned-725 signed-726 wrongkey-727; do feed "$m"; done
check_outcome "$DB" unsigned-725 quarantined
check "vulnd: ... because of require_signature" sh -c "echo '$(reason_of "$DB" unsigned-725)' | grep -q 'signature unsigned and require_signature=true'"
check_outcome "$DB" wrongkey-727 quarantined
check "vulnd: ... signature unknown-key" sh -c "echo '$(reason_of "$DB" wrongkey-727)' | grep -q 'signature unknown-key'"
check_outcome "$DB" signed-726 added
check "vulnd: no record for the quarantined ones" \
	sh -c "! '$VULNCTL' --db '$DB' show OSSA-2099-725 >/dev/null 2>&1 && ! '$VULNCTL' --db '$DB' show OSSA-2099-727 >/dev/null 2>&1"
check "vulnctl status lists the quarantine with reasons" \
	sh -c "'$VULNCTL' --db '$DB' status | grep -q '^quarantined .*require_signature=true'"

# nothing is lost: every delivered message has exactly one entry
n_quar=$(( $(grep -c '	quarantined	' "$T/cases/cases.tsv") + 2 ))
check "vulnd: nothing lost: $DELIVERED delivered, $DELIVERED processed, 0 failed" \
	test "$(status_num messages_processed)" = "$DELIVERED" -a "$(status_num messages_failed)" = 0
n_entries=$((DELIVERED - DUPLICATES))
check "vulnd: $n_entries entries in the messages db ($DUPLICATES duplicate)" \
	test "$(mdb_dump -p -s messages "$DB" | grep -c '"outcome":')" -eq "$n_entries"
check "vulnctl status: $n_entries messages, $n_quar quarantined" \
	sh -c "'$VULNCTL' --db '$DB' --json status | grep -q '\"messages\" : $n_entries,' && '$VULNCTL' --db '$DB' --json status | grep -q '\"quarantined\" : $n_quar,'"
stop_vulnd
check "vulnd: SIGTERM exits 0 after it all" test "$VULND_RC" -eq 0
tap_done
