#!/bin/sh
# `vulnd import --jobs N` parses in N threads and commits in the order the
# messages were read, in batches of many messages per transaction: the
# database must come out as from a serial import (--jobs 1), table by table
# (mdb_dump, with the import's own times blanked), with the same summary
# line.  And a message whose commit fails in the middle of a batch stops the
# import with exactly the messages before it stored.
# Data: the project's fixtures, a generated list maildir and mbox, and the
# real-mail corpus when present ($VULND_CORPUS).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
N=3000
python3 "$top_srcdir/tests/bench/gen-list-maildir.py" "$tmp/gen" "$N" 50 5 >/dev/null
# an mbox too (with "From " lines to quote), read as a second PATH
python3 - "$tmp/gen/cur" "$tmp/list.mbox" <<'EOF'
import mailbox, os, sys
src, out = sys.argv[1], sys.argv[2]
box = mailbox.mbox(out)
for name in sorted(os.listdir(src))[:300]:
    with open(os.path.join(src, name), "rb") as f:
        data = f.read()
    box.add(data.replace(b"\n\n", b"\n\nFrom the list:\n", 1))
box.close()
EOF

# tables DB OUT: every table of DB, the import's times (and the map size,
# which depends on how the map grew) blanked
tables() {
	for t in advisories revisions by_cve by_product by_date messages raw changes state summaries; do
		echo "== $t"
		mdb_dump -p -s "$t" "$1" || echo "mdb_dump failed"
	done | sed -E 's/"time":"[^"]*"/"time":""/g; /^mapsize=/d' \
	     | awk 'prev == " last-message" { $0 = " (time)" } { prev = $0; print }' >"$2"
}
same_tables() {
	tables "$1" "$1.tables" && tables "$2" "$2.tables" && cmp -s "$1.tables" "$2.tables" && return 0
	diff "$1.tables" "$2.tables" | head -20 | sed 's/^/# /'
	return 1
}
same_export() {
	"$VULNCTL" --db "$1" export --format json >"$1.json" 2>&1 \
	&& "$VULNCTL" --db "$2" export --format json >"$2.json" 2>&1 \
	&& cmp -s "$1.json" "$2.json"
}
# run_import NAME JOBS ARGS...: into $tmp/NAME.JOBS, keeping status, summary, stderr
run_import() {
	name=$1; jobs=$2; shift 2
	"$VULND" import -q --jobs "$jobs" --db "$tmp/$name.$jobs" "$@" >"$tmp/$name.$jobs.out" 2>"$tmp/$name.$jobs.err"
	echo $? >"$tmp/$name.$jobs.rc"
}
# compare NAME ARGS...: --jobs 1 against --jobs 4
compare() {
	name=$1; shift
	run_import "$name" 1 "$@"
	run_import "$name" 4 "$@"
	check "$name: --jobs 1 and 4 exit alike with the same summary ($(cat "$tmp/$name.1.out"))" \
		sh -c "cmp -s '$tmp/$name.1.out' '$tmp/$name.4.out' && cmp -s '$tmp/$name.1.rc' '$tmp/$name.4.rc' && test -s '$tmp/$name.1.out'"
	check "$name: the same advisories (export)" same_export "$tmp/$name.1" "$tmp/$name.4"
	if command -v mdb_dump >/dev/null; then
		check "$name: every table the same (mdb_dump)" same_tables "$tmp/$name.1" "$tmp/$name.4"
	else
		skip "$name: mdb_dump not installed (lmdb-utils)"
	fi
}

check "--jobs 0 is a usage error (2)" sh -c "'$VULND' import -q --jobs 0 --db '$tmp/none' '$top_srcdir/tests/fixtures/mail' 2>/dev/null; test \$? -eq 2"

compare fixtures "$top_srcdir/tests/fixtures/mail"
check "fixtures: the summary is the serial one" \
	grep -q '^6 messages read, 4 added, 1 updated, 0 unchanged, 1 ignored, 0 quarantined' "$tmp/fixtures.4.out"
compare generated "$tmp/gen" "$tmp/list.mbox" "$top_srcdir/tests/fixtures/mail"
check "generated: every message read ($N + 300 + 6)" grep -q "^$((N + 306)) messages read" "$tmp/generated.4.out"

# A map that must grow many times during the import: batches are applied
# again after each growth, and nothing may differ.
(export VULND_STORE_MAPSIZE=262144
 run_import growth 4 "$tmp/gen" "$tmp/list.mbox" "$top_srcdir/tests/fixtures/mail")
check "map growth: the same summary" cmp -s "$tmp/generated.1.out" "$tmp/growth.4.out"
if command -v mdb_dump >/dev/null; then
	check "map growth: every table the same" same_tables "$tmp/generated.1" "$tmp/growth.4"
else
	skip "map growth: mdb_dump not installed (lmdb-utils)"
fi

if [ -d "$VULND_CORPUS/mail" ]; then
	keys=""
	[ -d "$VULND_CORPUS/keys" ] && keys="--keyring $VULND_CORPUS/keys"
	compare corpus $keys "$VULND_CORPUS/mail"
else
	skip "corpus not found at $VULND_CORPUS (set VULND_CORPUS): not compared"
fi

# The 1,550th message (an advisory: one in 50 is, the 50th of each 50)
# fails to commit, after its other writes, in the batch that holds the 549
# messages read since the last commit: the import stops (3) and exactly the
# 1,549 messages before it are stored, with nothing of the failed one.
fail=$(cd "$tmp/gen/cur" && ls | LC_ALL=C sort | sed -n 1550p)
mkdir -p "$tmp/head/cur"
(cd "$tmp/gen/cur" && ls | LC_ALL=C sort | head -n 1549 | while read -r f; do cp "$f" "$tmp/head/cur/"; done)
"$VULND" import -q --jobs 1 --db "$tmp/head.db" "$tmp/head" >"$tmp/head.out"
"$VULND" import -q --jobs 1 --db "$tmp/one.db" "$tmp/gen/cur/$fail" >/dev/null
failed_id=$("$VULNCTL" --db "$tmp/one.db" --json list | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
for j in 1 4; do
	(export VULND_TEST_FAIL_COMMIT="cur/$fail"; run_import fail "$j" "$tmp/gen")
	check "failed commit, --jobs $j: the import stops (3)" grep -qx 3 "$tmp/fail.$j.rc"
	check "failed commit, --jobs $j: the error is reported" grep -q "^vulnd import: .*writing to the database" "$tmp/fail.$j.err"
	check "failed commit, --jobs $j: 1550 read, 1549 stored" sh -c "
		grep -q '^1550 messages read' '$tmp/fail.$j.out' &&
		test \"\$('$VULNCTL' --db '$tmp/fail.$j' --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"messages\"])')\" = 1549"
	check "failed commit, --jobs $j: the advisories of the 1549 before (export)" same_export "$tmp/head.db" "$tmp/fail.$j"
	check "failed commit, --jobs $j: nothing of the failed message ($failed_id)" \
		sh -c "'$VULNCTL' --db '$tmp/fail.$j' show '$failed_id' >/dev/null 2>&1; test \$? -eq 1"
done
check "failed commit: --jobs 1 and 4 print the same summary" cmp -s "$tmp/fail.1.out" "$tmp/fail.4.out"
if command -v mdb_dump >/dev/null; then
	check "failed commit: --jobs 1 and 4 leave the same tables" same_tables "$tmp/fail.1" "$tmp/fail.4"
else
	skip "failed commit: mdb_dump not installed (lmdb-utils)"
fi
tap_done
