# tests for db: the LMDB store, import, and the vulnctl query commands
check_PROGRAMS += tests/test-store
tests_test_store_SOURCES = tests/test-store.c tests/test-util.h
tests_test_store_CFLAGS = $(TESTS_CFLAGS)
tests_test_store_LDADD = $(DB_LIBS)
TESTS += tests/test-store
TESTS += tests/db-cli.sh tests/db-corpus.sh tests/db-crash.sh tests/db-concurrency.sh \
	tests/db-import-parallel.sh
dist_check_SCRIPTS += tests/db-cli.sh tests/db-corpus.sh tests/db-crash.sh tests/db-concurrency.sh \
	tests/db-import-parallel.sh
# benchmark (not a test): sh tests/bench/bench-import.sh BUILDDIR
EXTRA_DIST += tests/bench/bench-import.sh docs/store.md
