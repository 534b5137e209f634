# libvulnd-db: records, versions, the LMDB store, queries, exports.
# Never includes GMime.
noinst_LIBRARIES += db/libvulnd-db.a
db_libvulnd_db_a_SOURCES = \
	db/vulnd-db.h \
	db/record.c \
	db/version.h \
	db/version.c \
	db/regex-jit.h

include db/store.mk
include db/export.mk

DB_LIBS = db/libvulnd-db.a $(LMDB_LIBS) $(JSON_LIBS) $(GLIB_LIBS)
