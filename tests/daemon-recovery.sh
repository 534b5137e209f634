#!/bin/sh
# Delivery survives a crash: vulnd killed (SIGKILL, through the test hook
# VULND_TEST_CRASH_AFTER_COMMIT=1) between the commit of an advisory and its
# alert delivers that alert exactly once on restart.  Catch-up: mail that
# arrived while vulnd was down (new/ and cur/) is processed at start, and a
# second start raises nothing again.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

new_maildir "$T/md"
mkdir "$T/hooks"
printf '#!/bin/sh\ncat >"%s/hooks/$VULND_SEQ-$VULND_ID.json"\n' "$T" >"$T/hook"
chmod +x "$T/hook"
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[notify]\ndbus = none\non_new = %s/hook\non_update = %s/hook\n' \
	"$T" "$T" "$T" "$T" >"$T/vulnd.conf"

# 1. crash between commit and delivery
VULND_TEST_CRASH_AFTER_COMMIT=1 "$VULND" --config "$T/vulnd.conf" >"$T/log1" 2>&1 &
pid=$!
wait_for 10 grep -q 'vulnd: started' "$T/log1"
deliver "$top_srcdir/tests/fixtures/mail/02-ossa-2015-style.eml" "$T/md"
wait "$pid"; rc=$?
check "vulnd died by SIGKILL after the commit (status $rc)" test "$rc" -eq 137
check "no alert before the crash" test "$(count_lines '^ALERT' "$T/log1")" -eq 0
check "no hook before the crash" test "$(ls "$T/hooks" | wc -l)" -eq 0

check "restart" start_vulnd "$T/vulnd.conf" "$T/log2"
check "the alert comes once after the restart" wait_for 10 grep -q '^ALERT new OSSA-2099-002' "$T/log2"
check "the hook ran once after the restart" wait_for 10 sh -c "test \$(ls '$T/hooks' | grep -c OSSA-2099-002) -eq 1"
stop_vulnd
check "clean exit" test "$VULND_RC" -eq 0

check "a second restart delivers nothing again" start_vulnd "$T/vulnd.conf" "$T/log3"
stop_vulnd
check "no alert on the second restart" test "$(count_lines '^ALERT' "$T/log3")" -eq 0

# 2. catch-up: mail delivered while vulnd is down, in new/ and in cur/
deliver "$top_srcdir/tests/fixtures/mail/01-ossa-2012-style.eml" "$T/md"
cp "$top_srcdir/tests/fixtures/mail/05-ossn-style.eml" "$T/md/cur/1700000000.old.test:2,S"
cp "$top_srcdir/tests/fixtures/mail/06-not-an-advisory.eml" "$T/md/cur/1700000001.old.test:2,S"
check "start with mail waiting" start_vulnd "$T/vulnd.conf" "$T/log4"
check "catch-up: the new/ advisory is processed" wait_for 20 grep -q '^ALERT new OSSA-2099-001' "$T/log4"
check "catch-up: the cur/ advisory is processed" wait_for 20 grep -q '^ALERT new OSSN-9901' "$T/log4"
stop_vulnd
check "catch-up: exactly 2 alerts (the non-advisory raises none)" test "$(count_lines '^ALERT' "$T/log4")" -eq 2
check "the maildir is left as it was" sh -c "test \$(ls '$T/md/new' | wc -l) -eq 2 && test \$(ls '$T/md/cur' | wc -l) -eq 2"

# a moved message (new/ -> cur/ by a mail reader) is not processed again
for f in "$T"/md/new/*; do mv "$f" "$T/md/cur/$(basename "$f"):2,S"; done
check "restart after a mail reader moved the files" start_vulnd "$T/vulnd.conf" "$T/log5"
stop_vulnd
check "moved files raise nothing" test "$(count_lines '^ALERT' "$T/log5")" -eq 0
tap_done
