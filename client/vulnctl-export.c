/* vulnctl-export.c - "vulnctl export --format json|csv|osv [--output PATH]":
 * the whole database.  OSV writes one file per advisory into a directory. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "export.h"

static gboolean
write_text (const char *output, const char *text, GError **error)
{
	if (!output || strcmp (output, "-") == 0) {
		fputs (text, stdout);
		return fflush (stdout) == 0;
	}
	return g_file_set_contents (output, text, -1, error);
}

int
vulnctl_export (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *format = NULL, *output = NULL;
	GOptionEntry entries[] = {
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format, "json, csv or osv", "FORMAT" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "file (json, csv; default stdout) or directory (osv, required)", "PATH" },
		{ NULL }
	};
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *text = NULL;

	if (!vulnctl_parse_options ("export", NULL, entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1 || !format) {
		fprintf (stderr, "vulnctl export: --format json|csv|osv is required\n");
		return VULNCTL_USAGE;
	}
	if (strcmp (format, "osv") == 0 && !output) {
		fprintf (stderr, "vulnctl export: --format osv writes a directory: give --output DIR\n");
		return VULNCTL_USAGE;
	}
	if (strcmp (format, "json") != 0 && strcmp (format, "csv") != 0 && strcmp (format, "osv") != 0) {
		fprintf (stderr, "vulnctl export: unknown format '%s' (json, csv, osv)\n", format);
		return VULNCTL_USAGE;
	}
	records = vulnctl_all_records (global, "export");
	if (!records)
		return VULNCTL_ERROR;
	if (strcmp (format, "osv") == 0) {
		if (!vulnd_export_osv_dir (records, output, &error))
			goto fail;
		if (!global->json)
			fprintf (stderr, "%u advisories written to %s\n", records->len, output);
		return VULNCTL_OK;
	}
	if (strcmp (format, "json") == 0) {
		g_autofree char *json = vulnd_export_json (records, TRUE);
		text = g_strconcat (json, "\n", NULL);
	} else {
		text = vulnd_export_csv (records);
	}
	if (!write_text (output, text, &error))
		goto fail;
	return VULNCTL_OK;
fail:
	fprintf (stderr, "vulnctl export: %s\n", error ? error->message : "write error");
	return VULNCTL_ERROR;
}
