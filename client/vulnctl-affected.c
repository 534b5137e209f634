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

/* What was checked: a package of a list, or the product of `affected`. */
typedef struct {
	const char *package;         /* as the list names it; NULL for `affected` */
	const char *package_version; /* as written, when that is not VERSION; else NULL */
	const char *version;         /* the upstream version matched */
} HitSubject;

/* One answer line.  The strings are borrowed from the records or
 * summaries matched and from the caller's arguments, which outlive the
 * hits; only the range text is the hit's own.  JSON objects are made
 * only for --json: building one per hit was a fifth of `affected`. */
struct _VulnctlHit {
	HitSource src;
	HitSubject subject;
	VulndMatch result;
	char *range; /* NULL unless affected */
};

static void
hit_free (VulnctlHit *hit)
{
	g_free (hit->range);
	g_free (hit);
}

GPtrArray *
vulnctl_hits_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) hit_free);
}

static VulnctlHit *
make_hit (const HitSource *src, const HitSubject *subject, VulndMatch m, const VulndRange *range)
{
	VulnctlHit *hit = g_new0 (VulnctlHit, 1);

	hit->src = *src;
	hit->subject = *subject;
	hit->result = m;
	if (range) {
		GString *text = g_string_new (NULL);
		vulnd_range_append_text (text, range);
		hit->range = g_string_free (text, FALSE);
	}
	return hit;
}

static const char *
or_empty (const char *s)
{
	return s ? s : "";
}

static JsonObject *
hit_to_json (const VulnctlHit *hit)
{
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "id", hit->src.id);
	json_object_set_string_member (o, "title", or_empty (hit->src.title));
	json_object_set_string_member (o, "product", hit->src.product);
	if (hit->subject.package)
		json_object_set_string_member (o, "package", hit->subject.package);
	if (hit->subject.package_version)
		json_object_set_string_member (o, "package-version", hit->subject.package_version);
	json_object_set_string_member (o, "version", hit->subject.version);
	json_object_set_string_member (o, "result", vulnd_match_to_string (hit->result));
	json_object_set_string_member (o, "published", or_empty (hit->src.published));
	if (hit->range)
		json_object_set_string_member (o, "range", hit->range);
	json_object_set_string_member (o, "signature", or_empty (hit->src.signature));
	return o;
}

void
vulnctl_print_hits_json (GPtrArray *hits)
{
	g_autoptr (GPtrArray) objects = g_ptr_array_new_full (hits->len,
	                                                      (GDestroyNotify) json_object_unref);

	for (guint i = 0; i < hits->len; i++)
		g_ptr_array_add (objects, hit_to_json (hits->pdata[i]));
	vulnctl_print_objects (objects);
}

/* The hit of SUBJECT's version (PARSED) against the N RANGES, added to
 * HITS unless "not affected"; returns 1 when "affected". */
static guint
add_hit (const HitSource *src, const VulndRange *ranges, guint n, const HitSubject *subject,
         const VulndVersion *parsed, GPtrArray *hits)
{
	int range = -1;
	VulndMatch m = vulnd_range_list_match (ranges, n, parsed, &range);

	if (m == VULND_MATCH_NOT_AFFECTED)
		return 0;
	g_ptr_array_add (hits, make_hit (src, subject, m,
	                                 m == VULND_MATCH_AFFECTED ? &ranges[range] : NULL));
	return m == VULND_MATCH_AFFECTED;
}

static const char *
unless_same (const char *s, const char *other)
{
	return g_strcmp0 (s, other) == 0 ? NULL : s;
}

/* Hits of PACKAGE against RECORDS (affected and unknown ones; "not
 * affected" is left out).  Returns how many are "affected". */
guint
vulnctl_match_records (GPtrArray *records, const VulndPackage *package, GPtrArray *hits)
{
	g_autoptr (VulndVersion) parsed = vulnd_version_parse (package->version);
	g_auto (GStrv) keys = vulnd_product_match_keys (package->name);
	HitSubject subject = { package->package, unless_same (package->raw_version, package->version),
	                       package->version };
	guint affected = 0;

	for (guint i = 0; i < records->len; i++) {
		JsonObject *r = records->pdata[i];
		JsonArray *products = vulnctl_member_array (r, "affected-products");
		HitSource src = { vulnd_record_id (r), vulnd_record_title (r),
		                  vulnd_record_signature_status (r), NULL, NULL };

		for (guint p = 0; products && p < json_array_get_length (products); p++) {
			JsonObject *prod = json_array_get_object_element (products, p);
			const char *pname = prod ? json_object_get_string_member_with_default (prod, "product", NULL) : NULL;
			g_autofree VulndRange *ranges = NULL;
			guint n = 0;

			if (!pname || !vulnd_product_matches_keys (keys, pname))
				continue;
			src.product = pname;
			src.published = json_object_get_string_member_with_default (prod, "version", "");
			ranges = vulnd_ranges_from_json (vulnctl_member_array (prod, "ranges"), &n);
			affected += add_hit (&src, ranges, n, &subject, parsed, hits);
		}
	}
	return affected;
}

/* vulnctl_match_records () on summaries: the same hits, in the same order. */
static guint
match_summaries (GPtrArray *summaries, const char *name, const HitSubject *subject,
                 GPtrArray *hits)
{
	g_autoptr (VulndVersion) parsed = vulnd_version_parse (subject->version);
	g_auto (GStrv) keys = vulnd_product_match_keys (name);
	guint affected = 0;

	for (guint i = 0; i < summaries->len; i++) {
		VulndSummary *s = summaries->pdata[i];
		HitSource src = { vulnd_summary_id (s), vulnd_summary_title (s),
		                  vulnd_summary_signature (s), NULL, NULL };
		guint n = vulnd_summary_n_products (s);

		for (guint p = 0; p < n; p++) {
			g_autofree VulndRange *ranges = NULL;
			guint n_ranges = 0;

			src.product = vulnd_summary_product (s, p, &src.published);
			if (!vulnd_product_matches_keys (keys, src.product))
				continue;
			ranges = vulnd_summary_ranges (s, p, &n_ranges);
			affected += add_hit (&src, ranges, n_ranges, subject, parsed, hits);
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
		const VulnctlHit *h = hits->pdata[i];
		const char *result = vulnd_match_to_string (h->result);
		const char *range = or_empty (h->range), *title = or_empty (h->src.title);

		/* a package list's reader knows its versions as written there */
		if (with_package)
			vulnctl_table_add (t, or_empty (h->subject.package),
			                   h->subject.package_version ? h->subject.package_version
			                   : h->subject.version, h->src.id, result, range, title);
		else
			vulnctl_table_add (t, h->src.id, h->src.product, result, range,
			                   or_empty (h->src.published), title);
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
product_key_matches (const char *key, gpointer keys)
{
	return vulnd_product_matches_keys (keys, key);
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
	g_auto (GStrv) keys = vulnd_product_match_keys (name);
	GPtrArray *summaries;

	if (!store)
		return NULL;
	if (strlen (name) > INDEXED_NAME_MAX)
		summaries = vulnd_store_list_summaries (store, NULL, &error);
	else
		summaries = vulnd_store_product_summaries (store, product_key_matches, keys,
		                                           &error);
	if (!summaries)
		fprintf (stderr, "vulnctl affected: %s\n", error->message);
	return summaries;
}

/* VERSION, or the upstream version in a Debian or RPM package version
 * ("3:27.1.0-0ubuntu1"), said on stderr; NULL when neither. */
static char *
upstream_version (const char *version)
{
	g_autofree char *upstream = NULL;

	if (vulnd_version_valid (version))
		return g_strdup (version);
	upstream = vulnd_package_upstream_version (version);
	if (!upstream || !vulnd_version_valid (upstream))
		return NULL;
	fprintf (stderr, "vulnctl affected: package version %s is upstream version %s\n", version,
	         upstream);
	return g_steal_pointer (&upstream);
}

int
vulnctl_affected (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (GPtrArray) summaries = NULL;
	g_autoptr (GPtrArray) hits = vulnctl_hits_new ();
	g_autofree char *version = NULL;
	HitSubject subject = { NULL, NULL, NULL };
	guint affected;

	if (!vulnctl_parse_options ("affected", "PRODUCT VERSION", NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 3) {
		fprintf (stderr, "vulnctl affected: expected PRODUCT VERSION\n");
		return VULNCTL_USAGE;
	}
	version = upstream_version (argv[2]);
	if (!version) {
		fprintf (stderr, "vulnctl affected: '%s' is not a version or release series\n", argv[2]);
		return VULNCTL_USAGE;
	}
	summaries = product_summaries (global, argv[1]);
	if (!summaries)
		return VULNCTL_ERROR;
	subject.package_version = unless_same (argv[2], version);
	subject.version = version;
	affected = match_summaries (summaries, argv[1], &subject, hits);
	if (global->json)
		vulnctl_print_hits_json (hits);
	else if (hits->len == 0)
		printf ("%s %s: not affected by any known advisory\n", argv[1], version);
	else
		vulnctl_print_hits (hits, FALSE);
	return affected ? VULNCTL_AFFECTED : VULNCTL_OK;
}
