/* vulnctl.c - the vulnd client: command dispatch and global options. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"


static const VulnctlCommand commands[] = {
	{ "parse", vulnctl_parse, "print the records a message yields (no database)" },
	{ "show", vulnctl_show, "one advisory (--revision N, --history)" },
	{ "list", vulnctl_list, "advisories by kind, product, date" },
	{ "search", vulnctl_search, "advisories whose title or description holds TEXT" },
	{ "cve", vulnctl_cve, "advisories of a CVE" },
	{ "affected", vulnctl_affected, "is PRODUCT VERSION affected? (exit 1: yes)" },
	{ "check", vulnctl_check, "advisories applying to a package list (exit 1: some)" },
	{ "export", vulnctl_export, "the whole database as JSON, CSV or OSV" },
	{ "stats", vulnctl_stats, "counts by year, product, kind, reporter affiliation" },
	{ "log", vulnctl_log, "the changes log" },
	{ "status", vulnctl_status, "the database: path, schema, counts, last change" },
	{ "reindex", vulnctl_reindex, "re-extract every stored message with this version" },
	{ "watch", vulnctl_watch, "follow vulnd's alerts on D-Bus (--bus ADDRESS, --json)" },
};

static void
usage (FILE *out)
{
	fprintf (out, "Usage: vulnctl [--db DIR] [--json] COMMAND [ARGS...]\n\nCommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
		fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf (out, "\nSee vulnctl(1).\n");
}

const char *
vulnctl_db_path (VulnctlGlobal *global)
{
	const char *env;

	if (global->db_path)
		return global->db_path;
	env = g_getenv ("VULND_DB");
	if (env && *env)
		return env;
	{
		g_autoptr (GKeyFile) kf = g_key_file_new ();
		const char *conf = global->config ? global->config
		                                  : VULND_SYSCONFDIR "/vulnd/vulnd.conf";
		if (g_key_file_load_from_file (kf, conf, G_KEY_FILE_NONE, NULL)) {
			char *db = g_key_file_get_string (kf, "vulnd", "database", NULL);
			if (db) {
				global->db_path = db;
				return db;
			}
		}
	}
	return VULND_LOCALSTATEDIR "/lib/vulnd";
}

gboolean
vulnctl_parse_options (const char *command, const char *params,
                       GOptionEntry *entries, int *argc, char ***argv)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *title = g_strdup_printf ("%s %s", command, params ? params : "");
	g_autoptr (GOptionContext) ctx = g_option_context_new (title);

	g_option_context_set_help_enabled (ctx, TRUE);
	if (entries)
		g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, argc, argv, &error)) {
		fprintf (stderr, "vulnctl %s: %s\n", command, error->message);
		return FALSE;
	}
	return TRUE;
}

int
main (int argc, char **argv)
{
	VulnctlGlobal global = { 0 };
	gboolean version = FALSE;
	int i;

	setlocale (LC_ALL, "");
	/* Global options stop at the first word that is not one of them, so each
	 * command parses its own options with GOptionContext. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp (a, "--json") == 0)
			global.json = TRUE;
		else if (strcmp (a, "--version") == 0)
			version = TRUE;
		else if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0) {
			usage (stdout);
			return VULNCTL_OK;
		} else if ((strcmp (a, "--db") == 0 || strcmp (a, "--config") == 0) && i + 1 < argc) {
			char **dst = a[2] == 'd' ? &global.db_path : &global.config;
			g_free (*dst);
			*dst = g_strdup (argv[++i]);
		} else if (g_str_has_prefix (a, "--db=")) {
			g_free (global.db_path);
			global.db_path = g_strdup (a + 5);
		} else if (g_str_has_prefix (a, "--config=")) {
			g_free (global.config);
			global.config = g_strdup (a + 9);
		} else if (a[0] == '-') {
			fprintf (stderr, "vulnctl: unknown option %s\n", a);
			usage (stderr);
			return VULNCTL_USAGE;
		} else
			break;
	}
	if (version) {
		printf ("vulnctl %s\n", PACKAGE_VERSION);
		return VULNCTL_OK;
	}
	if (i >= argc) {
		usage (stderr);
		return VULNCTL_USAGE;
	}
	for (gsize c = 0; c < G_N_ELEMENTS (commands); c++) {
		if (strcmp (argv[i], commands[c].name) == 0) {
			int rc = commands[c].run (&global, argc - i, argv + i);
			g_free (global.db_path);
			g_free (global.config);
			return rc;
		}
	}
	fprintf (stderr, "vulnctl: unknown command '%s'\n", argv[i]);
	usage (stderr);
	return VULNCTL_USAGE;
}
