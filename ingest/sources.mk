# file sources: maildir and mbox readers (+ their header)
ingest_libvulnd_ingest_a_SOURCES += \
	ingest/sources.h \
	ingest/maildir.c \
	ingest/mbox.c
