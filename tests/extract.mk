# tests for extract/ (classification, OSSA extraction, text helpers)
check_PROGRAMS += tests/test-text tests/test-classify tests/test-ossa
tests_test_text_SOURCES = tests/test-text.c
tests_test_text_CFLAGS = $(TESTS_CFLAGS)
tests_test_text_LDADD = $(INGEST_LIBS) $(DB_LIBS)
tests_test_classify_SOURCES = tests/test-classify.c
tests_test_classify_CFLAGS = $(TESTS_CFLAGS)
tests_test_classify_LDADD = $(INGEST_LIBS) $(DB_LIBS)
tests_test_ossa_SOURCES = tests/test-ossa.c
tests_test_ossa_CFLAGS = $(TESTS_CFLAGS)
tests_test_ossa_LDADD = $(INGEST_LIBS) $(DB_LIBS)
TESTS += tests/test-text tests/test-classify tests/test-ossa
