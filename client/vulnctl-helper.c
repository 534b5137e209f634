/* vulnctl-helper.c - the vulnctl commands that need GMime/GpgME (parse,
 * reindex) or sd-bus (watch).  vulnctl execs it with its own arguments, so
 * the query commands never load those libraries. */
#include "config.h"

#include <locale.h>

#include "vulnctl-main.h"

static const VulnctlCommand commands[] = {
	{ "parse", vulnctl_parse, NULL },
	{ "reindex", vulnctl_reindex, NULL },
	{ "watch", vulnctl_watch, NULL },
};

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
	command = vulnctl_find_command (commands, G_N_ELEMENTS (commands), argv[i]);
	if (command) {
		status = command->run (&global, argc - i, argv + i);
		goto out;
	}
	fprintf (stderr, "vulnctl: '%s' is not a command of %s: run it through vulnctl\n",
	         argv[i], VULNCTL_HELPER_NAME);
	status = VULNCTL_USAGE;
out:
	vulnctl_global_clear (&global);
	return status;
}
