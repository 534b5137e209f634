sbin_PROGRAMS += daemon/vulnd
# daemon/config.h shadows the autoconf config.h for "config.h" includes from
# daemon/*.c (same directory first): force the autoconf one in explicitly.
daemon_vulnd_CFLAGS = -include $(top_builddir)/config.h $(AM_CFLAGS) $(GMIME_CFLAGS) $(SYSTEMD_CFLAGS) $(ETPAN_CFLAGS) $(GNUTLS_CFLAGS)
daemon_vulnd_SOURCES = \
	daemon/vulnd.h \
	daemon/vulnd.c \
	daemon/config.h \
	daemon/config.c \
	daemon/daemon.c \
	daemon/dbus.h \
	daemon/dbus.c \
	daemon/notify.h \
	daemon/notify.c \
	daemon/watch-maildir.h \
	daemon/watch-maildir.c

include daemon/import.mk
include daemon/imap.mk

daemon_vulnd_LDADD = $(INGEST_LIBS) $(DB_LIBS) $(SYSTEMD_LIBS)
