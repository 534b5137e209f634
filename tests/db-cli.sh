#!/bin/sh
# vulnctl's database commands as whole programs: results, exit statuses
# (0 ok, 1 nothing found / affected, 2 usage, 3 error), --json validity.
# Data: the project's own invented fixtures (tests/fixtures/mail).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
V() { "$VULNCTL" --db "$db" "$@"; }
# status STATUS CMD...: exit status of the command is STATUS
status() { want=$1; shift; "$@" >"$tmp/out" 2>"$tmp/err"; test $? -eq "$want"; }
json_ok() { "$VULNCTL" --db "$db" --json "$@" 2>/dev/null | python3 -m json.tool >/dev/null; }

check "import the fixtures" sh -c "'$VULND' import -q --db '$db' '$top_srcdir/tests/fixtures/mail' | grep -q '^6 messages read, 4 added, 1 updated, 0 unchanged, 1 ignored, 0 quarantined'"
check "importing again finds only duplicates" sh -c "'$VULND' import -q --db '$db' '$top_srcdir/tests/fixtures/mail' | grep -q ' 6 duplicates'"
check "import of a missing path fails (3)" status 3 "$VULND" import -q --db "$db" "$tmp/nowhere"
check "import without a path is a usage error (2)" status 2 "$VULND" import --db "$db"

check "show finds an advisory" sh -c "'$VULNCTL' --db '$db' show OSSA-2099-003 | grep -q 'Cross-project volume snapshot access'"
check "show accepts a loose id spelling" status 0 V show "ossa 2099-003"
check "show of an unknown id exits 1" status 1 V show OSSA-2099-999
check "show of a non-id is a usage error (2)" status 2 V show banana
check "show --revision 1 of an erratum-updated advisory" sh -c "'$VULNCTL' --db '$db' --json show --revision 1 OSSA-2099-003 | grep -q '\"revision\" : 1'"
check "show --history lists two revisions" sh -c "test \$('$VULNCTL' --db '$db' --json show --history OSSA-2099-003 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 2"
check "show --revision 9 exits 1" status 1 V show --revision 9 OSSA-2099-003

check "list prints every advisory" sh -c "test \$('$VULNCTL' --db '$db' list | wc -l) -eq 5"
check "list --kind ossn" sh -c "'$VULNCTL' --db '$db' list --kind ossn | grep -q OSSN-9901"
check "list --kind bogus is a usage error" status 2 V list --kind bogus
check "list --since 2020 --until 2023-06" sh -c "test \"\$('$VULNCTL' --db '$db' --json list --since 2020 --until 2023-06 | python3 -c 'import json,sys; print(\" \".join(r[\"id\"] for r in json.load(sys.stdin)))')\" = OSSA-2099-003"
check "list --product cinder" sh -c "'$VULNCTL' --db '$db' list --product Cinder | grep -q OSSA-2099-003"
check "list --product nothing exits 1" status 1 V list --product no-such-product
check "list --since garbage is a usage error" status 2 V list --since yesterday

check "search in titles" sh -c "'$VULNCTL' --db '$db' search 'SNAPSHOT access' | grep -q OSSA-2099-003"
check "search with no match exits 1" status 1 V search zzzz-no-such-text
check "cve finds an advisory" sh -c "'$VULNCTL' --db '$db' cve cve-2099-1004 | grep -q OSSA-2099-003"
check "cve unknown exits 1" status 1 V cve CVE-2099-9999
check "cve malformed is a usage error" status 2 V cve 2099-1004

check "affected: inside a range exits 1" status 1 V affected cinder 21.1.0
check "affected names the matching range" sh -c "'$VULNCTL' --db '$db' --json affected cinder 21.1.0 | grep -q '\"range\" : \">=21.0.0 <21.2.1\"'"
check "affected: a fixed version exits 0" status 0 V affected cinder 21.2.1
check "affected: the == version" status 1 V affected cinder 22.0.0
check "affected: an unknown product exits 0" status 0 V affected no-such-product 1.0
check "affected without a version is a usage error" status 2 V affected cinder
check "affected: a Debian package version (1)" status 1 V affected python3-cinder 2:21.1.0-0ubuntu1
check "... says which upstream version it read" grep -q "package version 2:21.1.0-0ubuntu1 is upstream version 21.1.0" "$tmp/err"
check "... and --json gives both versions" sh -c "'$VULNCTL' --db '$db' --json affected python3-cinder 2:21.1.0-0ubuntu1 2>/dev/null | python3 -c 'import json,sys; h=json.load(sys.stdin)[0]; sys.exit(not (h[\"package-version\"] == \"2:21.1.0-0ubuntu1\" and h[\"version\"] == \"21.1.0\"))'"
check "check (dpkg -l) prints the version as the list writes it" sh -c "printf 'ii  python3-cinder  2:21.1.0-0ubuntu1  all  Cinder\n' | '$VULNCTL' --db '$db' check - | grep -q '^python3-cinder *2:21.1.0-0ubuntu1 *OSSA-2099-003'"
check "affected: a fixed RPM package version exits 0" status 0 V affected openstack-cinder 21.2.1-1.el9
check "affected: a garbage version is a usage error" status 2 V affected cinder 2:

printf 'cinder==21.0.5\nglance===2014.2.2\nrequests==2.31.0\n' >"$tmp/freeze.txt"
check "check a pip freeze list: affected (1)" status 1 V check "$tmp/freeze.txt"
check "check reports the cinder advisory" grep -q OSSA-2099-003 "$tmp/out"
check "... and ends with the count of packages affected" sh -c "tail -n 1 '$tmp/out' | grep -qx '3 packages checked: 2 affected'"
printf 'cinder==22.0.1\n' >"$tmp/clean.txt"
check "check a clean list exits 0" status 0 V check "$tmp/clean.txt"
check "check from stdin (dpkg -l)" sh -c "printf 'ii  python3-cinder  2:21.1.0-0ubuntu1  all  Cinder\n' | '$VULNCTL' --db '$db' check - >/dev/null; test \$? -eq 1"
check "check from stdin (rpm -qa): affected (1)" sh -c "printf 'glibc-2.34-60.el9.x86_64\nopenstack-cinder-volume-21.1.0-1.el9.noarch\n' | '$VULNCTL' --db '$db' check - | grep -q 'openstack-cinder-volume.*OSSA-2099-003'"
check "check (rpm -qa): a fixed release exits 0" sh -c "printf 'openstack-cinder-21.2.1-1.el9.noarch\n' | '$VULNCTL' --db '$db' check - >/dev/null"
check "check (dpkg-query -W): affected (1)" sh -c "printf 'python3-cinder\t2:21.1.0-0ubuntu1\ncinder-backup\t\n' | '$VULNCTL' --db '$db' check - >/dev/null; test \$? -eq 1"
printf '[{"name": "cinder", "version": "21.1.0"}]\n' >"$tmp/pip.json"
check "check (pip list --format=json): affected (1)" status 1 V check "$tmp/pip.json"
check "... names the cinder advisory" grep -q '^cinder *21.1.0 *OSSA-2099-003' "$tmp/out"
printf '[{"name": "cinder",\n' >"$tmp/broken.json"
check "check of broken JSON exits 3" status 3 V check "$tmp/broken.json"
check "... saying it is no JSON" grep -q 'is JSON, and this is not' "$tmp/err"
check "check of a missing file exits 3" status 3 V check "$tmp/missing.txt"

check "export json is a JSON array of 4" sh -c "test \$('$VULNCTL' --db '$db' export --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 4"
check "export csv has a header and quoted rows" sh -c "'$VULNCTL' --db '$db' export --format csv --output '$tmp/x.csv' && head -1 '$tmp/x.csv' | grep -q '^id,' && python3 -c 'import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); sys.exit(len(rows) < 5)' '$tmp/x.csv'"
check "export osv writes one file per advisory" sh -c "'$VULNCTL' --db '$db' export --format osv --output '$tmp/osv' 2>/dev/null && test \$(ls '$tmp/osv' | wc -l) -eq 4 && python3 -m json.tool '$tmp/osv/OSSA-2099-003.json' >/dev/null"
check "export osv without --output is a usage error" status 2 V export --format osv
check "export --format xml is a usage error" status 2 V export --format xml

check "stats counts by year" sh -c "'$VULNCTL' --db '$db' stats | grep -q '^2023 '"
check "log lists five changes" sh -c "test \$('$VULNCTL' --db '$db' --json log | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 5"
check "log --since 4 lists one" sh -c "test \$('$VULNCTL' --db '$db' --json log --since 4 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 1"
check "log --since past the end exits 1" status 1 V log --since 99
check "status shows the counts" sh -c "'$VULNCTL' --db '$db' status | grep -q 'advisories    4 (3 OSSA, 1 OSSN)'"
check "reindex leaves every record unchanged" sh -c "'$VULNCTL' --db '$db' reindex | grep -q ' 0 added, 0 updated, 5 unchanged'"
check "reindex added no change entry" sh -c "test \$('$VULNCTL' --db '$db' --json log | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 5"

for cmd in "show OSSA-2099-003" "show --history OSSA-2099-003" "list" "search gadget" "cve CVE-2099-1003" \
           "affected cinder 21.1.0" "check $tmp/freeze.txt" "stats" "log" "status"; do
	check "--json $cmd is valid JSON" json_ok $cmd
done

check "a missing database exits 3" status 3 "$VULNCTL" --db "$tmp/none" list
check "... with a clear message" grep -q "no such database directory" "$tmp/err"
mkdir "$tmp/empty"
check "a directory without a database exits 3" status 3 "$VULNCTL" --db "$tmp/empty" status
check "... and is not created by a reader" test ! -e "$tmp/empty/data.mdb"
cp -r "$db" "$tmp/broken"
dd if=/dev/zero of="$tmp/broken/data.mdb" bs=4096 count=2 conv=notrunc 2>/dev/null
check "a corrupt data.mdb exits 3, no crash" status 3 "$VULNCTL" --db "$tmp/broken" list
check "... saying data.mdb is not usable" grep -q "data.mdb" "$tmp/err"
if [ "$(id -u)" -ne 0 ]; then
	cp -r "$db" "$tmp/locked"; chmod 0640 "$tmp/locked/lock.mdb"; chmod 0550 "$tmp/locked"
	check "no write access to lock.mdb: clear message" sh -c "'$VULNCTL' --db '$tmp/locked' list 2>&1 | grep -q 'permission denied on .*lock.mdb: are you in group'"
	chmod 0750 "$tmp/locked"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	chmod 0755 "$tmp"; cp -r "$db" "$tmp/locked"; chmod 0755 "$tmp/locked"; chmod 0644 "$tmp/locked/lock.mdb" "$tmp/locked/data.mdb"
	check "no write access to lock.mdb: clear message" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups '$VULNCTL' --db '$tmp/locked' list 2>&1 | grep -q 'permission denied on .*lock.mdb: are you in group'"
else
	skip "permission test needs a non-root user or setpriv"
fi
tap_done
