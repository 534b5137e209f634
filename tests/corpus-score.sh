#!/bin/sh
# Extraction accuracy on the real-mail corpus, scored field by field by the
# shared score-extraction tool: overall >= 0.99 and no field below 0.97.
# tests/corpus-known-misses.txt lists the few places where the published
# truth contradicts the mail itself; those misses (and only those) do not
# count against the per-field floor.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scorer="$VULND_CORPUS/../tools/score-extraction"
known="$top_srcdir/tests/corpus-known-misses.txt"
if [ ! -d "$VULND_CORPUS/mail" ] || [ ! -x "$scorer" ]; then
	skip "corpus not found at $VULND_CORPUS (set VULND_CORPUS)"
	tap_done
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 "$scorer" -v --parser "$VULNCTL parse --json --keyring $VULND_CORPUS/keys" \
	"$VULND_CORPUS/mail" >"$out" 2>&1
sed 's/^/# /' "$out"
acc=$(sed -n 's/^extraction accuracy: \([0-9.]*\).*/\1/p' "$out")
check "overall accuracy ${acc:-none} >= 0.99" \
	awk -v a="${acc:-0}" 'BEGIN { exit !(a >= 0.99) }'

# Every miss must be a known one.
misses=$(sed -n 's/^  miss \([^:]*\): \([a-z-]*\)$/\1 \2/p' "$out")
unknown=$(printf '%s\n' "$misses" | while read -r file field; do
	[ -n "$file" ] || continue
	grep -q "^$file $field " "$known" || echo "$file:$field"
done)
check "no miss outside tests/corpus-known-misses.txt${unknown:+: $unknown}" test -z "$unknown"

# Per field, with the known misses counted as hits.
awk '$2 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2 }' "$out" | {
	while read -r field frac; do
		ok=${frac%/*} n=${frac#*/}
		k=$(printf '%s\n' "$misses" | awk -v f="$field" '$2 == f' | while read -r file fld; do
			grep -q "^$file $fld " "$known" && echo x; done | wc -l)
		check "field $field $frac (+$k known) >= 0.97" \
			awk -v a="$ok" -v k="$k" -v n="$n" 'BEGIN { exit !((a + k) / n >= 0.97) }'
	done
	tap_done
}
