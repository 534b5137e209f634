#!/bin/sh
# tests/sanitize.sh [WORKDIR] - the whole `make check` built with ASan+UBSan.
#
# Copies the tracked (and untracked, not ignored) files of the repository to
# WORKDIR (default: a fresh temp dir), runs autoreconf, configure
# --enable-sanitizers and `make -j2 check` there, then prints the test
# summary and a closing "N passed, N failed" line.
#
# Every ASan/LSan report is written to a file under WORKDIR/san (log_path),
# not to stderr: vulnd runs in the background of the shell tests, and a
# report it writes on exit would otherwise be lost with the test's temp dir.
# UBSan ignores log_path when linked with ASan (GCC 12): its reports go to
# stderr and end the process with SIGABRT (abort_on_error), so that no test
# takes one for an ordinary exit status; the test logs are searched for
# them.  Each report counts as one failure, even when the test around it
# passed.  The work dir is removed on success unless VULND_KEEP=1.
#
# Environment: VULND_CORPUS (the real-mail corpus; default: the one next to
# this checkout), MAKEFLAGS_JOBS (default 2).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
top=$(git -C "$src" rev-parse --show-toplevel)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/vulnd-sanitize.XXXXXX")}
jobs=${MAKEFLAGS_JOBS:-2}
# The copy is elsewhere: point the corpus tests at this checkout's corpus.
VULND_CORPUS=${VULND_CORPUS:-$top/../shared/corpus}
export VULND_CORPUS

say() { printf 'sanitize: %s\n' "$*" >&2; }

copy_tree() {
	mkdir -p "$work/src"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		xargs -0 cp --parents -t "$work/src")
}

build() {
	(cd "$work/src" && autoreconf -fi >"$work/autoreconf.log" 2>&1 &&
		./configure -q --enable-sanitizers >"$work/configure.log" 2>&1 &&
		make -j"$jobs" >"$work/build.log" 2>&1)
}

run_checks() {
	mkdir -p "$work/san"
	# print_suppressions=0: a leak suppressed by a program's own
	# __lsan_default_suppressions() (fuzz-replay-imap: libetpan's) must
	# not leave a statistics-only report behind, which would count as one
	lsan="print_suppressions=0"
	[ -f "$work/src/tests/lsan.supp" ] &&
		lsan="suppressions=$work/src/tests/lsan.supp:$lsan"
	# abort_on_error: a report ends the process with SIGABRT, which no test
	# mistakes for a normal exit status.  G_SLICE: GLib 2.74 still has its
	# slice allocator, which hides leaked slices from LeakSanitizer.
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$work/san/asan" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1" \
	LSAN_OPTIONS="$lsan" \
	G_SLICE=always-malloc \
		make -C "$work/src" -j"$jobs" check >"$work/check.log" 2>&1
}

# test results from the .trs files, then the sanitizer reports
summarize() {
	find "$work/src/tests" -name '*.trs' -exec awk -v sub_dir="$work/src/" '
		/^:global-test-result:/ { r = $2; f = FILENAME; sub(sub_dir, "", f);
			sub(/\.trs$/, "", f); printf "%-6s %s\n", r, f }' {} + | sort -k2
	reports=$(find "$work/san" -type f | wc -l)
	for f in $(find "$work/san" -type f | sort); do
		say "report $f:"
		sed -n '1,40p' "$f" >&2
	done
	ub=$(find "$work/src/tests" -name '*.log' -exec grep -l 'runtime error:\|Sanitizer' {} + || true)
	for f in $ub; do
		say "report in $f:"
		grep -A20 'runtime error:\|Sanitizer' "$f" | sed -n '1,40p' >&2
		reports=$((reports + $(grep -c 'runtime error:\|ERROR: [A-Za-z]*Sanitizer' "$f")))
	done
	find "$work/src/tests" -name '*.trs' -exec cat {} + | awk -v reports="$reports" '
		/^:test-result: (PASS|XFAIL)/ { p++ }
		/^:test-result: (FAIL|XPASS|ERROR)/ { f++ }
		/^:test-result: SKIP/ { s++ }
		END { printf "sanitizer reports: %d\n", reports;
			printf "%d passed, %d failed, %d skipped\n", p, f + reports, s
			exit (f + reports) > 0 }'
}

start=$(date +%s)
say "work dir $work"
copy_tree
say "autoreconf, configure --enable-sanitizers, make"
if ! build; then
	say "build failed:"
	tail -n 50 "$work/build.log" "$work/configure.log" 2>/dev/null >&2 || true
	echo "0 passed, 1 failed"
	exit 1
fi
say "make check"
check_rc=0
run_checks || check_rc=$?
[ "$check_rc" -eq 0 ] || tail -n 60 "$work/check.log" >&2
rc=0
summarize || rc=1
[ "$check_rc" -eq 0 ] || rc=1
say "$(($(date +%s) - start)) s"
if [ "$rc" -eq 0 ] && [ "${VULND_KEEP:-0}" != 1 ] && [ $# -eq 0 ]; then
	rm -rf "$work"
else
	say "kept $work"
fi
exit "$rc"
