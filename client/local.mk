bin_PROGRAMS += client/vulnctl
client_vulnctl_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
client_vulnctl_SOURCES = \
	client/vulnctl.h \
	client/vulnctl.c \
	client/vulnctl-parse.c
client_vulnctl_LDADD = $(INGEST_LIBS) $(DB_LIBS)
