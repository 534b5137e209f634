#!/bin/sh
# Extraction accuracy on the real-mail corpus, scored field by field by the
# shared score-extraction tool: overall >= 0.99 and no field below 0.97.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scorer="$VULND_CORPUS/../tools/score-extraction"
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
# field lines: "name   ok/n   ratio"
awk '$2 ~ /^[0-9]+\/[0-9]+$/ { print $1, $3 }' "$out" | {
	while read -r field ratio; do
		check "field $field $ratio >= 0.97" \
			awk -v r="$ratio" 'BEGIN { exit !(r >= 0.97) }'
	done
	tap_done
}
