/* test-ranges.c - published version text -> OSV-style ranges.
 * The strings are written in each era's style with invented numbers. */
#include "config.h"

#include <string.h>

#include "extract/extract.h"
#include "version.h"

typedef struct {
	const char *text;
	const char *json; /* expected ranges, compact; NULL: not understood */
} Case;

static char *
array_to_string (JsonArray *a)
{
	g_autoptr (JsonNode) n = json_node_alloc ();
	json_node_init_array (n, a);
	return json_to_string (n, FALSE);
}

static void
check_cases (const Case *cases, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		g_autoptr (GPtrArray) w = g_ptr_array_new_with_free_func (g_free);
		g_autoptr (JsonArray) a = vulnd_version_ranges (cases[i].text, w);
		g_autofree char *got = array_to_string (a);
		g_autofree char *shown = cases[i].text ? g_strescape (cases[i].text, NULL) : NULL;
		g_test_message ("%s => %s", shown ? shown : "(null)", got);
		if (cases[i].json) {
			g_assert_cmpstr (got, ==, cases[i].json);
			g_assert_cmpuint (w->len, ==, 0);
		} else {
			g_assert_cmpstr (got, ==, "[]");
			g_assert_cmpuint (w->len, ==, 1);
			g_assert_true (g_str_has_prefix (w->pdata[0], "cannot understand version text: "));
		}
	}
}

#define R0F(f) "{\"introduced\":\"0\",\"fixed\":\"" f "\"}"
#define R0L(l) "{\"introduced\":\"0\",\"last_affected\":\"" l "\"}"
#define RF(i, f) "{\"introduced\":\"" i "\",\"fixed\":\"" f "\"}"
#define RL(i, l) "{\"introduced\":\"" i "\",\"last_affected\":\"" l "\"}"
#define REQ(v) RL (v, v)
#define RI(i) "{\"introduced\":\"" i "\"}"

static void
test_machine_specs (void)
{
	static const Case cases[] = {
		{ "<30.1.4, >=31.0.0 <31.3.2, ==32.0.0",
		  "[" R0F ("30.1.4") "," RF ("31.0.0", "31.3.2") "," REQ ("32.0.0") "]" },
		{ "<7.2.5", "[" R0F ("7.2.5") "]" },
		{ "==41.0.0", "[" REQ ("41.0.0") "]" },
		{ "==6.0.0, ==7.0.0", "[" REQ ("6.0.0") "," REQ ("7.0.0") "]" },
		/* no separators at all */
		{ "<12.4.4,>=13.0.0<13.2.0,>=14.0.0<14.1.0",
		  "[" R0F ("12.4.4") "," RF ("13.0.0", "13.2.0") "," RF ("14.0.0", "14.1.0") "]" },
		/* inclusive upper bounds, spaces after the operator */
		{ "<= 2015.1.7, >= 9.0.0 <= 9.0.3",
		  "[" R0L ("2015.1.7") "," RL ("9.0.0", "9.0.3") "]" },
		{ ">=4.1.0 <=4.2.0, >= 4.3.0 <= 4.4.1",
		  "[" RL ("4.1.0", "4.2.0") "," RL ("4.3.0", "4.4.1") "]" },
		/* a lower bound and its upper bound split by a comma */
		{ "<=2014.2.9, >=2015.1.0, <=2015.1.5",
		  "[" R0L ("2014.2.9") "," RL ("2015.1.0", "2015.1.5") "]" },
		{ "<40.1.3, >=41.0.0 <42.1.1, >=43.0.0, <44.0.1",
		  "[" R0F ("40.1.3") "," RF ("41.0.0", "42.1.1") "," RF ("43.0.0", "44.0.1") "]" },
		/* "and" between clauses, single "=", bare version */
		{ "<=3.0.9, >=4.0.0 <=4.1.2 and ==5.0.0",
		  "[" R0L ("3.0.9") "," RL ("4.0.0", "4.1.2") "," REQ ("5.0.0") "]" },
		{ "<17.3.8, >=18.0.0 <18.1.2, =19.0.0",
		  "[" R0F ("17.3.8") "," RF ("18.0.0", "18.1.2") "," REQ ("19.0.0") "]" },
		{ ">=3.15.0<3.15.4, 3.16.0", "[" RF ("3.15.0", "3.15.4") "," REQ ("3.16.0") "]" },
		/* unbounded lower bounds */
		{ ">=50.0.0", "[" RI ("50.0.0") "]" },
		{ ">=1.0.0, >=3.0.0 <3.1.0", "[" RI ("1.0.0") "," RF ("3.0.0", "3.1.0") "]" },
		{ ">2.4.0 <2.6.0",
		  "[{\"introduced\":\"2.4.0\",\"introduced-exclusive\":true,\"fixed\":\"2.6.0\"}]" },
		/* date versions mixed with the numbers that followed them */
		{ ">=2014.1 <= 2015.1.6, == 11.0.0", "[" RL ("2014.1", "2015.1.6") "," REQ ("11.0.0") "]" },
		/* pre-releases and long numbers */
		{ "<1.0.0rc2, ==2.0.0b1", "[" R0F ("1.0.0rc2") "," REQ ("2.0.0b1") "]" },
		{ "<123456789012345678901234567890.1",
		  "[" R0F ("123456789012345678901234567890.1") "]" },
		/* quoted, wrapped, trailing full stop */
		{ "'<8.1.1, ==9.0.0'", "[" R0F ("8.1.1") "," REQ ("9.0.0") "]" },
		{ "('>=2.0.0 <2.1.4,\n  >=3.0.0 <3.0.2')", "[" RF ("2.0.0", "2.1.4") "," RF ("3.0.0", "3.0.2") "]" },
		{ "==8.8.8.", "[" REQ ("8.8.8") "]" },
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_prose (void)
{
	static const Case cases[] = {
		{ "up to 2013.1.9", "[" R0L ("2013.1.9") "]" },
		{ "Up to 2012.2.5, and 2013.1 to 2013.1.3",
		  "[" R0L ("2012.2.5") "," RL ("2013.1", "2013.1.3") "]" },
		{ "up to 2013.2.6 and 2014.1 versions up to 2014.1.3",
		  "[" R0L ("2013.2.6") "," RL ("2014.1", "2014.1.3") "]" },
		{ "up to 2012.1.8 and 2012.2 version up to 2012.2.4",
		  "[" R0L ("2012.1.8") "," RL ("2012.2", "2012.2.4") "]" },
		{ "versions through 2013.1.6, and 2013.2 versions through 2013.2.5,",
		  "[" R0L ("2013.1.6") "," RL ("2013.2", "2013.2.5") "]" },
		{ "2013.1 versions through 2013.1.7", "[" RL ("2013.1", "2013.1.7") "]" },
		{ "2012.2 versions up to 2013.1.1", "[" RL ("2012.2", "2013.1.1") "]" },
		{ "from 2012.1 to 2012.2.9", "[" RL ("2012.1", "2012.2.9") "]" },
		{ "from 1.2.0 to 2.3.0", "[" RL ("1.2.0", "2.3.0") "]" },
		{ "4.11.0 to 4.13.2", "[" RL ("4.11.0", "4.13.2") "]" },
		{ "Versions 0.7.1 up to 0.7.4", "[" RL ("0.7.1", "0.7.4") "]" },
		{ "2.0 version up to 2.8.0", "[" RL ("2.0", "2.8.0") "]" },
		{ "versions through 7.3.0", "[" R0L ("7.3.0") "]" },
		{ "versions up to 0.30.2", "[" R0L ("0.30.2") "]" },
		{ "All versions up to 0.9.0", "[" R0L ("0.9.0") "]" },
		{ "up to 2.3.0 (fixed in 2.3.1)", "[" R0F ("2.3.1") "]" },
		{ "before 2.3.0", "[" R0F ("2.3.0") "]" },
		{ "Versions after 0.5.0",
		  "[{\"introduced\":\"0.5.0\",\"introduced-exclusive\":true}]" },
		/* a version alone is that version; a series alone, the series */
		{ "versions 2014.2.0", "[" REQ ("2014.2.0") "]" },
		{ "2013.2 versions through 2013.2.4 and 2014.1.0 version",
		  "[" RL ("2013.2", "2013.2.4") "," REQ ("2014.1.0") "]" },
		{ "up to 2013.2.8, and 2014.1",
		  "[" R0L ("2013.2.8") "," RF ("2014.1", "2014.2") "]" },
		{ "2012.1", "[" RF ("2012.1", "2012.2") "]" },
		{ "2015.1", "[" RF ("2015.1", "liberty") "]" },
		/* all */
		{ "all versions", "[" RI ("0") "]" },
		{ "All supported Versions", "[" RI ("0") "]" },
		{ "all supported releases", "[" RI ("0") "]" },
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_codenames (void)
{
	static const Case cases[] = {
		{ "Juno", "[" RF ("2014.2", "2015.1") "]" },
		{ "Cactus, Diablo", "[" RF ("2011.2", "2011.3") "," RF ("2011.3", "2012.1") "]" },
		{ "Diablo, Essex series", "[" RF ("2011.3", "2012.1") "," RF ("2012.1", "2012.2") "]" },
		{ "Havana and Icehouse", "[" RF ("2013.2", "2014.1") "," RF ("2014.1", "2014.2") "]" },
		{ "Icehouse and later", "[" RI ("2014.1") "]" },
		{ "2012.2 (Folsom) and later", "[" RI ("2012.2") "]" },
		{ "Grizzly (2013.1)", "[" RF ("2013.1", "2013.2") "]" },
		{ "Havana, Grizzly (and earlier versions)",
		  "[" RF ("2013.2", "2014.1") "," R0F ("2013.2") "]" },
		{ "All supported versions prior to Juno", "[" R0F ("2014.2") "]" },
		{ "Folsom (prior to 2012.2.3)", "[" RF ("2012.2", "2012.2.3") "]" },
		{ "2011.2, Diablo", "[" RF ("2011.2", "2011.3") "," RF ("2011.3", "2012.1") "]" },
		/* no series numbers for Liberty .. Zed: code names stand in */
		{ "Kilo", "[" RF ("2015.1", "liberty") "]" },
		{ "Mitaka", "[" RF ("mitaka", "newton") "]" },
		{ "Yoga and later", "[" RI ("yoga") "]" },
		{ "Zed", "[" RF ("zed", "2023.1") "]" },
		{ "Bobcat, Caracal", "[" RF ("2023.2", "2024.1") "," RF ("2024.1", "2024.2") "]" },
		{ "after Kilo", "[" RI ("liberty") "]" },
	};
	check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_not_understood (void)
{
	static const Case cases[] = {
		{ NULL, NULL },
		{ "", NULL },
		{ "   \n ", NULL },
		{ "TBD", NULL },
		{ "Folsom (prior to folsom-4 development milestone)", NULL },
		{ "Nova <21.0.1; Cinder <19.0.3", NULL },
		{ "<", NULL },
		{ ">=", NULL },
		{ "!=3.0.0", NULL },
		{ "<1.2..3", NULL },
		{ "<abc", NULL },
		{ "==1.2.3 garbage", NULL },
		{ "up to", NULL },
		{ "Folsom, Blorp", NULL },          /* one unknown clause spoils all */
		{ "up to 2.0, and something else", NULL },
		{ "\xff\xfe<1.0", NULL },           /* not UTF-8 */
		{ "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27."
		  "28.29.30.31.32.33.34.35.36.37.38.39.40.41.42.43.44.45.46.47.48.49.50.51.52."
		  "53.54.55.56.57.58.59.60.61.62.63.64.65.66.67.68.69.70.71.72.73.74.75.76.77."
		  "78.79.80.81.82.83.84.85.86.87.88.89.90", NULL }, /* too long to be a version */
	};
	check_cases (cases, G_N_ELEMENTS (cases));
	/* warnings may be NULL */
	g_autoptr (JsonArray) a = vulnd_version_ranges ("nonsense", NULL);
	g_assert_cmpuint (json_array_get_length (a), ==, 0);
}

/* What the extractor writes, `affected` can read back. */
static void
test_round_trip (void)
{
	static const struct {
		const char *text, *version;
		VulndMatch expect;
	} cases[] = {
		{ "<30.1.4, >=31.0.0 <31.3.2, ==32.0.0", "30.1.3", VULND_MATCH_AFFECTED },
		{ "<30.1.4, >=31.0.0 <31.3.2, ==32.0.0", "30.1.4", VULND_MATCH_NOT_AFFECTED },
		{ "<30.1.4, >=31.0.0 <31.3.2, ==32.0.0", "32.0.0", VULND_MATCH_AFFECTED },
		{ "<30.1.4, >=31.0.0 <31.3.2, ==32.0.0", "32.0.1", VULND_MATCH_NOT_AFFECTED },
		{ "up to 2013.2.6 and 2014.1 versions up to 2014.1.3", "2014.1.3", VULND_MATCH_AFFECTED },
		{ "up to 2013.2.6 and 2014.1 versions up to 2014.1.3", "2014.1.4", VULND_MATCH_NOT_AFFECTED },
		{ "up to 2013.2.6 and 2014.1 versions up to 2014.1.3", "2013.2.7", VULND_MATCH_NOT_AFFECTED },
		{ "Grizzly, Havana", "2013.2.2", VULND_MATCH_AFFECTED },
		{ "Grizzly, Havana", "havana", VULND_MATCH_AFFECTED },
		{ "Grizzly, Havana", "2014.1", VULND_MATCH_NOT_AFFECTED },
		{ "Grizzly, Havana", "12.0.0", VULND_MATCH_NOT_AFFECTED },
		{ "Folsom and later", "12.0.0", VULND_MATCH_AFFECTED },
		{ "Folsom and later", "caracal", VULND_MATCH_AFFECTED },
		{ "Folsom and later", "2012.1.4", VULND_MATCH_NOT_AFFECTED },
		{ "Mitaka", "mitaka", VULND_MATCH_AFFECTED },
		{ "Mitaka", "newton", VULND_MATCH_NOT_AFFECTED },
		{ "Mitaka", "13.0.0", VULND_MATCH_UNKNOWN },
		{ "every version", "99.0.0", VULND_MATCH_AFFECTED },
		{ "every version", "antelope", VULND_MATCH_AFFECTED },
		{ "TBD", "1.0.0", VULND_MATCH_UNKNOWN },
		{ "Versions after 0.5.0", "0.5.0", VULND_MATCH_NOT_AFFECTED },
		{ "Versions after 0.5.0", "0.5.1", VULND_MATCH_AFFECTED },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (JsonArray) a = vulnd_version_ranges (cases[i].text, NULL);
		VulndMatch m = vulnd_ranges_match (a, cases[i].version, NULL);
		g_test_message ("%s ? %s -> %s", cases[i].text, cases[i].version,
		                vulnd_match_to_string (m));
		g_assert_cmpint (m, ==, cases[i].expect);
	}
}

static void
test_codename_lookup (void)
{
	g_assert_cmpstr (vulnd_series_for_codename ("grizzly"), ==, "2013.1");
	g_assert_cmpstr (vulnd_series_for_codename ("Grizzly"), ==, "2013.1");
	g_assert_cmpstr (vulnd_series_for_codename (" ESSEX "), ==, "2012.1");
	g_assert_cmpstr (vulnd_series_for_codename ("antelope"), ==, "2023.1");
	g_assert_cmpstr (vulnd_series_for_codename ("Epoxy"), ==, "2025.1");
	g_assert_cmpstr (vulnd_series_for_codename ("liberty"), ==, "liberty");
	g_assert_cmpstr (vulnd_series_for_codename ("zed"), ==, "zed");
	g_assert_null (vulnd_series_for_codename ("2013.1"));
	g_assert_null (vulnd_series_for_codename ("nova"));
	g_assert_null (vulnd_series_for_codename (""));
	g_assert_null (vulnd_series_for_codename (NULL));
	g_assert_cmpstr (vulnd_codename_for_series ("2013.1"), ==, "grizzly");
	g_assert_cmpstr (vulnd_codename_for_series ("2024.2"), ==, "dalmatian");
	g_assert_cmpstr (vulnd_codename_for_series ("2010.1"), ==, "austin");
	g_assert_null (vulnd_codename_for_series ("2016.1"));
	g_assert_null (vulnd_codename_for_series ("2013.3"));
	g_assert_null (vulnd_codename_for_series (NULL));
}

/* The corpus: every published version text should be understood or
 * refused with a warning, and what is understood must be matchable. */
static void
test_corpus (void)
{
	const char *env = g_getenv ("VULND_CORPUS");
	g_autofree char *corpus = env ? g_strdup (env)
	                              : g_build_filename (TOP_SRCDIR, "..", "shared", "corpus", NULL);
	g_autofree char *dir_path = g_build_filename (corpus, "truth", "ossa", NULL);
	g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
	if (dir == NULL) {
		g_test_skip ("corpus not found (set VULND_CORPUS)");
		return;
	}
	g_autoptr (GRegex) re = g_regex_new ("^\\s*version:\\s*(.*?)\\s*$", G_REGEX_MULTILINE, 0, NULL);
	guint total = 0, understood = 0;
	const char *name;
	while ((name = g_dir_read_name (dir))) {
		if (!g_str_has_suffix (name, ".yaml"))
			continue;
		g_autofree char *path = g_build_filename (dir_path, name, NULL);
		g_autofree char *body = NULL;
		if (!g_file_get_contents (path, &body, NULL, NULL))
			continue;
		g_autoptr (GMatchInfo) mi = NULL;
		for (g_regex_match (re, body, 0, &mi); g_match_info_matches (mi);
		     g_match_info_next (mi, NULL)) {
			g_autofree char *v = g_match_info_fetch (mi, 1);
			g_autoptr (GPtrArray) w = g_ptr_array_new_with_free_func (g_free);
			g_autoptr (JsonArray) a = vulnd_version_ranges (v, w);
			total++;
			/* understood xor warned, never both, never neither */
			g_assert_true ((json_array_get_length (a) > 0) != (w->len > 0));
			if (json_array_get_length (a) == 0) {
				g_test_message ("not understood: %s", v);
				continue;
			}
			understood++;
			/* every bound is a valid version */
			for (guint i = 0; i < json_array_get_length (a); i++) {
				JsonObject *r = json_array_get_object_element (a, i);
				const char *members[] = { "introduced", "fixed", "last_affected" };
				for (gsize k = 0; k < G_N_ELEMENTS (members); k++) {
					const char *b = json_object_get_string_member_with_default (r, members[k], NULL);
					if (b && strcmp (b, "0") != 0)
						g_assert_true (vulnd_version_valid (b));
				}
			}
		}
	}
	g_test_message ("corpus version texts: %u understood of %u", understood, total);
	g_assert_cmpuint (total, >, 0);
	g_assert_cmpuint (understood * 100, >=, total * 90);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/ranges/machine-specs", test_machine_specs);
	g_test_add_func ("/ranges/prose", test_prose);
	g_test_add_func ("/ranges/codenames", test_codenames);
	g_test_add_func ("/ranges/not-understood", test_not_understood);
	g_test_add_func ("/ranges/round-trip", test_round_trip);
	g_test_add_func ("/ranges/codename-lookup", test_codename_lookup);
	g_test_add_func ("/ranges/corpus", test_corpus);
	return g_test_run ();
}
