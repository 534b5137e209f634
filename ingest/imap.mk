# IMAP source (libetpan, GnuTLS certificate checks)
ingest_libvulnd_ingest_a_SOURCES += \
	ingest/imap.h \
	ingest/imap.c \
	ingest/imap-guard.h \
	ingest/imap-guard.c \
	ingest/imap-utf7.h \
	ingest/imap-utf7.c
