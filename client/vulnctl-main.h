/* vulnctl-main.h - what the two vulnctl executables share.
 *
 * Query commands must start fast, so `vulnctl` itself links only GLib,
 * json-glib and LMDB.  The commands that need GMime/GpgME (parse,
 * reindex) or sd-bus (watch) live in a helper executable, vulnctl-helper,
 * that `vulnctl` execs in place (same PID, same arguments): their libraries
 * are then never loaded by the queries. */
#ifndef VULNCTL_MAIN_H
#define VULNCTL_MAIN_H

#include <stdio.h>

#include "vulnctl.h"

#define VULNCTL_HELPER_NAME "vulnctl-helper"

/* Parse the global options of ARGV into GLOBAL.  Returns the index of the
 * command word, or -1 when main must return *STATUS (--help, --version,
 * a usage error). */
int vulnctl_parse_global (int argc, char **argv, VulnctlGlobal *global, int *status);
void vulnctl_global_clear (VulnctlGlobal *global);
/* The entry of the N COMMANDS named NAME, or NULL. */
const VulnctlCommand *vulnctl_find_command (const VulnctlCommand *commands, gsize n,
                                            const char *name);
void vulnctl_usage (FILE *out);

#endif
