/* vulnctl-list.c - "vulnctl list [--kind K] [--product P] [--since D] [--until D]". */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "extract/extract.h"

/* A date option as YYYY-MM-DD; "2023" and "2023-05" widen to their span. */
static gboolean
normalize_date (const char *name, char **date, gboolean end)
{
	g_autoptr (GRegex) re = NULL;
	size_t n;

	if (!*date)
		return TRUE;
	re = g_regex_new ("^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", 0, 0, NULL);
	if (!g_regex_match (re, *date, 0, NULL)) {
		fprintf (stderr, "vulnctl list: --%s wants YYYY[-MM[-DD]], not '%s'\n", name, *date);
		return FALSE;
	}
	n = strlen (*date);
	if (n < 10) {
		char *full = g_strconcat (*date, n == 4 ? (end ? "-12-31" : "-01-01")
		                                        : (end ? "-31" : "-01"), NULL);
		g_free (*date);
		*date = full;
	}
	return TRUE;
}

int
vulnctl_list (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *kind = NULL, *product = NULL, *since = NULL, *until = NULL;
	GOptionEntry entries[] = {
		{ "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, "ossa or ossn", "KIND" },
		{ "product", 'p', 0, G_OPTION_ARG_STRING, &product, "affected product", "P" },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since, "published on or after", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until, "published on or before", "DATE" },
		{ NULL }
	};
	VulndStoreFilter filter = { 0 };

	if (!vulnctl_parse_options ("list", NULL, entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1) {
		fprintf (stderr, "vulnctl list: unexpected argument '%s'\n", argv[1]);
		return VULNCTL_USAGE;
	}
	if (kind && g_ascii_strcasecmp (kind, "ossa") != 0 && g_ascii_strcasecmp (kind, "ossn") != 0) {
		fprintf (stderr, "vulnctl list: --kind is ossa or ossn\n");
		return VULNCTL_USAGE;
	}
	if (!normalize_date ("since", &since, FALSE) || !normalize_date ("until", &until, TRUE))
		return VULNCTL_USAGE;
	filter.kind = kind;
	filter.product = product;
	filter.since = since;
	filter.until = until;
	return vulnctl_run_list (global, "list", &filter);
}
