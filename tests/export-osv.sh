#!/bin/sh
# OSV export validated against tests/osv-export.schema.json (our own schema
# of the OSV fields vulnd emits) with python3-jsonschema: the invented
# fixtures, then every record the corpus yields (SKIP when absent).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
TOOL="$top_builddir/tests/test-export"
SCHEMA="$top_srcdir/tests/osv-export.schema.json"
FIXTURES="$top_srcdir/tests/fixtures/export/records.json"

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	skip "python3-jsonschema not installed"
	tap_done
	exit 0
fi
tmp=$(mktmp)
trap 'rm -rf "$tmp"' EXIT

# validate SCHEMA FILE...: one line per invalid file, status 1 if any
validate() {
	python3 - "$@" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema)
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print("%s: %s at %s" % (path, e.message, list(e.path)), file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
}

"$TOOL" --osv-from-json "$FIXTURES" "$tmp/fixtures"
check "fixtures export to one OSV file per advisory" \
	test "$(ls "$tmp/fixtures" | wc -l)" -eq 3
check "fixture OSV files are valid against the schema" validate "$SCHEMA" "$tmp"/fixtures/*.json

# The schema must bite: a range mixing fixed and last_affected, a local
# time and an upper-case package name are each refused.
python3 - "$tmp/fixtures/OSSA-2099-001.json" "$tmp/bad" <<'PY'
import json, sys, copy, os
doc = json.load(open(sys.argv[1]))
os.makedirs(sys.argv[2])
def write(name, d):
    json.dump(d, open(os.path.join(sys.argv[2], name), "w"))
d = copy.deepcopy(doc)
d["affected"][0]["ranges"][0]["events"].append({"last_affected": "20.2.0"})
write("mixed.json", d)
d = copy.deepcopy(doc); d["modified"] = "2099-03-16T17:30:05+02:00"; write("tz.json", d)
d = copy.deepcopy(doc); d["affected"][0]["package"]["name"] = "Frobnicator"; write("case.json", d)
PY
for f in mixed tz case; do
	if validate "$SCHEMA" "$tmp/bad/$f.json" 2>/dev/null; then
		not_ok "schema rejects the $f variant"
	else
		ok "schema rejects the $f variant"
	fi
done

if [ ! -d "$VULND_CORPUS/mail" ]; then
	skip "corpus not found at $VULND_CORPUS"
	tap_done
	exit $?
fi
if [ ! -x "$VULNCTL" ]; then
	skip "vulnctl not built at $VULNCTL"
	tap_done
	exit $?
fi
# Every record the corpus yields (look-alikes yield none) exports as valid OSV.
for m in "$VULND_CORPUS"/mail/*.eml; do
	"$VULNCTL" parse --json "$m" > "$tmp/$(basename "$m").json" 2>/dev/null || echo "$m" >> "$tmp/parse-failed"
done
python3 - "$tmp" <<'PY' > "$tmp/records.json"
import json, sys, glob
out = []
for p in sorted(glob.glob(sys.argv[1] + "/*.eml.json")):
    try:
        out += [r for r in json.load(open(p)) if isinstance(r, dict) and r.get("id")]
    except ValueError:
        pass
print(json.dumps(out))
PY
n=$(python3 -c 'import json,sys; print(len({r["id"] for r in json.load(open(sys.argv[1]))}))' "$tmp/records.json")
check "the corpus yields records to export ($n advisories)" test "$n" -gt 0
"$TOOL" --osv-from-json "$tmp/records.json" "$tmp/corpus"
check "corpus export writes one OSV file per advisory" \
	test "$(ls "$tmp/corpus" | wc -l)" -eq "$n"
check "corpus OSV files are valid against the schema" validate "$SCHEMA" "$tmp"/corpus/*.json
"$TOOL" --csv-from-json "$tmp/records.json" > "$tmp/corpus.csv"
check "corpus CSV reads back with 10 fields on every row" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))
assert rows[0][0] == "id" and len(rows) > 1
assert all(len(r) == 10 for r in rows), [r for r in rows if len(r) != 10][:1]
' "$tmp/corpus.csv"
tap_done
