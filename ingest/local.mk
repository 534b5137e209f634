# libvulnd-ingest: mail parsing (GMime), signature checks, sources, extract/.
# Never includes LMDB.
noinst_LIBRARIES += ingest/libvulnd-ingest.a
ingest_libvulnd_ingest_a_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(ETPAN_CFLAGS) $(GNUTLS_CFLAGS)
ingest_libvulnd_ingest_a_SOURCES = \
	ingest/vulnd-ingest.h \
	ingest/ingest-private.h \
	ingest/mime.c \
	ingest/keyring.c \
	ingest/flowed.c \
	ingest/charset.c \
	ingest/ingest.c

include ingest/extract/local.mk
include ingest/sources.mk
include ingest/imap.mk

# extract/ uses the release-series table of db/version.c (no LMDB in it)
INGEST_LIBS = ingest/libvulnd-ingest.a db/libvulnd-db.a $(GMIME_LIBS) $(JSON_LIBS) $(GLIB_LIBS) $(ETPAN_LIBS) $(GNUTLS_LIBS)
