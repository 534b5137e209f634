#!/bin/sh
# vulnctl queries in a loop while `vulnd import` writes (from a tiny map, so
# readers also cross map growth): no error, valid JSON, and no torn read --
# within one read transaction the advisory count equals the last change
# sequence (this import only adds).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

N=${VULND_CONCURRENCY_MESSAGES:-20000}
tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
python3 "$top_srcdir/tests/bench/gen-list-maildir.py" "$tmp/mail" "$N" 25 11 >/dev/null

# Create the database first so readers never race its creation.
mkdir -p "$tmp/first/new"; cp "$(find "$tmp/mail" -type f | head -1)" "$tmp/first/new/"
"$VULND" import -q --db "$db" "$tmp/first" >/dev/null
VULND_STORE_MAPSIZE=131072 "$VULND" import -q --db "$db" "$tmp/mail" >"$tmp/summary" 2>"$tmp/import.err" &
pid=$!

rounds=0; errors=0
mkdir "$tmp/out"
# Readers only save what they print: the checks run after the import.
while kill -0 "$pid" 2>/dev/null || [ $rounds -lt 3 ]; do
	rounds=$((rounds + 1))
	"$VULNCTL" --db "$db" --json status >"$tmp/out/status.$rounds" 2>>"$tmp/reader.err" || errors=$((errors + 1))
	"$VULNCTL" --db "$db" --json list >"$tmp/out/list.$rounds" 2>>"$tmp/reader.err"
	[ $? -le 1 ] || errors=$((errors + 1))
	"$VULNCTL" --db "$db" --json log --limit 50 >"$tmp/out/log.$rounds" 2>>"$tmp/reader.err"
	[ $? -le 1 ] || errors=$((errors + 1))
	"$VULNCTL" --db "$db" affected nova 27.0.0 >/dev/null 2>>"$tmp/reader.err"
	[ $? -le 1 ] || errors=$((errors + 1))
	[ $rounds -lt 5000 ] || break
done
wait "$pid"; rc=$?
check "the import finished (status $rc)" test $rc -eq 0
check "the import read every message" grep -q "^$N messages read" "$tmp/summary"
ok "$rounds query rounds ran during the import"
check "no reader failed ($errors errors: $(head -c 200 "$tmp/reader.err"))" test $errors -eq 0
check "every reader printed valid JSON, no torn read" python3 -c "
import json, os, sys
d = sys.argv[1]; bad = []
for name in os.listdir(d):
    try:
        v = json.load(open(os.path.join(d, name)))
    except ValueError:
        bad.append(name + ': invalid JSON'); continue
    if name.startswith('status') and v['advisories'] != v['last-seq']:
        bad.append(name + ': torn')
print('#', len(os.listdir(d)), 'outputs checked', bad[:5])
sys.exit(1 if bad else 0)" "$tmp/out"
tap_done
