/* vulnctl-stats.c - "vulnctl stats": counts by year, kind, product and
 * reporter affiliation. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "vulnd-db.h"

static void
bump (GHashTable *t, const char *key)
{
	gpointer old = g_hash_table_lookup (t, key);

	g_hash_table_replace (t, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
}

static void
count_affiliations (JsonObject *r, GHashTable *t)
{
	JsonArray *reporters = vulnctl_member_array (r, "reporters");
	g_autoptr (GHashTable) once = g_hash_table_new (g_str_hash, g_str_equal);

	/* An affiliation counts once per advisory, however many of its people. */
	for (guint i = 0; reporters && i < json_array_get_length (reporters); i++) {
		JsonObject *p = json_array_get_object_element (reporters, i);
		const char *a = p ? json_object_get_string_member_with_default (p, "affiliation", NULL) : NULL;
		if (a && *a && g_hash_table_add (once, (gpointer) a))
			bump (t, a);
	}
}

static gint
by_count_desc (gconstpointer a, gconstpointer b, gpointer table)
{
	guint ca = GPOINTER_TO_UINT (g_hash_table_lookup (table, *(char **) a));
	guint cb = GPOINTER_TO_UINT (g_hash_table_lookup (table, *(char **) b));

	return ca != cb ? (ca < cb ? 1 : -1) : strcmp (*(char **) a, *(char **) b);
}

static gint
by_key (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char **) a, *(char **) b);
}

static GPtrArray *
sorted_keys (GHashTable *t, gboolean by_count)
{
	GPtrArray *keys = g_ptr_array_new ();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init (&it, t);
	while (g_hash_table_iter_next (&it, &k, NULL))
		g_ptr_array_add (keys, k);
	if (by_count)
		g_ptr_array_sort_with_data (keys, by_count_desc, t);
	else
		g_ptr_array_sort (keys, by_key);
	return keys;
}

static void
emit_section (JsonObject *out, const char *title, GHashTable *t, gboolean by_count,
              gboolean json)
{
	g_autoptr (GPtrArray) keys = sorted_keys (t, by_count);
	JsonObject *o = json_object_new ();
	static const char *header[] = { NULL, "ADVISORIES", NULL };
	g_autoptr (GPtrArray) table = NULL;

	header[0] = title;
	table = vulnctl_table_new (header);
	for (guint i = 0; i < keys->len; i++) {
		guint n = GPOINTER_TO_UINT (g_hash_table_lookup (t, keys->pdata[i]));
		g_autofree char *ns = g_strdup_printf ("%u", n);
		json_object_set_int_member (o, keys->pdata[i], n);
		vulnctl_table_add (table, keys->pdata[i], ns);
	}
	json_object_set_object_member (out, title, o);
	if (!json) {
		vulnctl_table_print (table);
		printf ("\n");
	}
}

int
vulnctl_stats (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (JsonObject) out = json_object_new ();
	GHashTable *t[4];
	static const char *const titles[] = { "year", "kind", "product", "affiliation" };

	if (!vulnctl_parse_options ("stats", NULL, NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1) {
		fprintf (stderr, "vulnctl stats: no arguments expected\n");
		return VULNCTL_USAGE;
	}
	records = vulnctl_all_records (global, "stats");
	if (!records)
		return VULNCTL_ERROR;
	for (int i = 0; i < 4; i++)
		t[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < records->len; i++) {
		JsonObject *r = records->pdata[i];
		const char *date = vulnd_record_date (r);
		g_autofree char *year = date ? g_strndup (date, 4) : g_strdup ("unknown");
		g_auto (GStrv) products = vulnd_record_products (r);

		bump (t[0], year);
		bump (t[1], vulnd_record_kind (r) ? vulnd_record_kind (r) : "unknown");
		for (char **p = products; *p; p++)
			bump (t[2], *p);
		count_affiliations (r, t[3]);
	}
	json_object_set_int_member (out, "advisories", records->len);
	if (!global->json)
		printf ("%u advisories\n\n", records->len);
	for (int i = 0; i < 4; i++) {
		emit_section (out, titles[i], t[i], i >= 2, global->json);
		g_hash_table_unref (t[i]);
	}
	if (global->json)
		vulnctl_print_object (out);
	return VULNCTL_OK;
}
