# libFuzzer targets (./configure CC=clang --enable-fuzzing; tests/fuzz/run.sh
# builds and runs them in a copy of the tree).  fuzz-version is registered in
# tests/versions.mk.
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/parse.dict \
	tests/fuzz/seeds/parse tests/fuzz/seeds/config tests/fuzz/seeds/imap \
	tests/fuzz/imap.dict

FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-parse tests/fuzz/fuzz-config
tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz-parse.c
tests_fuzz_fuzz_parse_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_parse_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_parse_LDADD = $(INGEST_LIBS) $(DB_LIBS)

# daemon/config.h shadows the autoconf config.h, as in daemon/local.mk.
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz-config.c daemon/config.c
tests_fuzz_fuzz_config_CFLAGS = -include $(top_builddir)/config.h $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDADD = $(GLIB_LIBS)

noinst_PROGRAMS += tests/fuzz/fuzz-imap
tests_fuzz_fuzz_imap_SOURCES = tests/fuzz/fuzz-imap.c
tests_fuzz_fuzz_imap_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_imap_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_imap_LDADD = $(INGEST_LIBS)
endif

# make check replays every seed and regression input (and, for parse, the
# mail fixtures and the real-mail corpus) through each target's checks,
# built with the ordinary compiler: no clang needed.
EXTRA_DIST += tests/fuzz/regress
check_PROGRAMS += tests/fuzz/fuzz-replay-parse tests/fuzz/fuzz-replay-config \
	tests/fuzz/fuzz-replay-version tests/fuzz/fuzz-replay-imap
TESTS += tests/fuzz/fuzz-replay-parse tests/fuzz/fuzz-replay-config \
	tests/fuzz/fuzz-replay-version tests/fuzz/fuzz-replay-imap

tests_fuzz_fuzz_replay_parse_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-parse.c
tests_fuzz_fuzz_replay_parse_CFLAGS = $(TESTS_CFLAGS) -DFUZZ_TARGET='"parse"' -DFUZZ_HAS_INIT -DFUZZ_REPLAY
tests_fuzz_fuzz_replay_parse_LDADD = $(INGEST_LIBS) $(DB_LIBS)

tests_fuzz_fuzz_replay_config_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-config.c daemon/config.c
tests_fuzz_fuzz_replay_config_CFLAGS = -include $(top_builddir)/config.h $(TESTS_CFLAGS) \
	-DFUZZ_TARGET='"config"' -DFUZZ_HAS_INIT
tests_fuzz_fuzz_replay_config_LDADD = $(GLIB_LIBS)

tests_fuzz_fuzz_replay_version_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-version.c
tests_fuzz_fuzz_replay_version_CFLAGS = $(TESTS_CFLAGS) -DFUZZ_TARGET='"version"'
tests_fuzz_fuzz_replay_version_LDADD = $(INGEST_LIBS) $(DB_LIBS)

tests_fuzz_fuzz_replay_imap_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz-imap.c
tests_fuzz_fuzz_replay_imap_CFLAGS = $(TESTS_CFLAGS) -DFUZZ_TARGET='"imap"' -DFUZZ_HAS_INIT
tests_fuzz_fuzz_replay_imap_LDADD = $(INGEST_LIBS)
