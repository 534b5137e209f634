#!/bin/sh
# vulnctl's fast query path: the query binary loads no GMime/GpgME/sd-bus
# (parse, reindex and watch run in vulnctl-helper, exec'd in place), and
# `affected`, which reads only the product index's records, answers exactly
# what matching every record answers (`check` still scans them all), and
# the tables of list/cve, read from the writer's summaries, say what the
# full records say.
# Data: the real-mail corpus when present (every era's products), else the
# project's own fixtures.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
HELPER="$(dirname "$VULNCTL")/vulnctl-helper"

if command -v readelf >/dev/null 2>&1; then
	readelf -d "$VULNCTL" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' >"$tmp/needed"
	check "vulnctl needs json-glib and LMDB" sh -c "grep -q '^libjson-glib' '$tmp/needed' && grep -q '^liblmdb' '$tmp/needed'"
	check "vulnctl loads no GMime, GpgME or libsystemd" sh -c "! grep -Eq '^lib(gmime|gpgme|systemd)' '$tmp/needed'"
else
	skip "readelf missing: NEEDED libraries not checked"
	skip "readelf missing: NEEDED libraries not checked"
fi
check "vulnctl-helper is built beside vulnctl" test -x "$HELPER"
check "vulnctl parse runs through the helper" sh -c "'$VULNCTL' --json parse '$top_srcdir/tests/fixtures/mail/03-ossa-2023-style.eml' | grep -q '\"id\" : \"OSSA-2099-003\"'"
check "vulnctl --help still lists parse and watch" sh -c "'$VULNCTL' --help | grep -q '^  parse' && '$VULNCTL' --help | grep -q '^  watch'"
"$HELPER" --db "$db" show OSSA-2099-003 >/dev/null 2>&1
check "vulnctl-helper refuses query commands (2)" test $? -eq 2

if [ -d "$VULND_CORPUS/mail" ]; then
	mail="$VULND_CORPUS/mail"; what="corpus"
else
	mail="$top_srcdir/tests/fixtures/mail"; what="fixtures"
fi
check "import the $what" sh -c "'$VULND' import -q --db '$db' '$mail' >/dev/null"

# Every product name of the database, as published.
"$VULNCTL" --db "$db" --json list | python3 -c '
import json, sys
names = set()
for r in json.load(sys.stdin):
    for p in r.get("affected-products") or []:
        if p.get("product"):
            names.add(p["product"])
print("\n".join(sorted(names)))' >"$tmp/products"
check "the database has products" test -s "$tmp/products"

# ids PRODUCT VERSION: "id/result ..." of the hits of `affected`.
ids() {
	"$VULNCTL" --db "$db" --json affected "$1" "$2" | python3 -c '
import json, sys; print(" ".join(h["id"] + "/" + h["result"] for h in json.load(sys.stdin)))'
}
# Each product through `affected` (one process each) and all of them at
# once through `check` (a pip freeze list), then compared per product.
n=0
while read -r product; do
	for version in 2013.1 21.1.0; do
		n=$((n + 1))
		printf '%s\n%s\n' "$product" "$version" >"$tmp/name.$n"
		"$VULNCTL" --db "$db" --json affected "$product" "$version" >"$tmp/affected.$n"
		printf '%s==%s\n' "$product" "$version"
	done
done <"$tmp/products" >"$tmp/freeze.txt"
"$VULNCTL" --db "$db" --json check "$tmp/freeze.txt" >"$tmp/check.json"
python3 - "$tmp" "$n" >"$tmp/compare" <<'EOF'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
def key(hits):
    return [(h["id"], h["result"], h.get("range", "")) for h in hits]
by_package = {}
for h in json.load(open(tmp + "/check.json")):
    by_package.setdefault((h["package"], h["version"]), []).append(h)
differ, hits = [], 0
for i in range(1, n + 1):
    name, version = open("%s/name.%d" % (tmp, i)).read().split("\n")[:2]
    mine = key(json.load(open("%s/affected.%d" % (tmp, i))))
    hits += bool(mine)
    if mine != key(by_package.get((name, version), [])):
        differ.append(name + "@" + version)
print(hits, " ".join(differ) or "none")
EOF
read -r hits differ <"$tmp/compare"
check "affected (product index) = check (every record), $n queries: ${differ} differ" test "$differ" = none
check "some of those queries had hits ($hits)" test "$hits" -gt 0

# Spellings the product matching accepts find the same advisories.
first=$(grep -E '^[a-z]+$' "$tmp/products" | head -n 1)
if [ -n "$first" ]; then
	want=$(ids "$first" 2013.1)
	upper=$(echo "$first" | tr a-z A-Z)
	check "affected $upper = affected $first" test "$(ids "$upper" 2013.1)" = "$want"
	check "affected python-$first = affected $first" test "$(ids "python-$first" 2013.1)" = "$want"
else
	skip "no plain product name to spell differently"
	skip "no plain product name to spell differently"
fi
# table QUERY...: the ID/DATE/KIND/TITLE table rendered from --json QUERY
# (full records), as vulnctl_table_print lays it out.
table() {
	"$VULNCTL" --db "$db" --json "$@" | python3 -c '
import json, sys
rows = [["ID", "DATE", "KIND", "TITLE"]] + [[r.get(k) if isinstance(r.get(k), str) else ""
        for k in ("id", "date", "kind", "title")] for r in json.load(sys.stdin)]
w = [max(len(r[c]) for r in rows) for c in range(4)]
for r in rows:
    print("".join(r[c].ljust(w[c] + 2) for c in range(3)) + r[3])'
}
cve=$("$VULNCTL" --db "$db" --json list | python3 -c '
import json, sys
print(next((v["cve-id"] for r in json.load(sys.stdin) for v in r.get("vulnerabilities") or []
            if v.get("cve-id")), "CVE-2099-0001"))')
for q in "list" "list --kind ossn" "list --since 2015 --until 2019" "cve $cve"; do
	# shellcheck disable=SC2086 # the query is words on purpose
	"$VULNCTL" --db "$db" $q >"$tmp/summary-table" 2>/dev/null
	# shellcheck disable=SC2086
	table $q >"$tmp/record-table"
	check "$q: the summaries' table = the records' ($(wc -l <"$tmp/record-table") lines)" \
		cmp -s "$tmp/summary-table" "$tmp/record-table"
done

check "affected: an unknown product has no hit (0)" sh -c "'$VULNCTL' --db '$db' affected no-such-product 1.0 >/dev/null"

tap_done
