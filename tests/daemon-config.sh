#!/bin/sh
# vulnd refuses a bad configuration with "file:line: what is wrong", exit 2.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/daemon-lib.sh"

# bad NAME LINE PATTERN: the config $T/NAME.conf is refused at LINE.
bad() {
	local out rc
	out=$("$VULND" --config "$T/$1.conf" 2>&1); rc=$?
	if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q "$T/$1.conf:$2: .*$3"; then
		ok "$1 refused at line $2"
	else
		not_ok "$1 refused at line $2 (rc $rc: $out)"
	fi
}

printf '[vulnd]\ndatabase = %s/db\n\n[maildir]\npath = %s/md\n\n[notify]\ndbus = none\nhook_timeout = 0\n' "$T" "$T" >"$T/timeout.conf"
bad timeout 9 "hook_timeout"
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[imap work]\nhost = h\n# comment\ntls = ssl\n' "$T" "$T" >"$T/tls.conf"
bad tls 8 "tls= must be"
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[notify]\nonnew = /bin/true\n' "$T" "$T" >"$T/key.conf"
bad key 6 'unknown key "onnew"'
printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = md\n' "$T" >"$T/rel.conf"
bad rel 4 "absolute path"
printf '[vulnd]\ndatabase = %s/db\nthis line is wrong\n[maildir]\npath = %s/md\n' "$T" "$T" >"$T/syntax.conf"
bad syntax 3 "expected"
printf '[vulnd]\nrequire_signature = maybe\n[maildir]\npath = %s/md\n' "$T" >"$T/bool.conf"
bad bool 2 "true or false"
printf '[vulnd]\ndatabase = %s/db\n\n[mailbox]\npath = %s/md\n' "$T" "$T" >"$T/group.conf"
bad group 4 "unknown section"
printf '[vulnd]\ndatabase = %s/db\n' "$T" >"$T/nosource.conf"
bad nosource 1 "no source"
printf '[maildir]\npath = %s/md\n[notify]\ndbus = tcp-ish\n' "$T" >"$T/dbus.conf"
bad dbus 4 "dbus= must be"
check "a missing file is refused with exit 2" sh -c "'$VULND' --config '$T/none.conf' >/dev/null 2>&1; test \$? -eq 2"
check "an unknown option is a usage error (2)" sh -c "'$VULND' --bogus >/dev/null 2>&1; test \$? -eq 2"
check "--help mentions --demo" sh -c "'$VULND' --help | grep -q -- --demo"
tap_done
