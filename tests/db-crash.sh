#!/bin/sh
# Kill `vulnd import` with SIGKILL at random moments of a 20,000-message
# import, restart it each time, then check that nothing is missing or
# doubled: every advisory stored once, exactly one "added" change each,
# every message recorded, and mdb_stat reads the environment cleanly.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

N=${VULND_CRASH_MESSAGES:-20000}
KILLS=${VULND_CRASH_KILLS:-5}
tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
python3 "$top_srcdir/tests/bench/gen-list-maildir.py" "$tmp/mail" "$N" 50 7 >/dev/null
advisories=$((N / 50))

# Start from a tiny map so kills also land around map growth.
export VULND_STORE_MAPSIZE=262144
i=0; killed=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	"$VULND" import -q --db "$db" "$tmp/mail" >/dev/null 2>"$tmp/err.$i" &
	pid=$!
	# A random moment (not a timing assertion): 50 to 1500 ms in.
	delay=$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * 1.45 }')
	sleep "$delay"
	if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
	wait "$pid" 2>/dev/null
done
ok "import killed $killed times out of $KILLS"
check "the final import completes" sh -c "'$VULND' import -q --db '$db' '$tmp/mail' >'$tmp/summary'"
check "no store error after any kill" sh -c "! grep -l 'vulnd import:' $tmp/err.* >/dev/null 2>&1"

"$VULNCTL" --db "$db" --json list >"$tmp/list.json"
"$VULNCTL" --db "$db" --json log >"$tmp/log.json"
"$VULNCTL" --db "$db" --json status >"$tmp/status.json"
check "every advisory stored exactly once ($advisories)" python3 -c "
import json, sys
ids = [r['id'] for r in json.load(open(sys.argv[1]))]
sys.exit(not (len(ids) == $advisories and len(set(ids)) == len(ids)))" "$tmp/list.json"
check "changes: exactly one 'added' per advisory, nothing else" python3 -c "
import json, sys, collections
log = json.load(open(sys.argv[1]))
c = collections.Counter((e['id'], e['event']) for e in log)
seqs = [e['seq'] for e in log]
sys.exit(not (len(log) == $advisories and all(k[1] == 'added' and v == 1 for k, v in c.items())
              and seqs == list(range(1, len(seqs) + 1))))" "$tmp/log.json"
check "every message recorded once ($N)" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(not (s['messages'] == $N and s['advisories'] == $advisories and s['last-seq'] == $advisories))" "$tmp/status.json"
if command -v mdb_stat >/dev/null; then
	check "mdb_stat reads every table" sh -c "mdb_stat -a -e '$db' >/dev/null"
	check "mdb_stat: messages table holds $N entries" sh -c "mdb_stat -s messages '$db' | grep -q 'Entries: $N\$'"
else
	skip "mdb_stat not installed (lmdb-utils)"
fi
tap_done
