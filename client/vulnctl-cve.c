/* vulnctl-cve.c - "vulnctl cve CVE-ID": the advisories of a CVE. */
#include <stdio.h>

#include "vulnctl.h"

int
vulnctl_cve (VulnctlGlobal *global, int argc, char **argv)
{
	VulndStoreFilter filter = { 0 };

	if (!vulnctl_parse_options ("cve", "CVE-ID", NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 2 || !g_regex_match_simple ("^CVE-[0-9]{4}-[0-9]{4,}$", argv[1],
	                                        G_REGEX_CASELESS, 0)) {
		fprintf (stderr, "vulnctl cve: expected one CVE id (CVE-YYYY-NNNN)\n");
		return VULNCTL_USAGE;
	}
	filter.cve = argv[1];
	return vulnctl_run_list (global, "cve", &filter);
}
