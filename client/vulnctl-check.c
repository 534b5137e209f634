/* vulnctl-check.c - "vulnctl check FILE|-": a package list (pip freeze,
 * upper-constraints, dpkg -l, rpm -qa, "name version") against every advisory.  Exit 1 when any
 * applies. */
#include <stdio.h>

#include "vulnctl.h"
#include "export.h"

static char *
read_input (const char *path, GError **error)
{
	GIOChannel *ch;
	char *data = NULL;
	gsize len = 0;
	GIOStatus st;

	if (g_strcmp0 (path, "-") != 0)
		return g_file_get_contents (path, &data, NULL, error) ? data : NULL;
	ch = g_io_channel_unix_new (0);
	g_io_channel_set_encoding (ch, NULL, NULL);
	st = g_io_channel_read_to_end (ch, &data, &len, error);
	g_io_channel_unref (ch);
	if (st != G_IO_STATUS_NORMAL)
		return NULL;
	return data ? data : g_strdup ("");
}

int
vulnctl_check (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;
	g_autoptr (GPtrArray) packages = NULL;
	g_autoptr (GPtrArray) skipped = NULL;
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (GPtrArray) hits = vulnctl_hits_new ();
	guint affected = 0, affected_packages = 0;

	if (!vulnctl_parse_options ("check", "FILE|-", NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 2) {
		fprintf (stderr, "vulnctl check: expected one package list (FILE, or - for stdin)\n");
		return VULNCTL_USAGE;
	}
	text = read_input (argv[1], &error);
	if (!text) {
		fprintf (stderr, "vulnctl check: %s\n", error->message);
		return VULNCTL_ERROR;
	}
	packages = vulnd_packages_parse (text, &skipped, &error);
	if (!packages) {
		fprintf (stderr, "vulnctl check: %s: %s\n", argv[1], error->message);
		return VULNCTL_ERROR;
	}
	for (guint i = 0; skipped && i < skipped->len; i++)
		fprintf (stderr, "vulnctl check: %s: %s\n", argv[1], (char *) skipped->pdata[i]);
	records = vulnctl_all_records (global, "check");
	if (!records)
		return VULNCTL_ERROR;
	for (guint i = 0; i < packages->len; i++) {
		guint n = vulnctl_match_records (records, packages->pdata[i], hits);

		affected += n;
		affected_packages += n > 0;
	}
	if (global->json)
		vulnctl_print_hits_json (hits);
	else if (hits->len == 0)
		printf ("%u packages checked: no advisory applies\n", packages->len);
	else {
		vulnctl_print_hits (hits, TRUE);
		printf ("%u packages checked: %u affected\n", packages->len, affected_packages);
	}
	return affected ? VULNCTL_AFFECTED : VULNCTL_OK;
}
