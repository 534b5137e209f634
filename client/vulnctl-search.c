/* vulnctl-search.c - "vulnctl search TEXT": title and description. */
#include <stdio.h>

#include "vulnctl.h"

int
vulnctl_search (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *text = NULL;
	VulndStoreFilter filter = { 0 };

	if (!vulnctl_parse_options ("search", "TEXT...", NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc < 2) {
		fprintf (stderr, "vulnctl search: no TEXT given\n");
		return VULNCTL_USAGE;
	}
	/* Several words are one phrase, as a shell user would expect. */
	text = g_strjoinv (" ", argv + 1);
	filter.text = text;
	return vulnctl_run_list (global, "search", &filter);
}
