#!/bin/sh
# bench-imap.sh [N] - IMAP IDLE latency: APPEND (over IMAPS, to a real
# Dovecot on 127.0.0.1) -> the IMAP source's message callback, p50/p99 over
# N messages appended one at a time; plus catch-up throughput (N messages
# fetched at connect).  Prints figures; never passes or fails on time.
# Dovecot itself delays IDLE notifications by about half a second.
# Run from a build tree: top_builddir=. top_srcdir=SRC tests/bench/bench-imap.sh
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"
n=${1:-50}
dovecot_available || { echo "dovecot missing"; exit 77; }
T=$(mktmp)
trap 'driver_stop; dovecot_stop; rm -rf "$T"' EXIT
dovecot_setup "$T/dovecot" && dovecot_start || { echo "dovecot did not start"; exit 1; }
i=1
while [ "$i" -le "$n" ]; do write_message "$T/m$i" "$i"; i=$((i + 1)); done

driver_start "$T/out" --state "$T/state"
wait_for_line "$T/out" '^STATE idle' || { echo "source not idle"; cat "$T/out.err"; exit 1; }

# APPEND and wait in one python process: the timing excludes shell start-up
python3 - "$T" "$n" <<'PY'
import imaplib, os, ssl, sys, time
d, n = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(cafile=os.environ["DOVECOT_CA"])
m = imaplib.IMAP4_SSL("127.0.0.1", int(os.environ["DOVECOT_IMAPS_PORT"]), ssl_context=ctx)
m.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
lat = []
for i in range(1, n + 1):
    body = open(f"{d}/m{i}", "rb").read()
    tag = f"<vulnd-test-{i}@example.invalid>"
    t0 = time.time()
    m.append("INBOX", None, None, body)
    seen = None
    deadline = t0 + 30
    while seen is None and time.time() < deadline:
        for line in open(f"{d}/out"):
            f = line.split()
            if f[0] == "MSG" and f[2] == tag:
                seen = int(f[3]) / 1e6
        if seen is None:
            time.sleep(0.005)
    if seen is None:
        print(f"message {i} never arrived"); sys.exit(1)
    lat.append(seen - t0)
m.logout()
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"IMAP IDLE latency APPEND -> callback over {n}: "
      f"p50 {p(0.50):.0f} ms, p99 {p(0.99):.0f} ms, min {lat[0]*1000:.0f} ms, max {lat[-1]*1000:.0f} ms")
PY
driver_stop

# catch-up: a fresh cursor fetches the whole mailbox at connect
t0=$(date +%s%N)
"$top_builddir/tests/test-imap" --host 127.0.0.1 --port "$DOVECOT_IMAPS_PORT" --tls imaps \
	--ca "$DOVECOT_CA" --user "$DOVECOT_USER" --password-file "$DOVECOT_PASSWORD_FILE" \
	--once >"$T/catchup" 2>/dev/null
t1=$(date +%s%N)
got=$(grep -c '^MSG' "$T/catchup")
echo "IMAP catch-up: $got messages in $(( (t1 - t0) / 1000000 )) ms (connect + TLS + LOGIN + fetch)"
