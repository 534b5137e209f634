#!/bin/sh
# Benchmark (prints figures, never passes or fails on time):
#   import rate and peak RSS on a generated list maildir (1 in 50 an
#   advisory), vulnctl show/cve/affected median process time, db size per
#   advisory.
# usage: tests/bench/bench-import.sh [BUILDDIR] [N=20000]
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top_srcdir}; N=${2:-20000}
VULND="$build/daemon/vulnd"; VULNCTL="$build/client/vulnctl"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vulnd-bench.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/bench/gen-list-maildir.py" "$tmp/mail" "$N" 50 1 >/dev/null
sync
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$VULND" import -q --db "$tmp/db" "$tmp/mail" >"$tmp/summary" 2>"$tmp/time"
	wall=$(awk -F': ' '/Elapsed/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$tmp/time")
	user=$(awk -F': ' '/User time/ { print $2 }' "$tmp/time")
	rss=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$tmp/time")
else
	echo "(install the 'time' package for peak RSS)"
	start=$(date +%s.%N); "$VULND" import -q --db "$tmp/db" "$tmp/mail" >"$tmp/summary"
	wall=$(echo "$(date +%s.%N) - $start" | bc); user=?; rss=?
fi
cat "$tmp/summary"
awk -v n="$N" -v w="$wall" -v u="$user" -v r="$rss" 'BEGIN {
	printf "import: %d messages in %.2f s wall (%.2f s user): %.0f msg/s; peak RSS %s MiB\n",
	       n, w, u, n / w, r }'
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timeit() {
	for i in $(seq 1 21); do
		s=$(date +%s%N); "$VULNCTL" --db "$tmp/db" "$@" >/dev/null 2>&1; e=$(date +%s%N)
		echo $(( (e - s) / 1000 ))
	done | median
}
id=$("$VULNCTL" --db "$tmp/db" --json list | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[len(r)//2]["id"])')
cve=$("$VULNCTL" --db "$tmp/db" --json show "$id" | python3 -c 'import json,sys; r=json.load(sys.stdin); v=r.get("vulnerabilities") or [{"cve-id":"CVE-2099-0001"}]; print(v[0]["cve-id"])')
echo "vulnctl show median: $(timeit show "$id") us"
echo "vulnctl cve median: $(timeit cve "$cve") us"
echo "vulnctl affected median: $(timeit affected nova 27.0.0) us"
adv=$("$VULNCTL" --db "$tmp/db" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["advisories"])')
size=$(du -k "$tmp/db/data.mdb" | cut -f1)
awk -v s="$size" -v a="$adv" 'BEGIN { printf "database: %d KiB for %d advisories (%.1f KiB per advisory, raw mail and ignored-mail ids included)\n", s, a, s / a }'
