/* export.c - records as a JSON array, as CSV (RFC 4180) and as OSV files.
 *
 * Pure functions over records (shared/docs/record.md); the package lists
 * of `vulnctl check` are in packages.c.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "vulnd-db.h"
#include "export.h"

G_DEFINE_QUARK (vulnd-export-error-quark, vulnd_export_error)

/* ---- reading records ---------------------------------------------------- */

static JsonObject *
array_object (JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element (a, i);

	return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
array_string (JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element (a, i);

	return json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

/* ---- JSON --------------------------------------------------------------- */

char *
vulnd_export_json (GPtrArray *records, gboolean pretty)
{
	return vulnd_records_to_json (records, pretty);
}

/* ---- ranges as text ----------------------------------------------------- */

void
vulnd_range_append_text (GString *out, const VulndRange *range)
{
	const char *intro = range->introduced;
	const char *fixed = range->fixed;
	const char *last = range->last_affected;
	gboolean from_zero = !intro || g_str_equal (intro, "0");

	if (last && intro && g_str_equal (intro, last)) {
		g_string_append_printf (out, "==%s", last);
		return;
	}
	if (!from_zero)
		g_string_append_printf (out, ">=%s", intro);
	if (fixed || last)
		g_string_append_printf (out, "%s%s%s", from_zero ? "" : " ",
		                        fixed ? "<" : "<=", fixed ? fixed : last);
	else if (from_zero)
		g_string_append (out, ">=0");
}

char *
vulnd_ranges_to_text (JsonArray *ranges)
{
	GString *out = g_string_new (NULL);
	guint n = 0;
	g_autofree VulndRange *list = vulnd_ranges_from_json (ranges, &n);

	for (guint i = 0; i < n; i++) {
		if (!(list[i].flags & VULND_RANGE_OBJECT))
			continue;
		if (out->len)
			g_string_append (out, "; ");
		vulnd_range_append_text (out, &list[i]);
	}
	return g_string_free (out, FALSE);
}

/* ---- CSV ---------------------------------------------------------------- */

void
vulnd_csv_append_field (GString *out, const char *field)
{
	if (!field)
		return;
	/* RFC 4180: quote a field holding a separator, a quote or a line end;
	 * a leading/trailing space is quoted too so readers keep it. */
	if (!strpbrk (field, ",\"\r\n") && field[0] != ' ' &&
	    !(field[0] && field[strlen (field) - 1] == ' ')) {
		g_string_append (out, field);
		return;
	}
	g_string_append_c (out, '"');
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			g_string_append_c (out, '"');
		g_string_append_c (out, *p);
	}
	g_string_append_c (out, '"');
}

static void
append_csv_row (GString *out, const char *const *fields, guint n)
{
	for (guint i = 0; i < n; i++) {
		if (i)
			g_string_append_c (out, ',');
		vulnd_csv_append_field (out, fields[i]);
	}
	g_string_append (out, "\r\n");
}

static void
append_record_rows (GString *out, JsonObject *record)
{
	JsonArray *products = vulnd_json_get_array (record, "affected-products");
	guint n = products ? json_array_get_length (products) : 0;
	g_auto (GStrv) cves = vulnd_record_cves (record);
	g_autofree char *cve_text = g_strjoinv (" ", cves);
	g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT,
	                                             vulnd_record_revision (record));
	const char *fields[10] = {
		vulnd_record_id (record), vulnd_record_kind (record), revision,
		vulnd_record_date (record), vulnd_record_title (record),
		NULL, NULL, NULL, cve_text, vulnd_record_signature_status (record),
	};
	gboolean wrote = FALSE;

	for (guint i = 0; i < n; i++) {
		JsonObject *p = array_object (products, i);
		g_autofree char *product = NULL;
		g_autofree char *ranges = NULL;

		if (!p)
			continue;
		product = vulnd_json_get_string (p, "product") ? g_utf8_strdown (vulnd_json_get_string (p, "product"), -1) : NULL;
		ranges = vulnd_ranges_to_text (vulnd_json_get_array (p, "ranges"));
		fields[5] = product;
		fields[6] = vulnd_json_get_string (p, "version");
		fields[7] = ranges;
		append_csv_row (out, fields, G_N_ELEMENTS (fields));
		wrote = TRUE;
	}
	if (!wrote) {
		fields[5] = fields[6] = fields[7] = NULL;
		append_csv_row (out, fields, G_N_ELEMENTS (fields));
	}
}

char *
vulnd_export_csv (GPtrArray *records)
{
	GString *out = g_string_new (VULND_CSV_HEADER "\r\n");

	for (guint i = 0; records && i < records->len; i++)
		append_record_rows (out, records->pdata[i]);
	return g_string_free (out, FALSE);
}

/* ---- OSV ---------------------------------------------------------------- */

/* OSV wants RFC 3339 in UTC with a "Z"; records carry ISO 8601 dates
 * (YYYY-MM-DD) and received times with any offset. */
static char *
osv_timestamp (const char *text)
{
	g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr (GDateTime) dt = NULL;
	g_autoptr (GDateTime) in_utc = NULL;

	if (!text || !*text)
		return NULL;
	if (strlen (text) == 10) {
		g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);
		dt = g_date_time_new_from_iso8601 (full, utc);
	} else {
		dt = g_date_time_new_from_iso8601 (text, utc);
	}
	if (!dt)
		return NULL;
	in_utc = g_date_time_to_utc (dt);
	return g_date_time_format (in_utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The newest moment the record says it changed: this revision's receipt,
 * else the last erratum, else the publication date. */
static char *
osv_modified (JsonObject *record)
{
	JsonArray *errata = vulnd_json_get_array (record, "errata");
	guint n = errata ? json_array_get_length (errata) : 0;
	char *ts = osv_timestamp (vulnd_json_get_string (vulnd_json_get_object (record, "source"), "received"));

	for (guint i = n; !ts && i > 0; i--)
		ts = osv_timestamp (vulnd_json_get_string (array_object (errata, i - 1), "date"));
	return ts ? ts : osv_timestamp (vulnd_record_date (record));
}

static JsonNode *
osv_event (const char *name, const char *value)
{
	g_autoptr (JsonObject) o = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);

	json_object_set_string_member (o, name, value);
	json_node_set_object (node, o);
	return node;
}

/* One OSV range per record range, so that no range mixes "fixed" and
 * "last_affected" (OSV forbids it) and events stay sorted: introduced
 * first, then its upper bound. */
static JsonObject *
osv_range (JsonObject *range)
{
	JsonObject *o = json_object_new ();
	JsonArray *events = json_array_new ();
	const char *intro = vulnd_json_get_string (range, "introduced");
	const char *fixed = vulnd_json_get_string (range, "fixed");
	const char *last = vulnd_json_get_string (range, "last_affected");

	json_object_set_string_member (o, "type", "ECOSYSTEM");
	json_array_add_element (events, osv_event ("introduced", intro && *intro ? intro : "0"));
	if (fixed)
		json_array_add_element (events, osv_event ("fixed", fixed));
	else if (last)
		json_array_add_element (events, osv_event ("last_affected", last));
	json_object_set_array_member (o, "events", events);
	return o;
}

static JsonObject *
osv_affected (JsonObject *product)
{
	JsonObject *o = json_object_new ();
	JsonObject *package = json_object_new ();
	JsonObject *specific = json_object_new ();
	JsonArray *ranges = vulnd_json_get_array (product, "ranges");
	guint n = ranges ? json_array_get_length (ranges) : 0;
	g_autofree char *name = g_utf8_strdown (vulnd_json_get_string (product, "product"), -1);
	JsonArray *osv_ranges = json_array_new ();

	json_object_set_string_member (package, "ecosystem", VULND_OSV_ECOSYSTEM);
	json_object_set_string_member (package, "name", name);
	json_object_set_object_member (o, "package", package);
	for (guint i = 0; i < n; i++)
		if (array_object (ranges, i))
			json_array_add_object_element (osv_ranges, osv_range (array_object (ranges, i)));
	if (json_array_get_length (osv_ranges) > 0) {
		json_object_set_array_member (o, "ranges", osv_ranges);
	} else {
		/* Not understood: say so rather than claim "all versions". */
		json_array_unref (osv_ranges);
		json_object_set_string_member (specific, "ranges", "not understood");
	}
	if (vulnd_json_get_string (product, "version"))
		json_object_set_string_member (specific, "version", vulnd_json_get_string (product, "version"));
	json_object_set_object_member (o, "database_specific", specific);
	return o;
}

static const char *
reference_type (const char *url)
{
	g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
	const char *host = uri ? g_uri_get_host (uri) : NULL;
	const char *path = uri ? g_uri_get_path (uri) : NULL;

	if (!host)
		return NULL;
	if (g_str_has_suffix (host, "security.openstack.org") ||
	    (g_str_equal (host, "wiki.openstack.org") && path && strstr (path, "/OSSN")))
		return "ADVISORY";
	if (g_str_has_suffix (host, "launchpad.net") || g_str_has_prefix (host, "storyboard."))
		return "REPORT";
	if (g_str_has_prefix (host, "review.") || (path && strstr (path, "/commit")))
		return "FIX";
	return "WEB";
}

/* Append a reference once; issue links may carry a trailing "(CVE-...)". */
static void
add_reference (JsonArray *refs, GHashTable *seen, const char *text)
{
	g_auto (GStrv) words = text ? g_strsplit_set (text, " \t", 2) : NULL;
	const char *type;
	JsonObject *ref;

	if (!words || !words[0] || g_hash_table_contains (seen, words[0]))
		return;
	type = reference_type (words[0]);
	if (!type)
		return;
	g_hash_table_add (seen, g_strdup (words[0]));
	ref = json_object_new ();
	json_object_set_string_member (ref, "type", type);
	json_object_set_string_member (ref, "url", words[0]);
	json_array_add_object_element (refs, ref);
}

static void
add_reference_strings (JsonArray *refs, GHashTable *seen, JsonArray *urls)
{
	guint n = urls ? json_array_get_length (urls) : 0;

	for (guint i = 0; i < n; i++)
		add_reference (refs, seen, array_string (urls, i));
}

static void
add_review_refs (JsonObject *reviews, JsonArray *refs, GHashTable *seen)
{
	JsonObjectIter iter;
	const char *series;
	JsonNode *node;

	if (!reviews)
		return;
	json_object_iter_init (&iter, reviews);
	while (json_object_iter_next (&iter, &series, &node))
		if (JSON_NODE_HOLDS_ARRAY (node))
			add_reference_strings (refs, seen, json_node_get_array (node));
}

/* The VMT publishes every OSSA at a stable address derived from its id. */
static char *
advisory_url (JsonObject *record)
{
	const char *id = vulnd_record_id (record);
	const char *kind = vulnd_record_kind (record);

	if (kind && g_str_equal (kind, "ossa"))
		return g_strdup_printf ("https://security.openstack.org/ossa/%s.html", id);
	if (kind && g_str_equal (kind, "ossn"))
		return g_strdup_printf ("https://wiki.openstack.org/wiki/OSSN/%s", id);
	return NULL;
}

static JsonArray *
osv_references (JsonObject *record)
{
	JsonArray *refs = json_array_new ();
	g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *advisory = advisory_url (record);

	add_reference (refs, seen, advisory);
	add_reference_strings (refs, seen, vulnd_json_get_array (vulnd_json_get_object (record, "issues"), "links"));
	add_review_refs (vulnd_json_get_object (record, "reviews"), refs, seen);
	add_reference_strings (refs, seen, vulnd_json_get_array (record, "references"));
	return refs;
}

static JsonArray *
osv_credits (JsonObject *record)
{
	JsonArray *reporters = vulnd_json_get_array (record, "reporters");
	guint n = reporters ? json_array_get_length (reporters) : 0;
	JsonArray *credits = json_array_new ();

	for (guint i = 0; i < n; i++) {
		const char *name = vulnd_json_get_string (array_object (reporters, i), "name");
		JsonObject *credit;

		if (!name || !*name)
			continue;
		credit = json_object_new ();
		json_object_set_string_member (credit, "name", name);
		json_object_set_string_member (credit, "type", "FINDER");
		json_array_add_object_element (credits, credit);
	}
	return credits;
}

static void
copy_member (JsonObject *to, JsonObject *from, const char *name, const char *as)
{
	JsonNode *n = from ? json_object_get_member (from, name) : NULL;

	if (n)
		json_object_set_member (to, as ? as : name, json_node_copy (n));
}

static JsonObject *
osv_database_specific (JsonObject *record)
{
	JsonObject *o = json_object_new ();
	JsonObject *source = vulnd_json_get_object (record, "source");

	copy_member (o, record, "kind", NULL);
	json_object_set_int_member (o, "revision", vulnd_record_revision (record));
	copy_member (o, record, "reviews", NULL);
	copy_member (o, record, "notes", NULL);
	copy_member (o, record, "errata", NULL);
	copy_member (o, source, "signature", NULL);
	copy_member (o, source, "message-id", NULL);
	copy_member (o, record, "warnings", NULL);
	for (const char *const *s = (const char *const[]) { "affected", "recommended-actions", NULL };
	     *s; s++)
		copy_member (o, record, *s, NULL);
	return o;
}

/* Security notes have no description: their summary section stands in. */
static const char *
osv_details (JsonObject *record)
{
	const char *text = vulnd_json_get_string (record, "description");

	if (!text || !*text)
		text = vulnd_json_get_string (record, "summary");
	if (!text || !*text)
		text = vulnd_json_get_string (record, "discussion");
	return text && *text ? text : NULL;
}

static void
set_array_unless_empty (JsonObject *o, const char *name, JsonArray *a)
{
	if (json_array_get_length (a) > 0)
		json_object_set_array_member (o, name, a);
	else
		json_array_unref (a);
}

static JsonArray *
osv_affected_all (JsonObject *record)
{
	JsonArray *products = vulnd_json_get_array (record, "affected-products");
	guint n = products ? json_array_get_length (products) : 0;
	JsonArray *affected = json_array_new ();

	for (guint i = 0; i < n; i++) {
		JsonObject *p = array_object (products, i);

		if (p && vulnd_json_get_string (p, "product") && *vulnd_json_get_string (p, "product"))
			json_array_add_object_element (affected, osv_affected (p));
	}
	return affected;
}

JsonObject *
vulnd_record_to_osv (JsonObject *record)
{
	const char *id = record ? vulnd_record_id (record) : NULL;
	JsonObject *osv;
	g_autofree char *modified = NULL;
	g_autofree char *published = NULL;
	g_auto (GStrv) cves = NULL;
	JsonArray *aliases;

	if (!id || !*id)
		return NULL;
	osv = json_object_new ();
	modified = osv_modified (record);
	published = osv_timestamp (vulnd_record_date (record));
	json_object_set_string_member (osv, "schema_version", VULND_OSV_SCHEMA_VERSION);
	json_object_set_string_member (osv, "id", id);
	if (modified)
		json_object_set_string_member (osv, "modified", modified);
	if (published)
		json_object_set_string_member (osv, "published", published);
	cves = vulnd_record_cves (record);
	aliases = json_array_new ();
	for (char **c = cves; *c; c++)
		json_array_add_string_element (aliases, *c);
	set_array_unless_empty (osv, "aliases", aliases);
	if (vulnd_record_title (record))
		json_object_set_string_member (osv, "summary", vulnd_record_title (record));
	if (osv_details (record))
		json_object_set_string_member (osv, "details", osv_details (record));
	set_array_unless_empty (osv, "affected", osv_affected_all (record));
	set_array_unless_empty (osv, "references", osv_references (record));
	set_array_unless_empty (osv, "credits", osv_credits (record));
	json_object_set_object_member (osv, "database_specific", osv_database_specific (record));
	return osv;
}

/* An id becomes a file name: refuse anything that could leave DIR. */
static gboolean
id_is_file_name (const char *id)
{
	if (!id || !*id || id[0] == '.')
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	return TRUE;
}

static gboolean
write_osv_file (JsonObject *record, const char *dir, GError **error)
{
	const char *id = vulnd_record_id (record);
	g_autoptr (JsonObject) osv = NULL;
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
	g_autofree char *text = NULL;
	g_autofree char *name = NULL;
	g_autofree char *path = NULL;

	if (!id_is_file_name (id)) {
		g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_INVALID,
		             "record without a usable id (%s)", id ? id : "none");
		return FALSE;
	}
	osv = vulnd_record_to_osv (record);
	json_node_set_object (node, osv);
	text = json_to_string (node, TRUE);
	name = g_strconcat (id, ".json", NULL);
	path = g_build_filename (dir, name, NULL);
	if (!g_file_set_contents (path, text, -1, error)) {
		g_prefix_error (error, "OSV export: ");
		if (error && *error) {
			(*error)->domain = VULND_EXPORT_ERROR;
			(*error)->code = VULND_EXPORT_ERROR_IO;
		}
		return FALSE;
	}
	return TRUE;
}

gboolean
vulnd_export_osv_dir (GPtrArray *records, const char *dir, GError **error)
{
	if (g_mkdir_with_parents (dir, 0755) < 0) {
		int saved = errno;
		g_set_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_IO,
		             "cannot create %s: %s", dir, g_strerror (saved));
		return FALSE;
	}
	for (guint i = 0; records && i < records->len; i++)
		if (!write_osv_file (records->pdata[i], dir, error))
			return FALSE;
	return TRUE;
}
