# Benchmarks: built on demand (make tests/bench/bench-parse), never run by
# make check; they print figures and never pass or fail on time.
EXTRA_PROGRAMS = tests/bench/bench-parse
tests_bench_bench_parse_SOURCES = tests/bench/bench-parse.c
tests_bench_bench_parse_CFLAGS = $(TESTS_CFLAGS)
tests_bench_bench_parse_LDADD = $(INGEST_LIBS) $(DB_LIBS)
CLEANFILES += tests/bench/bench-parse
EXTRA_DIST += tests/bench
