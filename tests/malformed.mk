# tests for malformed: hostile mail and forged advisories through vulnd
# import and a running vulnd (tests/malformed.sh, cases from
# tests/gen-malformed.py), and regression tests of the fixes they found.
EXTRA_DIST += tests/gen-malformed.py ingest/mail-damage.h
TESTS += tests/malformed.sh
dist_check_SCRIPTS += tests/malformed.sh
check_PROGRAMS += tests/test-malformed
tests_test_malformed_SOURCES = tests/test-malformed.c
tests_test_malformed_CFLAGS = $(TESTS_CFLAGS)
tests_test_malformed_LDADD = $(INGEST_LIBS) $(DB_LIBS)
TESTS += tests/test-malformed
