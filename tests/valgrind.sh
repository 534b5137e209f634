#!/bin/sh
# tests/valgrind.sh [BUILDDIR] - the suite's GTest programs and the main
# command paths under valgrind memcheck.
#
#   GTest programs   every non-shell program of TESTS, with --tap
#   vulnctl parse    every corpus message (with the VMT keys), the fixtures
#   vulnd import     the corpus (twice: the duplicate path), the fixtures
#   vulnctl queries  show/list/search/cve/affected/check/export/stats/log/
#                    status/reindex on the fixture and corpus databases
#   vulnd            the service on a maildir: mail delivered, alerts, SIGTERM
#
# BUILDDIR is a plain (not --enable-sanitizers) build; by default the
# repository's files are copied to a temp dir and built there.  Each run
# is one test point; it fails on any memcheck error (invalid access,
# uninitialised value, definite leak: exit status 99) or on an unexpected
# exit status.  Ends with "N passed, N failed".  Memcheck logs are kept
# under the work dir when something fails (VULND_KEEP=1: always).
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
top=$(git -C "$src" rev-parse --show-toplevel 2>/dev/null || echo "$src")
VULND_CORPUS=${VULND_CORPUS:-$top/../shared/corpus}
work=$(mktemp -d "${TMPDIR:-/tmp}/vulnd-valgrind.XXXXXX")
vglogs="$work/vg"
mkdir -p "$vglogs"
passed=0
failed=0

say() { printf 'valgrind: %s\n' "$*" >&2; }

copy_and_build() {
	mkdir -p "$work/src"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		xargs -0 cp --parents -t "$work/src") &&
	(cd "$work/src" && autoreconf -fi >"$work/build.log" 2>&1 &&
		./configure -q >>"$work/build.log" 2>&1 &&
		make -j"${MAKEFLAGS_JOBS:-2}" >>"$work/build.log" 2>&1 &&
		make -j"${MAKEFLAGS_JOBS:-2}" check TESTS= >>"$work/build.log" 2>&1)
}

if [ $# -ge 1 ]; then
	build=$(cd "$1" && pwd)
	srcdir=$(sed -n 's/^abs_top_srcdir = //p' "$build/Makefile")
else
	say "building a plain copy in $work/src"
	copy_and_build || { tail -n 40 "$work/build.log" >&2; echo "0 passed, 1 failed"; exit 1; }
	build="$work/src"; srcdir="$work/src"
fi
if nm -D "$build/daemon/vulnd" 2>/dev/null | grep -q __asan_init; then
	say "$build is a sanitizer build: valgrind needs a plain one"
	echo "0 passed, 1 failed"; exit 1
fi
VULND="$build/daemon/vulnd"
VULNCTL="$build/client/vulnctl"

# Not GLib's slice allocator: it would hide leaked slices from memcheck.
G_SLICE=always-malloc G_DEBUG=gc-friendly
export G_SLICE G_DEBUG VULND_CORPUS
top_srcdir=$srcdir top_builddir=$build
export top_srcdir top_builddir

vg_n=0
# vg NAME EXPECTED-STATUSES COMMAND...: one test point.  EXPECTED-STATUSES
# is a space-separated list ("0", "0 1"); output goes to $work/out.NAME.
vg() {
	local name="$1" want="$2" rc t0; shift 2
	vg_n=$((vg_n + 1)); t0=$(date +%s)
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --error-exitcode=99 \
		--suppressions="$src/tests/valgrind.supp" \
		--log-file="$vglogs/$vg_n.%p" "$@" >"$work/out.$vg_n" 2>"$work/err.$vg_n"
	rc=$?
	case " $want " in
	*" $rc "*)
		passed=$((passed + 1)); echo "ok $vg_n - $name ($(($(date +%s) - t0)) s)" ;;
	*)
		failed=$((failed + 1))
		echo "not ok $vg_n - $name: exit status $rc (want $want)"
		[ "$rc" -eq 99 ] && cat "$vglogs/$vg_n".* | sed -n '1,60p' >&2
		[ "$rc" -ne 99 ] && sed -n '1,20p' "$work/err.$vg_n" >&2 ;;
	esac
}

# The non-shell tests of `make check`, from the Makefile itself.
gtest_programs() {
	printf 'print-tests:\n\t@echo $(TESTS)\n' |
		make -s -C "$build" -f Makefile -f - print-tests | tr ' ' '\n' | grep -v '\.sh$' | grep .
}

run_gtests() {
	for t in $(gtest_programs); do
		vg "$t" 0 "$build/$t" --tap
	done
}

run_parse() {
	vg "vulnctl parse: fixtures" "0 1" "$VULNCTL" parse "$srcdir"/tests/fixtures/mail/*.eml
	vg "vulnctl --json parse: fixtures" "0 1" "$VULNCTL" --json parse "$srcdir"/tests/fixtures/mail/*.eml
	if [ -d "$VULND_CORPUS/mail" ]; then
		vg "vulnctl --json parse --keyring: the corpus" "0 1" \
			"$VULNCTL" --json parse --keyring "$VULND_CORPUS/keys" "$VULND_CORPUS"/mail/*.eml
	else
		echo "ok - # SKIP corpus not found at $VULND_CORPUS"
	fi
}

run_import() {
	vg "vulnd import: fixtures" 0 "$VULND" import -q --db "$work/fdb" "$srcdir/tests/fixtures/mail"
	[ -d "$VULND_CORPUS/mail" ] || return 0
	vg "vulnd import --keyring: the corpus" 0 \
		"$VULND" import -q --db "$work/cdb" --keyring "$VULND_CORPUS/keys" "$VULND_CORPUS/mail"
	vg "vulnd import: the corpus again (duplicates)" 0 \
		"$VULND" import -q --db "$work/cdb" --keyring "$VULND_CORPUS/keys" "$VULND_CORPUS/mail"
}

run_queries() {
	local db="$work/fdb" json
	printf 'cinder==21.0.5\nglance===2014.2.2\nrequests==2.31.0\n' >"$work/freeze.txt"
	for json in "" --json; do
		vg "vulnctl ${json:+$json }show" 0 "$VULNCTL" --db "$db" $json show OSSA-2099-003
		vg "vulnctl ${json:+$json }show --history" 0 "$VULNCTL" --db "$db" $json show --history OSSA-2099-003
		vg "vulnctl ${json:+$json }show --revision 1" 0 "$VULNCTL" --db "$db" $json show --revision 1 OSSA-2099-003
		vg "vulnctl ${json:+$json }show: unknown id" 1 "$VULNCTL" --db "$db" $json show OSSA-2099-999
		vg "vulnctl ${json:+$json }list" 0 "$VULNCTL" --db "$db" $json list
		vg "vulnctl ${json:+$json }list --kind ossn --since 2000" 0 "$VULNCTL" --db "$db" $json list --kind ossn --since 2000
		vg "vulnctl ${json:+$json }search" 0 "$VULNCTL" --db "$db" $json search snapshot access
		vg "vulnctl ${json:+$json }cve" 0 "$VULNCTL" --db "$db" $json cve CVE-2099-1004
		vg "vulnctl ${json:+$json }affected" 1 "$VULNCTL" --db "$db" $json affected cinder 21.1.0
		vg "vulnctl ${json:+$json }check" 1 "$VULNCTL" --db "$db" $json check "$work/freeze.txt"
		vg "vulnctl ${json:+$json }stats" 0 "$VULNCTL" --db "$db" $json stats
		vg "vulnctl ${json:+$json }log" 0 "$VULNCTL" --db "$db" $json log
		vg "vulnctl ${json:+$json }status" 0 "$VULNCTL" --db "$db" $json status
	done
	vg "vulnctl list --kind bogus (usage error)" 2 "$VULNCTL" --db "$db" list --kind bogus
	vg "vulnctl on a missing database" 3 "$VULNCTL" --db "$work/none" list
	vg "vulnctl export json" 0 "$VULNCTL" --db "$db" export --format json --output "$work/x.json"
	vg "vulnctl export csv" 0 "$VULNCTL" --db "$db" export --format csv
	vg "vulnctl export osv" 0 "$VULNCTL" --db "$db" export --format osv --output "$work/osv"
	vg "vulnctl reindex" 0 "$VULNCTL" --db "$db" reindex
	[ -d "$work/cdb" ] || return 0
	db="$work/cdb"
	vg "corpus db: vulnctl --json list" 0 "$VULNCTL" --db "$db" --json list
	vg "corpus db: vulnctl stats" 0 "$VULNCTL" --db "$db" stats
	vg "corpus db: vulnctl affected nova 1.0" "0 1" "$VULNCTL" --db "$db" affected nova 1.0
	vg "corpus db: vulnctl export osv" 0 "$VULNCTL" --db "$db" export --format osv --output "$work/cosv"
	vg "corpus db: vulnctl reindex --keyring" 0 "$VULNCTL" --db "$db" reindex --keyring "$VULND_CORPUS/keys"
}

# wait_for SECONDS COMMAND...: poll every 100 ms until COMMAND succeeds.
wait_for() {
	local n=$(( $1 * 10 )); shift
	while [ "$n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

deliver() { cp "$1" "$2/tmp/$3" && mv "$2/tmp/$3" "$2/new/$3"; }

# The service in the background: started, fed the fixtures, stopped.
run_daemon() {
	local d="$work/daemon" pid rc
	mkdir -p "$d/md/new" "$d/md/cur" "$d/md/tmp"
	printf '[vulnd]\ndatabase = %s/db\n[maildir]\npath = %s/md\n[notify]\ndbus = none\n' \
		"$d" "$d" >"$d/vulnd.conf"
	vg_n=$((vg_n + 1))
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --error-exitcode=99 \
		--suppressions="$src/tests/valgrind.supp" --log-file="$vglogs/$vg_n.%p" \
		"$VULND" --foreground --config "$d/vulnd.conf" >"$d/log" 2>&1 &
	pid=$!
	if wait_for 120 grep -q 'vulnd: started' "$d/log"; then
		for m in 03-ossa-2023-style 04-ossa-2023-errata 05-ossn-style 06-not-an-advisory; do
			deliver "$srcdir/tests/fixtures/mail/$m.eml" "$d/md" "$m"
		done
		wait_for 120 grep -q '^ALERT new OSSN-9901' "$d/log" ||
			say "vulnd: no alert for OSSN-9901 within 120 s"
	fi
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"; rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^ALERT update OSSA-2099-003' "$d/log" &&
	   grep -q '^ALERT new OSSN-9901' "$d/log"; then
		passed=$((passed + 1)); echo "ok $vg_n - vulnd: maildir delivery, alerts, SIGTERM"
	else
		failed=$((failed + 1))
		echo "not ok $vg_n - vulnd: maildir delivery, alerts, SIGTERM: exit status $rc"
		sed -n '1,30p' "$d/log" >&2
		cat "$vglogs/$vg_n".* 2>/dev/null | sed -n '1,60p' >&2
	fi
}

start=$(date +%s)
run_gtests
run_parse
run_import
run_queries
run_daemon
say "$(($(date +%s) - start)) s under valgrind"
echo "1..$vg_n"
echo "$passed passed, $failed failed"
if [ "$failed" -eq 0 ] && [ "${VULND_KEEP:-0}" != 1 ]; then
	rm -rf "$work"
else
	say "kept $work"
fi
[ "$failed" -eq 0 ]
