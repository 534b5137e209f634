/* test-version.c - version ordering, series table, Debian versions and
 * range matching (db/version.h). */
#include "config.h"

#include "version.h"

/* Each list is strictly increasing. */
static void
check_increasing (const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		g_assert_true (vulnd_version_valid (list[i]));
		g_assert_cmpint (vulnd_version_compare (list[i], list[i]), ==, 0);
		for (gsize j = i + 1; j < n; j++) {
			g_test_message ("%s < %s", list[i], list[j]);
			g_assert_true (vulnd_version_comparable (list[i], list[j]));
			g_assert_cmpint (vulnd_version_compare (list[i], list[j]), <, 0);
			g_assert_cmpint (vulnd_version_compare (list[j], list[i]), >, 0);
		}
	}
}

static void
test_pep440_order (void)
{
	static const char *const release[] = {
		"0", "0.1", "0.9.9", "1.0.0", "1.2.0", "1.9.0", "1.10.0", "1.10.1",
		"2.0", "10.0.0", "11.0.0", "99999999999999999999.0",
		"100000000000000000000",
	};
	static const char *const pre[] = {
		"1.0.0.dev1", "1.0.0.dev2", "1.0.0a1", "1.0.0a2.dev1", "1.0.0a2",
		"1.0.0b1", "1.0.0b2", "1.0.0rc1", "1.0.0rc2", "1.0.0",
		"1.0.0+local.1", "1.0.0.post1.dev1", "1.0.0.post1", "1.0.0.post2",
		"1.0.1.dev0", "1.0.1",
	};
	static const char *const epochs[] = {
		"2023.1.0" /* plain: year > 2015 */, "9999.0", "1!0.1", "1!1.0", "2!0.0.1",
	};
	static const char *const local[] = {
		"1.0+abc", "1.0+abc.5", "1.0+abd", "1.0+1", "1.0+1.a", "1.0+2", "1.0+10",
	};
	check_increasing (release, G_N_ELEMENTS (release));
	check_increasing (pre, G_N_ELEMENTS (pre));
	check_increasing (epochs, G_N_ELEMENTS (epochs));
	check_increasing (local, G_N_ELEMENTS (local));
}

static void
test_pep440_equal (void)
{
	static const char *const pairs[][2] = {
		{ "1.0", "1.0.0" }, { "1", "1.0.0.0" }, { "v1.2", "1.2" },
		{ "1.0.0-rc1", "1.0.0rc1" }, { "1.0.0.alpha1", "1.0.0a1" },
		{ "1.0.0c1", "1.0.0rc1" }, { "1.0.0-1", "1.0.0.post1" },
		{ "1.0.0.rev3", "1.0.0.post3" }, { "1.0.0-dev", "1.0.0.dev0" },
		{ "01.002", "1.2" }, { "0!1.0", "1.0" }, { "1.0RC1", "1.0rc1" },
		{ " 2.0 ", "2.0" }, { "2014.1", "2014.1.0" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++) {
		g_test_message ("%s == %s", pairs[i][0], pairs[i][1]);
		g_assert_cmpint (vulnd_version_compare (pairs[i][0], pairs[i][1]), ==, 0);
	}
}

/* Date versions sort below every plain version (Glance went 2015.1.4 ->
 * 11.0.0); series from Liberty on sort after Kilo by release date. */
static void
test_date_versions (void)
{
	static const char *const dates[] = {
		"2010.1", "2011.3", "2012.1", "2012.1.3", "2013.2", "2013.2.10",
		"2014.1.5", "2015.1.0", "2015.1.4", "0.1", "1.0.0", "11.0.0", "31.0.0",
	};
	check_increasing (dates, G_N_ELEMENTS (dates));
	static const char *const series[] = {
		"austin", "2011.1", "essex", "2012.1.4", "grizzly", "2014.2.6",
		"kilo", "2015.1.9", "liberty", "mitaka", "Queens", "zed", "2023.1",
		"bobcat", "2024.1", "dalmatian", "epoxy", "2025.2", "gazpacho",
		"2026.2", "indri", "2031.2",
	};
	check_increasing (series, G_N_ELEMENTS (series));
	/* a date-era code name is its date series */
	g_assert_cmpint (vulnd_version_compare ("folsom", "2012.2"), ==, 0);
	g_assert_cmpint (vulnd_version_compare ("antelope", "2023.1"), ==, 0);
	g_assert_cmpint (vulnd_version_compare ("Caracal", "caracal"), ==, 0);
	g_assert_cmpint (vulnd_version_compare ("grizzly", "12.0.0"), <, 0);
}

static void
test_incomparable (void)
{
	/* which Nova release Caracal is, is not known here */
	g_assert_false (vulnd_version_comparable ("caracal", "29.0.0"));
	g_assert_false (vulnd_version_comparable ("2024.1", "29.0.0"));
	g_assert_false (vulnd_version_comparable ("liberty", "12.0.0"));
	g_assert_false (vulnd_version_comparable ("1.0", "nonsense"));
	g_assert_false (vulnd_version_comparable (NULL, "1.0"));
	g_assert_true (vulnd_version_comparable ("kilo", "12.0.0"));
	g_assert_true (vulnd_version_comparable ("liberty", "2015.1.2"));
	/* still a total order, for sorting */
	g_assert_cmpint (vulnd_version_compare ("29.0.0", "caracal"), <, 0);
	g_assert_cmpint (vulnd_version_compare ("caracal", "29.0.0"), >, 0);
	g_assert_cmpint (vulnd_version_compare ("junk", "1.0"), <, 0);
	g_assert_cmpint (vulnd_version_compare ("1.0", "junk"), >, 0);
	g_assert_cmpint (vulnd_version_compare ("junk", "junk"), ==, 0);
	g_assert_cmpint (vulnd_version_compare (NULL, NULL), ==, 0);
	g_assert_cmpint (vulnd_version_compare (NULL, "1.0"), <, 0);
}

static void
test_valid (void)
{
	static const char *const good[] = {
		"0", "1.0", "v2.3.4", "1!2.0", "1.0a1", "1.0.post1", "1.0.dev3",
		"1.0+ubuntu.1", "2014.1.3", "grizzly", "Antelope", "2023.2",
		"123456789012345678901234567890",
	};
	static const char *const bad[] = {
		"", " ", "abc", "1.", ".1", "1..2", "1.0-", "1.0+", "1.0 2.0",
		"<1.0", "nova", "1.0~rc1", "-1", "1.0a1a2", "\xff\xfe",
	};
	for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
		g_test_message ("valid: %s", good[i]);
		g_assert_true (vulnd_version_valid (good[i]));
	}
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		{ g_autofree char *e = g_strescape (bad[i], NULL); g_test_message ("invalid: %s", e); }
		g_assert_false (vulnd_version_valid (bad[i]));
	}
	g_assert_false (vulnd_version_valid (NULL));
	g_autofree char *huge = g_strnfill (10000, '9');
	g_assert_false (vulnd_version_valid (huge));
}

static void
test_debian (void)
{
	static const char *const cases[][2] = {
		{ "2:27.0.0-0ubuntu1", "27.0.0" },
		{ "27.0.0+git2023061512.3f2a1b-3", "27.0.0+git2023061512.3f2a1b" },
		{ "1:2014.1.3-0ubuntu1.2", "2014.1.3" },
		{ "3.2.1-1", "3.2.1" },
		{ "3.2.1", "3.2.1" },
		{ "1.4.0+dfsg-2", "1.4.0" },
		{ "1.4.0+dfsg1-2+deb12u1", "1.4.0" },
		{ "5.0.0~rc1-1", "5.0.0rc1" },
		{ "5.0.0~b2-0ubuntu1", "5.0.0b2" },
		{ "3.0+really2.9.1-1", "2.9.1" },
		{ "1.2.3-4-5", "1.2.3-4" },
		{ "  2:1.0-1  ", "1.0" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *up = vulnd_version_from_debian (cases[i][0]);
		g_test_message ("%s -> %s", cases[i][0], up);
		g_assert_cmpstr (up, ==, cases[i][1]);
	}
	g_assert_null (vulnd_version_from_debian (NULL));
	g_assert_null (vulnd_version_from_debian (""));
	/* the result compares as the upstream version */
	g_autofree char *up = vulnd_version_from_debian ("2:29.0.1-0ubuntu1~cloud0");
	g_assert_cmpstr (up, ==, "29.0.1");
	g_assert_cmpint (vulnd_version_compare (up, "29.0.1"), ==, 0);
}

static void
test_series_table (void)
{
	gsize n;
	const VulndSeries *t = vulnd_series_table (&n);
	g_assert_cmpuint (n, >=, 34);
	for (gsize i = 1; i < n; i++) {
		g_assert_cmpint (t[i - 1].rank, <, t[i].rank);
		g_assert_true (vulnd_series_next (&t[i - 1]) == &t[i]);
	}
	g_assert_null (vulnd_series_next (&t[n - 1]));
	g_assert_null (vulnd_series_next (NULL));
	g_assert_cmpstr (vulnd_series_lookup ("KILO")->series, ==, "2015.1");
	g_assert_cmpstr (vulnd_series_value (vulnd_series_lookup ("kilo")), ==, "2015.1");
	g_assert_cmpstr (vulnd_series_value (vulnd_series_lookup ("wallaby")), ==, "wallaby");
	g_assert_cmpstr (vulnd_series_value (vulnd_series_lookup ("2025.2")), ==, "2025.2");
	g_assert_cmpstr (vulnd_series_lookup ("2025.2")->name, ==, "flamingo");
	g_assert_cmpstr (vulnd_series_value (vulnd_series_next (vulnd_series_lookup ("kilo"))), ==, "liberty");
	g_assert_cmpstr (vulnd_series_value (vulnd_series_next (vulnd_series_lookup ("zed"))), ==, "2023.1");
	g_assert_null (vulnd_series_lookup ("2016.1"));
	g_assert_null (vulnd_series_lookup (NULL));
	g_assert_null (vulnd_series_value (NULL));
}

static JsonArray *
ranges (const char *json)
{
	g_autoptr (JsonNode) n = json_from_string (json, NULL);
	g_assert_nonnull (n);
	return json_array_ref (json_node_get_array (n));
}

static void
test_match (void)
{
	static const struct {
		const char *ranges, *version;
		VulndMatch expect;
		int which; /* index of the matching range, -1 for none */
	} cases[] = {
#define SPEC "[{\"introduced\":\"0\",\"fixed\":\"20.2.1\"},"            \
	"{\"introduced\":\"21.0.0\",\"fixed\":\"21.2.1\"},"             \
	"{\"introduced\":\"22.0.0\",\"last_affected\":\"22.0.0\"}]"
		{ SPEC, "0.1", VULND_MATCH_AFFECTED, 0 },
		{ SPEC, "20.2.0", VULND_MATCH_AFFECTED, 0 },
		{ SPEC, "20.2.1rc1", VULND_MATCH_AFFECTED, 0 },
		{ SPEC, "20.2.1", VULND_MATCH_NOT_AFFECTED, -1 },   /* fixed is exclusive */
		{ SPEC, "20.3.0", VULND_MATCH_NOT_AFFECTED, -1 },
		{ SPEC, "21.0.0", VULND_MATCH_AFFECTED, 1 },        /* introduced inclusive */
		{ SPEC, "21.0.0.dev5", VULND_MATCH_NOT_AFFECTED, -1 },
		{ SPEC, "21.2.1", VULND_MATCH_NOT_AFFECTED, -1 },
		{ SPEC, "22.0.0", VULND_MATCH_AFFECTED, 2 },        /* last_affected inclusive */
		{ SPEC, "22.0", VULND_MATCH_AFFECTED, 2 },
		{ SPEC, "22.0.0.post1", VULND_MATCH_NOT_AFFECTED, -1 },
		{ SPEC, "22.0.1", VULND_MATCH_NOT_AFFECTED, -1 },
		{ SPEC, "2014.2.1", VULND_MATCH_AFFECTED, 0 },       /* date < plain */
		{ SPEC, "2024.1", VULND_MATCH_UNKNOWN, -1 },         /* a series */
		{ SPEC, "not-a-version", VULND_MATCH_UNKNOWN, -1 },
		{ SPEC, "", VULND_MATCH_UNKNOWN, -1 },
		{ SPEC, NULL, VULND_MATCH_UNKNOWN, -1 },
		{ "[]", "1.0", VULND_MATCH_UNKNOWN, -1 },            /* never "not affected" */
		{ "[{\"introduced\":\"0\"}]", "123456789012345678901234567890", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"3.0\"}]", "2.9", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"3.0\"}]", "3.0", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"3.0\",\"introduced-exclusive\":true}]", "3.0", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"3.0\",\"introduced-exclusive\":true}]", "3.0.1", VULND_MATCH_AFFECTED, 0 },
		/* series ranges */
		{ "[{\"introduced\":\"2012.2\",\"fixed\":\"2013.1\"}]", "2012.2.4", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"2012.2\",\"fixed\":\"2013.1\"}]", "folsom", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"2012.2\",\"fixed\":\"2013.1\"}]", "2013.1.1", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"2015.1\",\"fixed\":\"liberty\"}]", "2015.1.3", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"2015.1\",\"fixed\":\"liberty\"}]", "11.0.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[{\"introduced\":\"2015.1\",\"fixed\":\"liberty\"}]", "2014.2.4", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"2015.1\",\"fixed\":\"liberty\"}]", "mitaka", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"ocata\",\"fixed\":\"pike\"}]", "Ocata", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"ocata\",\"fixed\":\"pike\"}]", "15.0.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[{\"introduced\":\"ocata\",\"fixed\":\"pike\"}]", "2014.1.1", VULND_MATCH_NOT_AFFECTED, -1 },
		{ "[{\"introduced\":\"2023.1\"}]", "caracal", VULND_MATCH_AFFECTED, 0 },
		{ "[{\"introduced\":\"2023.1\"}]", "zed", VULND_MATCH_NOT_AFFECTED, -1 },
		/* one decided "affected" wins over undecided ones */
		{ "[{\"introduced\":\"ocata\"},{\"introduced\":\"0\",\"fixed\":\"2.0\"}]", "1.0", VULND_MATCH_AFFECTED, 1 },
		{ "[{\"introduced\":\"ocata\"},{\"introduced\":\"0\",\"fixed\":\"2.0\"}]", "3.0", VULND_MATCH_UNKNOWN, -1 },
		/* malformed ranges are never "not affected" */
		{ "[{\"fixed\":\"2.0\"}]", "1.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[{\"introduced\":7}]", "1.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[{\"introduced\":\"0\",\"fixed\":\"2.0\",\"last_affected\":\"1.5\"}]", "1.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[{\"introduced\":\"0\",\"fixed\":\"garbage\"}]", "1.0", VULND_MATCH_UNKNOWN, -1 },
		{ "[\"<2.0\"]", "1.0", VULND_MATCH_UNKNOWN, -1 },
		/* ... but a decided bound still excludes */
		{ "[{\"introduced\":\"5.0\",\"fixed\":\"garbage\"}]", "1.0", VULND_MATCH_NOT_AFFECTED, -1 },
#undef SPEC
	};
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr (JsonArray) r = ranges (cases[i].ranges);
		JsonObject *hit = (JsonObject *) 0x1;
		VulndMatch m = vulnd_ranges_match (r, cases[i].version, &hit);
		g_test_message ("%s ? %s -> %s", cases[i].ranges,
		                cases[i].version ? cases[i].version : "(null)",
		                vulnd_match_to_string (m));
		g_assert_cmpint (m, ==, cases[i].expect);
		if (cases[i].which < 0)
			g_assert_null (hit);
		else
			g_assert_true (hit == json_array_get_object_element (r, cases[i].which));
	}
	g_assert_cmpint (vulnd_ranges_match (NULL, "1.0", NULL), ==, VULND_MATCH_UNKNOWN);
	g_assert_cmpstr (vulnd_match_to_string (VULND_MATCH_AFFECTED), ==, "affected");
	g_assert_cmpstr (vulnd_match_to_string (VULND_MATCH_NOT_AFFECTED), ==, "not-affected");
	g_assert_cmpstr (vulnd_match_to_string (VULND_MATCH_UNKNOWN), ==, "unknown");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/version/pep440-order", test_pep440_order);
	g_test_add_func ("/version/pep440-equal", test_pep440_equal);
	g_test_add_func ("/version/date-versions", test_date_versions);
	g_test_add_func ("/version/incomparable", test_incomparable);
	g_test_add_func ("/version/valid", test_valid);
	g_test_add_func ("/version/debian", test_debian);
	g_test_add_func ("/version/series-table", test_series_table);
	g_test_add_func ("/version/match", test_match);
	return g_test_run ();
}
