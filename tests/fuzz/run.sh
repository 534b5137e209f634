#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [TARGET...] - build the libFuzzer targets with
# clang, ASan and UBSan in a copy of the tree, then run each TARGET (parse,
# config, version, imap; default all) for SECONDS (default 60), one at a time on
# one core.  Prints executions and findings per target; exits 1 when a
# target found something, keeping the input that did it.
#
# The source tree is left as it is: the copy, the build, the working
# corpora and any crashing inputs live under $VULND_FUZZ_DIR (default a
# fresh directory in $TMPDIR, removed afterwards unless something was
# found).  Reusing one VULND_FUZZ_DIR rebuilds only what changed and keeps
# growing the corpora between runs.
#
# Seeds: tests/fuzz/seeds/TARGET (dictionary: tests/fuzz/TARGET.dict); for
# parse also the mail fixtures and, when present, the real-mail corpus $VULND_CORPUS/mail (default
# ../shared/corpus next to the tree).  Extra libFuzzer options can be given
# in $VULND_FUZZ_FLAGS (e.g. "-jobs=2 -workers=2").
set -eu

say() { printf 'fuzz: %s\n' "$*" >&2; }

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-parse config version imap}
case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS] [parse|config|version|imap...]" >&2; exit 2 ;;
esac

CC=${CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	say "$CC not found: install the Debian packages clang libclang-rt-dev"
	exit 2
fi
# libFuzzer and the sanitizer runtimes are a package of their own.
probe=$(mktemp "${TMPDIR:-/tmp}/vulnd-fuzz-probe-XXXXXX")
if ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
	"$CC" -fsanitize=fuzzer,address,undefined -x c - -o "$probe" 2>/dev/null; then
	rm -f "$probe"
	say "$CC cannot link libFuzzer: install the Debian package libclang-rt-dev"
	exit 2
fi
rm -f "$probe"

if [ -n "${VULND_FUZZ_DIR:-}" ]; then
	work=$VULND_FUZZ_DIR
	mkdir -p "$work"
	own_work=
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/vulnd-fuzz-XXXXXX")
	own_work=1
fi
work=$(cd "$work" && pwd)

# The tree is configured in place by bootstrap.sh, which rules out a VPATH
# build from it: copy what git knows of (tracked and new, not ignored).
copy_source() {
	mkdir -p "$work/src"
	(cd "$top" && git ls-files --cached --others --exclude-standard |
		while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
		tar -cf - -T - | tar -xf - -C "$work/src")
	if [ ! -x "$work/src/configure" ] || [ "$work/src/configure.ac" -nt "$work/src/configure" ]; then
		say "autoreconf"
		(cd "$work/src" && autoreconf -fi >/dev/null 2>&1)
	fi
}

build() {
	mkdir -p "$work/build"
	cd "$work/build"
	if [ ! -f Makefile ]; then
		say "configure (CC=$CC)"
		"$work/src/configure" -q --enable-fuzzing CC="$CC" \
			CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
			>configure.out 2>&1 || { cat configure.out >&2; return 1; }
	fi
	progs=""
	for t in $targets; do progs="$progs tests/fuzz/fuzz-$t"; done
	say "make$progs"
	# shellcheck disable=SC2086
	make -j"$(nproc)" $progs >make.out 2>&1 || { tail -n 40 make.out >&2; return 1; }
}

corpus=${VULND_CORPUS:-$top/../shared/corpus}

seed_dirs() {
	printf '%s\n' "$top/tests/fuzz/seeds/$1"
	if [ "$1" = parse ]; then
		printf '%s\n' "$top/tests/fixtures/mail"
		[ -d "$corpus/mail" ] && printf '%s\n' "$corpus/mail"
	fi
	return 0
}

# The logs that count: JOBS/fuzz-N.log when there are any, else MAIN.
counted_logs() {
	main=$1 jobs=$2
	set -- "$jobs"/fuzz-*.log
	[ -f "$1" ] || set -- "$main"
	printf '%s\n' "$@"
}

# libFuzzer's last "stat::number_of_executed_units" line of each LOG,
# summed.  With -jobs=N the work is done by N processes, each with a log of
# its own (JOBS/fuzz-0.log ...), which the main log repeats as each job
# ends: then only the job logs count.
executions() {
	for f in $(counted_logs "$1" "$2"); do
		sed -n 's/^stat::number_of_executed_units: *//p' "$f" | tail -n 1
	done | awk '{ n += $1; k++ } END { if (k) print n }'
}

# Stopped by SIGINT with nothing found: libFuzzer says "run interrupted" in
# the log of each process it stopped (the job logs with -jobs=N, whose
# parent then exits with its own status, not 72) and no log has a report.
interrupted() {
	# shellcheck disable=SC2046
	set -- $(counted_logs "$1" "$2")
	grep -q 'libFuzzer: run interrupted' "$@" &&
		! grep -q -E '^==[0-9]+==ERROR|runtime error|deadly signal|ALARM' "$@"
}

run_target() {
	t=$1
	bin=$work/build/tests/fuzz/fuzz-$t
	mkdir -p "$work/corpus/$t" "$work/artifacts"
	log=$work/fuzz-$t.log
	# libFuzzer writes the logs of -jobs=N workers to the current directory
	jobs=$work/jobs-$t
	rm -rf "$jobs"
	mkdir -p "$jobs"
	dict=
	if [ -f "$top/tests/fuzz/$t.dict" ]; then dict=-dict=$top/tests/fuzz/$t.dict; fi
	rc=0
	# shellcheck disable=SC2046,SC2086
	(cd "$jobs" &&
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	exec "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
		$dict ${VULND_FUZZ_FLAGS:-} "$work/corpus/$t" $(seed_dirs "$t")) >"$log" 2>&1 || rc=$?
	n=$(executions "$log" "$jobs")
	found=$(find "$work/artifacts" -name "$t-*" -type f | wc -l)
	printf '%-8s %12s executions  %d findings  (corpus %d inputs)\n' \
		"$t" "${n:-?}" "$found" "$(find "$work/corpus/$t" -type f | wc -l)"
	# 72: libFuzzer's exit code when stopped by SIGINT (-interrupted_exitcode)
	if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ] &&
	   { [ "$rc" -eq 72 ] || interrupted "$log" "$jobs"; }; then
		say "$t: interrupted, nothing found"
		return 0
	fi
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		cat "$log" "$jobs"/fuzz-*.log 2>/dev/null |
			grep -E -A30 '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|ALARM' | head -n 60 >&2 || true
		say "$t: see $log; inputs kept in $work/artifacts"
		return 1
	fi
	return 0
}

copy_source
build
failed=0
for t in $targets; do
	run_target "$t" || failed=1
done
if [ "$failed" -ne 0 ]; then
	exit 1
fi
if [ -n "$own_work" ]; then
	rm -rf "$work"
fi
exit 0
