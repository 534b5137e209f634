# vulnctl links only GLib, json-glib and LMDB so that queries start fast;
# the commands needing GMime/GpgME or sd-bus live in vulnctl-helper, which
# vulnctl execs (client/vulnctl-main.h).
bin_PROGRAMS += client/vulnctl
pkglibexec_PROGRAMS = client/vulnctl-helper
VULNCTL_CPPFLAGS = $(AM_CPPFLAGS) -DVULNCTL_HELPERDIR='"$(pkglibexecdir)"'
client_vulnctl_CPPFLAGS = $(VULNCTL_CPPFLAGS)
client_vulnctl_CFLAGS = $(AM_CFLAGS)
client_vulnctl_SOURCES = \
	client/vulnctl.h \
	client/vulnctl-main.h \
	db/store-query.h \
	client/vulnctl.c \
	client/vulnctl-global.c \
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
	client/vulnctl-status.c
# show and list use extract/'s id and date helpers: pure GLib code, so the
# link pulls no GMime symbol and --as-needed drops nothing we need.
client_vulnctl_LDADD = ingest/libvulnd-ingest.a $(DB_LIBS)
# Every library is BIND_NOW, so start-up is dominated by symbol lookups that
# walk the load order: libc and GLib first makes most of them hit at once
# (-9% instructions for `vulnctl --version`).
client_vulnctl_LDFLAGS = $(AM_LDFLAGS) -Wl,--push-state,--no-as-needed -lc $(GLIB_LIBS) -Wl,--pop-state

client_vulnctl_helper_CPPFLAGS = $(VULNCTL_CPPFLAGS)
client_vulnctl_helper_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(SYSTEMD_CFLAGS)
client_vulnctl_helper_SOURCES = \
	client/vulnctl.h \
	client/vulnctl-main.h \
	client/vulnctl-helper.c \
	client/vulnctl-global.c \
	client/vulnctl-db.c \
	client/vulnctl-parse.c \
	client/vulnctl-reindex.c \
	client/vulnctl-watch.c
client_vulnctl_helper_LDADD = $(INGEST_LIBS) $(DB_LIBS) $(SYSTEMD_LIBS)
