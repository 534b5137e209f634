#!/bin/sh
# Log compiler of make check: run a GTest program so that it speaks TAP.
prog=$1
shift
exec "$prog" --tap "$@"
