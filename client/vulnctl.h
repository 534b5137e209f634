/* vulnctl.h - sub-commands of vulnctl, one file each (vulnctl-NAME.c). */
#ifndef VULNCTL_H
#define VULNCTL_H

#include <glib.h>

/* Exit statuses, as documented in vulnctl(1). */
enum {
	VULNCTL_OK = 0,
	VULNCTL_FOUND_NOTHING = 1, /* also: "affected" for affected/check */
	VULNCTL_AFFECTED = 1,
	VULNCTL_USAGE = 2,
	VULNCTL_ERROR = 3,
};

/* Options common to every sub-command, parsed before it. */
typedef struct {
	char *db_path;   /* --db, else $VULND_DB, else vulnd.conf, else default */
	gboolean json;   /* --json */
	char *config;    /* --config */
} VulnctlGlobal;

typedef int (*VulnctlCommandFn) (VulnctlGlobal *global, int argc, char **argv);

typedef struct {
	const char *name;
	VulnctlCommandFn run;
	const char *summary;
} VulnctlCommand;

/* Resolve the database directory from the global options. */
const char *vulnctl_db_path (VulnctlGlobal *global);

/* Parse ARGV with ENTRIES; on a usage error prints it and returns FALSE. */
gboolean vulnctl_parse_options (const char *command, const char *params,
                                GOptionEntry *entries, int *argc, char ***argv);

int vulnctl_parse (VulnctlGlobal *global, int argc, char **argv);

#endif
