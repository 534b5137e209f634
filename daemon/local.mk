sbin_PROGRAMS += daemon/vulnd
daemon_vulnd_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(SYSTEMD_CFLAGS)
daemon_vulnd_SOURCES = \
	daemon/vulnd.h \
	daemon/vulnd.c \
	daemon/daemon.c \
	daemon/import.c
daemon_vulnd_LDADD = $(INGEST_LIBS) $(DB_LIBS) $(SYSTEMD_LIBS)
