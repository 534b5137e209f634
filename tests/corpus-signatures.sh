#!/bin/sh
# Every corpus mail gets the signature verdict plain gpg --verify gave it
# (truth/signatures.tsv: good -> verified, bad -> bad, no-public-key ->
# unknown-key, none -> unsigned) and the same signer fingerprint; a byte
# changed in the signed body of a verified mail makes it bad.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
MAILVIEW="$top_builddir/tests/mailview"
TSV="$VULND_CORPUS/truth/signatures.tsv"

if [ ! -r "$TSV" ] || [ ! -d "$VULND_CORPUS/mail" ]; then
	skip "corpus not found at $VULND_CORPUS"
	tap_done
	exit 0
fi
KEYS="$VULND_CORPUS/keys"
T=$(mktmp)
trap 'rm -rf "$T"' EXIT

json_field() { sed -n "s/^ *\"$1\" : \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" | head -n1; }

first_verified=
matched=0
# a tab is IFS white space: consecutive tabs would merge empty fields
tail -n +2 "$TSV" | awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' |
while IFS='	' read -r file form status fpr rest; do
	[ "$fpr" = - ] && fpr=
	mail="$VULND_CORPUS/mail/$file"
	[ -f "$mail" ] || continue
	case "$status" in
	good) want=verified ;;
	bad) want=bad ;;
	no-public-key) want=unknown-key ;;
	*) want=unsigned ;;
	esac
	"$MAILVIEW" --keyring "$KEYS" "$mail" > "$T/out" 2> "$T/err"
	sig=$(sed -n '/"signature" : {/,/}/p' "$T/out")
	got=$(printf '%s\n' "$sig" | json_field status)
	got_fpr=$(printf '%s\n' "$sig" | json_field fingerprint)
	if [ "$got" = "$want" ] && [ "$got_fpr" = "$fpr" ]; then
		ok "$file: $want ${fpr:+$fpr}"
	else
		not_ok "$file: want $want ${fpr:-no fingerprint}, got ${got:-error $(cat "$T/err")} ${got_fpr:-no fingerprint}"
	fi
	if [ "$want" = verified ] && [ "$form" = pgp-mime ] && [ ! -s "$T/verified" ]; then
		echo "$mail" > "$T/verified"
	fi
done > "$T/tap"
cat "$T/tap"
_tap_n=$(grep -c '^\(not \)\{0,1\}ok' "$T/tap")
_tap_failed=$(grep -c '^not ok' "$T/tap")

# one letter changed inside the signed part (between the body start and
# the signature part) must turn "verified" into "bad"
if [ -s "$T/verified" ]; then
	src=$(cat "$T/verified")
	sigline=$(grep -n -i '^Content-Type: application/pgp-signature' "$src" | head -n1 | cut -d: -f1)
	body=$(grep -n '^$' "$src" | head -n1 | cut -d: -f1)
	target=$(awk -v b="$body" -v s="$sigline" 'NR > b + 3 && NR < s - 3 && /[a-z][a-z][a-z]/ { n = NR } END { print n }' "$src")
	awk -v t="$target" 'NR == t { if (match ($0, /[a-x]/)) $0 = substr ($0, 1, RSTART - 1) sprintf ("%c", 0) substr ($0, RSTART + 1) } { print }' "$src" |
		tr '\000' 'z' > "$T/tampered.eml"
	check "$(basename "$src") with line $target changed is not identical" sh -c "! cmp -s '$src' '$T/tampered.eml'"
	check "$(basename "$src") with one byte changed: bad" \
		sh -c "'$MAILVIEW' --keyring '$KEYS' '$T/tampered.eml' | grep -q '\"status\" : \"bad\"'"
else
	not_ok "no verified PGP/MIME mail in the corpus to tamper with"
fi
tap_done
