#!/bin/sh
# tests/demo.sh RUNDIR - the embedded default of ./bootstrap.sh run:
# vulnd in the foreground on RUNDIR/maildir and RUNDIR/db, then the
# project's sample advisories delivered one by one so alerts show up.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
run=${1:-$top/run}
# Each demo starts afresh, so every sample raises its alert again.
rm -rf "$run/maildir" "$run/db"
mkdir -p "$run/maildir/new" "$run/maildir/cur" "$run/maildir/tmp"

if ! "$top/daemon/vulnd" --help 2>&1 | grep -q -- '--demo'; then
	# Until the service mode exists: print what each sample yields.
	for f in "$top"/tests/fixtures/mail/*.eml; do
		echo "== $(basename "$f")"
		"$top/client/vulnctl" parse "$f"
	done
	exit 0
fi

"$top/daemon/vulnd" --foreground --demo "$run" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT INT TERM
sleep 1
n=0
for f in "$top"/tests/fixtures/mail/*.eml; do
	n=$((n + 1))
	name="$(date +%s).demo$n.$(hostname)"
	cp "$f" "$run/maildir/tmp/$name"
	mv "$run/maildir/tmp/$name" "$run/maildir/new/$name"
	echo "demo: delivered $(basename "$f")" >&2
	sleep 2
done
echo "demo: all samples delivered; vulnd keeps watching $run/maildir (Ctrl-C to stop)" >&2
wait "$pid"
