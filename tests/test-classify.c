/* test-classify.c - what a message is: OSSA, erratum, OSSN or nothing.
 * Fixtures are written by this project in each era's style, with invented
 * ids, names and CVE-2099 numbers. */
#include "config.h"

#include "extract/extract.h"

static char *
fixture (const char *name)
{
	g_autofree char *path = g_build_filename (TOP_SRCDIR, "tests", "fixtures", "extract", name, NULL);
	g_autoptr (GError) error = NULL;
	char *text = NULL;

	if (!g_file_get_contents (path, &text, NULL, &error))
		g_error ("%s: %s", path, error->message);
	return text;
}

static VulndMessageKind
classify (const char *subject, const char *text, gboolean forwarded, char **id, int *erratum)
{
	VulndExtractInput in = { .subject = subject, .text = text, .forwarded = forwarded };
	return vulnd_classify (&in, id, erratum);
}

static void
check (const char *subject, const char *text, VulndMessageKind want_kind,
       const char *want_id, int want_erratum)
{
	g_autofree char *id = NULL;
	int erratum = -1;
	VulndMessageKind kind = classify (subject, text, FALSE, &id, &erratum);

	g_assert_cmpint (kind, ==, want_kind);
	g_assert_cmpstr (id, ==, want_id);
	g_assert_cmpint (erratum, ==, want_erratum);
}

static void
check_fixture (const char *subject, const char *name, VulndMessageKind want_kind,
               const char *want_id, int want_erratum)
{
	g_autofree char *text = fixture (name);
	check (subject, text, want_kind, want_id, want_erratum);
}

static void
test_eras (void)
{
	check_fixture ("[OSSA 2012-042] Glimmer leaks tokens (CVE-2099-0101)",
	               "ossa-2012-old.txt", VULND_KIND_OSSA, "OSSA-2012-042", 0);
	check_fixture ("[oss-security] [OSSA-2019-077] Quorum: forged aggregates",
	               "ossa-2019-rst.txt", VULND_KIND_OSSA, "OSSA-2019-077", 0);
	check_fixture ("[OSSA-2026-977] OpenStack Beacon: header leak (CVE-2099-0401)",
	               "ossa-2026-inline.txt", VULND_KIND_OSSA, "OSSA-2026-977", 0);
	/* subject-less: content alone decides */
	check_fixture (NULL, "ossa-2019-rst.txt", VULND_KIND_OSSA, "OSSA-2019-077", 0);
}

static void
test_errata (void)
{
	/* banner ".2" and the History list agree */
	check_fixture ("[OSSA 2016-088.2] Lantern (CVE-2099-0301) ERRATA #2",
	               "ossa-errata-rst.txt", VULND_KIND_OSSA_ERRATUM, "OSSA-2016-088", 2);
	/* errata are sometimes sent as replies: content wins over "Re:" */
	check_fixture ("Re: [OSSA-2016-088] Lantern volume driver",
	               "ossa-errata-rst.txt", VULND_KIND_OSSA_ERRATUM, "OSSA-2016-088", 2);
	/* the subject alone numbers it */
	check ("[OSSA-2099-004] Errata 1: Foo bar",
	       "=====\nOSSA-2099-004: Foo bar\n=====\n\n:Date: May 1, 2099\n",
	       VULND_KIND_OSSA_ERRATUM, "OSSA-2099-004", 1);
	/* a preface, and an unnumbered Errata section */
	check (NULL, "Errata 3 for OSSA-2099-005: CVE assigned.\n\n=====\nOSSA-2099-005: X\n=====\n",
	       VULND_KIND_OSSA_ERRATUM, "OSSA-2099-005", 3);
	check (NULL, "=====\nOSSA-2099-006: X\n=====\n\nErrata\n~~~~~~\nFixed.\n",
	       VULND_KIND_OSSA_ERRATUM, "OSSA-2099-006", 1);
}

static void
test_ossn (void)
{
	check ("[OSSN-0999] Widgets leak", "OSSN-0999\nWidgets leak\n\n### Summary ###\nText.\n",
	       VULND_KIND_OSSN, "OSSN-0999", 0);
	check ("[OSSN-0998] Gizmo", "Gizmo logs secrets\n-----------------\n\n### Summary ###\nText.\n",
	       VULND_KIND_OSSN, "OSSN-0998", 0);
	check (NULL, "=====\nOSSN-0997: Gadget (2099-01-01)\n=====\n\nSummary\n~~~~~~~\nText\n",
	       VULND_KIND_OSSN, "OSSN-0997", 0);
	/* wiki headings: "= OSSN-NNNN: Title =", "== Summary ==" */
	check (NULL, "= OSSN-0996: Sprocket safety =\n\n== Summary ==\nText.\n",
	       VULND_KIND_OSSN, "OSSN-0996", 0);
	check ("[OSSN-0996] Sprocket safety", "= OSSN-0996: Sprocket safety =\n\n== Summary ==\nText.\n",
	       VULND_KIND_OSSN, "OSSN-0996", 0);
	/* a note under "Re:" (notes are not signed by VMT keys) */
	check ("Re: [OSSN-0998] Gizmo", "Gizmo logs secrets\n-----------------\n\n### Summary ###\nText.\n",
	       VULND_KIND_OSSN, "OSSN-0998", 0);
	/* an OSSN id in the subject of a discussion is not a note */
	check ("Re: [OSSN-0999] Widgets leak", "Thanks, is OSSN-0999 also about gizmos?\n",
	       VULND_KIND_NONE, NULL, 0);
}

static void
test_negatives (void)
{
	check_fixture ("Re: [OSSA-2019-077] Quorum: forged aggregates",
	               "neg-reply-quoting.txt", VULND_KIND_NONE, NULL, 0);
	check_fixture ("[oss-security] CVE-2099-0501: path traversal in pyzipper-example",
	               "neg-vendor.txt", VULND_KIND_NONE, NULL, 0);
	check_fixture ("Is OSSA-2099-999 real?", "neg-question.txt", VULND_KIND_NONE, NULL, 0);
	check ("[release] quorum 14.0.1 (2099.1/zebra)",
	       "We are happy to announce the release of quorum 14.0.1.\n", VULND_KIND_NONE, NULL, 0);
	check ("", "", VULND_KIND_NONE, NULL, 0);
	/* digits other than ASCII are no id (bug 17) */
	check (NULL, "=====\nOSSA-\u0662\u0660\u0669\u0669-001: Widget\n=====\n", VULND_KIND_NONE, NULL, 0);
	check ("[OSSN-\u0660\u0669\u0669\u0669] Gizmo", "Gizmo\n-----\n\n### Summary ###\nText.\n",
	       VULND_KIND_NONE, NULL, 0);
}

static void
test_forwards_and_digests (void)
{
	g_autofree char *text = fixture ("ossa-2019-rst.txt");
	g_autofree char *id = NULL;
	int erratum;

	/* the same advisory text, forwarded inline or in a digest, or carried in
	 * a message/rfc822 part, announces nothing */
	check ("Fwd: [OSSA-2019-077] Quorum: forged aggregates", text, VULND_KIND_NONE, NULL, 0);
	check ("openstack-discuss Digest, Vol 99, Issue 1", text, VULND_KIND_NONE, NULL, 0);
	g_assert_cmpint (classify ("[OSSA-2019-077] Quorum", text, TRUE, &id, &erratum), ==,
	                 VULND_KIND_NONE);
	g_assert_null (id);
	g_autofree char *inline_fwd = g_strconcat (
		"FYI\n\n---------- Forwarded message ---------\nFrom: Pat\n\n", text, NULL);
	check ("[ops] advisory", inline_fwd, VULND_KIND_NONE, NULL, 0);
	/* a reply that pastes the advisory, unquoted, under its own question */
	g_autofree char *pasted = g_strconcat ("Does this affect 2099.1?\n\nThanks,\nBo\n\n", text, NULL);
	check ("Re: [OSSA-2019-077] Quorum: forged aggregates", pasted, VULND_KIND_NONE, NULL, 0);
	/* ... unless the VMT signed it */
	VulndExtractInput signed_reply = { .subject = "Re: [OSSA-2019-077] Quorum", .text = pasted,
	                                   .verified = TRUE };
	g_clear_pointer (&id, g_free);
	g_assert_cmpint (vulnd_classify (&signed_reply, &id, &erratum), ==, VULND_KIND_OSSA);
	g_assert_cmpstr (id, ==, "OSSA-2019-077");
	/* so the screen, which runs before any signature is checked, lets the
	 * unverified one through to the full parse, and still stops a forward */
	VulndExtractInput unchecked = { .subject = "Re: [OSSA-2019-077] Quorum", .text = pasted };
	g_assert_true (vulnd_extract_may_yield (&unchecked));
	g_autoptr (GPtrArray) none = vulnd_extract (&unchecked);
	g_assert_cmpuint (none->len, ==, 0);
	VulndExtractInput forward = { .subject = "Fwd: [OSSA-2019-077] Quorum", .text = text };
	g_assert_false (vulnd_extract_may_yield (&forward));
	/* a "Re:" erratum opening with the header block or an errata preface */
	check ("Re: [OSSA-2019-077] Quorum: forged aggregates", text, VULND_KIND_OSSA, "OSSA-2019-077", 0);
	g_autofree char *preface = g_strconcat ("Errata 1 for OSSA-2019-077: CVE-2099-0777 was\n"
	                                        "assigned.\n\n", text, NULL);
	check ("Re: [OSSA-2019-077] Quorum: forged aggregates", preface, VULND_KIND_OSSA_ERRATUM,
	       "OSSA-2019-077", 1);
	/* far down in a long mail is not an announcement either */
	g_autofree char *late = g_strconcat ("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n", text, NULL);
	check ("[ops] advisory", late, VULND_KIND_NONE, NULL, 0);
}

static void
test_extract_dispatch (void)
{
	g_autofree char *text = fixture ("ossa-errata-rst.txt");
	VulndExtractInput in = { .subject = "[OSSA 2016-088.2] Lantern", .text = text };
	g_autoptr (GPtrArray) records = vulnd_extract (&in);

	g_assert_cmpuint (records->len, ==, 1);
	JsonObject *r = g_ptr_array_index (records, 0);
	g_assert_cmpint (json_object_get_int_member (r, "schema"), ==, VULND_RECORD_SCHEMA);
	g_assert_cmpstr (json_object_get_string_member (r, "kind"), ==, "ossa");
	g_assert_cmpint (json_object_get_int_member (r, "revision"), ==, 3);

	VulndExtractInput ossn = { .subject = "[OSSN-0999] W",
	                           .text = "OSSN-0999\nW\n\n### Summary ###\nText.\n" };
	g_autoptr (GPtrArray) notes = vulnd_extract (&ossn);
	g_assert_cmpuint (notes->len, ==, 1);
	JsonObject *n = g_ptr_array_index (notes, 0);
	g_assert_cmpstr (json_object_get_string_member (n, "kind"), ==, "ossn");
	g_assert_cmpstr (json_object_get_string_member (n, "id"), ==, "OSSN-0999");
	g_assert_cmpint (json_object_get_int_member (n, "revision"), ==, 1);

	VulndExtractInput none = { .subject = "hello", .text = "nothing here" };
	g_autoptr (GPtrArray) empty = vulnd_extract (&none);
	g_assert_nonnull (empty);
	g_assert_cmpuint (empty->len, ==, 0);
	g_assert_false (vulnd_extract_may_yield (&none));
	g_assert_true (vulnd_extract_may_yield (&in));
	g_assert_true (vulnd_extract_may_yield (&ossn));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/classify/eras", test_eras);
	g_test_add_func ("/classify/errata", test_errata);
	g_test_add_func ("/classify/ossn", test_ossn);
	g_test_add_func ("/classify/negatives", test_negatives);
	g_test_add_func ("/classify/forwards-digests", test_forwards_and_digests);
	g_test_add_func ("/classify/extract-dispatch", test_extract_dispatch);
	return g_test_run ();
}
