#!/bin/sh
# IMAP source against a real Dovecot: IMAPS, STARTTLS and tls=none connect,
# catch up and reach IDLE; a server certificate from another CA, or for
# another host name, is refused with a clear error (and before LOGIN).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
DRIVER="$top_builddir/tests/test-imap"
if ! dovecot_available; then
	skip "dovecot, doveadm, openssl or python3 missing"; tap_done; exit
fi
T=$(mktmp)
trap 'dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit; }
write_message "$T/m1" 1 && dovecot_deliver "$T/m1"
write_message "$T/m2" 2 && dovecot_deliver "$T/m2"

run() { # NAME ARGS...: one --once run, output in $T/NAME
	local name="$1"; shift
	timeout 60 "$DRIVER" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
		--timeout 10 --once "$@" >"$T/$name" 2>"$T/$name.err"
}
caught_up() { # FILE: both messages, then idle
	grep -q '^MSG [0-9]*:1 <vulnd-test-1@example.invalid>' "$1" &&
		grep -q '^MSG [0-9]*:2 <vulnd-test-2@example.invalid>' "$1" &&
		[ "$(grep -c '^MSG' "$1")" -eq 2 ] && tail -n1 "$1" | grep -q '^STATE idle'
}

run imaps --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps --ca "$DOVECOT_CA"
check "IMAPS with ca_file: exit 0" test $? -eq 0
check "IMAPS: catch-up of 2 messages, then IDLE" caught_up "$T/imaps"

run starttls --host 127.0.0.1 --port "$DOVECOT_IMAP_PORT" --tls starttls --ca "$DOVECOT_CA"
check "STARTTLS with ca_file: exit 0" test $? -eq 0
check "STARTTLS: catch-up of 2 messages, then IDLE" caught_up "$T/starttls"

run plain --host 127.0.0.1 --port "$DOVECOT_IMAP_PORT" --tls none
check "tls=none: exit 0" test $? -eq 0
check "tls=none: catch-up of 2 messages, then IDLE" caught_up "$T/plain"

run rogue --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps --ca "$DOVECOT_ROGUE_CA"
check "IMAPS, certificate from another CA: exit 1" test $? -eq 1
check "... says the certificate was refused, issuer unknown" \
	grep -q '^ERROR .*certificate refused.*issuer is unknown' "$T/rogue"
check "... fetched nothing" sh -c "! grep -q '^MSG' '$T/rogue'"

run rogue-starttls --host 127.0.0.1 --port "$DOVECOT_IMAP_PORT" --tls starttls --ca "$DOVECOT_ROGUE_CA"
check "STARTTLS, certificate from another CA: refused" \
	grep -q '^ERROR .*certificate refused.*issuer is unknown' "$T/rogue-starttls"

run wrongname --host localhost --port "$DOVECOT_IMAPS_PORT" --tls imaps --ca "$DOVECOT_CA"
check "IMAPS, certificate for another host name: exit 1" test $? -eq 1
check "... says the name does not match" grep -q '^ERROR .*certificate refused.*name' "$T/wrongname"

run imaps-on-plain --host 127.0.0.1 --port "$DOVECOT_IMAP_PORT" --tls imaps --ca "$DOVECOT_CA"
check "tls=imaps against a plain port: a connect error" grep -q '^ERROR .*connect' "$T/imaps-on-plain"

# a server that accepts and then says nothing: the network timeout ends it
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
print(s.getsockname()[1], flush=True)
c = []
while True: c.append(s.accept())
' >"$T/silent.port" &
SILENT=$!
_dovecot_wait 50 test -s "$T/silent.port"
start=$(date +%s)
timeout 60 "$top_builddir/tests/test-imap" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
	--timeout 2 --once --host 127.0.0.1 --port "$(cat "$T/silent.port")" --tls imaps >"$T/silent" 2>/dev/null
took=$(( $(date +%s) - start ))
kill "$SILENT"; wait "$SILENT" 2>/dev/null
check "silent server: connect fails on the network timeout" grep -q '^ERROR .*connect' "$T/silent"
check "... after about the timeout (2 s), not forever (${took}s)" test "$took" -le 10

echo wrong >"$T/badpw"; chmod 600 "$T/badpw"
timeout 60 "$DRIVER" --user "$DOVECOT_USER" --password-file "$T/badpw" --timeout 10 --once \
	--host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps --ca "$DOVECOT_CA" >"$T/badpw.out" 2>&1
check "wrong password: LOGIN refused" grep -q '^ERROR .*LOGIN' "$T/badpw.out"

# the password never reached the server on refused certificates: one login
# per successful run (3) plus the wrong password, nothing else
logins=$(grep -c 'imap-login: Info: Login: \|auth failed\|Aborted login' "$DOVECOT_DIR/dovecot.log")
check "server saw exactly 4 login attempts (3 ok + 1 wrong password), got $logins" test "$logins" -eq 4
tap_done
