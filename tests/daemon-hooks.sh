#!/bin/sh
# A hook that hangs is killed after hook_timeout, one that fails is retried
# then given up; neither holds up ingestion.  100 messages delivered in a
# burst are all processed, in delivery order.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

new_maildir "$T/md"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/hang"
printf '#!/bin/sh\necho "$VULND_ID" >>%s/failed\nexit 3\n' "$T" >"$T/fail"
chmod +x "$T/hang" "$T/fail"
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[notify]\ndbus = none\non_new = %s/hang\non_update = %s/fail\nhook_timeout = 1\n' \
	"$T" "$T" "$T" "$T" >"$T/vulnd.conf"

check "vulnd starts" start_vulnd "$T/vulnd.conf" "$T/log"
deliver "$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml" "$T/md"
deliver "$top_srcdir/tests/fixtures/mail/04-ossa-2023-errata.eml" "$T/md"
deliver "$top_srcdir/tests/fixtures/mail/05-ossn-style.eml" "$T/md"
check "ingestion goes on while hooks hang" wait_for 10 grep -q '^ALERT new OSSN-9901' "$T/log"
check "a hanging hook is killed after hook_timeout" wait_for 10 grep -q 'hook on_new .*killed after 1 s' "$T/log"
check "a failing hook is logged with its status" wait_for 10 grep -q 'hook on_update OSSA-2099-003 .*exit status 3' "$T/log"
check "a failing hook is retried, then given up" wait_for 15 grep -q 'hook on_update OSSA-2099-003 .*giving up after 3 attempts' "$T/log"
check "it ran 3 times" test "$(count_lines OSSA-2099-003 "$T/failed")" -eq 3

# burst: 100 advisories delivered at once
i=1
while [ "$i" -le 100 ]; do sample "$i" >"$T/s$i.eml"; i=$((i + 1)); done
i=1
while [ "$i" -le 100 ]; do deliver "$T/s$i.eml" "$T/md" "$(printf '%s.%03d.burst' 1800000000 "$i")"; i=$((i + 1)); done
check "burst: 100 alerts" wait_for 120 sh -c "test \$(grep -c '^ALERT new OSSA-2098-' '$T/log') -eq 100"
grep '^ALERT new OSSA-2098-' "$T/log" | sed 's/^ALERT new OSSA-2098-\([0-9]*\).*/\1/' >"$T/order"
i=1; : >"$T/expect"
while [ "$i" -le 100 ]; do printf '%03d\n' "$i" >>"$T/expect"; i=$((i + 1)); done
check "burst: processed in delivery order" cmp -s "$T/order" "$T/expect"
stop_vulnd
check "SIGTERM with hooks in flight: exit 0" test "$VULND_RC" -eq 0
tap_done
