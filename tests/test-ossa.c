/* test-ossa.c - OSSA field extraction, one test per era of the format.
 * Fixtures are written by this project, with invented content. */
#include "config.h"

#include <string.h>

#include "extract/extract.h"

static JsonObject *
extract_fixture (const char *name, const char *subject, const char *date)
{
	g_autofree char *path = g_build_filename (TOP_SRCDIR, "tests", "fixtures", "extract", name, NULL);
	g_autofree char *text = NULL;
	g_autoptr (GError) error = NULL;

	if (!g_file_get_contents (path, &text, NULL, &error))
		g_error ("%s: %s", path, error->message);
	VulndExtractInput in = { .subject = subject, .date = date, .text = text };
	g_autoptr (GPtrArray) records = vulnd_extract (&in);
	g_assert_cmpuint (records->len, ==, 1);
	return json_object_ref (g_ptr_array_index (records, 0));
}

static const char *
str (JsonObject *o, const char *member)
{
	return json_object_get_string_member_with_default (o, member, NULL);
}

static JsonObject *
nth_object (JsonObject *o, const char *member, guint i)
{
	JsonArray *a = json_object_get_array_member (o, member);
	g_assert_cmpuint (i, <, json_array_get_length (a));
	return json_array_get_object_element (a, i);
}

static guint
array_len (JsonObject *o, const char *member)
{
	if (!json_object_has_member (o, member))
		return 0;
	return json_array_get_length (json_object_get_array_member (o, member));
}

static const char *
review (JsonObject *r, const char *branch, guint i)
{
	JsonObject *reviews = json_object_get_object_member (r, "reviews");
	g_assert_true (json_object_has_member (reviews, branch));
	JsonArray *a = json_object_get_array_member (reviews, branch);
	g_assert_cmpuint (i, <, json_array_get_length (a));
	return json_array_get_string_element (a, i);
}

static gboolean
has_warning (JsonObject *r, const char *prefix)
{
	JsonArray *w = json_object_get_array_member (r, "warnings");
	for (guint i = 0; i < json_array_get_length (w); i++)
		if (g_str_has_prefix (json_array_get_string_element (w, i), prefix))
			return TRUE;
	return FALSE;
}

/* record.md fixes the order of the members */
static void
check_member_order (JsonObject *r)
{
	static const char *const order[] = {
		"schema", "kind", "id", "revision", "title", "date", "description",
		"affected-products", "vulnerabilities", "reporters", "issues", "reviews",
		"references", "notes", "errata", "warnings" };
	g_autoptr (GList) members = json_object_get_members (r);
	guint pos = 0;

	for (GList *l = members; l; l = l->next) {
		while (pos < G_N_ELEMENTS (order) && !g_str_equal (order[pos], l->data))
			pos++;
		g_assert_cmpuint (pos, <, G_N_ELEMENTS (order));
	}
	g_assert_cmpstr (g_list_last (members)->data, ==, "warnings");
}

static void
test_old_era (void)
{
	g_autoptr (JsonObject) r = extract_fixture ("ossa-2012-old.txt",
		"[OSSA 2012-042] Glimmer image server leaks (CVE-2099-0101)", NULL);

	g_assert_cmpstr (str (r, "id"), ==, "OSSA-2012-042");
	g_assert_cmpstr (str (r, "title"), ==, "Glimmer image server leaks owner tokens through debug headers");
	g_assert_cmpstr (str (r, "date"), ==, "2012-11-27");
	g_assert_true (g_str_has_prefix (str (r, "description"), "Ada Quill from Example Cloud Ltd reported"));
	g_assert_null (strchr (str (r, "description"), '\n'));
	JsonObject *p = nth_object (r, "affected-products", 0);
	g_assert_cmpstr (str (p, "product"), ==, "glimmer");
	g_assert_cmpstr (str (p, "version"), ==, "Essex, Folsom");
	g_assert_true (json_object_has_member (p, "ranges"));
	g_assert_cmpuint (array_len (r, "vulnerabilities"), ==, 2);
	g_assert_cmpstr (str (nth_object (r, "vulnerabilities", 1), "cve-id"), ==, "CVE-2099-0102");
	g_assert_cmpuint (array_len (r, "reporters"), ==, 2);
	JsonObject *rep = nth_object (r, "reporters", 0);
	g_assert_cmpstr (str (rep, "name"), ==, "Ada Quill");
	g_assert_cmpstr (str (rep, "affiliation"), ==, "Example Cloud Ltd");
	g_assert_cmpstr (str (nth_object (r, "reporters", 1), "name"), ==, "Bo Renner");
	g_assert_cmpstr (review (r, "grizzly", 0), ==, "https://review.openstack.org/70001");
	g_assert_cmpstr (review (r, "folsom", 0), ==, "https://review.openstack.org/70002");
	g_assert_cmpstr (review (r, "essex", 0), ==, "https://review.openstack.org/70003");
	g_assert_cmpuint (array_len (r, "references"), ==, 2);
	/* the notes stop before the signature */
	g_assert_cmpuint (array_len (r, "notes"), ==, 1);
	g_assert_false (json_object_has_member (r, "errata"));
	check_member_order (r);
}

/* 2011-2013: "Affects:" after "Products:" names the affected series; patches
 * under "Fixes:" as "Branch: URL" lines, or under "<Branch> fixes:". */
static void
test_old_era_affects (void)
{
	g_autoptr (JsonObject) r = extract_fixture ("ossa-2011-affects.txt",
		"[OSSA 2011-007] Sprocket API skips quota checks (CVE-2099-0201)", NULL);
	g_autoptr (JsonObject) r2 = extract_fixture ("ossa-2013-fixes.txt",
		"[OSSA 2013-031] Widget rescue mode exposes host files (CVE-2099-0301)", NULL);

	g_assert_cmpuint (array_len (r, "affected-products"), ==, 2);
	for (guint i = 0; i < 2; i++) {
		JsonObject *p = nth_object (r, "affected-products", i);
		g_assert_cmpstr (str (p, "product"), ==, i == 0 ? "sprocket" : "cog");
		g_assert_cmpstr (str (p, "version"), ==, "Diablo, Essex");
		/* the two series, as the matcher reads them */
		JsonArray *ranges = json_object_get_array_member (p, "ranges");
		g_assert_cmpuint (json_array_get_length (ranges), ==, 2);
		g_assert_cmpstr (str (json_array_get_object_element (ranges, 0), "introduced"), ==, "2011.3");
		g_assert_cmpstr (str (json_array_get_object_element (ranges, 1), "introduced"), ==, "2012.1");
	}
	g_assert_false (has_warning (r, "affected product not understood"));
	g_assert_false (has_warning (r, "no affected products"));
	/* the address is not part of the name */
	g_assert_cmpstr (str (nth_object (r, "reporters", 0), "name"), ==, "Cy Tester");
	/* as published: the 2026 tables also write "(development)" in the key */
	g_assert_cmpstr (review (r, "essex (development)", 0), ==, "https://review.openstack.org/#/c/80001");
	g_assert_cmpstr (review (r, "diablo", 0), ==, "https://review.openstack.org/#/c/80002");
	g_assert_false (has_warning (r, "no patches"));
	check_member_order (r);

	JsonObject *p = nth_object (r2, "affected-products", 0);
	g_assert_cmpstr (str (p, "product"), ==, "widget");
	g_assert_cmpstr (str (p, "version"), ==, "All versions");
	g_assert_cmpstr (review (r2, "icehouse", 1), ==, "https://review.openstack.org/80102");
	g_assert_cmpstr (review (r2, "havana", 0), ==, "https://review.openstack.org/80103");
}

static void
test_rst_era (void)
{
	g_autoptr (JsonObject) r = extract_fixture ("ossa-2019-rst.txt", NULL, NULL);

	g_assert_cmpstr (str (r, "title"), ==, "Quorum scheduler accepts forged host aggregates in multi-region setups");
	g_assert_cmpstr (str (r, "date"), ==, "2019-03-05");
	g_assert_cmpuint (array_len (r, "affected-products"), ==, 2);
	JsonObject *p = nth_object (r, "affected-products", 0);
	g_assert_cmpstr (str (p, "product"), ==, "quorum");
	g_assert_cmpstr (str (p, "version"), ==, "<12.0.4, >=13.0.0 <13.0.2, ==14.0.0");
	g_assert_cmpstr (str (nth_object (r, "affected-products", 1), "product"), ==, "quorum-dashboard");
	g_assert_cmpuint (array_len (r, "vulnerabilities"), ==, 2);
	/* "Name from Org (CVE, CVE)", "Name (CVE)", "Name (Org) (CVE)" */
	JsonObject *a = nth_object (r, "reporters", 0);
	g_assert_cmpstr (str (a, "name"), ==, "Cara Lind");
	g_assert_cmpstr (str (a, "affiliation"), ==, "Nowhere Labs");
	g_assert_cmpuint (array_len (a, "reported"), ==, 2);
	JsonObject *b = nth_object (r, "reporters", 1);
	g_assert_cmpstr (str (b, "name"), ==, "Dev Oduya");
	g_assert_false (json_object_has_member (b, "affiliation"));
	JsonObject *c = nth_object (r, "reporters", 2);
	g_assert_cmpstr (str (c, "name"), ==, "Eli Marsh");
	g_assert_cmpstr (str (c, "affiliation"), ==, "Acme Hosting");
	/* "(2023.1/antelope(quorum))" and "- original (Rocky)" */
	g_assert_cmpstr (review (r, "2023.1/antelope", 1), ==, "https://review.opendev.org/800102");
	g_assert_cmpstr (review (r, "rocky", 0), ==, "https://review.opendev.org/800103");
	g_assert_cmpstr (review (r, "stein", 0), ==, "https://review.opendev.org/800104");
	JsonObject *issues = json_object_get_object_member (r, "issues");
	JsonArray *links = json_object_get_array_member (issues, "links");
	g_assert_cmpuint (json_array_get_length (links), ==, 2);
	g_assert_cmpstr (json_array_get_string_element (links, 1), ==, "https://storyboard.openstack.org/#!/story/2000001");
	g_assert_cmpuint (array_len (r, "references"), ==, 3);
	g_assert_cmpuint (array_len (r, "notes"), ==, 2);
	g_assert_cmpuint (array_len (r, "warnings"), ==, 0);
	check_member_order (r);
}

static void
test_errata (void)
{
	g_autoptr (JsonObject) r = extract_fixture ("ossa-errata-rst.txt",
		"[OSSA 2016-088.2] Lantern volume driver (CVE-2099-0301) ERRATA #2", NULL);

	g_assert_cmpstr (str (r, "id"), ==, "OSSA-2016-088");
	g_assert_cmpint (json_object_get_int_member (r, "revision"), ==, 3);
	/* the date stays the original publication date */
	g_assert_cmpstr (str (r, "date"), ==, "2016-05-10");
	g_assert_cmpstr (str (r, "title"), ==, "Lantern volume driver exposes host block devices");
	JsonObject *e = nth_object (r, "errata", 0);
	g_assert_cmpint (json_object_get_int_member (e, "number"), ==, 2);
	g_assert_cmpstr (str (e, "date"), ==, "2016-05-20");
	g_assert_cmpstr (str (e, "text"), ==,
	                 "The former fix did not cover encrypted volumes. This update provides an additional fix.");
	g_assert_cmpstr (review (r, "liberty", 1), ==, "https://review.openstack.org/300002");
	check_member_order (r);
}

static void
test_inline_2026 (void)
{
	g_autoptr (JsonObject) r = extract_fixture ("ossa-2026-inline.txt",
		"[OSSA-2026-977] OpenStack Beacon: header leak (CVE-2099-0401)",
		"Tue, 23 Jun 2099 08:29:34 -0700");

	g_assert_cmpstr (str (r, "title"), ==, "Beacon proxy forwards internal headers to tenants");
	/* no Date field: the message date, and a warning saying so */
	g_assert_cmpstr (str (r, "date"), ==, "2099-06-23");
	g_assert_true (has_warning (r, "no Date field"));
	JsonObject *p = nth_object (r, "affected-products", 0);
	g_assert_cmpstr (str (p, "product"), ==, "beacon");
	g_assert_cmpstr (str (p, "version"), ==, ">=3.0.0 <3.4.2, >=4.0.0 <4.1.1");
	/* aligned "branch: URL" table */
	g_assert_cmpstr (review (r, "2026.2/hibiscus (development)", 0), ==, "https://review.opendev.org/990001");
	g_assert_cmpstr (review (r, "2026.1/gazpacho", 0), ==, "https://review.opendev.org/990002");
	g_assert_cmpstr (str (nth_object (r, "reporters", 0), "affiliation"), ==, "Example Org");
	g_assert_cmpuint (array_len (r, "references"), ==, 1);
}

static void
test_missing_sections_warn (void)
{
	VulndExtractInput in = {
		.subject = "[OSSA-2099-010] Foo: something (CVE-2099-0999)",
		.text = "=====\nOSSA-2099-010: Something\n=====\n\n:Date: May 1, 2099\n:CVE: PENDING\n",
	};
	g_autoptr (GPtrArray) records = vulnd_extract (&in);
	g_assert_cmpuint (records->len, ==, 1);
	JsonObject *r = g_ptr_array_index (records, 0);

	g_assert_true (has_warning (r, "no Credits section"));
	g_assert_true (has_warning (r, "no Description section"));
	g_assert_true (has_warning (r, "CVE ids taken from the subject"));
	g_assert_false (json_object_has_member (r, "description"));
	g_assert_cmpstr (str (nth_object (r, "vulnerabilities", 0), "cve-id"), ==, "CVE-2099-0999");
}

static void
test_title_from_subject (void)
{
	VulndExtractInput in = {
		.subject = "[oss-security] [OSSA 2099-011] Widget API leaks secrets (CVE-2099-1111)",
		.text = "OpenStack Security Advisory: 2099-011\nCVE: CVE-2099-1111\nDate: May 2, 2099\n",
	};
	g_autoptr (GPtrArray) records = vulnd_extract (&in);
	g_assert_cmpuint (records->len, ==, 1);
	JsonObject *r = g_ptr_array_index (records, 0);

	g_assert_cmpstr (str (r, "title"), ==, "Widget API leaks secrets");
	g_assert_true (has_warning (r, "title taken from the subject"));
}


/* Only the first VULND_EXTRACT_TEXT_MAX bytes of a longer text are read
 * (the bound on the work of a hostile message), and the record says so. */
static void
test_long_text (void)
{
	g_autofree char *path = g_build_filename (TOP_SRCDIR, "tests", "fixtures", "extract",
	                                          "ossa-2019-rst.txt", NULL);
	g_autofree char *fixture = NULL;
	g_autoptr (GString) long_text = g_string_new (NULL);
	gsize at;
	g_autoptr (GPtrArray) records = NULL;
	JsonObject *r;

	g_assert_true (g_file_get_contents (path, &fixture, NULL, NULL));
	g_assert_nonnull (strstr (fixture, "Patches\n~~~~~~~"));
	at = strstr (fixture, "Patches\n~~~~~~~") - fixture;
	/* the fixture up to its Patches section, a long description, then the
	 * sections from Patches on past the limit */
	g_string_append_len (long_text, fixture, at);
	while (long_text->len < VULND_EXTRACT_TEXT_MAX + 1000)
		g_string_append (long_text, "More words about the quorum scheduler and CVE-2099-0201.\n");
	g_string_append (long_text, "\n\n");
	g_string_append (long_text, fixture + at);
	{
		VulndExtractInput in = { .text = long_text->str };
		records = vulnd_extract (&in);
	}
	g_assert_cmpuint (records->len, ==, 1);
	r = g_ptr_array_index (records, 0);
	g_assert_cmpstr (str (r, "id"), ==, "OSSA-2019-077");
	g_assert_cmpuint (array_len (r, "affected-products"), ==, 2);
	g_assert_cmpstr (str (nth_object (r, "affected-products", 0), "version"), ==,
	                 "<12.0.4, >=13.0.0 <13.0.2, ==14.0.0");
	g_assert_true (has_warning (r, "text of "));
	/* the Patches section lies past the limit: not read */
	g_assert_true (has_warning (r, "no patches found"));
	g_assert_cmpuint (json_object_get_size (json_object_get_object_member (r, "reviews")), ==, 0);
}

/* A version text far longer than any real one is not read: no ranges,
 * a warning, the text itself kept as published. */
static void
test_long_version_text (void)
{
	g_autoptr (GString) versions = g_string_new ("<1.0.1");
	g_autofree char *text = NULL;
	g_autoptr (GPtrArray) records = NULL;
	JsonObject *r, *p;

	for (int i = 2; versions->len < 5000; i++)
		g_string_append_printf (versions, ", >=%d.0.0 <%d.0.1", i, i);
	text = g_strdup_printf ("=====\nOSSA-2099-012: Something\n=====\n\n:Date: May 1, 2099\n"
	                        ":CVE: CVE-2099-0998\n\nAffects\n~~~~~~~\n- Widget: %s\n",
	                        versions->str);
	{
		VulndExtractInput in = { .text = text };
		records = vulnd_extract (&in);
	}
	g_assert_cmpuint (records->len, ==, 1);
	r = g_ptr_array_index (records, 0);
	p = nth_object (r, "affected-products", 0);
	g_assert_cmpstr (str (p, "product"), ==, "widget");
	g_assert_cmpstr (str (p, "version"), ==, versions->str);
	g_assert_cmpuint (array_len (p, "ranges"), ==, 0);
	g_assert_true (has_warning (r, "version text of "));
}

/* Strings that are not UTF-8 never reach the (JIT-compiled) patterns. */
static void
test_invalid_utf8 (void)
{
	VulndExtractInput in = {
		.subject = "[OSSA-2099-013] Foo: bar (CVE-2099-0997)",
		.text = "=====\nOSSA-2099-013: Bar \xff\xfe\n=====\n\n:Date: May 1, 2099\n",
	};
	g_autoptr (GPtrArray) records = vulnd_extract (&in);

	g_assert_cmpuint (records->len, ==, 0);
	in.text = "=====\nOSSA-2099-013: Bar\n=====\n\n:Date: May 1, 2099\n";
	g_ptr_array_unref (records);
	records = vulnd_extract (&in);
	g_assert_cmpuint (records->len, ==, 1);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/ossa/old-era", test_old_era);
	g_test_add_func ("/ossa/old-era-affects", test_old_era_affects);
	g_test_add_func ("/ossa/rst-era", test_rst_era);
	g_test_add_func ("/ossa/errata", test_errata);
	g_test_add_func ("/ossa/inline-2026", test_inline_2026);
	g_test_add_func ("/ossa/missing-sections-warn", test_missing_sections_warn);
	g_test_add_func ("/ossa/title-from-subject", test_title_from_subject);
	g_test_add_func ("/ossa/long-text", test_long_text);
	g_test_add_func ("/ossa/long-version-text", test_long_version_text);
	g_test_add_func ("/ossa/invalid-utf8", test_invalid_utf8);
	return g_test_run ();
}
