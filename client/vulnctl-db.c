/* vulnctl-db.c - what the database commands share: opening the store,
 * aligned tables, JSON output. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "store.h"
#include "vulnd-db.h"

VulndStore *
vulnctl_open_store (VulnctlGlobal *global, const char *command, gboolean writable)
{
	g_autoptr (GError) error = NULL;
	VulndStore *store = vulnd_store_open (vulnctl_db_path (global), writable, &error);

	if (!store)
		fprintf (stderr, "vulnctl %s: %s\n", command, error->message);
	return store;
}

void
vulnctl_print_json (JsonNode *node)
{
	g_autofree char *text = json_to_string (node, TRUE);

	printf ("%s\n", text);
}

void
vulnctl_print_objects (GPtrArray *objects)
{
	g_autofree char *text = vulnd_records_to_json (objects, TRUE);

	printf ("%s\n", text);
}

void
vulnctl_print_object (JsonObject *object)
{
	g_autofree char *text = vulnd_record_to_json (object, TRUE);

	printf ("%s\n", text);
}

VulnctlTable *
vulnctl_table_new (const char *const *header)
{
	VulnctlTable *t = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

	g_ptr_array_add (t, g_strdupv ((char **) header));
	return t;
}

void
vulnctl_table_add (VulnctlTable *t, ...)
{
	guint n = g_strv_length (t->pdata[0]);
	char **row = g_new0 (char *, n + 1);
	va_list ap;

	va_start (ap, t);
	for (guint i = 0; i < n; i++) {
		const char *s = va_arg (ap, const char *);
		row[i] = g_strdup (s ? s : "");
	}
	va_end (ap);
	g_ptr_array_add (t, row);
}

/* Columns padded to their widest cell (in characters); the last one is
 * never padded, so long titles do not leave trailing blanks. */
void
vulnctl_table_print (VulnctlTable *t)
{
	guint n = g_strv_length (t->pdata[0]);
	g_autofree glong *width = g_new0 (glong, n);

	for (guint r = 0; r < t->len; r++)
		for (guint c = 0; c < n; c++)
			width[c] = MAX (width[c], g_utf8_strlen (((char **) t->pdata[r])[c], -1));
	for (guint r = 0; r < t->len; r++) {
		char **row = t->pdata[r];
		GString *line = g_string_new (NULL);

		for (guint c = 0; c < n; c++) {
			g_string_append (line, row[c]);
			if (c + 1 < n)
				for (glong pad = g_utf8_strlen (row[c], -1); pad < width[c] + 2; pad++)
					g_string_append_c (line, ' ');
		}
		printf ("%s\n", line->str);
		g_string_free (line, TRUE);
	}
}

/* ID, date, kind, title: one line per record. */
void
vulnctl_print_record_table (GPtrArray *records)
{
	static const char *const header[] = { "ID", "DATE", "KIND", "TITLE", NULL };
	g_autoptr (GPtrArray) t = vulnctl_table_new (header);

	for (guint i = 0; i < records->len; i++) {
		JsonObject *r = records->pdata[i];
		vulnctl_table_add (t, vulnd_record_id (r), vulnd_record_date (r),
		                   vulnd_record_kind (r), vulnd_record_title (r));
	}
	vulnctl_table_print (t);
}

/* The query commands: a list of records, exit 1 when empty. */
int
vulnctl_run_list (VulnctlGlobal *global, const char *command, const VulndStoreFilter *filter)
{
	g_autoptr (VulndStore) store = vulnctl_open_store (global, command, FALSE);
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (GError) error = NULL;

	if (!store)
		return VULNCTL_ERROR;
	records = vulnd_store_list (store, filter, &error);
	if (!records) {
		fprintf (stderr, "vulnctl %s: %s\n", command, error->message);
		return VULNCTL_ERROR;
	}
	if (global->json)
		vulnctl_print_objects (records);
	else if (records->len == 0)
		fprintf (stderr, "vulnctl %s: no advisory found\n", command);
	else
		vulnctl_print_record_table (records);
	return records->len ? VULNCTL_OK : VULNCTL_FOUND_NOTHING;
}

JsonArray *
vulnctl_member_array (JsonObject *object, const char *name)
{
	JsonNode *n = object ? json_object_get_member (object, name) : NULL;

	return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}
