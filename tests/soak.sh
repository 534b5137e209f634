#!/bin/sh
# tests/soak.sh [--full] - the fault soak (see docs/soak.md).
#
# N messages (default 1,000; --full 10,000; SOAK_N overrides), one in 20 an
# advisory, arrive through a maildir AND a real Dovecot's IMAP mailbox at
# once (a third through both).  Meanwhile vulnd is SIGKILLed at random
# moments and restarted, Dovecot is SIGKILLed and restarted, UIDVALIDITY
# changes once, some hooks hang past hook_timeout and every record is
# handed to a hook that never reads its stdin (a tenth of them larger than
# a pipe buffer).  At the end: every advisory stored exactly once, one
# alert (one seq) per (id, revision), every Message-ID accounted for,
# mdb_stat clean on every sub-database.  Loopback and a temp dir only.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/lib-dovecot.sh"

N=${SOAK_N:-1000}
RATE=${SOAK_RATE:-40}            # messages delivered per second
[ "${1:-}" = "--full" ] && N=${SOAK_N:-10000}
SETTLE=$(( 120 + N / 10 ))       # seconds allowed to drain after delivery

for tool in mdb_dump mdb_stat python3; do
	command -v "$tool" >/dev/null 2>&1 || { skip "$tool missing"; tap_done; exit 0; }
done
dovecot_available || { skip "dovecot, doveadm or openssl missing"; tap_done; exit 0; }

T=$(mktemp -d /tmp/vsoak.XXXXXX)
VPID= DELIVER_PID= WATCH_PID= DBUS_PID=
cleanup() {
	[ -n "$DELIVER_PID" ] && kill "$DELIVER_PID" 2>/dev/null
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	[ -n "$DBUS_PID" ] && kill "$DBUS_PID" 2>/dev/null
	[ -n "$VPID" ] && kill -9 "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
	dovecot_stop KILL
	# hooks orphaned by a SIGKILLed vulnd (they would end by themselves)
	for p in $(cat "$T/hook-pids" 2>/dev/null); do kill "$p" 2>/dev/null; done
	[ -n "${SOAK_KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT
trap "exit 1" INT TERM

# ---- the mail ---------------------------------------------------------------
# gen/NNNNNN.eml, and manifest lines "index route key kind id": route is
# m (maildir), i (IMAP) or b (both); key is the messages-db key (the
# Message-ID without its angle brackets, or sha256:HEX).
python3 - "$top_srcdir/tests/fixtures/mail" "$T" "$N" <<'EOF'
import hashlib, os, random, sys
fixtures, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(6)
words = ("sprocket widget gear lever spindle flange grommet cog ratchet pawl "
         "bracket hinge latch valve nozzle gasket piston rotor").split()
base = open(os.path.join(fixtures, "03-ossa-2023-style.eml"), encoding="utf-8").read()
os.makedirs(os.path.join(out, "gen"))
man = open(os.path.join(out, "manifest"), "w")
hang = open(os.path.join(out, "hang-ids"), "w")

def para(k):
    return " ".join(rnd.choice(words) for _ in range(k)).capitalize() + "."

def advisory(i, k):
    aid = f"{2090 + k // 900}-{k % 900 + 1:03d}"
    text = base.replace("2099-003", aid).replace(
        "Message-ID: <sample-", f"Message-ID: <soak{i}-sample-", 1)
    text = text.replace("Cross-project volume snapshot access", f"Invented {para(3)[:-1]} flaw {k}")
    if k % 10 == 2:  # a record larger than a pipe buffer (64 KiB)
        extra = "\n\n".join(para(40) for _ in range(700))
        text = text.replace("\nPatches\n", "\n" + extra + "\n\nPatches\n", 1)
    mid = text.split("Message-ID: <", 1)[1].split(">", 1)[0]
    return text, mid, "OSSA-" + aid

def chatter(i):
    return (f"From: Person {i % 37} <p{i % 37}@example.invalid>\n"
            f"To: announce@example.invalid\nSubject: [soak] {para(5)}\n"
            f"Date: Mon, 01 Jan 2099 00:00:00 +0000\nMessage-ID: <soak-{i}@example.invalid>\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
            + "\n\n".join(para(12) for _ in range(rnd.randint(1, 4))) + "\n")

k = 0
for i in range(n):
    route = "bmi"[i % 3]
    if i % 20 == 19:
        text, key, aid = advisory(i, k)
        kind = "advisory"
        if k % 7 == 3:
            hang.write(aid + "\n")
        k += 1
    elif i % 97 == 50:  # no header block at all: not a mail message
        text = "\x01\x02 soak garbage %d %s\n" % (i, para(8))
        # without a Message-ID the key is the sha256 of the bytes handed
        # over, and IMAP hands them over with CRLF line ends: a copy through
        # each source, each quarantined under its own key
        sha = lambda b: "sha256:" + hashlib.sha256(b).hexdigest()
        keys = []
        if route in "mb":
            keys.append(sha(text.encode()))
        if route in "ib":
            keys.append(sha(text.replace("\n", "\r\n").encode()))
        key, kind, aid = ",".join(keys), "garbage", "-"
    else:
        text, key, kind, aid = chatter(i), f"soak-{i}@example.invalid", "chatter", "-"
    with open(os.path.join(out, "gen", f"{i:06d}.eml"), "w", encoding="utf-8") as f:
        f.write(text)
    man.write(f"{i} {route} {key} {kind} {aid}\n")
EOF
ADVISORIES=$(grep -c ' advisory ' "$T/manifest")
check "generated $N messages, $ADVISORIES advisories" test "$ADVISORIES" -gt 0

# ---- Dovecot, vulnd, the hook -------------------------------------------------
dovecot_setup "$T/dovecot" && dovecot_start || { not_ok "dovecot starts"; tap_done; exit 1; }
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp" "$T/hung"
HANG=4
# One line "seq id revision stdin-bytes" per alert (O_APPEND).  Ids in
# hang-ids hang on their first attempt, longer than hook_timeout.  Nothing
# reads stdin: its size comes from stat.
cat >"$T/hook" <<EOF
#!/bin/sh
echo \$\$ >>"$T/hook-pids"
if grep -qx "\$VULND_ID" "$T/hang-ids" && [ ! -e "$T/hung/\$VULND_SEQ" ]; then
	: >"$T/hung/\$VULND_SEQ"
	exec sleep $HANG
fi
echo "\$VULND_SEQ \$VULND_ID \$VULND_REVISION \$(stat -L -c %s /proc/\$\$/fd/0)" >>"$T/alerts"
EOF
chmod +x "$T/hook"
: >"$T/alerts"
# a private bus and "vulnctl watch" on it: the D-Bus side of the alerts
DBUS=none
if command -v dbus-daemon >/dev/null 2>&1; then
	DBUS="unix:path=$T/bus"
	DBUS_PID=$(dbus-daemon --session --address="$DBUS" --print-pid --fork --nopidfile 2>"$T/dbus.err") &&
		_dovecot_wait 50 test -S "$T/bus" || DBUS=none
fi
if [ "$DBUS" != none ]; then
	"$VULNCTL" watch --bus "$DBUS" --json >"$T/signals" 2>"$T/watch.err" &
	WATCH_PID=$!
	wait_for_line "$T/watch.err" 'listening on' 50 || DBUS=none
fi
cat >"$T/vulnd.conf" <<EOF
[vulnd]
database = $T/db
[maildir]
path = $T/md
$(dovecot_imap_section)
[notify]
dbus = $DBUS
on_new = $T/hook
on_update = $T/hook
hook_timeout = 1
EOF

RESTARTS=0
start_vulnd() {
	"$VULND" --foreground --config "$T/vulnd.conf" >>"$T/log" 2>&1 &
	VPID=$!
}
kill_vulnd() { kill -9 "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null; VPID=; }

# ---- delivery, in the background --------------------------------------------
# Each message goes to its route's maildir(s) the way an MDA does (tmp/,
# then rename into new/); progress in $T/delivered.
deliver_all() {
	python3 - "$T" "$DOVECOT_MAILDIR" "$RATE" <<'EOF'
import os, sys, time
t, dmd, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
uid = gid = None
if os.getuid() == 0:
    import pwd
    pw = pwd.getpwnam("dovecot"); uid, gid = pw.pw_uid, pw.pw_gid
def put(src, md, name, own):
    tmp = os.path.join(md, "tmp", name)
    with open(src, "rb") as f, open(tmp, "wb") as g:
        g.write(f.read())
    if own and uid is not None:
        os.chown(tmp, uid, gid)
    os.rename(tmp, os.path.join(md, "new", name))
start = time.monotonic()
for line in open(os.path.join(t, "manifest")):
    i, route = int(line.split()[0]), line.split()[1]
    src = os.path.join(t, "gen", f"{i:06d}.eml")
    name = f"{1800000000 + i}.M{i}P{os.getpid()}.soak"
    if route in "mb":
        put(src, os.path.join(t, "md"), name, False)
    if route in "ib":
        put(src, dmd, name, True)
    with open(os.path.join(t, "delivered.tmp"), "w") as f:
        f.write(f"{i + 1}\n")
    os.rename(os.path.join(t, "delivered.tmp"), os.path.join(t, "delivered"))
    lag = start + (i + 1) / rate - time.monotonic()
    if lag > 0:
        time.sleep(lag)
EOF
}
delivered() { cat "$T/delivered" 2>/dev/null || echo 0; }

# ---- faults while the mail arrives ------------------------------------------
start_vulnd
deliver_all &
DELIVER_PID=$!
DOVECOT_KILLED=0 RENUMBERED=0 UV_BEFORE=$(dovecot_uidvalidity)
t0=$(date +%s)
while kill -0 "$DELIVER_PID" 2>/dev/null; do
	# a random moment 0.3 - 3 s from now
	sleep "$(od -An -N2 -tu2 /dev/urandom | awk '{ printf "%.2f", 0.3 + ($1 % 270) / 100 }')"
	kill_vulnd
	RESTARTS=$((RESTARTS + 1))
	d=$(delivered)
	if [ "$DOVECOT_KILLED" = 0 ] && [ "$d" -ge $((N * 3 / 10)) ]; then
		dovecot_stop KILL
		sleep 1
		dovecot_start && DOVECOT_KILLED=1
	fi
	if [ "$RENUMBERED" = 0 ] && [ "$d" -ge $((N * 6 / 10)) ]; then
		dovecot_renumber && RENUMBERED=1
	fi
	start_vulnd
done
wait "$DELIVER_PID"
DELIVER_PID=
t1=$(date +%s)
# a short run may end before both Dovecot faults came due: do them now,
# while vulnd is still catching up
if [ "$DOVECOT_KILLED" = 0 ]; then
	dovecot_stop KILL; sleep 1; dovecot_start && DOVECOT_KILLED=1
fi
[ "$RENUMBERED" = 0 ] && dovecot_renumber && RENUMBERED=1
check "delivered $(delivered) messages in $((t1 - t0)) s with $RESTARTS vulnd SIGKILLs" \
	test "$(delivered)" -eq "$N"
check "dovecot SIGKILLed and restarted once" test "$DOVECOT_KILLED" = 1
UV_AFTER=$(dovecot_uidvalidity)
check "UIDVALIDITY changed once ($UV_BEFORE -> $UV_AFTER)" test "$RENUMBERED" = 1

# ---- drain: every message in the database, every alert delivered ------------
# account.py prints "missing MESSAGES ALERTS_MISSING" and, with --report,
# the final counts; exit 0 when nothing is missing.
cat >"$T/account.py" <<'EOF'
import collections, json, subprocess, sys
t, report = sys.argv[1], len(sys.argv) > 2

def dump(db):
    # hex mode: keys of "changes" are binary (big-endian u64)
    p = subprocess.run(["mdb_dump", "-s", db, t + "/db"], capture_output=True, text=True)
    if p.returncode:
        return {}
    body = p.stdout.split("HEADER=END\n", 1)[-1].split("DATA=END", 1)[0].split()
    text = lambda h: bytes.fromhex(h).decode("utf-8", "surrogateescape")
    return {text(k): text(v) for k, v in zip(body[0::2], body[1::2])}

manifest = [l.split() for l in open(t + "/manifest")]
messages = dump("messages")
missing = [k for m in manifest for k in m[2].split(",") if k not in messages]
expected = {(m[4], "1") for m in manifest if m[3] == "advisory"}
try:
    expected |= {(l.split()[0], l.split()[1]) for l in open(t + "/errata-expected")}
except FileNotFoundError:
    pass
seqs, lines = collections.defaultdict(set), collections.Counter()
big = 0
for l in open(t + "/alerts"):
    seq, aid, rev, size = l.split()
    seqs[(aid, rev)].add(seq); lines[(aid, rev)] += 1
    big += int(size) > 65536
alerts_missing = [e for e in expected if e not in seqs]
print("missing", len(missing), "messages", " ".join(missing[:5]), ";",
      len(alerts_missing), "alerts", " ".join("%s/%s" % a for a in sorted(alerts_missing)[:5]))
if not report:
    sys.exit(1 if missing or alerts_missing else 0)

outcomes = collections.Counter()
for m in manifest:
    for k in m[2].split(","):
        v = messages.get(k)
        outcomes[json.loads(v)["outcome"] if v else "MISSING"] += 1
print("outcomes", " ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
unexpected = [k for k in seqs if k not in expected]
multi_seq = [k for k in seqs if len(seqs[k]) > 1]
repeats = sum(lines.values()) - len(lines)
print("alerts", len(expected), "expected;", len(seqs), "(id, revision) alerted;",
      len(multi_seq), "with more than one seq;", len(unexpected), "unexpected;",
      repeats, "repeated lines (same seq)")
listed = json.loads(subprocess.run([sys.argv[2], "--db", t + "/db", "--json", "list"],
                                   capture_output=True, text=True).stdout)
ids = collections.Counter(r["id"] for r in listed)
want = {m[4] for m in manifest if m[3] == "advisory"}
print("hooks", big, "alerts with a record larger than 64 KiB on an unread stdin")
print("list", len(listed), "records;", len(set(ids) ^ want), "ids differ;",
      sum(1 for v in ids.values() if v > 1), "listed twice")
changes = [json.loads(v) for v in dump("changes").values()]
try:
    signals = [json.loads(l) for l in open(t + "/signals")]
except FileNotFoundError:
    signals = None
if signals is not None:
    want_seqs = {c["seq"] for c in changes if c.get("event") in ("added", "updated")}
    got = collections.Counter(s["seq"] for s in signals)
    print("dbus", len(signals), "signals;", len(want_seqs - set(got)), "seqs without a signal;",
          sum(v - 1 for v in got.values()), "repeated (same seq)")
events = collections.Counter((c["id"], str(c["revision"])) for c in changes
                             if c.get("event") in ("added", "updated"))
print("changes", len(changes), "entries;", sum(1 for v in events.values() if v > 1),
      "(id, revision) with more than one event;", len(set(events) ^ expected), "differ")
ok = (not missing and not alerts_missing and not unexpected and not multi_seq
      and len(listed) == len(want) and not set(ids) ^ want
      and all(v == 1 for v in ids.values()) and set(events) == expected
      and all(v == 1 for v in events.values()) and big > 0
      and (signals is None or not want_seqs - set(got)))
sys.exit(0 if ok else 1)
EOF
drained() { python3 "$T/account.py" "$T" >"$T/progress" 2>&1; }
# until SECONDS: poll COMMAND once a second (each poll dumps the database)
until_deadline() {
	local end=$(( $(date +%s) + $1 )); shift
	while [ "$(date +%s)" -lt "$end" ]; do
		"$@" && return 0
		sleep 1
	done
	return 1
}
# vulnd runs until the end; a crash is noticed (and counted as a failure)
check "vulnd alive after the faults" kill -0 "$VPID"
check "drained: every message stored and every alert run within ${SETTLE} s" \
	until_deadline "$SETTLE" drained
cat "$T/progress" | sed 's/^/# /'

# ---- errata: on_update, after the storm ---------------------------------------
: >"$T/errata-expected"
for aid in $(awk '$4 == "advisory" { print $5 }' "$T/manifest" | head -n 3); do
	sed -e "s/2099-003/${aid#OSSA-}/g" -e "s/<sample-/<soak-errata-/" \
		"$top_srcdir/tests/fixtures/mail/04-ossa-2023-errata.eml" >"$T/errata-$aid"
	cp "$T/errata-$aid" "$T/md/tmp/errata-$aid" && mv "$T/md/tmp/errata-$aid" "$T/md/new/errata-$aid"
	echo "$aid 2" >>"$T/errata-expected"
done
check "errata alerted (on_update)" until_deadline 60 drained

kill -TERM "$VPID"; wait "$VPID"; rc=$?; VPID=
[ "$DBUS" = none ] && echo "# no dbus-daemon: D-Bus signals not counted"
check "vulnd stops cleanly after the soak (exit $rc)" test "$rc" -eq 0
cursor=$(mdb_dump -p -s state "$T/db" | grep -A1 '^ imap/default/cursor$' | tail -n1 | tr -d ' ')
check "IMAP cursor $cursor is at UIDVALIDITY $UV_AFTER" test "${cursor%%:*}" = "$UV_AFTER"

# (vulnctl watch may still be reading the last signals)
report() { python3 "$T/account.py" "$T" "$VULNCTL" >"$T/report" 2>&1; }
until_deadline 15 report
rc=$?
sed 's/^/# /' "$T/report"
check "accounting: all advisories once, one seq per (id, revision), no message lost" test "$rc" -eq 0

bad="" subdbs=0
for db in $(mdb_stat -a "$T/db" 2>/dev/null | sed -n 's/^Status of //p' | grep -v '^Main DB$'); do
	subdbs=$((subdbs + 1))
	mdb_stat -s "$db" "$T/db" >/dev/null 2>&1 || bad="$bad $db"
done
check "mdb_stat clean on all $subdbs sub-databases${bad:+ (failed:$bad)}" \
	sh -c "[ -z '$bad' ] && [ $subdbs -ge 9 ] && mdb_stat -a '$T/db' >/dev/null"
echo "# vulnd log: $(grep -c 'vulnd: started' "$T/log") starts, $(grep -c 'killed after' "$T/log") hooks killed after hook_timeout"
tap_done
