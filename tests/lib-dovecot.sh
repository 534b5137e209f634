# tests/lib-dovecot.sh - a real, throwaway Dovecot for tests (source it).
#
#   dovecot_setup DIR     make CAs, certificates, users, maildir, dovecot.conf
#                         (DOVECOT_NO_IDLE=1: advertise no IDLE capability)
#   dovecot_start         start it (IMAP+STARTTLS and IMAPS on 127.0.0.1)
#   dovecot_stop [KILL]   stop it (and its sessions) by PID, wait until gone
#   dovecot_deliver FILE  store FILE in INBOX (doveadm save)
#   dovecot_append FILE [TIMEFILE]  APPEND FILE to INBOX over IMAPS (python3)
#   dovecot_renumber      restart with a new UIDVALIDITY for INBOX
#   dovecot_uidvalidity   print INBOX's UIDVALIDITY
#   dovecot_available     0 when dovecot, doveadm, openssl are installed
#   dovecot_imap_section [NAME]  print a vulnd.conf [imap NAME] section for
#                         this Dovecot over IMAPS (append more keys after it)
#   maildir_deliver FILE  drop FILE into the maildir as an MDA would (even
#                         while dovecot is stopped)
#   dovecot_session_pids  PIDs of the imap / imap-login session processes
#   wait_for_line FILE RE [TENTHS]  bounded polling for a line in FILE
#   write_message FILE N  an invented message, <vulnd-test-N@example.invalid>
#   driver_start OUT ARGS / driver_stop   tests/test-imap in the background
#
# After dovecot_setup: DOVECOT_DIR, DOVECOT_CONF, DOVECOT_HOST (127.0.0.1),
# DOVECOT_IMAP_PORT (plain + STARTTLS), DOVECOT_IMAPS_PORT, DOVECOT_CA (the CA
# that signed the server certificate), DOVECOT_ROGUE_CA (a CA that did not),
# DOVECOT_USER, DOVECOT_PASSWORD, DOVECOT_PASSWORD_FILE, DOVECOT_MAILDIR.
# Under root, dovecot's login/internal services run as dovenull/dovecot and
# mail belongs to the dovecot user; otherwise everything runs as the caller.

dovecot_imap_section() { # [NAME]
	printf '[imap%s]\nhost = 127.0.0.1\nport = %s\ntls = imaps\nca_file = %s\nuser = %s\npassword_file = %s\n' \
		"${1:+ $1}" "$DOVECOT_IMAPS_PORT" "$DOVECOT_CA" "$DOVECOT_USER" "$DOVECOT_PASSWORD_FILE"
}

dovecot_available() {
	command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1 &&
		command -v openssl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1
}

# A free TCP port on 127.0.0.1 (the kernel picks it; tiny race accepted).
_dovecot_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

_dovecot_make_ca() { # NAME DIR
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$2/$1.key" -out "$2/$1.pem" -days 2 -subj "/CN=vulnd test $1" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

_dovecot_make_certs() { # DIR
	local d="$1"
	_dovecot_make_ca ca "$d" && _dovecot_make_ca rogue "$d" || return 1
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null || return 1
	printf '%s\n' "subjectAltName=IP:127.0.0.1" "basicConstraints=CA:FALSE" \
		"extendedKeyUsage=serverAuth" "keyUsage=digitalSignature" >"$d/server.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -out "$d/server.pem" -days 2 -extfile "$d/server.ext" 2>/dev/null
}

dovecot_setup() { # DIR
	DOVECOT_DIR="$1"
	DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
	DOVECOT_HOST=127.0.0.1
	DOVECOT_USER=vulnd
	DOVECOT_PASSWORD="pw-$$-test"
	DOVECOT_PASSWORD_FILE="$DOVECOT_DIR/password"
	DOVECOT_MAILDIR="$DOVECOT_DIR/mail"
	DOVECOT_CA="$DOVECOT_DIR/tls/ca.pem"
	DOVECOT_ROGUE_CA="$DOVECOT_DIR/tls/rogue.pem"
	DOVECOT_IMAP_PORT=$(_dovecot_free_port)
	DOVECOT_IMAPS_PORT=$(_dovecot_free_port)
	while [ "$DOVECOT_IMAPS_PORT" = "$DOVECOT_IMAP_PORT" ]; do
		DOVECOT_IMAPS_PORT=$(_dovecot_free_port)
	done
	export DOVECOT_DIR DOVECOT_CONF DOVECOT_HOST DOVECOT_USER DOVECOT_PASSWORD \
		DOVECOT_PASSWORD_FILE DOVECOT_MAILDIR DOVECOT_CA DOVECOT_ROGUE_CA \
		DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT

	local uid gid login_user internal_user caps=""
	if [ "$(id -u)" -eq 0 ]; then
		uid=$(id -u dovecot) gid=$(id -g dovecot)
		login_user=dovenull internal_user=dovecot
	else
		uid=$(id -u) gid=$(id -g)
		login_user=$(id -un) internal_user=$(id -un)
	fi
	[ -n "${DOVECOT_NO_IDLE:-}" ] &&
		caps="imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE UIDPLUS"

	mkdir -p "$DOVECOT_DIR/tls" "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" \
		"$DOVECOT_MAILDIR" "$DOVECOT_DIR/home" || return 1
	# dovecot's unprivileged processes must reach the temp dir (and its
	# parent: mktemp -d makes it 0700)
	chmod 755 "$DOVECOT_DIR"
	chmod go+x "$(dirname "$DOVECOT_DIR")" 2>/dev/null
	_dovecot_make_certs "$DOVECOT_DIR/tls" || return 1
	chmod 644 "$DOVECOT_DIR/tls/"*.pem
	printf '%s' "$DOVECOT_PASSWORD" >"$DOVECOT_PASSWORD_FILE"
	chmod 600 "$DOVECOT_PASSWORD_FILE"
	echo "$DOVECOT_USER:{PLAIN}$DOVECOT_PASSWORD:$uid:$gid::$DOVECOT_DIR/home:" >"$DOVECOT_DIR/users"
	chmod 644 "$DOVECOT_DIR/users"
	[ "$(id -u)" -eq 0 ] && chown -R "$uid:$gid" "$DOVECOT_MAILDIR" "$DOVECOT_DIR/home"

	cat >"$DOVECOT_CONF" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_DIR/dovecot.log
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = 1
mail_uid = $uid
mail_gid = $gid
mail_location = maildir:$DOVECOT_MAILDIR
mail_fsync = never
ssl = required
ssl_cert = <$DOVECOT_DIR/tls/server.pem
ssl_key = <$DOVECOT_DIR/tls/server.key
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
imap_idle_notify_interval = 2 mins
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DOVECOT_DIR/users
}
service imap-login {
  # chroot needs root; tests do not need it
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DOVECOT_IMAPS_PORT
    ssl = yes
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol imap {
  $caps
}
EOF
}

# Poll until CMD succeeds, at most N tenths of a second.
_dovecot_wait() { # N CMD...
	local n="$1"; shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

_dovecot_port_open() {
	python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1).close()' "$1" 2>/dev/null
}

dovecot_pid() { cat "$DOVECOT_DIR/run/master.pid" 2>/dev/null; }

dovecot_start() {
	dovecot -c "$DOVECOT_CONF" || { cat "$DOVECOT_DIR/dovecot.log" >&2; return 1; }
	_dovecot_wait 100 _dovecot_port_open "$DOVECOT_IMAPS_PORT" &&
		_dovecot_wait 100 _dovecot_port_open "$DOVECOT_IMAP_PORT" ||
		{ echo "dovecot did not listen" >&2; cat "$DOVECOT_DIR/dovecot.log" >&2; return 1; }
}

_dovecot_gone() { ! kill -0 "$1" 2>/dev/null; }

# SIG: TERM (a clean stop) or KILL (a crash).  Session processes (imap,
# imap-login) outlive a stopped master: they are signalled too, by PID.
dovecot_stop() { # [SIG]
	local pid children
	pid=$(dovecot_pid) || return 0
	[ -n "$pid" ] || return 0
	children=$(ps --ppid "$pid" -o pid= | tr '\n' ' ')
	kill -"${1:-TERM}" "$pid" $children 2>/dev/null
	_dovecot_wait 100 _dovecot_gone "$pid" || kill -9 "$pid" 2>/dev/null
	for c in $children; do
		_dovecot_wait 50 _dovecot_gone "$c" || kill -9 "$c" 2>/dev/null
	done
	# the listeners must be closed before a restart reuses the ports
	_dovecot_wait 100 eval '! _dovecot_port_open "$DOVECOT_IMAPS_PORT"'
	rm -f "$DOVECOT_DIR/run/master.pid"
}

dovecot_deliver() { # FILE
	doveadm -c "$DOVECOT_CONF" save -u "$DOVECOT_USER" -m INBOX <"$1"
}

# TIMEFILE (optional) gets the wall clock in µs just before the APPEND.
dovecot_append() { # FILE [TIMEFILE]
	python3 - "$1" "${2:-}" <<'EOF'
import imaplib, os, ssl, sys, time
ctx = ssl.create_default_context(cafile=os.environ["DOVECOT_CA"])
m = imaplib.IMAP4_SSL("127.0.0.1", int(os.environ["DOVECOT_IMAPS_PORT"]), ssl_context=ctx)
m.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
with open(sys.argv[1], "rb") as f:
    body = f.read()
if sys.argv[2]:
    with open(sys.argv[2], "w") as f:
        f.write("%d\n" % int(time.time() * 1e6))
typ, _ = m.append("INBOX", None, None, body)
m.logout()
sys.exit(0 if typ == "OK" else 1)
EOF
}

# Forget the mailbox's UID list while stopped: the restarted server hands
# out a new UIDVALIDITY and new UIDs for the same messages.
dovecot_renumber() {
	local before
	before=$(dovecot_uidvalidity)
	dovecot_stop
	rm -f "$DOVECOT_MAILDIR/dovecot-uidlist" "$DOVECOT_MAILDIR"/dovecot.index*
	dovecot_start || return 1
	[ "$(dovecot_uidvalidity)" != "$before" ]
}

dovecot_uidvalidity() {
	doveadm -c "$DOVECOT_CONF" -f flow mailbox status -u "$DOVECOT_USER" uidvalidity INBOX |
		sed 's/.*uidvalidity=//'
}

# wait_for_line FILE REGEX [TENTHS]: poll until FILE has a line matching
# (extended) REGEX, at most TENTHS tenths of a second (default 100).
wait_for_line() {
	_dovecot_wait "${3:-100}" grep -qE "$2" "$1"
}

# A message in the style of a list announcement, invented content.
# write_message FILE N: Message-ID <vulnd-test-N@example.invalid>
write_message() {
	cat >"$1" <<MSG
From: Test Sender <sender@example.invalid>
To: announce@example.invalid
Subject: [test] message number $2
Date: Mon, 01 Jan 2099 00:00:00 +0000
Message-ID: <vulnd-test-$2@example.invalid>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Invented body $2 for the IMAP source tests.
MSG
}

# Start the driver (tests/test-imap) in the background against IMAPS, output
# in FILE; DRIVER_PID is its PID.  Extra arguments go to the driver.
driver_start() { # FILE ARGS...
	local out="$1"; shift
	"$top_builddir/tests/test-imap" --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" \
		--tls imaps --ca "$DOVECOT_CA" --user "$DOVECOT_USER" \
		--password-file "$DOVECOT_PASSWORD_FILE" "$@" >"$out" 2>"$out.err" &
	DRIVER_PID=$!
}

# Stop the driver by PID; its exit status (0 on a clean SIGTERM exit).
driver_stop() {
	[ -n "${DRIVER_PID:-}" ] || return 0
	kill "$DRIVER_PID" 2>/dev/null
	wait "$DRIVER_PID"
	local rc=$?
	DRIVER_PID=
	return $rc
}

# Put FILE into the maildir directly, as an MDA would (works while stopped).
# Names sort in delivery order (time, then a counter), so dovecot gives
# UIDs in the order the test delivered.
_maildir_n=0
maildir_deliver() { # FILE
	_maildir_n=$((_maildir_n + 1))
	local name="$(date +%s).M$$C$(printf '%06d' "$_maildir_n").vulnd-test"
	cp "$1" "$DOVECOT_MAILDIR/tmp/$name" &&
		mv "$DOVECOT_MAILDIR/tmp/$name" "$DOVECOT_MAILDIR/new/$name" || return 1
	[ "$(id -u)" -eq 0 ] && chown dovecot:dovecot "$DOVECOT_MAILDIR/new/$name"
	return 0
}

# The "imap" and "imap-login" processes serving current connections.
dovecot_session_pids() {
	ps --ppid "$(dovecot_pid)" -o pid=,comm= | awk '$2 == "imap" || $2 == "imap-login" { print $1 }'
}
