# store (LMDB) and queries
db_libvulnd_db_a_SOURCES += db/store.h \
	db/store-private.h \
	db/store-query.h \
	db/store.c \
	db/store-commit.c \
	db/store-read.c \
	db/store-summary.c
