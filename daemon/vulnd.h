/* vulnd.h - entry points of the vulnd binary's modes. */
#ifndef VULND_DAEMON_H
#define VULND_DAEMON_H

/* daemon.c: the service (sources, store, notifications) on one sd-event loop. */
int vulnd_daemon_main (int argc, char **argv);
/* import.c: "vulnd import PATH...", backfill without alerts. */
int vulnd_import_main (int argc, char **argv);

#endif
