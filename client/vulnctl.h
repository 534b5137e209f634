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
int vulnctl_watch (VulnctlGlobal *global, int argc, char **argv);

/* ---- database commands (vulnctl-NAME.c) ---------------------------------- */
int vulnctl_show (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_list (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_search (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_cve (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_affected (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_check (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_export (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_stats (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_log (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_status (VulnctlGlobal *global, int argc, char **argv);
int vulnctl_reindex (VulnctlGlobal *global, int argc, char **argv);

/* vulnctl-db.c: shared by the database commands. */
#include <json-glib/json-glib.h>
#include "export.h"
#include "store.h"

/* Open the database (read-only unless WRITABLE); prints the error. */
VulndStore *vulnctl_open_store (VulnctlGlobal *global, const char *command,
                                gboolean writable);
void vulnctl_print_json (JsonNode *node);
/* OBJECT's array member NAME, NULL when absent or not an array. */
JsonArray *vulnctl_member_array (JsonObject *object, const char *name);
void vulnctl_print_object (JsonObject *object);
void vulnctl_print_objects (GPtrArray *objects);
/* An aligned text table: row 0 is the header, each row a GStrv. */
typedef GPtrArray VulnctlTable;
VulnctlTable *vulnctl_table_new (const char *const *header);
void vulnctl_table_add (VulnctlTable *table, ...); /* one const char* per column */
void vulnctl_table_print (VulnctlTable *table);
void vulnctl_print_record_table (GPtrArray *records);
/* vulnctl-affected.c: matching shared with check.  HITS hold VulnctlHit,
 * which borrow from RECORDS and the arguments: keep those longer. */
typedef struct _VulnctlHit VulnctlHit;
GPtrArray *vulnctl_hits_new (void);
GPtrArray *vulnctl_all_records (VulnctlGlobal *global, const char *command);
guint vulnctl_match_records (GPtrArray *records, const VulndPackage *package, GPtrArray *hits);
void vulnctl_print_hits (GPtrArray *hits, gboolean with_package);
void vulnctl_print_hits_json (GPtrArray *hits);
/* Print the records FILTER selects; exit status 1 when there are none. */
int vulnctl_run_list (VulnctlGlobal *global, const char *command,
                      const VulndStoreFilter *filter);

#endif
