# tests for ossn: vulnd_extract_ossn() on invented notes of each era
check_PROGRAMS += tests/test-ossn
tests_test_ossn_SOURCES = tests/test-ossn.c
tests_test_ossn_CFLAGS = $(TESTS_CFLAGS) -I$(top_srcdir)/ingest/extract
tests_test_ossn_LDADD = $(INGEST_LIBS) $(DB_LIBS)
TESTS += tests/test-ossn
