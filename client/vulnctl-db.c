/* vulnctl-db.c - what the database commands share: opening the store,
 * aligned tables, JSON output. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "store.h"
#include "store-query.h"
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

/* ROWS x COLS cells, row-major, columns padded to their widest cell (in
 * characters); the last one is never padded, so long titles do not leave
 * trailing blanks.  One write: a `list` prints hundreds of rows. */
static void
print_cells (const char *const *cells, guint rows, guint cols)
{
	g_autofree glong *len = g_new (glong, (gsize) rows * cols);
	g_autofree glong *width = g_new0 (glong, cols);
	g_autoptr (GString) out = g_string_sized_new ((gsize) rows * 80);

	for (guint i = 0; i < rows * cols; i++) {
		len[i] = g_utf8_strlen (cells[i], -1);
		width[i % cols] = MAX (width[i % cols], len[i]);
	}
	for (guint i = 0; i < rows * cols; i++) {
		guint c = i % cols;

		g_string_append (out, cells[i]);
		if (c + 1 == cols) {
			g_string_append_c (out, '\n');
			continue;
		}
		for (glong pad = len[i]; pad < width[c] + 2; pad++)
			g_string_append_c (out, ' ');
	}
	fwrite (out->str, 1, out->len, stdout);
}

void
vulnctl_table_print (VulnctlTable *t)
{
	guint n = g_strv_length (t->pdata[0]);
	g_autofree const char **cells = g_new (const char *, (gsize) t->len * n);

	for (guint r = 0; r < t->len; r++)
		for (guint c = 0; c < n; c++)
			cells[r * n + c] = ((char **) t->pdata[r])[c];
	print_cells (cells, t->len, n);
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

/* vulnctl_print_record_table () from summaries, without copying a cell. */
static void
print_summary_table (GPtrArray *summaries)
{
	static const char *const header[] = { "ID", "DATE", "KIND", "TITLE" };
	guint cols = G_N_ELEMENTS (header), rows = summaries->len + 1;
	g_autofree const char **cells = g_new (const char *, (gsize) rows * cols);

	memcpy (cells, header, sizeof header);
	for (guint i = 0; i < summaries->len; i++) {
		VulndSummary *s = summaries->pdata[i];
		const char **row = cells + (i + 1) * cols;

		row[0] = vulnd_summary_id (s);
		row[1] = vulnd_summary_date (s);
		row[2] = vulnd_summary_kind (s);
		row[3] = vulnd_summary_title (s);
	}
	print_cells (cells, rows, cols);
}

/* The query commands: a list of records, exit 1 when empty.  A table needs
 * only the summaries; --json prints whole records, and a text filter reads
 * them anyway (descriptions are not summarised). */
int
vulnctl_run_list (VulnctlGlobal *global, const char *command, const VulndStoreFilter *filter)
{
	g_autoptr (VulndStore) store = vulnctl_open_store (global, command, FALSE);
	g_autoptr (GPtrArray) found = NULL;
	g_autoptr (GError) error = NULL;
	gboolean records = global->json || (filter && filter->text);

	if (!store)
		return VULNCTL_ERROR;
	if (records)
		found = vulnd_store_list (store, filter, &error);
	else
		found = vulnd_store_list_summaries (store, filter, &error);
	if (!found) {
		fprintf (stderr, "vulnctl %s: %s\n", command, error->message);
		return VULNCTL_ERROR;
	}
	if (global->json)
		vulnctl_print_objects (found);
	else if (found->len == 0)
		fprintf (stderr, "vulnctl %s: no advisory found\n", command);
	else if (records)
		vulnctl_print_record_table (found);
	else
		print_summary_table (found);
	return found->len ? VULNCTL_OK : VULNCTL_FOUND_NOTHING;
}

JsonArray *
vulnctl_member_array (JsonObject *object, const char *name)
{
	JsonNode *n = object ? json_object_get_member (object, name) : NULL;

	return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}
