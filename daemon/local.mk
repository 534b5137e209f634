sbin_PROGRAMS += daemon/vulnd
daemon_vulnd_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(SYSTEMD_CFLAGS) $(ETPAN_CFLAGS) $(GNUTLS_CFLAGS)
daemon_vulnd_SOURCES = \
	daemon/vulnd.h \
	daemon/vulnd.c \
	daemon/config.h \
	daemon/daemon.c

include daemon/import.mk
include daemon/imap.mk

daemon_vulnd_LDADD = $(INGEST_LIBS) $(DB_LIBS) $(SYSTEMD_LIBS)
