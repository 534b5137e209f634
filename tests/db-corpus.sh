#!/bin/sh
# Import the real-mail corpus, then hold the database to the published
# truth (read here, by the test only): each announced advisory is stored
# once, `cve` finds it under each of its CVEs, and `affected` says yes inside
# every machine-spec range and no at each fixed version.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

if [ ! -d "$VULND_CORPUS/mail" ] || [ ! -d "$VULND_CORPUS/truth" ]; then
	skip "corpus not found at $VULND_CORPUS (set VULND_CORPUS)"
	tap_done; exit 0
fi
tmp=$(mktmp); trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
keys=""
[ -d "$VULND_CORPUS/keys" ] && keys="--keyring $VULND_CORPUS/keys"
if "$VULND" import --quiet --db "$db" $keys "$VULND_CORPUS/mail" >"$tmp/summary" 2>"$tmp/err"; then
	ok "import the corpus: $(cat "$tmp/summary")"
else
	not_ok "import the corpus: $(cat "$tmp/err")"
	tap_done; exit 1
fi
check "a second import adds nothing" sh -c "'$VULND' import --quiet --db '$db' $keys '$VULND_CORPUS/mail' | grep -q ' 0 added, 0 updated'"

VULNCTL="$VULNCTL" DB="$db" python3 - "$VULND_CORPUS" "$_tap_n" <<'EOF'
import json, os, re, subprocess, sys
import yaml

corpus, n = sys.argv[1], int(sys.argv[2])
vulnctl, db = os.environ["VULNCTL"], os.environ["DB"]

def run(*args):
    p = subprocess.run([vulnctl, "--db", db, "--json", *args], capture_output=True, text=True)
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip() else None)

aliases = {}
with open(os.path.join(corpus, "truth", "aliases.tsv")) as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            mail, truth = line.split("\t")[:2]
            aliases[mail.strip()] = truth.strip()

def truth_for(mail):
    name = aliases.get(mail)
    if name is None:
        m = re.match(r"(OSSA-\d{4}-\d{3}|OSSN-\d{4})", mail)
        if not m:
            return None, None
        name = m.group(1)
    kind = "ossn" if name.startswith("OSSN") else "ossa"
    path = os.path.join(corpus, "truth", kind, name + ".yaml")
    if not os.path.exists(path):
        return None, None
    with open(path) as f:
        return re.match(r"(OSSA-\d{4}-\d{3}|OSSN-\d{4})", name).group(1), yaml.safe_load(f)

def vt(v):
    return tuple(int(x) for x in v.split("."))

def clauses(spec):
    """Machine specs only: '<A, >=B <C, ==D'; None when prose."""
    out = []
    parts = str(spec).split(",")
    # "<A, >=B, <C": a comma typo inside a range, ambiguous: not tested.
    if any(re.match(r"\s*<", q) for q in parts[1:]):
        return None
    for part in parts:
        ops = re.findall(r"(<=|>=|==|<|>)\s*([0-9]+(?:\.[0-9]+)*)", part)
        if not ops or re.sub(r"(<=|>=|==|<|>)\s*[0-9.]+", "", part).strip():
            return None
        out.append(ops)
    return out

def inside(ops, v):
    for op, b in ops:
        a, b = vt(v), vt(b)
        if not {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b}[op]:
            return False
    return True

def probes(cl):
    """(version, expected affected?) pairs for one spec."""
    res = []
    for ops in cl:
        for op, b in ops:
            if op in ("==", ">=", "<="):
                res.append(b)
            if op == "<":
                parts = vt(b)
                if parts[-1] > 0:
                    res.append(".".join(map(str, parts[:-1] + (parts[-1] - 1,))))
                res.append(b)
    return [(v, any(inside(ops, v) for ops in cl)) for v in dict.fromkeys(res)]

code, listed = run("list")
ids = [r["id"] for r in (listed or [])]
expected, mailtext = {}, {}
for mail in sorted(os.listdir(os.path.join(corpus, "mail"))):
    if mail.startswith("neg-") or not mail.endswith(".eml"):
        continue
    i, truth = truth_for(mail)
    if i:
        expected[i] = truth
        with open(os.path.join(corpus, "mail", mail), errors="replace") as f:
            mailtext[i] = mailtext.get(i, "") + f.read()

failed = 0
def point(good, desc):
    global n, failed
    n += 1
    print(("ok" if good else "not ok"), n, "-", desc)
    failed += not good

for i, truth in sorted(expected.items()):
    problems = []
    if ids.count(i) != 1:
        problems.append(f"stored {ids.count(i)} times")
    for v in truth.get("vulnerabilities") or []:
        m = re.search(r"CVE-\d{4}-\d{4,}", str(v.get("cve-id") if isinstance(v, dict) else ""))
        cve = m.group(0) if m else None
        # Truth may name a CVE assigned after the mail went out ("PENDING").
        if not cve or cve not in mailtext[i]:
            continue
        c, recs = run("cve", cve)
        if not recs or i not in [r["id"] for r in recs]:
            problems.append(f"cve {cve} does not find it")
    for p in truth.get("affected-products") or []:
        cl = clauses(p.get("version", ""))
        if not cl:
            continue
        for v, want in probes(cl):
            c, hits = run("affected", p["product"], v)
            got = any(h["id"] == i and h["result"] == "affected" for h in hits or [])
            if got != want:
                problems.append(f"affected {p['product']} {v}: {'yes' if got else 'no'}, truth says {'yes' if want else 'no'}")
    point(not problems, f"{i}" + (": " + "; ".join(problems[:4]) if problems else ""))
point(len(set(ids)) == len(ids), f"no id listed twice ({len(ids)} advisories)")
print(f"1..{n}")
sys.exit(1 if failed else 0)
EOF
# The python part numbered its points and printed the plan.
exit $?
