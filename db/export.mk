# exports (JSON, CSV, OSV), package lists, affected matching
db_libvulnd_db_a_SOURCES += \
	db/export.h \
	db/export.c \
	db/packages.c
