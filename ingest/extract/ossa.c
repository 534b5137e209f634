/* ossa.c - fill an OSSA record from the text of its announcement.
 *
 * Three layouts since 2011, read through the same section splitter:
 *   2011-2014  "Title:/Reporter:/Products:/Versions:" header lines (until
 *              2013 "Affects:" with the affected series instead of
 *              "Versions:"), then "Description:", "<Branch> fix(es):" + URL
 *              lines or a "Fixes:" list of "Branch: URL", "Notes:",
 *              "References:";
 *   2015+      an "OSSA-YYYY-NNN: Title" banner between ===== lines,
 *              ":Date:"/":CVE:" fields, RST sections Affects, Description,
 *              Errata, Patches, Credits, References, Notes, OSSA History;
 *   some 2026  "Affects:/Patches:/Credits:" lines with aligned tables.
 * What is not found is left out and explained in "warnings".
 */
#include "config.h"

#include <string.h>

#include "extract.h"
#include "regex.h"
#include "sections.h"

#define DEFINE_RE VULND_DEFINE_REGEX

DEFINE_RE (banner_re, "^OSSA[- ][0-9]{4}-[0-9]{1,3}(?:\\.[0-9]+)?\\s*:\\s*(.*)$", 0)
DEFINE_RE (subject_tag_re, "^\\s*(?:(?:\\[[^\\]]*\\]|Re:|Fwd?:)\\s*)*", G_REGEX_CASELESS)
DEFINE_RE (subject_id_re, "^OSSA[- ][0-9]{4}-[0-9]{1,3}(?:\\.[0-9]+)?\\s*(?:/\\s*CVE-[0-9]{4}-[0-9]+\\s*)?[:\\]]?\\s*",
           G_REGEX_CASELESS)
DEFINE_RE (subject_tail_re, "\\s*\\((?:CVE[^)]*)\\)?\\s*(?:errata\\s*#?\\s*[0-9]+)?\\s*$",
           G_REGEX_CASELESS)
DEFINE_RE (credit_cves_re, "\\s*\\([^()]*CVE[^()]*\\)?\\s*$", G_REGEX_CASELESS)
DEFINE_RE (name_org_paren_re, "^(.*?)\\s*\\(([^()]+)\\)$", 0)
/* "Jo Doe <jo@example.org>": the address is not part of the name */
DEFINE_RE (credit_address_re, "\\s*<[^<>\\s@]+@[^<>\\s]+>", 0)
DEFINE_RE (version_start_re,
           "\\s(?=[<>=!~]|[0-9]|(?:all|any|up|versions?|through|before|prior|from|every)\\b)",
           G_REGEX_CASELESS)
DEFINE_RE (product_sep_re, "\\s*(?:,|\\band\\b)\\s*", 0)
DEFINE_RE (history_re, "^\\s*-\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\\s*-\\s*Errata\\s*#?\\s*([0-9]+)",
           G_REGEX_CASELESS | G_REGEX_MULTILINE)
DEFINE_RE (preface_re, "^\\s*(Errata\\s*#?\\s*[0-9]+\\s+(?:for|to)\\s+OSSA.*?)(?:\\n\\s*\\n|\\n=)",
           G_REGEX_CASELESS | G_REGEX_DOTALL)

typedef struct {
	const VulndExtractInput *in;
	VulndSections *sections;
	GHashTable *fields;
	GPtrArray *warnings; /* char* */
	GPtrArray *cves;     /* char*, of the whole advisory */
} OssaContext;

static void
warn (OssaContext *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
warn (OssaContext *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start (ap, fmt);
	g_ptr_array_add (ctx->warnings, g_strdup_vprintf (fmt, ap));
	va_end (ap);
}

static const char *
field (OssaContext *ctx, const char *name)
{
	const char *v = g_hash_table_lookup (ctx->fields, name);
	return v && *v ? v : NULL;
}

static const char *
section_body (OssaContext *ctx, const char *name)
{
	const VulndSection *s = vulnd_sections_find (ctx->sections, name);
	return s && s->body && *s->body ? s->body : NULL;
}

static gboolean
is_equals_rule (const char *line)
{
	g_autofree char *t = g_strstrip (g_strdup (line));
	return strlen (t) >= 5 && strspn (t, "=") == strlen (t);
}

/* ---- title -------------------------------------------------------------- */

/* The banner's title, which may wrap over lines until the closing rule. */
static char *
title_from_banner (const char *text)
{
	g_auto (GStrv) lines = vulnd_text_split_lines (text, 60);

	for (guint i = 1; lines[i]; i++) {
		g_autoptr (GMatchInfo) mi = NULL;
		if (!is_equals_rule (lines[i - 1])
		    || !g_regex_match (banner_re (), lines[i], 0, &mi))
			continue;
		g_autoptr (GString) title = g_string_new (NULL);
		g_autofree char *first = g_match_info_fetch (mi, 1);
		g_string_append (title, first);
		for (guint j = i + 1; lines[j] && !is_equals_rule (lines[j]) && j < i + 4; j++) {
			g_string_append_c (title, ' ');
			g_string_append (title, lines[j]);
		}
		return vulnd_text_squash (title->str);
	}
	return NULL;
}

static char *
title_from_subject (const char *subject)
{
	g_autofree char *a = NULL, *b = NULL, *c = NULL;

	if (!subject)
		return NULL;
	a = g_regex_replace (subject_tag_re (), subject, -1, 0, "", 0, NULL);
	b = g_regex_replace (subject_id_re (), a, -1, 0, "", 0, NULL);
	c = g_regex_replace (subject_tail_re (), b, -1, 0, "", 0, NULL);
	char *t = vulnd_text_squash (c);
	if (!*t)
		g_clear_pointer (&t, g_free);
	return t;
}

static void
add_title (OssaContext *ctx, JsonObject *record)
{
	g_autofree char *title = title_from_banner (ctx->in->text);

	if (!title && field (ctx, "title"))
		title = g_strdup (field (ctx, "title"));
	if (!title) {
		title = title_from_subject (ctx->in->subject);
		if (title)
			warn (ctx, "title taken from the subject");
	}
	if (title)
		json_object_set_string_member (record, "title", title);
	else
		warn (ctx, "no title found");
}

/* ---- date, CVEs --------------------------------------------------------- */

static void
add_date (OssaContext *ctx, JsonObject *record)
{
	g_autofree char *date = vulnd_text_parse_date (field (ctx, "date"));

	if (!date) {
		date = vulnd_text_parse_date (ctx->in->date);
		if (date)
			warn (ctx, "no Date field: date of the message used");
	}
	if (date)
		json_object_set_string_member (record, "date", date);
	else
		warn (ctx, "no date found");
}

static void
collect_cves (OssaContext *ctx)
{
	const char *spec = field (ctx, "cve");

	if (!spec)
		spec = field (ctx, "cves");
	ctx->cves = vulnd_text_cves (spec);
	if (ctx->cves->len == 0) {
		/* a CVE assigned late shows in the subject of the erratum only */
		g_ptr_array_unref (ctx->cves);
		ctx->cves = vulnd_text_cves (ctx->in->subject);
		if (ctx->cves->len > 0)
			warn (ctx, "CVE ids taken from the subject");
	}
	if (ctx->cves->len == 0)
		warn (ctx, "no CVE id (pending or not assigned)");
}

static JsonArray *
strv_to_array (GPtrArray *strings)
{
	JsonArray *a = json_array_new ();
	for (guint i = 0; i < strings->len; i++)
		json_array_add_string_element (a, g_ptr_array_index (strings, i));
	return a;
}

static void
add_vulnerabilities (OssaContext *ctx, JsonObject *record)
{
	JsonArray *vulns = json_array_new ();

	for (guint i = 0; i < ctx->cves->len; i++) {
		JsonObject *v = json_object_new ();
		json_object_set_string_member (v, "cve-id", g_ptr_array_index (ctx->cves, i));
		json_array_add_object_element (vulns, v);
	}
	json_object_set_array_member (record, "vulnerabilities", vulns);
}

/* ---- description -------------------------------------------------------- */

static void
add_description (OssaContext *ctx, JsonObject *record)
{
	const char *body = section_body (ctx, "description");

	if (!body) {
		warn (ctx, "no Description section");
		return;
	}
	g_autofree char *text = vulnd_text_unwrap (body);
	json_object_set_string_member (record, "description", text);
}

/* ---- affected products -------------------------------------------------- */

static char *
product_name (const char *text)
{
	g_autofree char *t = vulnd_text_squash (text);
	g_autofree char *lower = g_ascii_strdown (t, -1);
	const char *p = lower;

	if (g_str_has_prefix (p, "openstack "))
		p += strlen ("openstack ");
	g_autofree char *name = g_strdup (p);
	g_strdelimit (name, " ", '-');
	return g_steal_pointer (&name);
}

static void
add_product (OssaContext *ctx, JsonArray *products, const char *name, const char *version)
{
	g_auto (GStrv) names = g_regex_split (product_sep_re (), name, 0);

	for (guint i = 0; names[i]; i++) {
		if (!*names[i])
			continue;
		JsonObject *p = json_object_new ();
		g_autofree char *pname = product_name (names[i]);
		g_autofree char *v = vulnd_text_squash (version);
		json_object_set_string_member (p, "product", pname);
		json_object_set_string_member (p, "version", v);
		json_object_set_array_member (p, "ranges", vulnd_version_ranges (v, ctx->warnings));
		json_array_add_object_element (products, p);
	}
}

/* "Nova: <=2015.1.3, >=12.0.0" or, without a colon, "Swift >=2.0.0 <2.35.3". */
static void
add_affects_item (OssaContext *ctx, JsonArray *products, const char *item)
{
	const char *colon = strchr (item, ':');
	g_autoptr (GMatchInfo) mi = NULL;

	if (colon) {
		g_autofree char *name = g_strndup (item, colon - item);
		add_product (ctx, products, name, colon + 1);
		return;
	}
	if (g_regex_match (version_start_re (), item, 0, &mi)) {
		int start, end;
		g_match_info_fetch_pos (mi, 0, &start, &end);
		g_autofree char *name = g_strndup (item, start);
		add_product (ctx, products, name, item + end);
		return;
	}
	warn (ctx, "affected product not understood: %s", item);
}

static void
add_products (OssaContext *ctx, JsonObject *record)
{
	JsonArray *products = json_array_new ();
	const char *body = section_body (ctx, "affects");
	const char *names = field (ctx, "products") ? field (ctx, "products") : field (ctx, "product");
	const char *versions = field (ctx, "versions") ? field (ctx, "versions") : field (ctx, "version");

	/* 2011-2013 header lines: "Products: Nova" then "Affects: Essex, Folsom",
	 * the affected series of those products, not a list of products. */
	if (names && !versions && body && !strstr (body, "\n\n") && !strchr (body, ':')) {
		add_product (ctx, products, names, body);
	} else if (body) {
		g_autoptr (GPtrArray) items = vulnd_section_items (body, TRUE);
		for (guint i = 0; i < items->len; i++)
			add_affects_item (ctx, products, g_ptr_array_index (items, i));
	} else if (names) {
		if (versions)
			add_product (ctx, products, names, versions);
		else
			warn (ctx, "no Versions field");
	}
	if (json_array_get_length (products) == 0)
		warn (ctx, "no affected products found");
	json_object_set_array_member (record, "affected-products", products);
}

/* ---- reporters ---------------------------------------------------------- */

static JsonObject *
reporter_new (OssaContext *ctx, const char *item)
{
	g_autoptr (GPtrArray) cves = vulnd_text_cves (item);
	g_autofree char *no_cves = g_regex_replace (credit_cves_re (), item, -1, 0, "", 0, NULL);
	g_autofree char *who = g_regex_replace (credit_address_re (), no_cves, -1, 0, "", 0, NULL);
	g_autofree char *name = NULL, *org = NULL;
	g_autoptr (GMatchInfo) mi = NULL;
	const char *from;

	g_strstrip (who);
	if ((from = strstr (who, " from "))) {
		name = g_strndup (who, from - who);
		org = g_strdup (from + strlen (" from "));
	} else if (g_regex_match (name_org_paren_re (), who, 0, &mi)) {
		name = g_match_info_fetch (mi, 1);
		org = g_match_info_fetch (mi, 2);
	} else if ((from = strstr (who, " with "))) {
		name = g_strndup (who, from - who);
		org = g_strdup (from + strlen (" with "));
	} else {
		name = g_strdup (who);
	}
	g_strstrip (name);
	if (!*name)
		return NULL;
	JsonObject *r = json_object_new ();
	json_object_set_string_member (r, "name", name);
	if (org && *g_strstrip (org))
		json_object_set_string_member (r, "affiliation", org);
	/* a credit without CVE ids reported the whole advisory */
	json_object_set_array_member (r, "reported", strv_to_array (cves->len ? cves : ctx->cves));
	return r;
}

/* "A (X), B (Y) and C" on an old Reporter: line; commas inside parentheses
 * belong to an affiliation. */
static GPtrArray *
split_reporter_line (const char *line)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GString) cur = g_string_new (NULL);
	int depth = 0;

	for (const char *p = line; ; p++) {
		gboolean sep = *p == '\0'
			|| (depth == 0 && *p == ',')
			|| (depth == 0 && g_str_has_prefix (p, " and "));
		if (sep) {
			g_autofree char *t = g_strstrip (g_strdup (cur->str));
			if (*t)
				g_ptr_array_add (out, g_steal_pointer (&t));
			g_string_truncate (cur, 0);
			if (*p == '\0')
				break;
			if (*p == ' ')
				p += strlen (" and") - 1;
			continue;
		}
		depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
		g_string_append_c (cur, *p);
	}
	return out;
}

static void
add_reporters (OssaContext *ctx, JsonObject *record)
{
	JsonArray *reporters = json_array_new ();
	const char *body = section_body (ctx, "credits");
	g_autoptr (GPtrArray) items = NULL;

	if (body)
		items = vulnd_section_items (body, TRUE);
	else if (field (ctx, "reporter") || field (ctx, "reporters"))
		items = split_reporter_line (field (ctx, "reporter") ? field (ctx, "reporter")
		                                                       : field (ctx, "reporters"));
	else
		warn (ctx, "no Credits section");
	for (guint i = 0; items && i < items->len; i++) {
		JsonObject *r = reporter_new (ctx, g_ptr_array_index (items, i));
		if (r)
			json_array_add_object_element (reporters, r);
	}
	json_object_set_array_member (record, "reporters", reporters);
}

/* ---- issues, reviews, references ---------------------------------------- */

static gboolean
is_bug_url (const char *url)
{
	return strstr (url, "launchpad.net/") || strstr (url, "storyboard.openstack.org/");
}

static void
add_issues (OssaContext *ctx, JsonObject *record)
{
	g_autoptr (GPtrArray) urls = vulnd_text_urls (ctx->in->text);
	JsonArray *links = json_array_new ();
	JsonObject *issues = json_object_new ();

	for (guint i = 0; i < urls->len; i++)
		if (is_bug_url (g_ptr_array_index (urls, i)))
			json_array_add_string_element (links, g_ptr_array_index (urls, i));
	if (json_array_get_length (links) == 0)
		warn (ctx, "no bug links found");
	json_object_set_array_member (issues, "links", links);
	json_object_set_object_member (record, "issues", issues);
}

/* "Kilo", "2023.1/antelope(cinder)", "Juno (development branch)" -> key. */
static char *
branch_key (const char *text)
{
	g_autofree char *t = vulnd_text_squash (text);
	g_autofree char *lower = g_ascii_strdown (t, -1);
	char *paren;

	g_strstrip (g_strdelimit (lower, ":", ' '));
	/* "(development branch)" is the old way to flag master, not a branch */
	if ((paren = strstr (lower, " (development branch)")))
		*paren = '\0';
	/* "antelope(cinder)": the product the patch belongs to */
	paren = strrchr (lower, '(');
	if (paren && paren > lower && paren[-1] != ' ' && g_str_has_suffix (paren, ")"))
		*paren = '\0';
	if (g_str_has_prefix (lower, "stable/"))
		memmove (lower, lower + strlen ("stable/"), strlen (lower) - strlen ("stable/") + 1);
	return g_strdup (g_strstrip (lower));
}

static void
review_add (JsonObject *reviews, const char *branch, const char *url)
{
	JsonArray *a = json_object_has_member (reviews, branch)
		? json_object_get_array_member (reviews, branch) : NULL;

	if (!a) {
		a = json_array_new ();
		json_object_set_array_member (reviews, branch, a);
	}
	for (guint i = 0; i < json_array_get_length (a); i++)
		if (g_str_equal (json_array_get_string_element (a, i), url))
			return;
	json_array_add_string_element (a, url);
}

/* The branch of one Patches line: "(Kilo)" after the URL, or "epoxy:" before. */
static char *
patch_line_branch (const char *item, const char *first_url, const char *last_url)
{
	const char *before_end = strstr (item, first_url);
	const char *after = strstr (item, last_url) + strlen (last_url);
	const char *open = strchr (after, '(');
	const char *close = strrchr (after, ')');

	if (open && close && close > open) {
		g_autofree char *inside = g_strndup (open + 1, close - open - 1);
		return branch_key (inside);
	}
	g_autofree char *before = g_strndup (item, before_end - item);
	g_strstrip (before);
	if (*before)
		return branch_key (before);
	return NULL;
}

static void
add_patch_items (OssaContext *ctx, JsonObject *reviews, const char *body)
{
	g_autoptr (GPtrArray) items = vulnd_section_items (body, TRUE);

	for (guint i = 0; i < items->len; i++) {
		const char *item = g_ptr_array_index (items, i);
		g_autoptr (GPtrArray) urls = vulnd_text_urls (item);
		if (urls->len == 0)
			continue;
		g_autofree char *branch = patch_line_branch (item, g_ptr_array_index (urls, 0),
		                                              g_ptr_array_index (urls, urls->len - 1));
		if (!branch || !*branch) {
			warn (ctx, "patch without a branch: %s", (char *) g_ptr_array_index (urls, 0));
			g_free (branch);
			branch = g_strdup ("unknown");
		}
		for (guint j = 0; j < urls->len; j++)
			review_add (reviews, branch, g_ptr_array_index (urls, j));
	}
}

static void
add_reviews (OssaContext *ctx, JsonObject *record)
{
	JsonObject *reviews = json_object_new ();

	for (guint i = 0; i < ctx->sections->sections->len; i++) {
		const VulndSection *s = g_ptr_array_index (ctx->sections->sections, i);
		/* "Fixes:" with "Essex: URL" lines is the old name of Patches */
		if ((g_str_equal (s->name, "patches") || g_str_equal (s->name, "fixes")) && s->body)
			add_patch_items (ctx, reviews, s->body);
		if (g_str_equal (s->name, "fix") && s->body) {
			g_autofree char *branch = branch_key (s->arg);
			g_autoptr (GPtrArray) urls = vulnd_text_urls (s->body);
			for (guint j = 0; j < urls->len; j++)
				review_add (reviews, branch, g_ptr_array_index (urls, j));
		}
	}
	if (json_object_get_size (reviews) == 0)
		warn (ctx, "no patches found");
	json_object_set_object_member (record, "reviews", reviews);
}

static void
add_references (OssaContext *ctx, JsonObject *record)
{
	const char *body = section_body (ctx, "references");

	if (!body) {
		warn (ctx, "no References section");
		return;
	}
	g_autoptr (GPtrArray) urls = vulnd_text_urls (body);
	json_object_set_array_member (record, "references", strv_to_array (urls));
}

/* ---- notes, errata ------------------------------------------------------ */

static void
add_notes (OssaContext *ctx, JsonObject *record)
{
	const char *body = section_body (ctx, "notes");

	if (!body)
		return;
	g_autoptr (GPtrArray) items = vulnd_section_items (body, FALSE);
	json_object_set_array_member (record, "notes", strv_to_array (items));
}

/* The date of erratum NUMBER in the "OSSA History" list. */
static char *
erratum_date (OssaContext *ctx, int number)
{
	g_autoptr (GMatchInfo) mi = NULL;

	g_regex_match (history_re (), ctx->in->text, 0, &mi);
	for (; g_match_info_matches (mi); g_match_info_next (mi, NULL)) {
		g_autofree char *n = g_match_info_fetch (mi, 2);
		if (g_ascii_strtoll (n, NULL, 10) == number)
			return g_match_info_fetch (mi, 1);
	}
	return vulnd_text_parse_date (ctx->in->date);
}

static char *
erratum_text (OssaContext *ctx)
{
	const char *body = section_body (ctx, "errata");
	g_autoptr (GMatchInfo) mi = NULL;

	if (body)
		return vulnd_text_unwrap (body);
	if (g_regex_match (preface_re (), ctx->in->text, 0, &mi)) {
		g_autofree char *t = g_match_info_fetch (mi, 1);
		return vulnd_text_unwrap (t);
	}
	return NULL;
}

static void
add_errata (OssaContext *ctx, JsonObject *record)
{
	gint64 revision = json_object_get_int_member_with_default (record, "revision", 1);

	if (revision <= 1)
		return;
	JsonObject *e = json_object_new ();
	g_autofree char *date = erratum_date (ctx, (int) revision - 1);
	g_autofree char *text = erratum_text (ctx);
	json_object_set_int_member (e, "number", revision - 1);
	if (date)
		json_object_set_string_member (e, "date", date);
	if (text)
		json_object_set_string_member (e, "text", text);
	else
		warn (ctx, "no Errata section");
	JsonArray *errata = json_array_new ();
	json_array_add_object_element (errata, e);
	json_object_set_array_member (record, "errata", errata);
}

static void
add_warnings (OssaContext *ctx, JsonObject *record)
{
	JsonArray *a = vulnd_record_warnings (record);

	for (guint i = 0; i < ctx->warnings->len; i++)
		json_array_add_string_element (a, g_ptr_array_index (ctx->warnings, i));
}

void
vulnd_extract_ossa (const VulndExtractInput *in, JsonObject *record)
{
	OssaContext ctx = { .in = in };

	if (!in || !in->text || !record)
		return;
	ctx.sections = vulnd_sections_split (in->text);
	ctx.fields = vulnd_header_fields (ctx.sections->preamble);
	ctx.warnings = g_ptr_array_new_with_free_func (g_free);
	collect_cves (&ctx);

	add_title (&ctx, record);
	add_date (&ctx, record);
	add_description (&ctx, record);
	add_products (&ctx, record);
	add_vulnerabilities (&ctx, record);
	add_reporters (&ctx, record);
	add_issues (&ctx, record);
	add_reviews (&ctx, record);
	add_references (&ctx, record);
	add_notes (&ctx, record);
	add_errata (&ctx, record);
	add_warnings (&ctx, record);

	g_ptr_array_unref (ctx.cves);
	g_ptr_array_unref (ctx.warnings);
	g_hash_table_unref (ctx.fields);
	vulnd_sections_free (ctx.sections);
}
