/* vulnctl-affected.c - "vulnctl affected PRODUCT VERSION": every advisory
 * whose ranges include VERSION, with the matching range.  Exit 1 when
 * affected; "unknown" (never "not affected") where ranges say nothing. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "vulnd-db.h"
#include "version.h"
#include "export.h"
#include "store-query.h"

static JsonObject *
make_hit (JsonObject *record, JsonObject *product, const char *package, const char *version,
          VulndMatch m, JsonObject *range)
{
	JsonObject *hit = json_object_new ();
	const char *published = json_object_get_string_member_with_default (product, "version", "");

	json_object_set_string_member (hit, "id", vulnd_record_id (record));
	json_object_set_string_member (hit, "title", vulnd_record_title (record) ? vulnd_record_title (record) : "");
	json_object_set_string_member (hit, "product",
	                               json_object_get_string_member_with_default (product, "product", ""));
	if (package)
		json_object_set_string_member (hit, "package", package);
	json_object_set_string_member (hit, "version", version);
	json_object_set_string_member (hit, "result", vulnd_match_to_string (m));
	json_object_set_string_member (hit, "published", published);
	if (range) {
		g_autoptr (JsonArray) one = json_array_new ();
		g_autofree char *text = NULL;
		json_array_add_object_element (one, json_object_ref (range));
		text = vulnd_ranges_to_text (one);
		json_object_set_string_member (hit, "range", text);
	}
	json_object_set_string_member (hit, "signature",
	                               vulnd_record_signature_status (record) ? vulnd_record_signature_status (record) : "");
	return hit;
}

/* Hits of NAME VERSION against RECORDS (affected and unknown ones; "not
 * affected" is left out).  Returns how many are "affected". */
guint
vulnctl_match_records (GPtrArray *records, const char *name, const char *package,
                       const char *version, GPtrArray *hits)
{
	guint affected = 0;

	for (guint i = 0; i < records->len; i++) {
		JsonObject *r = records->pdata[i];
		JsonArray *products = vulnctl_member_array (r, "affected-products");

		for (guint p = 0; products && p < json_array_get_length (products); p++) {
			JsonObject *prod = json_array_get_object_element (products, p);
			const char *pname = prod ? json_object_get_string_member_with_default (prod, "product", NULL) : NULL;
			JsonArray *ranges;
			JsonObject *range = NULL;
			VulndMatch m;

			if (!pname || !vulnd_product_matches (name, pname))
				continue;
			ranges = vulnctl_member_array (prod, "ranges");
			m = vulnd_ranges_match (ranges, version, &range);
			if (m == VULND_MATCH_NOT_AFFECTED)
				continue;
			affected += m == VULND_MATCH_AFFECTED;
			g_ptr_array_add (hits, make_hit (r, prod, package, version, m,
			                                 m == VULND_MATCH_AFFECTED ? range : NULL));
		}
	}
	return affected;
}

void
vulnctl_print_hits (GPtrArray *hits, gboolean with_package)
{
	static const char *const h1[] = { "ID", "PRODUCT", "RESULT", "RANGE", "PUBLISHED", "TITLE", NULL };
	static const char *const h2[] = { "PACKAGE", "VERSION", "ID", "RESULT", "RANGE", "TITLE", NULL };
	g_autoptr (GPtrArray) t = vulnctl_table_new (with_package ? h2 : h1);

	for (guint i = 0; i < hits->len; i++) {
		JsonObject *h = hits->pdata[i];
		const char *range = json_object_get_string_member_with_default (h, "range", "");
#define S(n) json_object_get_string_member_with_default (h, n, "")
		if (with_package)
			vulnctl_table_add (t, S ("package"), S ("version"), S ("id"), S ("result"), range, S ("title"));
		else
			vulnctl_table_add (t, S ("id"), S ("product"), S ("result"), range, S ("published"), S ("title"));
#undef S
	}
	vulnctl_table_print (t);
}

GPtrArray *
vulnctl_all_records (VulnctlGlobal *global, const char *command)
{
	g_autoptr (VulndStore) store = vulnctl_open_store (global, command, FALSE);
	g_autoptr (GError) error = NULL;
	GPtrArray *records;

	if (!store)
		return NULL;
	records = vulnd_store_list (store, NULL, &error);
	if (!records)
		fprintf (stderr, "vulnctl %s: %s\n", command, error->message);
	return records;
}

static gboolean
product_key_matches (const char *key, gpointer name)
{
	return vulnd_product_matches (name, key);
}

/* The store leaves out of by_product the names longer than an LMDB key
 * (511 bytes); a name of up to this many bytes can only match indexed ones
 * (case folding grows UTF-8 by half at most). */
#define INDEXED_NAME_MAX 255

/* Only the advisories of NAME, found through the product index: the
 * same records vulnctl_match_records would keep from a full scan. */
static GPtrArray *
product_records (VulnctlGlobal *global, const char *name)
{
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (GError) error = NULL;
	GPtrArray *records;

	if (strlen (name) > INDEXED_NAME_MAX)
		return vulnctl_all_records (global, "affected");
	store = vulnctl_open_store (global, "affected", FALSE);
	if (!store)
		return NULL;
	records = vulnd_store_list_products (store, product_key_matches, (gpointer) name, &error);
	if (!records)
		fprintf (stderr, "vulnctl affected: %s\n", error->message);
	return records;
}

int
vulnctl_affected (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (GPtrArray) records = NULL;
	g_autoptr (GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	guint affected;

	if (!vulnctl_parse_options ("affected", "PRODUCT VERSION", NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 3) {
		fprintf (stderr, "vulnctl affected: expected PRODUCT VERSION\n");
		return VULNCTL_USAGE;
	}
	if (!vulnd_version_valid (argv[2])) {
		fprintf (stderr, "vulnctl affected: '%s' is not a version or release series\n", argv[2]);
		return VULNCTL_USAGE;
	}
	records = product_records (global, argv[1]);
	if (!records)
		return VULNCTL_ERROR;
	affected = vulnctl_match_records (records, argv[1], NULL, argv[2], hits);
	if (global->json)
		vulnctl_print_objects (hits);
	else if (hits->len == 0)
		printf ("%s %s: not affected by any known advisory\n", argv[1], argv[2]);
	else
		vulnctl_print_hits (hits, FALSE);
	return affected ? VULNCTL_AFFECTED : VULNCTL_OK;
}
