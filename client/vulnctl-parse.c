/* vulnctl-parse.c - "vulnctl parse": the records a message yields, no database. */
#include "config.h"

#include <stdio.h>

#include "vulnctl.h"
#include "vulnd-db.h"
#include "vulnd-ingest.h"

static gboolean
parse_one (const char *path, VulndKeyring *keyring, GPtrArray *out)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	GPtrArray *records;

	if (!g_file_get_contents (path, &data, &len, &error)) {
		fprintf (stderr, "vulnctl parse: %s\n", error->message);
		return FALSE;
	}
	records = vulnd_ingest_bytes (data, len, keyring, NULL, &error);
	if (!records) {
		fprintf (stderr, "vulnctl parse: %s: %s\n", path, error->message);
		return FALSE;
	}
	for (guint i = 0; i < records->len; i++)
		g_ptr_array_add (out, json_object_ref (records->pdata[i]));
	g_ptr_array_unref (records);
	return TRUE;
}

int
vulnctl_parse (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *keyring_path = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print a JSON array of records", NULL },
		{ "keyring", 'k', 0, G_OPTION_ARG_FILENAME, &keyring_path,
		  "trusted OpenPGP keys: a directory of *.asc files or one key file", "PATH" },
		{ NULL }
	};
	g_autoptr (VulndKeyring) keyring = NULL;
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (GError) error = NULL;
	int rc = VULNCTL_OK;

	if (!vulnctl_parse_options ("parse", "FILE...", entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc < 2) {
		fprintf (stderr, "vulnctl parse: no message file given\n");
		return VULNCTL_USAGE;
	}
	json = json || global->json;
	keyring = vulnd_keyring_open (keyring_path, &error);
	if (!keyring) {
		fprintf (stderr, "vulnctl parse: %s\n", error->message);
		return VULNCTL_ERROR;
	}
	records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	for (int i = 1; i < argc; i++)
		if (!parse_one (argv[i], keyring, records))
			rc = VULNCTL_ERROR;

	if (json) {
		g_autofree char *text = vulnd_records_to_json (records, TRUE);
		printf ("%s\n", text);
	} else if (records->len == 0) {
		printf ("no advisory found\n");
	} else {
		for (guint i = 0; i < records->len; i++) {
			g_autofree char *text = vulnd_record_to_text (records->pdata[i]);
			printf ("%s%s", i ? "\n" : "", text);
		}
	}
	return rc;
}
