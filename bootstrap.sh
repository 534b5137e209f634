#!/bin/sh
# bootstrap.sh [build|run|check] - install what vulnd needs on Debian 12,
# build it in the tree, then run the demo or the whole test suite.
#
#   build  install packages when missing, autoreconf/configure/make as needed
#   run    build, then the live demo: vulnd on ./run (maildir + database),
#          the project's sample advisories delivered one by one, alerts printed
#   check  build, then `make check`; ends with "N passed, N failed"
set -eu

cd "$(dirname "$0")"
action=${1:-build}

# Build and test dependencies, by Debian package name.
PACKAGES="build-essential autoconf automake pkg-config
 libglib2.0-dev libgmime-3.0-dev libjson-glib-dev liblmdb-dev lmdb-utils
 libetpan-dev libgnutls28-dev gnutls-bin libsystemd-dev systemd
 gnupg gpgconf python3 python3-yaml python3-jsonschema
 dovecot-imapd dovecot-core dbus openssl mandoc time valgrind hyperfine
 clang libclang-rt-dev"

say() { printf 'bootstrap: %s\n' "$*" >&2; }

install_packages() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		say "need root to install packages (run as root, or install:$missing)"
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# Don't let package scripts start services (dovecot) on this machine:
	# the tests start their own.
	own_policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		own_policy=1
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2
	[ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
}

build() {
	install_packages
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		say "autoreconf"
		autoreconf -fi >&2
	fi
	if [ ! -f Makefile ] || [ configure -nt config.status ]; then
		say "configure"
		./configure -q ${VULND_CONFIGURE_FLAGS:-} >&2
	fi
	make -j"$(nproc)" >&2
}

# "N passed, N failed" from the automake .trs files of the last run.
summarize() {
	find tests -name '*.trs' -exec cat {} + 2>/dev/null | awk '
		/^:test-result: (PASS|XFAIL)/ { p++ }
		/^:test-result: (FAIL|XPASS|ERROR)/ { f++ }
		/^:test-result: SKIP/ { s++ }
		END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
}

case "$action" in
build)
	build
	;;
run)
	build
	exec tests/demo.sh "${VULND_RUN_DIR:-$PWD/run}"
	;;
check)
	build
	rc=0
	make -j"$(nproc)" check >&2 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 200 test-suite.log >&2 || true
	fi
	summarize
	exit "$rc"
	;;
*)
	echo "usage: $0 [build|run|check]" >&2
	exit 2
	;;
esac
