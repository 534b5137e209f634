/* test-ossn.c - vulnd_extract_ossn() on invented notes in each era's layout.
 *
 * The fixtures in tests/fixtures/ossn/ are written for these tests (invented
 * titles, people, products and CVE-2099-NNNN ids), one per layout the VMT
 * has used: 2014 "Title\n---", 2016 "Openstack Security Note: NNNN",
 * 2015 "Label: value" lists and "---- begin ... ----" snippets, 2024
 * "OSSN-NNNN\nTitle" with "- product: versions", the wiki's "== Summary =="
 * and the 2026 RST layout with "~~~~" underlines and "**Credits:**".
 * A note with tab-indented lines is the fuzz-parse regression input
 * tests/fuzz/regress/parse/ossn-tab-indent, read here as a mail. */
#include "config.h"

#include <string.h>

#include "extract.h"

#define FIXTURES TOP_SRCDIR "/tests/fixtures/ossn/"
#define REGRESS TOP_SRCDIR "/tests/fuzz/regress/parse/"

static JsonObject *
extract_text (const char *text, const char *subject)
{
	VulndExtractInput in = {
		.subject = subject,
		.from = "Security Notes <notes@example.org>",
		.date = "Tue, 03 Feb 2099 23:30:00 -0800",
		.text = text,
	};
	JsonObject *record = json_object_new ();

	vulnd_extract_ossn (&in, record);
	return record;
}

static JsonObject *
extract_fixture (const char *name, const char *subject)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_strconcat (FIXTURES, name, NULL);
	g_autofree char *text = NULL;

	g_file_get_contents (path, &text, NULL, &error);
	g_assert_no_error (error);
	return extract_text (text, subject);
}

/* A one-part text/plain 8bit mail of tests/fuzz/regress/parse/: its body
 * is the text after the blank line that ends the header. */
static JsonObject *
extract_regress_mail (const char *name, const char *subject)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_strconcat (REGRESS, name, NULL);
	g_autofree char *mail = NULL;
	const char *body;

	g_file_get_contents (path, &mail, NULL, &error);
	g_assert_no_error (error);
	body = strstr (mail, "\n\n");
	g_assert_nonnull (body);
	return extract_text (body + 2, subject);
}

static const char *
str (JsonObject *record, const char *member)
{
	return json_object_get_string_member_with_default (record, member, NULL);
}

/* The string elements of an array member, one per line, for assertions. */
static char *
joined (JsonObject *record, const char *member)
{
	GString *out = g_string_new (NULL);
	JsonArray *array;

	if (!json_object_has_member (record, member))
		return g_string_free (out, FALSE);
	array = json_object_get_array_member (record, member);
	for (guint i = 0; i < json_array_get_length (array); i++)
		g_string_append_printf (out, "%s\n", json_array_get_string_element (array, i));
	return g_string_free (out, FALSE);
}

static char *
cve_list (JsonObject *record)
{
	GString *out = g_string_new (NULL);
	JsonArray *array;

	if (!json_object_has_member (record, "vulnerabilities"))
		return g_string_free (out, FALSE);
	array = json_object_get_array_member (record, "vulnerabilities");
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonObject *v = json_array_get_object_element (array, i);

		g_string_append_printf (out, "%s ", json_object_get_string_member (v, "cve-id"));
	}
	return g_string_free (out, FALSE);
}

static JsonObject *
product (JsonObject *record, guint index)
{
	JsonArray *products;

	g_assert_true (json_object_has_member (record, "affected-products"));
	products = json_object_get_array_member (record, "affected-products");
	g_assert_cmpuint (index, <, json_array_get_length (products));
	return json_array_get_object_element (products, index);
}

static guint
n_products (JsonObject *record)
{
	if (!json_object_has_member (record, "affected-products"))
		return 0;
	return json_array_get_length (json_object_get_array_member (record, "affected-products"));
}

static gboolean
has_warning (JsonObject *record, const char *needle)
{
	g_autofree char *warnings = joined (record, "warnings");

	return strstr (warnings, needle) != NULL;
}

static void
assert_no_hard_wraps (const char *text)
{
	g_auto(GStrv) paragraphs = g_strsplit (text, "\n\n", -1);

	for (guint i = 0; paragraphs[i]; i++) {
		g_assert_cmpstr (paragraphs[i], !=, "");
		/* only list items and indented blocks may span several lines */
		if (strchr (paragraphs[i], '\n'))
			g_assert_true (g_regex_match_simple ("^([-*] |    |\\S[^:\\n]*: https?://)",
			                                     strchr (paragraphs[i], '\n') + 1, 0, 0));
	}
}

static void
test_era_2014 (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-2014.txt", "[OSSN-0901] Frobnicator quota bypass");
	g_autofree char *contacts = joined (r, "contacts");
	g_autofree char *cves = cve_list (r);

	g_assert_cmpstr (str (r, "title"), ==, "Frobnicator quota bypass through crafted tenant names");
	/* no date in the note: the Date header, in the sender's zone */
	g_assert_cmpstr (str (r, "date"), ==, "2099-02-03");
	g_assert_cmpstr (str (r, "summary"), ==,
	                 "Tenant names containing a trailing dot are not normalised by the "
	                 "Frobnicator quota driver, so a tenant can create a second quota "
	                 "bucket and exceed the limits an operator has set.");
	g_assert_cmpstr (str (r, "affected"), ==, "Nova, Grizzly, Havana");
	/* indented blocks keep their lines, prose around them is unwrapped */
	g_assert_cmpstr (str (r, "recommended-actions"), ==,
	                 "Operators should enable the strict name check in nova.conf:\n\n"
	                 "    [quota]\n    strict_tenant_names = True\n\n"
	                 "Deployments that cannot change the configuration should monitor "
	                 "the usage reports for tenants whose names differ by a final dot.");
	g_assert_nonnull (strstr (str (r, "discussion"), "two counters:\n\n    tenant-a\n    tenant-a.\n\n"));
	g_assert_cmpstr (contacts, ==,
	                 "This OSSN : https://wiki.openstack.org/wiki/OSSN/OSSN-0901\n"
	                 "Original LaunchPad Bug : https://bugs.launchpad.net/nova/+bug/9990001\n"
	                 "OpenStack Security ML : openstack-security@lists.openstack.org\n"
	                 "OpenStack Security Group : https://launchpad.net/~openstack-ossg\n"
	                 "CVE: CVE-2099-0101\n");
	g_assert_cmpstr (cves, ==, "CVE-2099-0101 ");
	g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
		json_object_get_object_member (r, "issues"), "links"), 0), ==,
		"https://bugs.launchpad.net/nova/+bug/9990001");
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r, "references")), ==, 3);
	/* a product followed by release code names */
	g_assert_cmpuint (n_products (r), ==, 1);
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "nova");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==, "Grizzly, Havana");
	g_assert_true (json_object_has_member (product (r, 0), "ranges"));
	g_assert_false (has_warning (r, "no Summary"));
}

static void
test_era_2016 (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-2016.txt", "[OSSN-0902] Widget console tokens");
	g_autofree char *contacts = joined (r, "contacts");
	g_autofree char *references = joined (r, "references");

	g_assert_cmpstr (str (r, "title"), ==, "Widget console tokens are logged in clear text");
	/* "<url>" repeats of a link are dropped, the closing quote stays on */
	g_assert_cmpstr (str (r, "discussion"), ==,
	                 "Anyone able to read the proxy log can replay a token before it "
	                 "expires and open a console on another user's instance, for example "
	                 "with `curl http://198.51.100.7:6080/console?token=abc` "
	                 "while the token is still valid.");
	/* "Name\n: url" and "[1]:\nurl" are one contact each */
	g_assert_cmpstr (contacts, ==,
	                 "Author: Ada Quillfeather, Example Corp\n"
	                 "This OSSN : https://wiki.openstack.org/wiki/OSSN/OSSN-0902\n"
	                 "Original LaunchPad Bug : https://bugs.launchpad.net/widget/+bug/9990002\n"
	                 "Mailing List : [Security] tag on openstack-dev@lists.openstack.org\n"
	                 "Logging Guide : http://docs.example.org/widget/logging.html\n"
	                 "[1]: https://docs.example.org/widget/console.html#tokens\n");
	g_assert_cmpstr (references, ==,
	                 "http://198.51.100.7:6080/console?token=abc\n"
	                 "https://wiki.openstack.org/wiki/OSSN/OSSN-0902\n"
	                 "https://bugs.launchpad.net/widget/+bug/9990002\n"
	                 "http://docs.example.org/widget/logging.html\n"
	                 "https://docs.example.org/widget/console.html#tokens\n");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "widget");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==, "All Versions");
	g_assert_false (json_object_has_member (r, "vulnerabilities"));
	g_assert_true (has_warning (r, "no CVE"));
}

static void
test_era_2024 (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-2024.txt", "OSSN-0903: Unbounded Archive Expansion");
	g_autofree char *contacts = joined (r, "contacts");
	const char *summary;

	g_assert_cmpstr (str (r, "title"), ==, "Unbounded Archive Expansion in Sprocket Import");
	summary = str (r, "summary");
	g_assert_true (g_str_has_prefix (summary, "The Sprocket image import task expands compressed "
	                                 "archives without a size limit,"));
	g_assert_true (g_str_has_suffix (summary, "no fix is planned.\n\n"
	                                 "[*] https://governance.example.org/inactive-projects.html"));
	g_assert_cmpuint (n_products (r), ==, 2);
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "sprocket");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==, "all versions");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "product"), ==, "sprocket-agent");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "version"), ==, "<3.1.2, >=4.0.0 <4.0.5");
	/* a "####" sub-section stays in its section, its links one a line */
	g_assert_true (g_str_has_suffix (str (r, "discussion"), "compared with the quota.\n\nPatches:\n\n"
	                                 "2099.1/zinnia: https://review.opendev.org/9990301\n"
	                                 "2098.2/yarrow: https://review.opendev.org/9990302"));
	/* Credits is a section of its own, not part of the actions */
	g_assert_null (strstr (str (r, "recommended-actions"), "Inkwell"));
	g_assert_cmpstr (contacts, ==,
	                 "Authors: Cordelia Pike, OpenStack Vulnerability Management Team\n"
	                 "Authors: Bartholomew Inkwell, Example Labs\n"
	                 "This OSSN: https://wiki.openstack.org/wiki/OSSN/OSSN-0903\n"
	                 "Original bug: https://launchpad.net/bugs/9990003\n"
	                 "Mailing List : [security-sig] openstack-discuss@lists.openstack.org\n");
	g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
		json_object_get_object_member (r, "issues"), "links"), 0), ==,
		"https://launchpad.net/bugs/9990003");
}

static void
test_era_2026_rst (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-2026.txt", "[OSSN-0904] Gizmo API leaks hints");
	g_autofree char *contacts = joined (r, "contacts");
	g_autofree char *references = joined (r, "references");
	g_autofree char *cves = cve_list (r);

	/* the "(YYYY-MM-DD)" after the title is the date, not the header */
	g_assert_cmpstr (str (r, "title"), ==, "Gizmo API leaks scheduler hints across projects");
	g_assert_cmpstr (str (r, "date"), ==, "2099-05-06");
	/* lines the mailer broke in the middle of a sentence are joined */
	g_assert_cmpstr (str (r, "summary"), ==,
	                 "The Gizmo API returns the scheduler hints of every server in a host "
	                 "aggregate, including servers owned by other projects, when ``detail=1`` "
	                 "is passed to ``GET /v2/aggregates``.");
	g_assert_cmpstr (str (r, "affected"), ==,
	                 "- gizmo ('>=1.0.0 <1.2.3, >=2.0.0 <2.1.0')\n- Doohickey (<0.9.1)");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "gizmo");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==,
	                 ">=1.0.0 <1.2.3, >=2.0.0 <2.1.0");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "product"), ==, "doohickey");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "version"), ==, "<0.9.1");
	g_assert_cmpstr (str (r, "recommended-actions"), ==,
	                 "Operators should:\n\n"
	                 "* Apply the relevant patch for their release\n"
	                 "* set ``[api]/hide_foreign_hints`` to ``True`` until every API node is upgraded\n\n"
	                 "Patches:\n\n"
	                 "- master (development): https://review.opendev.org/9990401\n"
	                 "- 2.0 release series: https://review.opendev.org/9990402");
	g_assert_cmpstr (contacts, ==,
	                 "Author: Fitzgerald Moss (Example Cloud)\n"
	                 "Original bug : https://launchpad.net/bugs/9990004\n"
	                 "This OSSN : https://docs.openstack.org/security-notes/OSSN-0904.html\n"
	                 "GitHub Advisory : https://github.com/example/gizmo/security/advisories/GHSA-xxxx-yyyy-zzzz\n"
	                 "cve-2099-0404 : https://nvd.nist.gov/vuln/detail/CVE-2099-0404\n");
	g_assert_cmpstr (cves, ==, "CVE-2099-0404 ");
	/* archive lines about the signature attachment are no part of it */
	g_assert_null (strstr (references, "attachment"));
	g_assert_nonnull (strstr (references, "https://review.opendev.org/9990402\n"));
	g_assert_false (has_warning (r, "section"));
}

static void
test_era_2015 (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-2015.txt", "[OSSN-0907] Gadget key cache");

	/* consecutive "Label: value" lines stay a list */
	g_assert_cmpstr (str (r, "affected"), ==, "Cinder: Icehouse, Juno, Kilo\nNova: Juno, Kilo");
	g_assert_cmpuint (n_products (r), ==, 2);
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "cinder");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==, "Icehouse, Juno, Kilo");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "product"), ==, "nova");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "version"), ==, "Juno, Kilo");
	/* "---- begin ... ----" snippets are quoted verbatim */
	g_assert_cmpstr (str (r, "discussion"), ==,
	                 "A user who hits the bug sees an error similar to this in the log:\n\n"
	                 "---- begin gadget.log sample snippet ----\n"
	                 "2099-01-02 03:04:05.678 TRACE gadget.cache Unauthorized: the token\n"
	                 "was revoked (HTTP 401)\n"
	                 "---- end gadget.log sample snippet ----\n\n"
	                 "The cache is only consulted for copy operations.");
	/* a "####" heading naming a main section is that section */
	g_assert_cmpstr (str (r, "recommended-actions"), ==, "Upgrade to a release that contains the fix.");
	g_assert_false (has_warning (r, "section"));
}

static void
test_era_wiki (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("era-wiki.txt", "[OSSN-0908] Sprocket safety");
	g_autofree char *contacts = joined (r, "contacts");
	g_autofree char *cves = cve_list (r);

	g_assert_cmpstr (str (r, "title"), ==, "Ensuring Sprocket Safety with Cogs");
	g_assert_cmpstr (str (r, "summary"), ==,
	                 "Cogs can ask Sprocket to swap a volume behind the back of its "
	                 "owner, which may corrupt the data on it.");
	g_assert_cmpstr (str (r, "discussion"), ==,
	                 "The swap call was meant for internal use only.\n\nPatches:\n\n"
	                 "2099.1/zinnia: https://review.opendev.org/9990801");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "product"), ==, "cogs");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "version"), ==, "==3.1.0");
	g_assert_cmpstr (contacts, ==, "Author: Imogen Reed\nCVE: CVE-2099-0808\n");
	g_assert_cmpstr (cves, ==, "CVE-2099-0808 ");
	g_assert_true (has_warning (r, "no bug report linked"));
	g_assert_false (json_object_has_member (r, "issues"));
}

static void
test_text_is_unwrapped (void)
{
	static const char *const fixtures[] = { "era-2014.txt", "era-2016.txt", "era-2024.txt",
	                                        "era-2026.txt", "era-wiki.txt" };
	static const char *const fields[] = { "summary", "affected", "discussion", "recommended-actions" };

	for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++) {
		g_autoptr(JsonObject) r = extract_fixture (fixtures[i], NULL);

		for (gsize j = 0; j < G_N_ELEMENTS (fields); j++) {
			const char *text = str (r, fields[j]);

			g_assert_nonnull (text);
			g_assert_false (g_str_has_suffix (text, "\n"));
			g_assert_false (g_str_has_prefix (text, "\n"));
			g_assert_null (strstr (text, "\n\n\n"));
			assert_no_hard_wraps (text);
		}
	}
}

static void
test_intro_before_title (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("intro.txt", "[OSSN-0909] Thingamajig pages");

	/* the underlined block is the title, not the greeting above it */
	g_assert_cmpstr (str (r, "title"), ==, "Thingamajig dashboard caches pages of logged-out users");
	g_assert_false (has_warning (r, "title"));
	g_assert_cmpstr (str (r, "summary"), ==,
	                 "Pages of a logged-out user stay in the Thingamajig cache for an hour.");
}

static void
test_no_sections (void)
{
	g_autoptr(JsonObject) r = extract_fixture ("no-sections.txt", "Re: [OSSN-0905] Gadget driver heads-up");
	g_autoptr(JsonObject) bare = extract_fixture ("no-sections.txt", NULL);

	/* a greeting is no title: fall back on the Subject, and say so */
	g_assert_cmpstr (str (r, "title"), ==, "Gadget driver heads-up");
	g_assert_true (has_warning (r, "title taken from the Subject"));
	g_assert_false (json_object_has_member (r, "summary"));
	g_assert_false (json_object_has_member (r, "affected-products"));
	g_assert_true (has_warning (r, "no Summary section"));
	g_assert_true (has_warning (r, "no Contacts / References section"));
	g_assert_false (json_object_has_member (bare, "title"));
	g_assert_true (has_warning (bare, "no title"));
}

static void
test_warnings_are_appended (void)
{
	g_autoptr(JsonObject) r = json_object_new ();
	JsonArray *earlier = json_array_new ();
	VulndExtractInput in = { .subject = "[OSSN-0906] Thing", .text = "" };
	JsonArray *warnings;

	json_array_add_string_element (earlier, "from the caller");
	json_object_set_array_member (r, "warnings", earlier);
	vulnd_extract_ossn (&in, r);
	warnings = json_object_get_array_member (r, "warnings");
	g_assert_cmpstr (json_array_get_string_element (warnings, 0), ==, "from the caller");
	g_assert_cmpuint (json_array_get_length (warnings), >, 1);
	g_assert_true (has_warning (r, "no publication date"));
}

/* Tab-indented lines (a tab is 8 columns of indent but one byte): the
 * list is still a list, the blocks keep their tabs, and the short "\t[api]"
 * line is looked at within its bytes (the read past its end fixed in
 * 76173cc). */
static void
test_tab_indent (void)
{
	g_autoptr(JsonObject) r = extract_regress_mail ("ossn-tab-indent",
		"[OSSN-9902] Sample agent API answers unauthenticated requests");
	g_autofree char *cves = cve_list (r);

	g_assert_cmpstr (str (r, "title"), ==, "Sample agent API answers unauthenticated requests");
	g_assert_cmpstr (str (r, "summary"), ==,
	                 "When the auth_strategy option is left unset, the sample agent API "
	                 "accepts requests without a token: anyone who can reach the API port "
	                 "can list and change the jobs of the agent.");
	g_assert_cmpstr (str (r, "affected"), ==,
	                 "- sample-agent: >=3.0.0 <3.2.1\n- sample-client: <1.4.0");
	g_assert_cmpuint (n_products (r), ==, 2);
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "product"), ==, "sample-agent");
	g_assert_cmpstr (json_object_get_string_member (product (r, 0), "version"), ==, ">=3.0.0 <3.2.1");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "product"), ==, "sample-client");
	g_assert_cmpstr (json_object_get_string_member (product (r, 1), "version"), ==, "<1.4.0");
	g_assert_cmpstr (str (r, "discussion"), ==,
	                 "The agent falls back on its \"noauth\" middleware when no strategy is "
	                 "configured, and says so once, at startup:\n\n"
	                 "\tWARNING sample.api No auth_strategy set: serving without authentication\n\n"
	                 "This issue is tracked as CVE-2099-0910.");
	g_assert_cmpstr (str (r, "recommended-actions"), ==,
	                 "Set the authentication strategy in sample-agent.conf:\n\n"
	                 "\t[api]\n\tauth_strategy = keystone\n\n"
	                 "then restart the agent, and keep the API port out of reach of the "
	                 "networks that have no business with it.");
	g_assert_cmpstr (cves, ==, "CVE-2099-0910 ");
	g_assert_false (has_warning (r, "section"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/ossn/era-2014", test_era_2014);
	g_test_add_func ("/ossn/era-2015", test_era_2015);
	g_test_add_func ("/ossn/era-2016", test_era_2016);
	g_test_add_func ("/ossn/era-2024", test_era_2024);
	g_test_add_func ("/ossn/era-2026-rst", test_era_2026_rst);
	g_test_add_func ("/ossn/era-wiki", test_era_wiki);
	g_test_add_func ("/ossn/unwrapped", test_text_is_unwrapped);
	g_test_add_func ("/ossn/intro-before-title", test_intro_before_title);
	g_test_add_func ("/ossn/no-sections", test_no_sections);
	g_test_add_func ("/ossn/warnings-appended", test_warnings_are_appended);
	g_test_add_func ("/ossn/tab-indent", test_tab_indent);
	return g_test_run ();
}
