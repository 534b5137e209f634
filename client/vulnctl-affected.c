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

/* What a hit says of the advisory (from a record or from its summary). */
typedef struct {
	const char *id, *title, *signature;
	const char *product, *published; /* the affected-products entry */
} HitSource;

static JsonObject *
make_hit (const HitSource *src, const char *package, const char *version, VulndMatch m,
          JsonObject *range)
{
	JsonObject *hit = json_object_new ();

	json_object_set_string_member (hit, "id", src->id);
	json_object_set_string_member (hit, "title", src->title ? src->title : "");
	json_object_set_string_member (hit, "product", src->product);
	if (package)
		json_object_set_string_member (hit, "package", package);
	json_object_set_string_member (hit, "version", version);
	json_object_set_string_member (hit, "result", vulnd_match_to_string (m));
	json_object_set_string_member (hit, "published", src->published ? src->published : "");
	if (range) {
		g_autoptr (JsonArray) one = json_array_new ();
		g_autofree char *text = NULL;
		json_array_add_object_element (one, json_object_ref (range));
		text = vulnd_ranges_to_text (one);
		json_object_set_string_member (hit, "range", text);
	}
	json_object_set_string_member (hit, "signature", src->signature ? src->signature : "");
	return hit;
}

/* The hit of VERSION against RANGES, added to HITS unless "not affected";
 * returns 1 when "affected". */
static guint
add_hit (const HitSource *src, JsonArray *ranges, const char *package, const char *version,
         GPtrArray *hits)
{
	JsonObject *range = NULL;
	VulndMatch m = vulnd_ranges_match (ranges, version, &range);

	if (m == VULND_MATCH_NOT_AFFECTED)
		return 0;
	g_ptr_array_add (hits, make_hit (src, package, version, m,
	                                 m == VULND_MATCH_AFFECTED ? range : NULL));
	return m == VULND_MATCH_AFFECTED;
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
		HitSource src = { vulnd_record_id (r), vulnd_record_title (r),
		                  vulnd_record_signature_status (r), NULL, NULL };

		for (guint p = 0; products && p < json_array_get_length (products); p++) {
			JsonObject *prod = json_array_get_object_element (products, p);
			const char *pname = prod ? json_object_get_string_member_with_default (prod, "product", NULL) : NULL;

			if (!pname || !vulnd_product_matches (name, pname))
				continue;
			src.product = pname;
			src.published = json_object_get_string_member_with_default (prod, "version", "");
			affected += add_hit (&src, vulnctl_member_array (prod, "ranges"), package,
			                     version, hits);
		}
	}
	return affected;
}

/* vulnctl_match_records () on summaries: the same hits, in the same order. */
static guint
match_summaries (GPtrArray *summaries, const char *name, const char *version, GPtrArray *hits)
{
	guint affected = 0;

	for (guint i = 0; i < summaries->len; i++) {
		VulndSummary *s = summaries->pdata[i];
		HitSource src = { vulnd_summary_id (s), vulnd_summary_title (s),
		                  vulnd_summary_signature (s), NULL, NULL };
		guint n = vulnd_summary_n_products (s);

		for (guint p = 0; p < n; p++) {
			g_autoptr (JsonArray) ranges = NULL;

			src.product = vulnd_summary_product (s, p, &src.published);
			if (!vulnd_product_matches (name, src.product))
				continue;
			ranges = vulnd_summary_ranges (s, p);
			affected += add_hit (&src, ranges, NULL, version, hits);
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

/* Only the advisories of NAME, found through the product index, as
 * summaries: the same advisories vulnctl_match_records would keep from a
 * full scan, without parsing one record. */
static GPtrArray *
product_summaries (VulnctlGlobal *global, const char *name)
{
	g_autoptr (VulndStore) store = vulnctl_open_store (global, "affected", FALSE);
	g_autoptr (GError) error = NULL;
	GPtrArray *summaries;

	if (!store)
		return NULL;
	if (strlen (name) > INDEXED_NAME_MAX)
		summaries = vulnd_store_list_summaries (store, NULL, &error);
	else
		summaries = vulnd_store_product_summaries (store, product_key_matches,
		                                           (gpointer) name, &error);
	if (!summaries)
		fprintf (stderr, "vulnctl affected: %s\n", error->message);
	return summaries;
}

int
vulnctl_affected (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (GPtrArray) summaries = NULL;
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
	summaries = product_summaries (global, argv[1]);
	if (!summaries)
		return VULNCTL_ERROR;
	affected = match_summaries (summaries, argv[1], argv[2], hits);
	if (global->json)
		vulnctl_print_objects (hits);
	else if (hits->len == 0)
		printf ("%s %s: not affected by any known advisory\n", argv[1], argv[2]);
	else
		vulnctl_print_hits (hits, FALSE);
	return affected ? VULNCTL_AFFECTED : VULNCTL_OK;
}
