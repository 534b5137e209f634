/* test-export.c - JSON, CSV and OSV exports over invented fixture records
 * (tests/fixtures/export/records.json).
 *
 * Also a helper for tests/export-osv.sh:
 *   test-export --osv-from-json FILE DIR   (FILE: a JSON array of records)
 *   test-export --csv-from-json FILE       (CSV on stdout)
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "vulnd-db.h"
#include "export.h"
#include "tests/test-util.h"

/* ---- helpers ------------------------------------------------------------ */

static GPtrArray *
load_records (const char *path, GError **error)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	JsonNode *root;
	JsonArray *array;

	if (!json_parser_load_from_file (parser, path, error))
		return NULL;
	root = json_parser_get_root (parser);
	if (!root || !JSON_NODE_HOLDS_ARRAY (root)) {
		g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a JSON array", path);
		return NULL;
	}
	array = json_node_get_array (root);
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *n = json_array_get_element (array, i);

		if (JSON_NODE_HOLDS_OBJECT (n))
			g_ptr_array_add (records, json_object_ref (json_node_get_object (n)));
	}
	return g_steal_pointer (&records);
}

static GPtrArray *
fixtures (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = g_build_filename (TOP_SRCDIR, "tests", "fixtures", "export",
	                                          "records.json", NULL);
	GPtrArray *records = load_records (path, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 3);
	return records;
}

static JsonObject *
fixture (GPtrArray *records, const char *id)
{
	for (guint i = 0; i < records->len; i++)
		if (g_strcmp0 (vulnd_record_id (records->pdata[i]), id) == 0)
			return records->pdata[i];
	g_assert_not_reached ();
}

static JsonArray *
parse_ranges (const char *json)
{
	g_autoptr (JsonParser) parser = json_parser_new ();

	g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
	return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

/* An RFC 4180 reader, written independently of the writer under test. */
static GPtrArray *
csv_read (const char *text)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
	GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
	GString *field = g_string_new (NULL);
	const char *p = text;

	while (*p) {
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"') {
					g_string_append_c (field, '"');
					p++;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					g_string_append_c (field, *p);
				}
			}
		} else if (*p == ',') {
			g_ptr_array_add (row, g_strdup (field->str));
			g_string_truncate (field, 0);
			p++;
		} else if (*p == '\r' && p[1] == '\n') {
			g_ptr_array_add (row, g_strdup (field->str));
			g_string_truncate (field, 0);
			g_ptr_array_add (rows, row);
			row = g_ptr_array_new_with_free_func (g_free);
			p += 2;
		} else {
			g_string_append_c (field, *p++);
		}
	}
	g_assert_cmpuint (row->len, ==, 0);  /* every row ends with CRLF */
	g_assert_cmpuint (field->len, ==, 0);
	g_ptr_array_unref (row);
	g_string_free (field, TRUE);
	return rows;
}

static const char *
cell (GPtrArray *rows, guint r, guint c)
{
	GPtrArray *row = rows->pdata[r];

	g_assert_cmpuint (c, <, row->len);
	return row->pdata[c];
}

/* ---- ranges text -------------------------------------------------------- */

static void
test_ranges_text (void)
{
	static const struct { const char *json, *text; } cases[] = {
		{ "[]", "" },
		{ "[{\"introduced\":\"0\",\"fixed\":\"20.2.1\"}]", "<20.2.1" },
		{ "[{\"introduced\":\"0\",\"fixed\":\"20.2.1\"},{\"introduced\":\"21.0.0\",\"fixed\":\"21.2.1\"}]",
		  "<20.2.1; >=21.0.0 <21.2.1" },
		{ "[{\"introduced\":\"22.0.0\",\"last_affected\":\"22.0.0\"}]", "==22.0.0" },
		{ "[{\"introduced\":\"0\",\"last_affected\":\"2014.1.3\"}]", "<=2014.1.3" },
		{ "[{\"introduced\":\"2014.2\",\"last_affected\":\"2014.2.1\"}]", ">=2014.2 <=2014.2.1" },
		{ "[{\"introduced\":\"2013.1\"}]", ">=2013.1" },
		{ "[{\"introduced\":\"0\"}]", ">=0" },
		{ "[{\"fixed\":\"1.0\"}]", "<1.0" },
		{ "[\"junk\", {\"introduced\":\"0\",\"fixed\":\"1.0\"}]", "<1.0" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (JsonArray) ranges = parse_ranges (cases[i].json);
		g_autofree char *text = vulnd_ranges_to_text (ranges);

		g_assert_cmpstr (text, ==, cases[i].text);
	}
	{
		g_autofree char *none = vulnd_ranges_to_text (NULL);
		g_assert_cmpstr (none, ==, "");
	}
}

/* ---- CSV ---------------------------------------------------------------- */

static void
test_csv_field (void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "cr\rhere", "\"cr\rhere\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "Zoë – ünïcode", "Zoë – ünïcode" },
		{ "\"", "\"\"\"\"" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (GString) s = g_string_new (NULL);

		vulnd_csv_append_field (s, cases[i].in);
		g_assert_cmpstr (s->str, ==, cases[i].out);
	}
}

static void
test_csv_export (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autofree char *csv = vulnd_export_csv (records);
	g_autoptr (GPtrArray) rows = NULL;

	g_assert_true (g_str_has_prefix (csv, VULND_CSV_HEADER "\r\n"));
	g_assert_true (g_utf8_validate (csv, -1, NULL));
	rows = csv_read (csv);
	/* header + 2 products of 001 + 1 of 002 + 1 product-less row of 9901 */
	g_assert_cmpuint (rows->len, ==, 5);
	for (guint r = 0; r < rows->len; r++)
		g_assert_cmpuint (((GPtrArray *) rows->pdata[r])->len, ==, 10);
	g_assert_cmpstr (cell (rows, 0, 9), ==, "signature");

	g_assert_cmpstr (cell (rows, 1, 0), ==, "OSSA-2099-001");
	g_assert_cmpstr (cell (rows, 1, 1), ==, "ossa");
	g_assert_cmpstr (cell (rows, 1, 2), ==, "2");
	g_assert_cmpstr (cell (rows, 1, 3), ==, "2099-03-14");
	g_assert_cmpstr (cell (rows, 1, 4), ==,
	                 "Quota bypass through \"nested\" widget requests, in Frobnicator");
	g_assert_cmpstr (cell (rows, 1, 5), ==, "frobnicator");
	g_assert_cmpstr (cell (rows, 1, 6), ==, "<20.2.1, >=21.0.0 <21.2.1, ==22.0.0");
	g_assert_cmpstr (cell (rows, 1, 7), ==, "<20.2.1; >=21.0.0 <21.2.1; ==22.0.0");
	g_assert_cmpstr (cell (rows, 1, 8), ==, "CVE-2099-0001 CVE-2099-0002");
	g_assert_cmpstr (cell (rows, 1, 9), ==, "verified");

	g_assert_cmpstr (cell (rows, 2, 0), ==, "OSSA-2099-001");
	g_assert_cmpstr (cell (rows, 2, 5), ==, "python-frobclient");
	g_assert_cmpstr (cell (rows, 2, 7), ==, "<=3.1.0");

	g_assert_cmpstr (cell (rows, 3, 5), ==, "gadget");
	g_assert_cmpstr (cell (rows, 3, 6), ==, "Zebra and earlier, some Yak builds");
	g_assert_cmpstr (cell (rows, 3, 7), ==, "");
	g_assert_cmpstr (cell (rows, 3, 9), ==, "unknown-key");

	g_assert_cmpstr (cell (rows, 4, 0), ==, "OSSN-9901");
	g_assert_cmpstr (cell (rows, 4, 4), ==, "Widget consoles,\nwhen left open, expose sessions");
	g_assert_cmpstr (cell (rows, 4, 5), ==, "");
	g_assert_cmpstr (cell (rows, 4, 8), ==, "");
	g_assert_cmpstr (cell (rows, 4, 9), ==, "unsigned");
}

static void
test_csv_empty (void)
{
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	g_autofree char *csv = vulnd_export_csv (none);

	g_assert_cmpstr (csv, ==, VULND_CSV_HEADER "\r\n");
}

/* Python's csv module reads back exactly the fields written. */
static void
test_csv_python (void)
{
	g_autofree char *python = g_find_program_in_path ("python3");
	g_autoptr (GPtrArray) records = fixtures ();
	g_autofree char *csv = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;
	g_autofree char *out = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) rows = NULL;
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonArray *py;
	int status = 0;
	const char *script =
		"import csv, json, sys\n"
		"with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
		"    print(json.dumps(list(csv.reader(f, strict=True))))\n";

	if (!python) {
		g_test_skip ("python3 not found");
		return;
	}
	csv = vulnd_export_csv (records);
	dir = g_dir_make_tmp ("vulnd-export-XXXXXX", &error);
	g_assert_no_error (error);
	path = g_build_filename (dir, "export.csv", NULL);
	g_assert_true (g_file_set_contents (path, csv, -1, &error));
	{
		const char *argv[] = { python, "-c", script, path, NULL };
		g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
		                             &out, NULL, &status, &error));
	}
	g_assert_no_error (error);
	g_assert_true (g_spawn_check_wait_status (status, NULL));
	g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
	py = json_node_get_array (json_parser_get_root (parser));
	rows = csv_read (csv);
	g_assert_cmpuint (json_array_get_length (py), ==, rows->len);
	for (guint r = 0; r < rows->len; r++) {
		JsonArray *pyrow = json_array_get_array_element (py, r);
		GPtrArray *row = rows->pdata[r];

		g_assert_cmpuint (json_array_get_length (pyrow), ==, row->len);
		for (guint c = 0; c < row->len; c++)
			g_assert_cmpstr (json_array_get_string_element (pyrow, c), ==, row->pdata[c]);
	}
	g_unlink (path);
	g_rmdir (dir);
}

/* ---- JSON --------------------------------------------------------------- */

static void
test_json_export (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autofree char *json = vulnd_export_json (records, TRUE);
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonArray *array;

	g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
	array = json_node_get_array (json_parser_get_root (parser));
	g_assert_cmpuint (json_array_get_length (array), ==, 3);
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "id"),
	                 ==, "OSSN-9901");
}

/* ---- OSV ---------------------------------------------------------------- */

static const char *
event_value (JsonArray *events, guint i, const char *name)
{
	JsonObject *e = json_array_get_object_element (events, i);

	g_assert_cmpuint (json_object_get_size (e), ==, 1);
	return json_object_get_string_member_with_default (e, name, NULL);
}

static void
assert_range (JsonArray *ranges, guint i, const char *intro, const char *end_name,
              const char *end)
{
	JsonObject *range = json_array_get_object_element (ranges, i);
	JsonArray *events = json_object_get_array_member (range, "events");

	g_assert_cmpstr (json_object_get_string_member (range, "type"), ==, "ECOSYSTEM");
	g_assert_cmpuint (json_array_get_length (events), ==, end ? 2 : 1);
	g_assert_cmpstr (event_value (events, 0, "introduced"), ==, intro);
	if (end)
		g_assert_cmpstr (event_value (events, 1, end_name), ==, end);
}

static const char *
reference_of_type (JsonArray *refs, const char *url)
{
	for (guint i = 0; i < json_array_get_length (refs); i++) {
		JsonObject *r = json_array_get_object_element (refs, i);

		if (g_str_equal (json_object_get_string_member (r, "url"), url))
			return json_object_get_string_member (r, "type");
	}
	return NULL;
}

static void
test_osv_full (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autoptr (JsonObject) osv = vulnd_record_to_osv (fixture (records, "OSSA-2099-001"));
	JsonArray *aliases, *affected, *ranges, *refs, *credits;
	JsonObject *a0, *a1, *pkg, *specific, *sig;

	g_assert_nonnull (osv);
	g_assert_cmpstr (json_object_get_string_member (osv, "schema_version"), ==, "1.6.0");
	g_assert_cmpstr (json_object_get_string_member (osv, "id"), ==, "OSSA-2099-001");
	/* received 17:30:05+02:00 is 15:30:05 UTC */
	g_assert_cmpstr (json_object_get_string_member (osv, "modified"), ==, "2099-03-16T15:30:05Z");
	g_assert_cmpstr (json_object_get_string_member (osv, "published"), ==, "2099-03-14T00:00:00Z");
	aliases = json_object_get_array_member (osv, "aliases");
	g_assert_cmpuint (json_array_get_length (aliases), ==, 2);
	g_assert_cmpstr (json_array_get_string_element (aliases, 0), ==, "CVE-2099-0001");
	g_assert_cmpstr (json_array_get_string_element (aliases, 1), ==, "CVE-2099-0002");
	g_assert_cmpstr (json_object_get_string_member (osv, "summary"), ==,
	                 "Quota bypass through \"nested\" widget requests, in Frobnicator");
	g_assert_true (g_str_has_prefix (json_object_get_string_member (osv, "details"),
	                                 "Ada Placeholder from Example Labs"));

	affected = json_object_get_array_member (osv, "affected");
	g_assert_cmpuint (json_array_get_length (affected), ==, 2);
	a0 = json_array_get_object_element (affected, 0);
	pkg = json_object_get_object_member (a0, "package");
	g_assert_cmpstr (json_object_get_string_member (pkg, "ecosystem"), ==, "PyPI");
	g_assert_cmpstr (json_object_get_string_member (pkg, "name"), ==, "frobnicator");
	g_assert_false (json_object_has_member (a0, "versions"));
	ranges = json_object_get_array_member (a0, "ranges");
	g_assert_cmpuint (json_array_get_length (ranges), ==, 3);
	assert_range (ranges, 0, "0", "fixed", "20.2.1");
	assert_range (ranges, 1, "21.0.0", "fixed", "21.2.1");
	assert_range (ranges, 2, "22.0.0", "last_affected", "22.0.0");
	specific = json_object_get_object_member (a0, "database_specific");
	g_assert_cmpstr (json_object_get_string_member (specific, "version"), ==,
	                 "<20.2.1, >=21.0.0 <21.2.1, ==22.0.0");
	a1 = json_array_get_object_element (affected, 1);
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (a1, "package"), "name"),
	                 ==, "python-frobclient");
	assert_range (json_object_get_array_member (a1, "ranges"), 0, "0", "last_affected", "3.1.0");

	refs = json_object_get_array_member (osv, "references");
	g_assert_cmpstr (reference_of_type (refs, "https://security.openstack.org/ossa/OSSA-2099-001.html"),
	                 ==, "ADVISORY");
	g_assert_cmpstr (reference_of_type (refs, "https://launchpad.net/bugs/9990001"), ==, "REPORT");
	g_assert_cmpstr (reference_of_type (refs, "https://launchpad.net/bugs/9990002"), ==, "REPORT");
	g_assert_cmpstr (reference_of_type (refs, "https://review.opendev.org/999001"), ==, "FIX");
	g_assert_cmpstr (reference_of_type (refs, "https://review.opendev.org/999002"), ==, "FIX");
	g_assert_cmpstr (reference_of_type (refs, "https://example.org/frob/notes"), ==, "WEB");
	/* each URL once; the "(CVE-...)" tail and the non-URL dropped */
	g_assert_cmpuint (json_array_get_length (refs), ==, 6);

	credits = json_object_get_array_member (osv, "credits");
	g_assert_cmpuint (json_array_get_length (credits), ==, 2);
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (credits, 0), "name"),
	                 ==, "Ada Placeholder");
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (credits, 1), "type"),
	                 ==, "FINDER");

	specific = json_object_get_object_member (osv, "database_specific");
	g_assert_cmpstr (json_object_get_string_member (specific, "kind"), ==, "ossa");
	g_assert_cmpint (json_object_get_int_member (specific, "revision"), ==, 2);
	g_assert_true (json_object_has_member (json_object_get_object_member (specific, "reviews"),
	                                       "2099.1/zebra"));
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (specific, "notes")), ==, 1);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (specific, "errata")), ==, 1);
	sig = json_object_get_object_member (specific, "signature");
	g_assert_cmpstr (json_object_get_string_member (sig, "status"), ==, "verified");
}

static void
test_osv_unknown_ranges (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autoptr (JsonObject) osv = vulnd_record_to_osv (fixture (records, "OSSA-2099-002"));
	JsonArray *affected = json_object_get_array_member (osv, "affected");
	JsonObject *a0 = json_array_get_object_element (affected, 0);
	JsonObject *specific = json_object_get_object_member (a0, "database_specific");

	/* no source.received, no errata: modified falls back to the date */
	g_assert_cmpstr (json_object_get_string_member (osv, "modified"), ==, "2099-04-01T00:00:00Z");
	g_assert_cmpuint (json_array_get_length (affected), ==, 1);
	g_assert_false (json_object_has_member (a0, "ranges"));
	g_assert_cmpstr (json_object_get_string_member (specific, "version"), ==,
	                 "Zebra and earlier, some Yak builds");
	g_assert_cmpstr (json_object_get_string_member (specific, "ranges"), ==, "not understood");
	specific = json_object_get_object_member (osv, "database_specific");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (specific, "signature"),
	                                                "status"), ==, "unknown-key");
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (specific, "warnings")), ==, 1);
	/* only the advisory's own page: the record lists no other URL */
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (osv, "references")), ==, 1);
}

static void
test_osv_note (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autoptr (JsonObject) osv = vulnd_record_to_osv (fixture (records, "OSSN-9901"));
	JsonArray *refs = json_object_get_array_member (osv, "references");

	g_assert_cmpstr (json_object_get_string_member (osv, "details"), ==,
	                 "Widget consoles left open keep the session alive for ever.");
	g_assert_false (json_object_has_member (osv, "affected"));
	g_assert_false (json_object_has_member (osv, "aliases"));
	g_assert_false (json_object_has_member (osv, "credits"));
	g_assert_cmpuint (json_array_get_length (refs), ==, 1);
	g_assert_cmpstr (reference_of_type (refs, "https://wiki.openstack.org/wiki/OSSN/OSSN-9901"),
	                 ==, "ADVISORY");
	g_assert_cmpstr (json_object_get_string_member (osv, "modified"), ==, "2099-05-20T08:00:00Z");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (osv, "database_specific"),
	                                                "kind"), ==, "ossn");
}

static void
test_osv_no_id (void)
{
	g_autoptr (JsonObject) record = json_object_new ();
	g_autoptr (GPtrArray) records = g_ptr_array_new ();
	g_autoptr (GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp ("vulnd-export-XXXXXX", NULL);

	json_object_set_string_member (record, "title", "no id here");
	g_assert_null (vulnd_record_to_osv (record));
	g_ptr_array_add (records, record);
	g_assert_false (vulnd_export_osv_dir (records, dir, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_INVALID);
	g_clear_error (&error);

	/* an id that would leave the directory is refused, not written */
	json_object_set_string_member (record, "id", "../OSSA-2099-666");
	g_assert_false (vulnd_export_osv_dir (records, dir, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_INVALID);
	g_assert_false (g_file_test ("OSSA-2099-666.json", G_FILE_TEST_EXISTS));
	g_rmdir (dir);
}

static void
test_osv_dir (void)
{
	g_autoptr (GPtrArray) records = fixtures ();
	g_autoptr (GError) error = NULL;
	g_autofree char *tmp = g_dir_make_tmp ("vulnd-export-XXXXXX", NULL);
	g_autofree char *dir = g_build_filename (tmp, "osv", NULL);
	g_autofree char *blocker = g_build_filename (tmp, "file", NULL);
	g_autofree char *under_file = g_build_filename (blocker, "osv", NULL);

	g_assert_true (vulnd_export_osv_dir (records, dir, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < records->len; i++) {
		const char *id = vulnd_record_id (records->pdata[i]);
		g_autofree char *name = g_strconcat (id, ".json", NULL);
		g_autofree char *path = g_build_filename (dir, name, NULL);
		g_autoptr (JsonParser) parser = json_parser_new ();
		JsonObject *osv;

		g_assert_true (json_parser_load_from_file (parser, path, &error));
		osv = json_node_get_object (json_parser_get_root (parser));
		g_assert_cmpstr (json_object_get_string_member (osv, "id"), ==, id);
		g_assert_true (json_object_has_member (osv, "modified"));
	}
	/* a directory that cannot be created is an I/O error */
	g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
	g_assert_false (vulnd_export_osv_dir (records, under_file, &error));
	g_assert_error (error, VULND_EXPORT_ERROR, VULND_EXPORT_ERROR_IO);
	test_remove_tree (dir);
	g_unlink (blocker);
	g_rmdir (tmp);
}

/* ---- helper mode for the shell tests ------------------------------------ */

static int
run_tool (int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records = NULL;

	if (argc < 3)
		return 2;
	records = load_records (argv[2], &error);
	if (!records)
		goto fail;
	if (g_str_equal (argv[1], "--osv-from-json") && argc == 4) {
		if (!vulnd_export_osv_dir (records, argv[3], &error))
			goto fail;
		return 0;
	}
	if (g_str_equal (argv[1], "--csv-from-json")) {
		g_autofree char *csv = vulnd_export_csv (records);
		fputs (csv, stdout);
		return 0;
	}
	return 2;
fail:
	g_printerr ("%s\n", error->message);
	return 3;
}

int
main (int argc, char **argv)
{
	if (argc > 1 && g_str_has_suffix (argv[1], "-from-json"))
		return run_tool (argc, argv);
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/export/ranges-text", test_ranges_text);
	g_test_add_func ("/export/csv/field", test_csv_field);
	g_test_add_func ("/export/csv/records", test_csv_export);
	g_test_add_func ("/export/csv/empty", test_csv_empty);
	g_test_add_func ("/export/csv/python-reads-back", test_csv_python);
	g_test_add_func ("/export/json", test_json_export);
	g_test_add_func ("/export/osv/full", test_osv_full);
	g_test_add_func ("/export/osv/unknown-ranges", test_osv_unknown_ranges);
	g_test_add_func ("/export/osv/note", test_osv_note);
	g_test_add_func ("/export/osv/no-id", test_osv_no_id);
	g_test_add_func ("/export/osv/dir", test_osv_dir);
	return g_test_run ();
}
