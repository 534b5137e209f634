/* record.c - advisory records as JSON objects (shared/docs/record.md). */
#include "config.h"

#include <string.h>

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
	g_autoptr (JsonParser) parser = json_parser_new_immutable ();
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

static void
append_list (GString *s, const char *label, char **items)
{
	if (!items || !items[0])
		return;
	g_autofree char *joined = g_strjoinv (", ", items);
	g_string_append_printf (s, "  %-10s %s\n", label, joined);
}

char *
vulnd_record_to_text (JsonObject *r)
{
	GString *s = g_string_new (NULL);
	g_auto (GStrv) cves = vulnd_record_cves (r);
	JsonArray *products = vulnd_json_get_array (r, "affected-products");
	JsonArray *warnings = vulnd_json_get_array (r, "warnings");
	const char *sig = vulnd_record_signature_status (r);

	g_string_append_printf (s, "%s  %s\n", vulnd_record_id (r) ? vulnd_record_id (r) : "(no id)",
	                        vulnd_record_title (r) ? vulnd_record_title (r) : "(no title)");
	if (vulnd_record_date (r))
		g_string_append_printf (s, "  %-10s %s\n", "date", vulnd_record_date (r));
	if (vulnd_record_revision (r) > 1)
		g_string_append_printf (s, "  %-10s %" G_GINT64_FORMAT "\n", "revision",
		                        vulnd_record_revision (r));
	append_list (s, "cve", cves);
	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonObject *p = json_array_get_object_element (products, i);
		g_string_append_printf (s, "  %-10s %s: %s\n", i ? "" : "affects",
		                        vulnd_json_get_string (p, "product") ? vulnd_json_get_string (p, "product") : "?",
		                        vulnd_json_get_string (p, "version") ? vulnd_json_get_string (p, "version") : "?");
	}
	if (sig)
		g_string_append_printf (s, "  %-10s %s\n", "signature", sig);
	for (guint i = 0; warnings && i < json_array_get_length (warnings); i++)
		g_string_append_printf (s, "  %-10s %s\n", i ? "" : "warnings",
		                        json_array_get_string_element (warnings, i));
	return g_string_free (s, FALSE);
}
