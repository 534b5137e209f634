# tests for export: JSON/CSV/OSV exports and package lists
check_PROGRAMS += tests/test-export tests/test-packages
tests_test_export_SOURCES = tests/test-export.c tests/test-util.h
tests_test_export_CFLAGS = $(TESTS_CFLAGS)
tests_test_export_LDADD = $(DB_LIBS)
tests_test_packages_SOURCES = tests/test-packages.c
tests_test_packages_CFLAGS = $(TESTS_CFLAGS)
tests_test_packages_LDADD = $(DB_LIBS)
TESTS += tests/test-export tests/test-packages
TESTS += tests/export-osv.sh
dist_check_SCRIPTS += tests/export-osv.sh
EXTRA_DIST += tests/osv-export.schema.json
