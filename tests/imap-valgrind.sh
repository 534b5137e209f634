#!/bin/sh
# The IMAP source under valgrind (memcheck, leaks) through its whole life:
# catch-up, IDLE + APPEND, server killed (backoff) and restarted, clean
# SIGTERM; then a refused certificate.  Skipped without valgrind.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
if ! dovecot_available || ! command -v valgrind >/dev/null 2>&1; then
	skip "dovecot or valgrind missing"; tap_done; exit
fi
if ldd "$top_builddir/tests/test-imap" 2>/dev/null | grep -q 'libasan'; then
	skip "sanitizer build: valgrind does not run ASan binaries"; tap_done; exit
fi
T=$(mktmp)
trap 'driver_stop; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
write_message "$T/m1" 1; write_message "$T/m2" 2; write_message "$T/m3" 3
dovecot_deliver "$T/m1"
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
# driver_start, with valgrind in front (libtool-free build: the binary is real)
$VG "$top_builddir/tests/test-imap" --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps \
	--ca "$DOVECOT_CA" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
	--state "$T/state" --timeout 5 >"$T/out" 2>"$T/out.err" &
DRIVER_PID=$!
check "catch-up under valgrind" wait_for_line "$T/out" '^STATE idle' 300
dovecot_append "$T/m2"
check "IDLE + APPEND under valgrind" wait_for_line "$T/out" '^MSG [0-9]+:2 ' 100
dovecot_stop KILL
check "backoff under valgrind" wait_for_line "$T/out" '^STATE backoff 2s' 100
maildir_deliver "$T/m3"
dovecot_start
check "reconnect under valgrind" wait_for_line "$T/out" '^MSG [0-9]+:3 ' 150
driver_stop
rc=$?
check "no memory errors or leaks (exit $rc)" test "$rc" -eq 0
grep -q '^==' "$T/out.err" && sed -n '/^==/p' "$T/out.err" | head -20 | sed 's/^/# /'
$VG "$top_builddir/tests/test-imap" --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps \
	--ca "$DOVECOT_ROGUE_CA" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
	--once >"$T/rogue" 2>"$T/rogue.err"
rc=$?
check "refused certificate: exit 1, no memory errors or leaks (exit $rc)" test "$rc" -eq 1
tap_done
