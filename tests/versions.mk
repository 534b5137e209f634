# tests for versions: version text -> ranges, code names, version ordering.
check_PROGRAMS += tests/test-ranges tests/test-version
tests_test_ranges_SOURCES = tests/test-ranges.c
tests_test_ranges_CFLAGS = $(TESTS_CFLAGS)
tests_test_ranges_LDADD = $(INGEST_LIBS) $(DB_LIBS)
tests_test_version_SOURCES = tests/test-version.c
tests_test_version_CFLAGS = $(TESTS_CFLAGS)
tests_test_version_LDADD = $(DB_LIBS)
TESTS += tests/test-ranges tests/test-version

EXTRA_DIST += tests/fuzz/seeds/version

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-version
tests_fuzz_fuzz_version_SOURCES = tests/fuzz/fuzz-version.c
tests_fuzz_fuzz_version_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_version_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_version_LDADD = $(INGEST_LIBS) $(DB_LIBS)
endif
