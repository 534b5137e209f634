bin_PROGRAMS += client/vulnctl
client_vulnctl_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(SYSTEMD_CFLAGS)
client_vulnctl_SOURCES = \
	client/vulnctl.h \
	client/vulnctl.c \
	client/vulnctl-parse.c \
	client/vulnctl-db.c \
	client/vulnctl-show.c \
	client/vulnctl-list.c \
	client/vulnctl-search.c \
	client/vulnctl-cve.c \
	client/vulnctl-affected.c \
	client/vulnctl-check.c \
	client/vulnctl-export.c \
	client/vulnctl-stats.c \
	client/vulnctl-log.c \
	client/vulnctl-status.c \
	client/vulnctl-reindex.c
client_vulnctl_LDADD = $(INGEST_LIBS) $(DB_LIBS) $(SYSTEMD_LIBS)
client_vulnctl_SOURCES += client/vulnctl-watch.c
