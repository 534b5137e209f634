/* record.c - advisory records as JSON objects (shared/docs/record.md). */
#include "config.h"

#include <string.h>

#include "regex-jit.h"
#include "vulnd-db.h"

char *
vulnd_record_to_json (JsonObject *record, gboolean pretty)
{
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

	json_node_set_object (node, record);
	return json_to_string (node, pretty);
}

char *
vulnd_records_to_json (GPtrArray *records, gboolean pretty)
{
	g_autoptr (JsonArray) array = json_array_sized_new (records->len);
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

	for (guint i = 0; i < records->len; i++)
		json_array_add_object_element (array, json_object_ref (records->pdata[i]));
	json_node_set_array (node, array);
	return json_to_string (node, pretty);
}

JsonObject *
vulnd_record_from_json (const char *text, gssize len, GError **error)
{
	/* Not json_parser_new_immutable (): sealing walks the whole tree again
	 * (about 10% of a query's parse time) and no caller relies on it. */
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonNode *root;

	if (!json_parser_load_from_data (parser, text, len, error))
		return NULL;
	root = json_parser_get_root (parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
		             "a record must be a JSON object");
		return NULL;
	}
	return json_object_ref (json_node_get_object (root));
}

const char *
vulnd_json_get_string (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	if (!n || json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

JsonArray *
vulnd_json_get_array (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

JsonObject *
vulnd_json_get_object (JsonObject *o, const char *name)
{
	JsonNode *n = o ? json_object_get_member (o, name) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

const char *vulnd_record_id (JsonObject *r) { return vulnd_json_get_string (r, "id"); }
const char *vulnd_record_kind (JsonObject *r) { return vulnd_json_get_string (r, "kind"); }
const char *vulnd_record_title (JsonObject *r) { return vulnd_json_get_string (r, "title"); }
const char *vulnd_record_date (JsonObject *r) { return vulnd_json_get_string (r, "date"); }

gint64
vulnd_record_revision (JsonObject *r)
{
	JsonNode *n = json_object_get_member (r, "revision");

	return n && json_node_get_value_type (n) == G_TYPE_INT64 ? json_node_get_int (n) : 1;
}

const char *
vulnd_record_signature_status (JsonObject *r)
{
	JsonObject *sig = vulnd_json_get_object (vulnd_json_get_object (r, "source"), "signature");

	return vulnd_json_get_string (sig, "status");
}

/* Collect one string member of each object element of an array. */
static char **
collect_members (JsonArray *array, const char *name, gboolean lower)
{
	GPtrArray *out = g_ptr_array_new ();

	for (guint i = 0; array && i < json_array_get_length (array); i++) {
		JsonNode *n = json_array_get_element (array, i);
		const char *s;

		if (!JSON_NODE_HOLDS_OBJECT (n))
			continue;
		s = vulnd_json_get_string (json_node_get_object (n), name);
		if (s && *s)
			g_ptr_array_add (out, lower ? g_ascii_strdown (s, -1) : g_strdup (s));
	}
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

char **
vulnd_record_cves (JsonObject *r)
{
	return collect_members (vulnd_json_get_array (r, "vulnerabilities"), "cve-id", FALSE);
}

char **
vulnd_record_products (JsonObject *r)
{
	return collect_members (vulnd_json_get_array (r, "affected-products"), "product", TRUE);
}

/* One "label  value" line; continuation lines of a table leave LABEL empty. */
static void
append_row (GString *s, const char *label, const char *value)
{
	if (value && *value)
		g_string_append_printf (s, "  %-11s %s\n", label, value);
}

static void
append_list (GString *s, const char *label, char **items)
{
	if (!items || !items[0])
		return;
	g_autofree char *joined = g_strjoinv (", ", items);
	append_row (s, label, joined);
}

/* Each element of a string array on its own row. */
static void
append_strings (GString *s, const char *label, JsonArray *array)
{
	for (guint i = 0; array && i < json_array_get_length (array); i++) {
		JsonNode *n = json_array_get_element (array, i);
		if (json_node_get_value_type (n) == G_TYPE_STRING)
			append_row (s, i ? "" : label, json_node_get_string (n));
	}
}

/* Compiled once per process: `vulnctl show` wraps several texts, and
 * compiling a pattern per paragraph cost more than the JSON parse.  JIT
 * where allowed (regex-jit.h); record strings are valid UTF-8. */
static GRegex *
cached_regex (GRegex **slot, const char *pattern)
{
	if (g_once_init_enter (slot))
		g_once_init_leave (slot, g_regex_new (pattern, vulnd_regex_jit (), 0, NULL));
	return *slot;
}

static GRegex *
paragraph_break_re (void)
{
	static GRegex *re;

	return cached_regex (&re, "\n\\s*\n");
}

static GRegex *
blanks_re (void)
{
	static GRegex *re;

	return cached_regex (&re, "\\s+");
}

/* Text of paragraphs, each wrapped at 76 columns and indented under LABEL. */
static void
append_text (GString *s, const char *label, const char *text)
{
	g_auto (GStrv) paragraphs = NULL;

	if (!text || !*text)
		return;
	g_string_append_printf (s, "  %s:\n", label);
	paragraphs = g_regex_split (paragraph_break_re (), text, 0);
	for (char **p = paragraphs; *p; p++) {
		g_auto (GStrv) words = g_regex_split (blanks_re (), *p, 0);
		gsize col = 0;

		if (p != paragraphs)
			g_string_append_c (s, '\n');
		g_string_append (s, "   ");
		for (char **w = words; *w; w++) {
			if (!**w)
				continue;
			if (col + strlen (*w) > 72 && col > 0) {
				g_string_append (s, "\n   ");
				col = 0;
			}
			g_string_append_printf (s, " %s", *w);
			col += strlen (*w) + 1;
		}
		g_string_append_c (s, '\n');
	}
}

static void
append_products (GString *s, JsonArray *products)
{
	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonObject *p = json_array_get_object_element (products, i);
		JsonArray *ranges = vulnd_json_get_array (p, "ranges");
		g_autofree char *row = g_strdup_printf (
			"%s: %s%s", vulnd_json_get_string (p, "product") ? vulnd_json_get_string (p, "product") : "?",
			vulnd_json_get_string (p, "version") ? vulnd_json_get_string (p, "version") : "?",
			ranges && json_array_get_length (ranges) ? "" : "  (ranges not understood)");
		append_row (s, i ? "" : "affects", row);
	}
}

static void
append_reviews (GString *s, JsonObject *reviews)
{
	g_autoptr (GList) branches = reviews ? json_object_get_members (reviews) : NULL;
	gboolean first = TRUE;

	for (GList *b = branches; b; b = b->next) {
		JsonArray *urls = vulnd_json_get_array (reviews, b->data);
		for (guint i = 0; urls && i < json_array_get_length (urls); i++) {
			g_autofree char *row = g_strdup_printf ("%s (%s)",
			                                        json_array_get_string_element (urls, i),
			                                        (char *) b->data);
			append_row (s, first ? "patches" : "", row);
			first = FALSE;
		}
	}
}

static void
append_reporters (GString *s, JsonArray *reporters)
{
	for (guint i = 0; reporters && i < json_array_get_length (reporters); i++) {
		JsonObject *r = json_array_get_object_element (reporters, i);
		const char *aff = vulnd_json_get_string (r, "affiliation");
		g_autofree char *row = g_strdup_printf ("%s%s%s%s",
		                                        vulnd_json_get_string (r, "name") ? vulnd_json_get_string (r, "name") : "?",
		                                        aff ? " (" : "", aff ? aff : "", aff ? ")" : "");
		append_row (s, i ? "" : "credits", row);
	}
}

static void
append_signature (GString *s, JsonObject *r)
{
	JsonObject *sig = vulnd_json_get_object (vulnd_json_get_object (r, "source"), "signature");
	const char *status = vulnd_json_get_string (sig, "status");
	const char *signer = vulnd_json_get_string (sig, "signer");
	g_autofree char *row = NULL;

	if (!status)
		return;
	row = g_strdup_printf ("%s%s%s%s", status, signer ? " by " : "", signer ? signer : "",
	                       g_str_equal (status, "verified") ? "" : "  (UNVERIFIED)");
	append_row (s, "signature", row);
}

char *
vulnd_record_to_text (JsonObject *r)
{
	GString *s = g_string_new (NULL);
	g_auto (GStrv) cves = vulnd_record_cves (r);
	JsonObject *issues = vulnd_json_get_object (r, "issues");
	JsonArray *errata = vulnd_json_get_array (r, "errata");
	gboolean ossn = g_strcmp0 (vulnd_record_kind (r), "ossn") == 0;

	g_string_append_printf (s, "%s  %s\n", vulnd_record_id (r) ? vulnd_record_id (r) : "(no id)",
	                        vulnd_record_title (r) ? vulnd_record_title (r) : "(no title)");
	append_row (s, "date", vulnd_record_date (r));
	if (vulnd_record_revision (r) > 1) {
		g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, vulnd_record_revision (r));
		append_row (s, "revision", rev);
	}
	append_list (s, "cve", cves);
	append_products (s, vulnd_json_get_array (r, "affected-products"));
	append_signature (s, r);
	append_text (s, ossn ? "summary" : "description",
	             vulnd_json_get_string (r, ossn ? "summary" : "description"));
	append_text (s, "affected", vulnd_json_get_string (r, "affected"));
	append_text (s, "recommended actions", vulnd_json_get_string (r, "recommended-actions"));
	append_reviews (s, vulnd_json_get_object (r, "reviews"));
	append_reporters (s, vulnd_json_get_array (r, "reporters"));
	append_strings (s, "bugs", vulnd_json_get_array (issues, "links"));
	append_strings (s, "notes", vulnd_json_get_array (r, "notes"));
	for (guint i = 0; errata && i < json_array_get_length (errata); i++) {
		JsonObject *e = json_array_get_object_element (errata, i);
		g_autofree char *label = g_strdup_printf ("erratum %" G_GINT64_FORMAT,
		                                          json_object_get_int_member_with_default (e, "number", i + 1));
		append_text (s, label, vulnd_json_get_string (e, "text"));
	}
	append_strings (s, "warnings", vulnd_json_get_array (r, "warnings"));
	return g_string_free (s, FALSE);
}
