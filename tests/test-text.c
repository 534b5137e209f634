/* test-text.c - text helpers: dates, ids, unwrapping, section splitting. */
#include "config.h"

#include "extract/extract.h"
#include "extract/sections.h"

static void
check_date (const char *in, const char *want)
{
	g_autofree char *got = vulnd_text_parse_date (in);
	g_assert_cmpstr (got, ==, want);
}

static void
test_dates (void)
{
	check_date ("June 12, 2014", "2014-06-12");
	check_date ("March 08, 2016", "2016-03-08");
	check_date ("2014-06-12", "2014-06-12");
	check_date ("12 Jun 2014", "2014-06-12");
	check_date ("Thu, 12 Jun 2014 15:06:37 -0400", "2014-06-12");
	check_date ("Sept. 3rd, 2099", "2099-09-03");
	check_date ("February 30, 2015", NULL);
	check_date ("PENDING", NULL);
	check_date ("June 12, \u0662\u0660\u0661\u0664", NULL);
	check_date (NULL, NULL);
}

static void
check_id (const char *in, const char *want)
{
	g_autofree char *got = vulnd_canonical_id (in);
	g_assert_cmpstr (got, ==, want);
}

static void
test_ids (void)
{
	check_id ("OSSA 2012-001", "OSSA-2012-001");
	check_id ("OSSA-2016-008", "OSSA-2016-008");
	check_id ("ossa-2016-8", "OSSA-2016-008");
	check_id ("[OSSA 2015-011.1] Cinder", "OSSA-2015-011");
	check_id ("OSSN-0074", "OSSN-0074");
	check_id ("OSSN 74", "OSSN-0074");
	check_id ("DSA-5412-1", NULL);
	check_id ("OSSA-\u0662\u0660\u0661\u0666-008", NULL);
	check_id ("OSSN-\u0667\u0664", NULL);
	check_id (NULL, NULL);
}

static void
test_unwrap (void)
{
	g_autofree char *a = vulnd_text_unwrap ("One line\nwraps here.\n\n\nSecond  para\n  indented.\n");
	g_assert_cmpstr (a, ==, "One line wraps here.\n\nSecond  para indented.");
	g_autofree char *b = vulnd_text_unwrap ("in neutron-\nopenvswitch-agent rules");
	g_assert_cmpstr (b, ==, "in neutron-openvswitch-agent rules");
	g_autofree char *c = vulnd_text_unwrap ("Items:\n- one\n  more\n- two");
	g_assert_cmpstr (c, ==, "Items:\n- one more\n- two");
}

static void
test_sections_rst (void)
{
	g_autoptr (VulndSections) s = vulnd_sections_split (
		"=====\nOSSA-2099-001: T\n=====\n\n:Date: May 1, 2099\n\n"
		"Affects\n~~~~~~~\n- Foo: <1.0\n\nDescription\n~~~~~~~~~~~\nText\nmore.\n\n"
		"-- \nSig\n");
	g_assert_nonnull (strstr (s->preamble, ":Date:"));
	g_assert_cmpuint (s->sections->len, ==, 2);
	g_assert_cmpstr (vulnd_sections_find (s, "affects")->body, ==, "- Foo: <1.0");
	g_assert_cmpstr (vulnd_sections_find (s, "description")->body, ==, "Text\nmore.");
	g_assert_null (vulnd_sections_find (s, "credits"));
}

static void
test_sections_old (void)
{
	g_autoptr (VulndSections) s = vulnd_sections_split (
		"Title: X\nDescription:\nSome text.\n\nFolsom fix:\nhttps://r.example/1\n\n"
		"Affects: Bar >=2.0\n### Summary ###\nNote text\n");
	const VulndSection *fix = vulnd_sections_find (s, "fix");
	g_assert_nonnull (fix);
	g_assert_cmpstr (fix->arg, ==, "Folsom");
	g_assert_cmpstr (fix->body, ==, "https://r.example/1");
	g_assert_cmpstr (vulnd_sections_find (s, "description")->body, ==, "Some text.");
	g_assert_cmpstr (vulnd_sections_find (s, "affects")->body, ==, "Bar >=2.0");
	g_assert_cmpstr (vulnd_sections_find (s, "summary")->body, ==, "Note text");
}

static void
test_items (void)
{
	g_autoptr (GPtrArray) b = vulnd_section_items ("- a\n  b\n- c\n\n- d", TRUE);
	g_assert_cmpuint (b->len, ==, 3);
	g_assert_cmpstr (g_ptr_array_index (b, 0), ==, "a b");
	g_autoptr (GPtrArray) l = vulnd_section_items ("  x: 1\n  y: 2\n     cont", TRUE);
	g_assert_cmpuint (l->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (l, 1), ==, "y: 2 cont");
	g_autoptr (GPtrArray) p = vulnd_section_items ("para\none\n\npara two", FALSE);
	g_assert_cmpuint (p->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (p, 0), ==, "para one");
}

static void
test_fields (void)
{
	g_autoptr (GHashTable) f = vulnd_header_fields (
		":Date: June 16, 2015\n:CVE: CVE-2099-0001,\n      CVE-2099-0002\nTitle: A title\n");
	g_assert_cmpstr (g_hash_table_lookup (f, "date"), ==, "June 16, 2015");
	g_assert_cmpstr (g_hash_table_lookup (f, "cve"), ==, "CVE-2099-0001, CVE-2099-0002");
	g_assert_cmpstr (g_hash_table_lookup (f, "title"), ==, "A title");
}

static void
test_urls_cves (void)
{
	g_autoptr (GPtrArray) u = vulnd_text_urls ("see https://a.example/x. and (https://b.example/y) https://a.example/x");
	g_assert_cmpuint (u->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (u, 1), ==, "https://b.example/y");
	g_autoptr (GPtrArray) c = vulnd_text_cves ("cve-2099-1234 and CVE-2099-1234, CVE-2099-12345");
	g_assert_cmpuint (c->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (c, 0), ==, "CVE-2099-1234");
	/* GLib matches \\d with every Unicode decimal digit: ids are ASCII
	 * (fuzz-parse, bug 17; U+07C9 NKO DIGIT NINE, U+0661 ARABIC-INDIC ONE) */
	g_autoptr (GPtrArray) odd = vulnd_text_cves ("CVE-2099-1003\u07c9, CVE-2099-\u0661234 and CVE-2099-5678");
	g_assert_cmpuint (odd->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (odd, 0), ==, "CVE-2099-5678");
}

/* vulnd_text_split_lines() is a one-pass g_strsplit (TEXT, "\n", MAX) */
static void
test_split_lines (void)
{
	const char *texts[] = { "", "a", "a\n", "\n", "\n\n", "a\nb", "a\n\nb\n", "x\r\ny\r\n", NULL };
	int maxes[] = { -1, 0, 1, 2, 3 };

	for (guint i = 0; texts[i]; i++) {
		for (guint m = 0; m < G_N_ELEMENTS (maxes); m++) {
			g_auto (GStrv) want = g_strsplit (texts[i], "\n", maxes[m]);
			g_auto (GStrv) got = vulnd_text_split_lines (texts[i], maxes[m]);

			g_assert_true (g_strv_equal ((const char * const *) want, (const char * const *) got));
		}
	}
	g_auto (GStrv) none = vulnd_text_split_lines (NULL, -1);
	g_assert_cmpuint (g_strv_length (none), ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/text/dates", test_dates);
	g_test_add_func ("/text/ids", test_ids);
	g_test_add_func ("/text/unwrap", test_unwrap);
	g_test_add_func ("/text/sections-rst", test_sections_rst);
	g_test_add_func ("/text/sections-old", test_sections_old);
	g_test_add_func ("/text/items", test_items);
	g_test_add_func ("/text/fields", test_fields);
	g_test_add_func ("/text/urls-cves", test_urls_cves);
	g_test_add_func ("/text/split-lines", test_split_lines);
	return g_test_run ();
}
