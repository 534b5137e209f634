#!/bin/sh
# bench-alert.sh [N] - maildir alert latency (delivery into new/ -> the
# on_new hook starts) p50/p99 over N advisories delivered one at a time,
# and vulnd's idle RSS.  Prints figures; never passes or fails on time.
# Run from a build tree: top_builddir=. top_srcdir=SRC tests/bench/bench-alert.sh
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"
n=${1:-50}

new_maildir "$T/md"
mkdir "$T/hooks"
printf '#!/bin/sh\ndate +%%s%%N >"%s/hooks/$VULND_ID"\n' "$T" >"$T/hook"
chmod +x "$T/hook"
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[notify]\ndbus = none\non_new = %s/hook\n' \
	"$T" "$T" "$T" >"$T/vulnd.conf"
i=1
while [ "$i" -le "$n" ]; do sample "$i" >"$T/s$i.eml"; i=$((i + 1)); done

start_vulnd "$T/vulnd.conf" "$T/log" || { echo "vulnd did not start"; cat "$T/log"; exit 1; }
sleep 1 # let the start settle before measuring idle RSS (a figure, not an assertion)
rss_idle=$(sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$VULND_PID/status")

: >"$T/lat"
i=1
while [ "$i" -le "$n" ]; do
	id=OSSA-2098-$(printf '%03d' "$i")
	t0=$(date +%s%N)
	deliver "$T/s$i.eml" "$T/md"
	wait_for 10 test -s "$T/hooks/$id" || { echo "no hook for $id"; exit 1; }
	t1=$(cat "$T/hooks/$id")
	echo $(( (t1 - t0) / 1000 )) >>"$T/lat"
	i=$((i + 1))
done
rss_after=$(sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$VULND_PID/status")
stop_vulnd

sort -n "$T/lat" | awk -v n="$n" -v r0="$rss_idle" -v r1="$rss_after" '
	{ v[NR] = $1 }
	END {
		p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
		printf "alert latency delivery->hook over %d advisories: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", n, p50 / 1000, p99 / 1000, v[NR] / 1000
		printf "vulnd RSS: idle %s, after %d advisories %s\n", r0, n, r1
	}'
