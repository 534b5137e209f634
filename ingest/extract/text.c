/* text.c - text helpers shared by the OSSA and OSSN extractors. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "regex.h"
#include "regex-jit.h"
#include "sections.h"

#define DEFINE_RE(fn, pattern) VULND_DEFINE_REGEX (fn, pattern, G_REGEX_CASELESS)

#define MONTHS "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?"
DEFINE_RE (iso_date_re, "\\b([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\\b")
DEFINE_RE (mdy_date_re, "\\b" MONTHS "\\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\\s+([0-9]{4})\\b")
DEFINE_RE (dmy_date_re, "\\b([0-9]{1,2})\\s+" MONTHS ",?\\s+([0-9]{4})\\b")
DEFINE_RE (ossa_id_re, "\\bOSSA[\\s_-]*([0-9]{4})-([0-9]{1,3})\\b")
DEFINE_RE (ossn_id_re, "\\bOSSN[\\s_-]*([0-9]{1,4})\\b")

static int
month_number (const char *name)
{
	static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun",
	                                      "jul", "aug", "sep", "oct", "nov", "dec" };
	for (int i = 0; i < 12; i++)
		if (g_ascii_strncasecmp (name, months[i], 3) == 0)
			return i + 1;
	return 0;
}

/* Validate through GDate so that "February 30" is refused. */
static char *
iso_date (int year, int month, int day)
{
	if (year < 1970 || year > 9999 || !g_date_valid_dmy (day, month, year))
		return NULL;
	return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

static char *
fetch_int_date (GMatchInfo *mi, int y, int m, int d, gboolean month_name)
{
	g_autofree char *ys = g_match_info_fetch (mi, y);
	g_autofree char *ms = g_match_info_fetch (mi, m);
	g_autofree char *ds = g_match_info_fetch (mi, d);
	int month = month_name ? month_number (ms) : atoi (ms);
	return iso_date (atoi (ys), month, atoi (ds));
}

char *
vulnd_text_parse_date (const char *text)
{
	g_autoptr (GMatchInfo) mi = NULL;

	if (!text)
		return NULL;
	if (g_regex_match (iso_date_re (), text, 0, &mi))
		return fetch_int_date (mi, 1, 2, 3, FALSE);
	g_clear_pointer (&mi, g_match_info_free);
	if (g_regex_match (mdy_date_re (), text, 0, &mi))
		return fetch_int_date (mi, 3, 1, 2, TRUE);
	g_clear_pointer (&mi, g_match_info_free);
	/* "12 Jun 2014" and RFC 5322 "Thu, 12 Jun 2014 15:06:37 -0400": the
	 * sender's own calendar day is the publication date */
	if (g_regex_match (dmy_date_re (), text, 0, &mi))
		return fetch_int_date (mi, 3, 2, 1, TRUE);
	return NULL;
}

char *
vulnd_canonical_id (const char *text)
{
	g_autoptr (GMatchInfo) mi = NULL;

	if (!text)
		return NULL;
	if (g_regex_match (ossa_id_re (), text, 0, &mi)) {
		g_autofree char *year = g_match_info_fetch (mi, 1);
		g_autofree char *num = g_match_info_fetch (mi, 2);
		return g_strdup_printf ("OSSA-%s-%03d", year, atoi (num));
	}
	g_clear_pointer (&mi, g_match_info_free);
	if (g_regex_match (ossn_id_re (), text, 0, &mi)) {
		g_autofree char *num = g_match_info_fetch (mi, 1);
		return g_strdup_printf ("OSSN-%04d", atoi (num));
	}
	return NULL;
}

static gboolean
line_is_blank (const char *line)
{
	for (; *line; line++)
		if (!g_ascii_isspace (*line))
			return FALSE;
	return TRUE;
}

/* A list item ("- x", "* x") or literal block line starts its own line. */
static gboolean
line_starts_item (const char *line)
{
	const char *p = line;
	while (*p == ' ')
		p++;
	return (p[0] == '-' || p[0] == '*') && p[1] == ' ';
}

char *
vulnd_text_unwrap (const char *text)
{
	g_auto (GStrv) lines = vulnd_text_split_lines (text, -1);
	g_autoptr (GString) out = g_string_new (NULL);
	gboolean in_para = FALSE, pending_break = FALSE;

	for (guint i = 0; lines[i]; i++) {
		g_autofree char *line = g_strstrip (g_strdup (lines[i]));
		if (line_is_blank (line)) {
			pending_break = pending_break || in_para;
			in_para = FALSE;
			continue;
		}
		if (pending_break) {
			g_string_append (out, "\n\n");
			pending_break = FALSE;
		} else if (in_para && line_starts_item (lines[i])) {
			g_string_append_c (out, '\n');
		} else if (in_para) {
			gsize l = out->len;
			/* a word cut at its hyphen by the wrap joins without a space */
			if (!(l > 1 && out->str[l - 1] == '-' && g_ascii_isalpha (out->str[l - 2])))
				g_string_append_c (out, ' ');
		}
		g_string_append (out, line);
		in_para = TRUE;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

char **
vulnd_text_split_lines (const char *text, int max_lines)
{
	GPtrArray *lines = g_ptr_array_new ();
	const char *p = text ? text : "";
	const char *end = p + strlen (p);
	const char *nl;

	if (max_lines < 1)
		max_lines = G_MAXINT;
	if (*p) {
		while (--max_lines && (nl = memchr (p, '\n', end - p))) {
			g_ptr_array_add (lines, g_strndup (p, nl - p));
			p = nl + 1;
		}
		g_ptr_array_add (lines, g_strdup (p));
	}
	g_ptr_array_add (lines, NULL);
	return (char **) g_ptr_array_free (lines, FALSE);
}

JsonArray *
vulnd_record_warnings (JsonObject *record)
{
	JsonNode *n = json_object_get_member (record, "warnings");

	if (!n || !JSON_NODE_HOLDS_ARRAY (n))
		json_object_set_array_member (record, "warnings", json_array_new ());
	return json_object_get_array_member (record, "warnings");
}

/* JIT-compiled where the system allows it (db/regex-jit.h): a scan with
 * `\s+` over 70 KB took 1.1 s without, 1.5 ms with.  The subjects are valid
 * UTF-8: vulnd_extract checks its input. */
GRegex *
vulnd_regex_cached (GRegex **slot, const char *pattern, GRegexCompileFlags flags)
{
	if (g_once_init_enter (slot)) {
		g_autoptr (GError) error = NULL;
		GRegex *re = g_regex_new (pattern, flags | vulnd_regex_jit (), 0, &error);

		if (re == NULL)
			g_error ("extract: bad regular expression %s: %s", pattern, error->message);
		g_once_init_leave (slot, re);
	}
	return *slot;
}
