# tests for daemon: configuration, service (real dbus-daemon), crash
# recovery, bursts, hooks.
EXTRA_DIST += tests/daemon-lib.sh
TESTS += tests/daemon-config.sh
dist_check_SCRIPTS += tests/daemon-config.sh
TESTS += tests/daemon-service.sh
dist_check_SCRIPTS += tests/daemon-service.sh
TESTS += tests/daemon-recovery.sh tests/daemon-hooks.sh
dist_check_SCRIPTS += tests/daemon-recovery.sh tests/daemon-hooks.sh
check_PROGRAMS += tests/test-config
tests_test_config_SOURCES = tests/test-config.c daemon/config.c
tests_test_config_CFLAGS = $(TESTS_CFLAGS)
tests_test_config_LDADD = $(GLIB_LIBS)
TESTS += tests/test-config
