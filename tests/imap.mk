# tests for imap: the IMAP source against a real Dovecot (tests/lib-dovecot.sh)
check_PROGRAMS += tests/test-imap
tests_test_imap_SOURCES = tests/test-imap.c daemon/source-imap.c daemon/source-imap.h
tests_test_imap_CFLAGS = $(TESTS_CFLAGS) $(SYSTEMD_CFLAGS)
tests_test_imap_LDADD = $(INGEST_LIBS) $(SYSTEMD_LIBS)
EXTRA_DIST += tests/lib-dovecot.sh
TESTS += tests/imap-tls.sh
dist_check_SCRIPTS += tests/imap-tls.sh
TESTS += tests/imap-idle.sh
dist_check_SCRIPTS += tests/imap-idle.sh
TESTS += tests/imap-reconnect.sh tests/imap-uidvalidity.sh tests/imap-noidle.sh
dist_check_SCRIPTS += tests/imap-reconnect.sh tests/imap-uidvalidity.sh tests/imap-noidle.sh
EXTRA_DIST += tests/bench/bench-imap.sh
TESTS += tests/imap-daemon.sh
dist_check_SCRIPTS += tests/imap-daemon.sh
TESTS += tests/imap-valgrind.sh
dist_check_SCRIPTS += tests/imap-valgrind.sh
# the literal-size guard under libetpan (ingest/imap-guard.c)
check_PROGRAMS += tests/test-imap-guard
tests_test_imap_guard_SOURCES = tests/test-imap-guard.c
tests_test_imap_guard_CFLAGS = $(TESTS_CFLAGS)
tests_test_imap_guard_LDADD = $(INGEST_LIBS)
TESTS += tests/test-imap-guard
# mailbox names in modified UTF-7 (ingest/imap-utf7.c), and one with a
# non-ASCII name SELECTed on the real Dovecot
check_PROGRAMS += tests/test-imap-utf7
tests_test_imap_utf7_SOURCES = tests/test-imap-utf7.c
tests_test_imap_utf7_CFLAGS = $(TESTS_CFLAGS)
tests_test_imap_utf7_LDADD = $(INGEST_LIBS)
TESTS += tests/test-imap-utf7
TESTS += tests/imap-mailbox-utf8.sh
dist_check_SCRIPTS += tests/imap-mailbox-utf8.sh
