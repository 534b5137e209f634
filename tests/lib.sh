# tests/lib.sh - TAP helpers for shell tests, sourced by tests/*.sh.
# top_srcdir / top_builddir come from the make check environment.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
VULND="$top_builddir/daemon/vulnd"
VULNCTL="$top_builddir/client/vulnctl"
VULND_CORPUS="${VULND_CORPUS:-$top_srcdir/../shared/corpus}"
export VULND_CORPUS
_tap_n=0
_tap_failed=0
tap_plan() { echo "1..$1"; }
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - # SKIP $*"; }
# check DESCRIPTION COMMAND...: one test point from a command's status
check() { local d="$1"; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
tap_done() { echo "1..$_tap_n"; [ "$_tap_failed" -eq 0 ]; }
mktmp() { mktemp -d "${TMPDIR:-/tmp}/vulnd-test.XXXXXX"; }
