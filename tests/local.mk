# Each area keeps its tests in its own fragment.
TESTS_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
EXTRA_DIST += tests/fixtures tests/lib.sh tests/sanitize.sh tests/valgrind.sh tests/valgrind.supp

include tests/ingest.mk
include tests/extract.mk
include tests/ossn.mk
include tests/versions.mk
include tests/db.mk
include tests/export.mk
include tests/daemon.mk
include tests/imap.mk
include tests/cli.mk
include tests/bench/local.mk
include tests/fuzz/local.mk
include tests/malformed.mk
include tests/query.mk
include tests/soak.mk
