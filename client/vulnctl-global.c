/* vulnctl-global.c - global options, the database path and per-command
 * option parsing: shared by vulnctl and vulnctl-helper. */
#include "config.h"

#include <string.h>

#include "vulnctl-main.h"

/* The command list of `vulnctl --help`, whichever executable runs it. */
static const struct {
	const char *name, *summary;
} command_help[] = {
	{ "parse", "print the records a message yields (no database)" },
	{ "show", "one advisory (--revision N, --history)" },
	{ "list", "advisories by kind, product, date" },
	{ "search", "advisories whose title or description holds TEXT" },
	{ "cve", "advisories of a CVE" },
	{ "affected", "is PRODUCT VERSION affected? (exit 1: yes)" },
	{ "check", "advisories applying to a package list (exit 1: some)" },
	{ "export", "the whole database as JSON, CSV or OSV" },
	{ "stats", "counts by year, product, kind, reporter affiliation" },
	{ "log", "the changes log" },
	{ "status", "the database: path, schema, counts, last change" },
	{ "reindex", "re-extract every stored message with this version" },
	{ "watch", "follow vulnd's alerts on D-Bus (--bus ADDRESS, --json)" },
};

void
vulnctl_usage (FILE *out)
{
	fprintf (out, "Usage: vulnctl [--db DIR] [--json] COMMAND [ARGS...]\n\nCommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS (command_help); i++)
		fprintf (out, "  %-10s %s\n", command_help[i].name, command_help[i].summary);
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

static void
set_option (char **dst, const char *value)
{
	g_free (*dst);
	*dst = g_strdup (value);
}

/* Global options stop at the first word that is not one of them, so each
 * command parses its own options with GOptionContext. */
int
vulnctl_parse_global (int argc, char **argv, VulnctlGlobal *global, int *status)
{
	gboolean version = FALSE;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp (a, "--json") == 0)
			global->json = TRUE;
		else if (strcmp (a, "--version") == 0)
			version = TRUE;
		else if (strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0) {
			vulnctl_usage (stdout);
			*status = VULNCTL_OK;
			return -1;
		} else if ((strcmp (a, "--db") == 0 || strcmp (a, "--config") == 0) && i + 1 < argc)
			set_option (a[2] == 'd' ? &global->db_path : &global->config, argv[++i]);
		else if (g_str_has_prefix (a, "--db="))
			set_option (&global->db_path, a + 5);
		else if (g_str_has_prefix (a, "--config="))
			set_option (&global->config, a + 9);
		else if (a[0] == '-') {
			fprintf (stderr, "vulnctl: unknown option %s\n", a);
			vulnctl_usage (stderr);
			*status = VULNCTL_USAGE;
			return -1;
		} else
			break;
	}
	if (version) {
		printf ("vulnctl %s\n", PACKAGE_VERSION);
		*status = VULNCTL_OK;
		return -1;
	}
	if (i >= argc) {
		vulnctl_usage (stderr);
		*status = VULNCTL_USAGE;
		return -1;
	}
	return i;
}

void
vulnctl_global_clear (VulnctlGlobal *global)
{
	g_clear_pointer (&global->db_path, g_free);
	g_clear_pointer (&global->config, g_free);
}

const VulnctlCommand *
vulnctl_find_command (const VulnctlCommand *commands, gsize n, const char *name)
{
	for (gsize c = 0; c < n; c++)
		if (strcmp (name, commands[c].name) == 0)
			return &commands[c];
	return NULL;
}
