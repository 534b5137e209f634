/* vulnctl.c - the vulnd client: command dispatch.  The commands that need
 * GMime or sd-bus run in vulnctl-helper (see vulnctl-main.h). */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <unistd.h>

#include "vulnctl-main.h"

static const VulnctlCommand commands[] = {
	{ "show", vulnctl_show, NULL },
	{ "list", vulnctl_list, NULL },
	{ "search", vulnctl_search, NULL },
	{ "cve", vulnctl_cve, NULL },
	{ "affected", vulnctl_affected, NULL },
	{ "check", vulnctl_check, NULL },
	{ "export", vulnctl_export, NULL },
	{ "stats", vulnctl_stats, NULL },
	{ "log", vulnctl_log, NULL },
	{ "status", vulnctl_status, NULL },
};

/* Run by vulnctl-helper (only their names matter here). */
static const VulnctlCommand helper_commands[] = {
	{ "parse", NULL, NULL },
	{ "reindex", NULL, NULL },
	{ "watch", NULL, NULL },
};

/* The helper beside this executable (the build tree, or a bin/ that holds
 * both), else the installed one. */
static char *
helper_path (void)
{
	g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

	if (self) {
		g_autofree char *dir = g_path_get_dirname (self);
		char *path = g_build_filename (dir, VULNCTL_HELPER_NAME, NULL);

		if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
			return path;
		g_free (path);
	}
	return g_build_filename (VULNCTL_HELPERDIR, VULNCTL_HELPER_NAME, NULL);
}

/* Replace this process with the helper: same PID, arguments, streams. */
static int
exec_helper (char **argv)
{
	g_autofree char *path = helper_path ();

	execv (path, argv);
	fprintf (stderr, "vulnctl: cannot run %s: %s\n", path, g_strerror (errno));
	return VULNCTL_ERROR;
}

int
main (int argc, char **argv)
{
	VulnctlGlobal global = { 0 };
	const VulnctlCommand *command;
	int status = VULNCTL_OK;
	int i;

	setlocale (LC_ALL, "");
	i = vulnctl_parse_global (argc, argv, &global, &status);
	if (i < 0)
		goto out;
	if (vulnctl_find_command (helper_commands, G_N_ELEMENTS (helper_commands), argv[i])) {
		vulnctl_global_clear (&global);
		return exec_helper (argv);
	}
	command = vulnctl_find_command (commands, G_N_ELEMENTS (commands), argv[i]);
	if (command) {
		status = command->run (&global, argc - i, argv + i);
		goto out;
	}
	fprintf (stderr, "vulnctl: unknown command '%s'\n", argv[i]);
	vulnctl_usage (stderr);
	status = VULNCTL_USAGE;
out:
	vulnctl_global_clear (&global);
	return status;
}
