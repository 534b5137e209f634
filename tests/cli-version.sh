#!/bin/sh
# Both binaries answer --version with the package version.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
check "vulnd --version" sh -c "'$VULND' --version | grep -q '^vulnd [0-9]'"
check "vulnctl --version" sh -c "'$VULNCTL' --version | grep -q '^vulnctl [0-9]'"
check "vulnctl without a command is a usage error (2)" sh -c "'$VULNCTL' >/dev/null 2>&1; test \$? -eq 2"
tap_done
