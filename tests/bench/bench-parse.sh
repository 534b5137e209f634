#!/bin/sh
# bench-parse.sh [N] - parse+extract rate vs GMime alone over a generated
# N-message list maildir (default 20,000, one in 50 an advisory), one core.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-20000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/vulnd-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
python3 "$top/tests/bench/gen-list-maildir.py" "$dir/md" "$n" 50
make -C "$top" -s tests/bench/bench-parse >/dev/null
taskset -c 0 "$top/tests/bench/bench-parse" "$dir/md" 3
