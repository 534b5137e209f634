# tests for ingest: mail parsing (GMime) and OpenPGP verification
check_PROGRAMS += tests/mailview
tests_mailview_SOURCES = tests/mailview.c
tests_mailview_CFLAGS = $(TESTS_CFLAGS)
tests_mailview_LDADD = $(INGEST_LIBS)

check_PROGRAMS += tests/test-flowed
tests_test_flowed_SOURCES = tests/test-flowed.c
tests_test_flowed_CFLAGS = $(TESTS_CFLAGS)
tests_test_flowed_LDADD = $(INGEST_LIBS)
TESTS += tests/test-flowed

check_PROGRAMS += tests/test-mime
tests_test_mime_SOURCES = tests/test-mime.c
tests_test_mime_CFLAGS = $(TESTS_CFLAGS)
tests_test_mime_LDADD = $(INGEST_LIBS)
TESTS += tests/test-mime

TESTS += tests/signature.sh
dist_check_SCRIPTS += tests/signature.sh

TESTS += tests/corpus-signatures.sh
dist_check_SCRIPTS += tests/corpus-signatures.sh

# the backfill sources: maildir, mbox (plain, gzip), directories, stop
check_PROGRAMS += tests/test-sources
tests_test_sources_SOURCES = tests/test-sources.c tests/test-util.h
tests_test_sources_CFLAGS = $(TESTS_CFLAGS)
tests_test_sources_LDADD = $(INGEST_LIBS)
TESTS += tests/test-sources
