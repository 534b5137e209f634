# store (LMDB) and queries
db_libvulnd_db_a_SOURCES += db/store.h
