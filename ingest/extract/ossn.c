/* ossn.c - the sections of an OpenStack Security Note.
 *
 * Notes have been published in three layouts:
 *   - 2013-2017: "Title\n---" (or "Openstack Security Note: 0074" then the
 *     title), then "### Summary ###"-style sections;
 *   - 2018 on:  "OSSN-0093\nTitle" or "OSSN-0105: Title\n---", same
 *     "### Section ###" headers, "#### Patches ####" sub-sections and
 *     "- product: versions" lines under Affected Services / Software;
 *   - RST:      "====\nOSSN-0109: Title (2026-10-07)\n====" with
 *     "Summary\n~~~~~~~" headers and "**Credits:**"-style pseudo headers;
 *   - the wiki: "= OSSN-0094: Title =" with "== Summary ==" headers.
 * Every heuristic below works on those layouts, never on one message.
 */
#include "config.h"
#include "extract.h"
#include "regex.h"

#include <string.h>

#define RE VULND_REGEX

#define URL_PATTERN "https?://[^\\s<>\"'`()\\[\\]{}]+"

typedef enum {
	SEC_NONE,
	SEC_SUMMARY,
	SEC_AFFECTED,
	SEC_DISCUSSION,
	SEC_ACTIONS,
	SEC_CONTACTS,
	SEC_CREDITS,
	SEC_OTHER,
	SEC_SUB,       /* a sub-section heading kept inside the current section */
	N_SECTIONS
} SectionKind;

static const char *const section_field[N_SECTIONS] = {
	[SEC_SUMMARY] = "summary",
	[SEC_AFFECTED] = "affected",
	[SEC_DISCUSSION] = "discussion",
	[SEC_ACTIONS] = "recommended-actions",
	[SEC_CONTACTS] = "contacts",
};

static const char *const section_title[N_SECTIONS] = {
	[SEC_SUMMARY] = "Summary",
	[SEC_AFFECTED] = "Affected Services / Software",
	[SEC_DISCUSSION] = "Discussion",
	[SEC_ACTIONS] = "Recommended Actions",
	[SEC_CONTACTS] = "Contacts / References",
};

typedef struct {
	GPtrArray *lines;             /* char*, owned: the cleaned note */
	guint start[N_SECTIONS];      /* first body line of each section */
	guint end[N_SECTIONS];        /* one past its last line */
	gboolean found[N_SECTIONS];
	guint body_start;             /* first heading: the title lies before */
	GPtrArray *warnings;          /* char*, owned */
} Note;

static void
note_clear (Note *note)
{
	g_clear_pointer (&note->lines, g_ptr_array_unref);
	g_clear_pointer (&note->warnings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Note, note_clear)

/* ---- cleaning the text ------------------------------------------------ */

static gboolean
is_blank (const char *line)
{
	for (; *line; line++)
		if (!g_ascii_isspace (*line))
			return FALSE;
	return TRUE;
}

/* Archives append "Download attachment ..." lines for the PGP parts; they
 * are no part of the note.  Every line comes here: the prefix first. */
static gboolean
is_archive_artefact (const char *line)
{
	return g_str_has_prefix (line, "Download attachment \"")
		&& g_regex_match (RE ("^Download attachment \".*\" of type ", 0), line, 0, NULL);
}

/* HTML-to-text conversion repeated each link as "<url>" right after it. */
static char *
drop_repeated_link (const char *line, const char *previous)
{
	GRegex *inline_dup = RE ("(" URL_PATTERN ")\\s*<\\1>", 0);
	GRegex *leading = RE ("^\\s*<https?://[^>\\s]*>", 0);
	g_autofree char *once = NULL;

	/* both need a URL and a '<' in the line, which most lines lack */
	if (!strstr (line, "://") || !strchr (line, '<'))
		return g_strdup (line);
	once = g_regex_replace (inline_dup, line, -1, 0, "\\1", 0, NULL);
	if (previous && strstr (previous, "://"))
		return g_regex_replace_literal (leading, once, -1, 0, "", 0, NULL);
	return g_steal_pointer (&once);
}

static GPtrArray *
clean_lines (const char *text)
{
	g_auto(GStrv) raw = vulnd_text_split_lines (text, -1);
	GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
	char *previous = NULL;

	for (guint i = 0; raw[i]; i++) {
		char *line;

		if (strcmp (raw[i], "-- ") == 0 || strcmp (raw[i], "-- \r") == 0)
			break;  /* e-mail signature */
		g_strchomp (raw[i]);
		if (is_archive_artefact (raw[i]))
			continue;
		line = drop_repeated_link (raw[i], previous);
		if (*line == '\0' && *raw[i] != '\0') {
			g_free (line);
			continue;
		}
		if (strcmp (line, raw[i]) != 0 && previous &&
		    g_regex_match (RE ("^\\s*[[:punct:]]{1,3}$", 0), line, 0, NULL)) {
			/* the closing quote or bracket after a repeated link */
			char *joined = g_strconcat (previous, g_strstrip (line), NULL);

			g_free (line);
			g_ptr_array_index (lines, lines->len - 1) = joined;
			g_free (previous);
			previous = joined;
			continue;
		}
		g_strchomp (line);
		g_ptr_array_add (lines, line);
		previous = line;
	}
	return lines;
}

static const char *
line_at (const Note *note, guint i)
{
	return i < note->lines->len ? g_ptr_array_index (note->lines, i) : NULL;
}

/* ---- headings --------------------------------------------------------- */

static SectionKind
section_for_name (const char *name)
{
	static const struct { const char *prefix; SectionKind kind; } names[] = {
		{ "summary", SEC_SUMMARY },
		{ "affected", SEC_AFFECTED },
		{ "discussion", SEC_DISCUSSION },
		{ "details", SEC_DISCUSSION },
		{ "recommended action", SEC_ACTIONS },
		{ "recommendation", SEC_ACTIONS },
		{ "contact", SEC_CONTACTS },
		{ "references", SEC_CONTACTS },
		{ "credit", SEC_CREDITS },
		{ "patches", SEC_SUB },
	};
	g_autofree char *lower = g_utf8_strdown (name, -1);

	g_strstrip (lower);
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
		if (g_str_has_prefix (lower, names[i].prefix))
			return names[i].kind;
	/* "Notes / References"; a long line naming references is prose */
	if (strstr (lower, "references") && strlen (lower) <= 30)
		return SEC_CONTACTS;
	return SEC_NONE;
}

/* An RST underline: one repeated punctuation character.  Asked of nearly
 * every line, so the regex only settles what the run of that character
 * leaves open: a line ending after it is one; any other line only if what
 * follows is the final newline of one of the kinds "$" takes. */
static gboolean
is_underline (const char *line)
{
	char mark[2];
	gsize n;

	if (!line || !line[0] || !strchr ("=~-^*#+", line[0]))
		return FALSE;
	mark[0] = line[0];
	mark[1] = '\0';
	n = strspn (line, mark);
	if (n < 3 || line[n] == '\0')
		return n >= 3;
	return g_regex_match (RE ("^([=~\\-^*#+])\\1{2,}$", 0), line, 0, NULL);
}

/* Two '#' or two '=' in a row somewhere in LINE: what a "###" or "=="
 * heading needs before its pattern is worth trying. */
static gboolean
has_double_mark (const char *line)
{
	for (; *line; line++)
		if ((line[0] == '#' || line[0] == '=') && line[1] == line[0])
			return TRUE;
	return FALSE;
}

/* The section a heading at line i opens, with the number of lines the
 * heading takes in *span; SEC_NONE when line i is no heading.  "###"
 * headings are headings whatever they say; underlined and bold ones only
 * with a known section name, since the title is underlined too. */
static SectionKind
heading_at (const Note *note, guint i, guint *span, char **rest)
{
	const char *line = line_at (note, i);
	g_autoptr(GMatchInfo) m = NULL;
	SectionKind kind;

	*span = 1;
	*rest = NULL;
	/* "### Summary ###", and the wiki's "== Summary ==".  Each pattern's
	 * marks are looked for before the pattern: this runs for every line. */
	if (has_double_mark (line)
	    && g_regex_match (RE ("^\\s*(#{2,}|={2,})\\s*([^#=]+?)\\s*[#=]*\\s*$", 0), line, 0, &m)) {
		g_autofree char *marks = g_match_info_fetch (m, 1);
		g_autofree char *name = g_match_info_fetch (m, 2);

		kind = section_for_name (name);
		/* "#### Recommended Actions ####" has been published as a
		 * section of its own; other deeper headings are sub-sections */
		if (strlen (marks) > (marks[0] == '#' ? 3u : 2u))
			return kind >= SEC_SUMMARY && kind <= SEC_CONTACTS && !note->found[kind]
				? kind : SEC_SUB;
		return kind == SEC_NONE ? SEC_OTHER : kind;
	}
	g_clear_pointer (&m, g_match_info_unref);
	/* RST: the underline is as long as the heading; titles in the
	 * "Title\n---" layout have a short one */
	if (!g_ascii_isspace (*line) && !is_blank (line) && is_underline (line_at (note, i + 1)) &&
	    g_utf8_strlen (line_at (note, i + 1), -1) + 1 >= g_utf8_strlen (line, -1)) {
		kind = section_for_name (line);
		*span = 2;
		return kind == SEC_SUB ? SEC_NONE : kind;
	}
	if (line[0] == '*' && line[1] == '*'
	    && g_regex_match (RE ("^\\*\\*([^*]+?):?\\*\\*:?\\s*(.*)$", 0), line, 0, &m)) {
		g_autofree char *name = g_match_info_fetch (m, 1);

		kind = section_for_name (name);
		if (kind == SEC_CREDITS || kind == SEC_SUB) {
			*rest = g_match_info_fetch (m, 2);
			return kind;
		}
	}
	return SEC_NONE;
}

/* Where each known section starts and ends.  Sub-section headings (e.g.
 * "#### Patches ####") stay inside the section they belong to. */
static void
find_sections (Note *note)
{
	SectionKind current = SEC_NONE;

	note->body_start = note->lines->len;
	for (guint i = 0; i < note->lines->len; i++) {
		g_autofree char *rest = NULL;
		guint span;
		SectionKind kind = heading_at (note, i, &span, &rest);

		if (kind == SEC_NONE || kind == SEC_SUB)
			continue;
		if (note->body_start == note->lines->len)
			note->body_start = i;
		if (current != SEC_NONE)
			note->end[current] = i;
		current = kind;
		if (!note->found[kind]) {
			note->found[kind] = TRUE;
			note->start[kind] = i + span;
		} else {
			current = SEC_OTHER;  /* a repeated section: keep the first */
		}
		i += span - 1;
	}
	if (current != SEC_NONE)
		note->end[current] = note->lines->len;
}

/* ---- paragraphs --------------------------------------------------------- */

static guint
indent_of (const char *line)
{
	guint n = 0;

	for (; *line == ' ' || *line == '\t'; line++)
		n += *line == '\t' ? 8 : 1;
	return n;
}

/* Past the leading blanks, by bytes: indent_of() counts a tab as 8
 * columns, so it is no offset (found by fuzz-parse: a read past the end). */
static const char *
skip_blanks (const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* Could STRIPPED open an item: a mark, a digit (\d takes non-ASCII ones
 * too, as does the bullet U+2022) or a bracket?  Cheaper than the pattern. */
static gboolean
may_open_item (const char *stripped)
{
	guchar c = stripped[0];

	return (c && strchr ("-*+[", c)) || g_ascii_isdigit (c) || c >= 0x80;
}

/* Bullets, numbered items, and "label: https://..." lines such as the
 * per-release review links of a Patches sub-section. */
static gboolean
is_list_item (const char *stripped)
{
	return (may_open_item (stripped)
	        && g_regex_match (RE ("^([-*+\u2022]|[0-9]{1,2}[.)]|\\[\\w{1,3}\\])\\s+\\S", 0),
	                          stripped, 0, NULL)) ||
		(strstr (stripped, "://")
		 && g_regex_match (RE ("^[^\\s:][^:]{0,60}:\\s*" URL_PATTERN "$", 0), stripped, 0, NULL));
}

/* Can LINE open with "^[A-Za-z][\w.-]*\s?:"?  Only if the ASCII run of
 * its first word ends at the colon, or at one blank before it, or at a
 * character outside ASCII (which \w and \s may take). */
static gboolean
may_open_field (const char *line)
{
	const char *p = line + 1;

	if (!g_ascii_isalpha (line[0]))
		return FALSE;
	while (g_ascii_isalnum (*p) || *p == '_' || *p == '.' || *p == '-')
		p++;
	if (*p && strchr (" \t\n\v\f\r", *p))
		p++;
	return *p == ':' || (guchar) *p >= 0x80;
}

/* "Cinder: Icehouse, Juno" - a one-word label and its value.  Asked up to
 * three times of each line of a paragraph: the cheap test first. */
static gboolean
is_field_line (const Note *note, guint i, guint first, guint last)
{
	GRegex *field = RE ("^[A-Za-z][\\w.-]*\\s?:\\s+\\S", 0);
	const char *line;

	if (i < first || i >= last)
		return FALSE;
	line = line_at (note, i);
	return may_open_field (line) && g_regex_match (field, line, 0, NULL);
}

/* A line of consecutive "Label: value" lines, which form a list. */
static gboolean
is_in_field_list (const Note *note, guint i, guint first, guint last)
{
	return is_field_line (note, i, first, last) &&
		((i > first && is_field_line (note, i - 1, first, last)) ||
		 is_field_line (note, i + 1, first, last));
}

/* Append one paragraph (lines first..last-1, none blank) to out: wrapped
 * lines are joined, list items and indented code lines keep their own
 * line, and a paragraph that starts indented is a block kept verbatim. */
static void
append_paragraph (GString *out, const Note *note, guint first, guint last, gboolean *snippet)
{
	GRegex *begin = RE ("^-{3,}\\s*begin\\b.*-{3,}$", G_REGEX_CASELESS);
	GRegex *end = RE ("^-{3,}\\s*end\\b.*-{3,}$", G_REGEX_CASELESS);
	gboolean block = indent_of (line_at (note, first)) >= 2 &&
		!is_list_item (skip_blanks (line_at (note, first)));
	gboolean in_item = FALSE, started = FALSE;

	if (out->len > 0)
		g_string_append (out, "\n\n");
	for (guint i = first; i < last; i++) {
		const char *line = line_at (note, i);
		const char *body = line + strspn (line, " \t");
		guint indent = indent_of (line);

		/* 2014 notes quote logs and templates between "---- begin
		 * example ----" and "---- end example ----" lines */
		if (!*snippet && g_str_has_prefix (body, "---") && g_regex_match (begin, body, 0, NULL))
			*snippet = TRUE;
		if (block || *snippet) {
			g_string_append_printf (out, "%s%s", started ? "\n" : "", line);
			if (*snippet && g_str_has_prefix (body, "---") && g_regex_match (end, body, 0, NULL))
				*snippet = FALSE;
			in_item = FALSE;
		} else if (!started) {
			g_string_append (out, body);
			in_item = is_list_item (body);
		} else if (is_list_item (body) || is_in_field_list (note, i, first, last)) {
			g_string_append_printf (out, "\n%s", body);
			in_item = TRUE;
		} else if (indent >= 2 && !in_item) {
			g_string_append_printf (out, "\n%s", line);
		} else {
			g_string_append_printf (out, " %s", body);
		}
		started = TRUE;
	}
}

static char *
section_text (const Note *note, SectionKind kind)
{
	GString *out = g_string_new (NULL);
	guint i = note->start[kind], end = note->end[kind];
	gboolean snippet = FALSE;

	while (i < end) {
		guint first;
		g_autofree char *rest = NULL;
		guint span;

		for (; i < end && is_blank (line_at (note, i)); i++)
			;
		first = i;
		for (; i < end && !is_blank (line_at (note, i)); i++) {
			/* a sub-section heading becomes a paragraph of its own */
			if (heading_at (note, i, &span, &rest) == SEC_SUB)
				break;
		}
		if (i > first)
			append_paragraph (out, note, first, i, &snippet);
		if (i < end && !is_blank (line_at (note, i))) {
			const char *name = rest && *rest ? rest : NULL;
			g_autofree char *label = NULL;
			g_autoptr(GMatchInfo) m = NULL;

			if (g_regex_match (RE ("^\\s*(?:#+|=+|\\*\\*)\\s*([^#=*:]+?)\\s*:?\\s*(?:#+|=+|\\*\\*)", 0),
			                   line_at (note, i), 0, &m))
				label = g_match_info_fetch (m, 1);
			g_string_append_printf (out, "%s%s:%s%s", out->len ? "\n\n" : "",
			                        label ? label : "", name ? " " : "", name ? name : "");
			i += span;
		}
	}
	return g_string_free (out, FALSE);
}

/* ---- contacts ----------------------------------------------------------- */

/* Can "^\s*[-*+]" match LINE, or "^\s*" take anything from it?  Not when
 * it opens with an ASCII character that is neither white space nor a mark,
 * as most lines do: then the bullet patterns leave it as it is. */
static gboolean
may_open_bullet (const char *line)
{
	guchar c = line[0];

	return c >= 0x80 || (c && strchr (" \t\n\v\f\r-*+", c));
}

/* LINE without its leading blanks and bullet, "**" marks removed; *BULLET
 * says whether it had a bullet. */
static char *
contact_body (const char *raw, gboolean *bullet)
{
	g_autofree char *line = strstr (raw, "**")
		? g_regex_replace_literal (RE ("\\*\\*", 0), raw, -1, 0, "", 0, NULL)
		: g_strdup (raw);

	*bullet = FALSE;
	if (!may_open_bullet (line))
		return g_steal_pointer (&line);
	*bullet = g_regex_match (RE ("^\\s*[-*+]\\s+", 0), line, 0, NULL);
	return g_regex_replace_literal (RE ("^\\s*([-*+]\\s+)?", 0), line, -1, 0, "", 0, NULL);
}

/* One "Key: value" line per contact.  A key alone on its line ("Authors:",
 * "[1]:", "GitHub Advisory :") takes the value(s) on the lines below. */
static JsonArray *
contacts_of (const Note *note)
{
	JsonArray *contacts = json_array_new ();
	g_autofree char *pending = NULL;
	gboolean pending_used = FALSE;

	for (guint i = note->start[SEC_CONTACTS]; i <= note->end[SEC_CONTACTS]; i++) {
		const char *raw = i < note->end[SEC_CONTACTS] ? line_at (note, i) : "";
		gboolean bullet;
		g_autofree char *body = contact_body (raw, &bullet);

		g_strstrip (body);
		if (*body == '\0' || is_underline (body)) {
			if (pending && !pending_used)
				json_array_add_string_element (contacts, pending);
			g_clear_pointer (&pending, g_free);
			continue;
		}
		if (*body == ':' && json_array_get_length (contacts) > 0 && !pending) {
			guint last = json_array_get_length (contacts) - 1;
			g_autofree char *joined = g_strdup_printf ("%s %s",
				json_array_get_string_element (contacts, last), body);

			json_array_remove_element (contacts, last);
			json_array_add_string_element (contacts, joined);
			continue;
		}
		if (pending && (bullet || !pending_used)) {
			g_autofree char *joined = g_strdup_printf ("%s %s", pending, body);

			json_array_add_string_element (contacts, joined);
			pending_used = TRUE;
			if (!bullet)
				g_clear_pointer (&pending, g_free);
			continue;
		}
		if (pending && !pending_used)
			json_array_add_string_element (contacts, pending);
		g_clear_pointer (&pending, g_free);
		if (g_str_has_suffix (body, ":")) {
			pending = g_steal_pointer (&body);
			pending_used = FALSE;
			continue;
		}
		json_array_add_string_element (contacts, body);
	}
	return contacts;
}

/* ---- title and date ----------------------------------------------------- */

static char *
strip_id_prefix (const char *text)
{
	char *out = g_regex_replace_literal (
		RE ("^\\s*(\\[[^\\]]*\\]\\s*)*((re|fwd?):)?\\s*(\\[[^\\]]*\\]\\s*)*(OSSN[- ]?[0-9]+\\s*:?\\s*)?",
		    G_REGEX_CASELESS), text, -1, 0, "", 0, NULL);

	return g_strstrip (out);
}

static gboolean
is_text_line (const Note *note, guint i)
{
	const char *line = line_at (note, i);

	return line && !is_blank (line) && !is_underline (line + strspn (line, " \t"));
}

/* Where the title starts.  An underlined block of at most three lines
 * ("Title\n---", RST) comes first, since a greeting or an introduction
 * may precede it; then an "OSSN-NNNN: Title" line; then the first line
 * that is not the bare id ("OSSN-0093", "Openstack Security Note: 0074"). */
static guint
title_start (const Note *note)
{
	GRegex *bare_id = RE ("^\\s*(\\[?OSSN[- ]?[0-9]+\\]?|open\\s*stack\\s+security\\s+notes?(:?\\s*[0-9]+)?)\\s*:?$",
	                      G_REGEX_CASELESS);
	GRegex *id_title = RE ("^\\s*\\[?OSSN[- ]?[0-9]+\\]?\\s*:\\s*\\S", G_REGEX_CASELESS);
	guint i;

	for (i = 0; i + 1 < note->body_start; i++) {
		if (is_text_line (note, i) && !is_text_line (note, i + 1) &&
		    is_underline (line_at (note, i + 1))) {
			guint start = i;

			while (start > 0 && i - start < 2 && is_text_line (note, start - 1))
				start--;
			return start;
		}
	}
	for (i = 0; i < note->body_start; i++)
		if (g_regex_match (id_title, line_at (note, i), 0, NULL))
			return i;
	for (i = 0; i < note->body_start; i++)
		if (is_text_line (note, i) && !g_regex_match (bare_id, line_at (note, i), 0, NULL))
			return i;
	return note->body_start;
}

/* The title, from the lines before the first section; a "(YYYY-MM-DD)"
 * suffix is the publication date and goes to *date. */
static char *
title_from_body (const Note *note, char **date)
{
	g_autoptr(GString) title = g_string_new (NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *stripped = NULL;
	guint i;

	/* without any section the first line is as likely a greeting */
	if (note->body_start >= note->lines->len)
		return NULL;

	for (i = title_start (note); i < note->body_start; i++) {
		g_autofree char *trimmed = g_strstrip (g_strdup (line_at (note, i)));

		if (*trimmed == '\0' || is_underline (trimmed))
			break;
		/* the wiki's "= OSSN-0094: Title =" */
		if (g_regex_match (RE ("^=+\\s.*\\s=+$", 0), trimmed, 0, NULL)) {
			g_autofree char *inner = g_regex_replace_literal (RE ("^=+\\s+|\\s+=+$", 0),
			                                                  trimmed, -1, 0, "", 0, NULL);
			g_string_append (title, inner);
			break;
		}
		g_string_append_printf (title, "%s%s", title->len ? " " : "", trimmed);
	}
	stripped = strip_id_prefix (title->str);
	if (g_regex_match (RE ("^(.*?)\\s*\\(([0-9]{4}-[0-9]{2}-[0-9]{2})\\)$", 0), stripped, 0, &m)) {
		*date = g_match_info_fetch (m, 2);
		return g_match_info_fetch (m, 1);
	}
	return *stripped ? g_steal_pointer (&stripped) : NULL;
}

/* An RFC 5322 Date header ("Thu, 07 Mar 2024 22:45:01 +0000") to ISO, in
 * the sender's own time zone, for when text.c does not know it. */
static char *
date_from_header (const char *header)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *day = NULL, *month = NULL, *mon = NULL, *year = NULL;
	const char *found;

	if (!header || !g_regex_match (RE ("([0-9]{1,2})\\s+([A-Za-z]{3})[a-z]*\\s+([0-9]{4})", 0),
	                               header, 0, &m))
		return NULL;
	day = g_match_info_fetch (m, 1);
	month = g_match_info_fetch (m, 2);
	mon = g_ascii_strdown (month, -1);
	year = g_match_info_fetch (m, 3);
	found = strstr (months, mon);
	if (!found || (found - months) % 3 != 0)
		return NULL;
	return g_strdup_printf ("%s-%02d-%02d", year, (int) ((found - months) / 3) + 1,
	                        (int) g_ascii_strtoll (day, NULL, 10));
}

static char *
publication_date (const VulndExtractInput *in, char *stated)
{
	char *date;

	if (stated)
		return stated;
	if (!in->date)
		return NULL;
	date = vulnd_text_parse_date (in->date);
	return date ? date : date_from_header (in->date);
}

/* ---- affected products -------------------------------------------------- */

/* Version text worth recording: a number, an operator or "all versions". */
static gboolean
looks_like_versions (const char *text)
{
	g_auto(GStrv) names = NULL;

	if (g_regex_match (RE ("^(all\\s+(versions|releases)|[<>=!]=?\\s*v?[0-9]|v?[0-9]+(\\.[0-9]+)+\\b)",
	                       G_REGEX_CASELESS), text, 0, NULL))
		return TRUE;
	/* a list of release code names: "Icehouse, Juno, Kilo" */
	names = g_regex_split (RE ("\\s*,\\s*", 0), text, 0);
	for (guint i = 0; names[i]; i++)
		if (!vulnd_series_for_codename (g_strstrip (names[i])))
			return FALSE;
	return names[0] != NULL;
}

/* "- glance: >=30.0.0 <30.3.0", "- neutron (OVN ML2 driver): <25.2.3",
 * "- Gnocchi (<4.6.6, ==4.7.0)", "- ironic ('>=24.0.0 <29.1.1')",
 * "Swift < 2.10.0", "Bandit: < 1.1.0", "Nova, All Versions". */
static gboolean
parse_product_line (const char *line, char **product, char **version)
{
	static const char *const patterns[] = {
		"^([A-Za-z][\\w.-]*)(?:\\s*\\([^)]*\\))?\\s*:\\s*(.+)$",
		"^([A-Za-z][\\w.-]*)\\s*\\(\\s*(.+?)\\s*\\)$",
		"^([A-Za-z][\\w.-]*)\\s*((?:<=|>=|==|=<|<|>)\\s*.+)$",
		"^([A-Za-z][\\w.-]*)\\s*,\\s*(.+?)\\.?$",
	};
	g_autofree char *item = may_open_bullet (line)
		? g_regex_replace_literal (RE ("^\\s*[-*+]\\s+", 0), line, -1, 0, "", 0, NULL)
		: g_strdup (line);

	g_strstrip (item);
	/* every pattern opens with a letter */
	if (!g_ascii_isalpha (item[0]))
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++) {
		g_autoptr(GMatchInfo) m = NULL;
		g_autofree char *name = NULL, *text = NULL;
		GRegex *re = NULL;

		switch (i) {
		case 0: re = RE (patterns[0], 0); break;
		case 1: re = RE (patterns[1], 0); break;
		case 2: re = RE (patterns[2], 0); break;
		default: re = RE (patterns[3], 0); break;
		}
		if (!g_regex_match (re, item, 0, &m))
			continue;
		name = g_match_info_fetch (m, 1);
		text = g_match_info_fetch (m, 2);
		g_strstrip (g_strdelimit (text, "'", ' '));
		if (!looks_like_versions (text))
			continue;
		*product = g_ascii_strdown (name, -1);
		*version = g_steal_pointer (&text);
		return TRUE;
	}
	return FALSE;
}

static JsonArray *
affected_products (const char *affected, GPtrArray *warnings)
{
	g_auto(GStrv) lines = vulnd_text_split_lines (affected, -1);
	JsonArray *products = json_array_new ();

	for (guint i = 0; lines[i]; i++) {
		g_autofree char *product = NULL, *version = NULL;
		JsonObject *entry;

		if (!parse_product_line (lines[i], &product, &version))
			continue;
		entry = json_object_new ();
		json_object_set_string_member (entry, "product", product);
		json_object_set_string_member (entry, "version", version);
		json_object_set_array_member (entry, "ranges", vulnd_version_ranges (version, warnings));
		json_array_add_object_element (products, entry);
	}
	return products;
}

/* ---- ids and links ------------------------------------------------------ */

static void
add_unique (JsonArray *array, GHashTable *seen, const char *value)
{
	if (g_hash_table_add (seen, g_strdup (value)))
		json_array_add_string_element (array, value);
}

static JsonArray *
cve_ids (const char *text, GPtrArray *warnings)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	JsonArray *vulns = json_array_new ();

	g_regex_match (RE ("\\bCVE-[0-9]{4}-[0-9]{4,}\\b", G_REGEX_CASELESS), text, 0, &m);
	for (; g_match_info_matches (m); g_match_info_next (m, NULL)) {
		g_autofree char *id = g_match_info_fetch (m, 0);
		g_autofree char *upper = g_ascii_strup (id, -1);

		if (g_hash_table_add (seen, g_strdup (upper))) {
			JsonObject *v = json_object_new ();

			json_object_set_string_member (v, "cve-id", upper);
			json_array_add_object_element (vulns, v);
		}
	}
	if (json_array_get_length (vulns) == 0)
		g_ptr_array_add (warnings, g_strdup ("no CVE id mentioned"));
	return vulns;
}

static gboolean
is_bug_link (const char *url)
{
	if (!strstr (url, "launchpad.net/") && !strstr (url, "storyboard.openstack.org/"))
		return FALSE;
	return g_regex_match (RE ("(bugs\\.launchpad\\.net/[\\w.-]+/\\+bug/[0-9]+|launchpad\\.net/bugs/[0-9]+|"
	                          "storyboard\\.openstack\\.org/#!/story/[0-9]+)", 0), url, 0, NULL);
}

/* Every URL of the note, in order, and the bug reports among them. */
static void
collect_links (const char *text, JsonArray *references, JsonArray *bugs)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) seen_bugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GMatchInfo) m = NULL;

	g_regex_match (RE (URL_PATTERN, 0), text, 0, &m);
	for (; g_match_info_matches (m); g_match_info_next (m, NULL)) {
		g_autofree char *url = g_match_info_fetch (m, 0);
		gsize len = strlen (url);

		/* sentence punctuation is no part of the link */
		while (len > 0 && strchr (".,;:!?*", url[len - 1]))
			url[--len] = '\0';
		add_unique (references, seen, url);
		if (is_bug_link (url))
			add_unique (bugs, seen_bugs, url);
	}
}

/* ---- the record --------------------------------------------------------- */

static void
add_sections (JsonObject *record, const Note *note)
{
	for (SectionKind k = SEC_SUMMARY; k <= SEC_ACTIONS; k++) {
		g_autofree char *text = note->found[k] ? section_text (note, k) : NULL;

		if (text && *text) {
			json_object_set_string_member (record, section_field[k], text);
			continue;
		}
		g_ptr_array_add (note->warnings, g_strdup_printf ("no %s section", section_title[k]));
	}
	if (note->found[SEC_CONTACTS]) {
		JsonArray *contacts = contacts_of (note);

		if (json_array_get_length (contacts) > 0) {
			json_object_set_array_member (record, "contacts", contacts);
			return;
		}
		json_array_unref (contacts);
	}
	g_ptr_array_add (note->warnings, g_strdup ("no Contacts / References section"));
}

static void
add_affected_products (JsonObject *record, const Note *note)
{
	const char *affected = json_object_get_string_member_with_default (record, "affected", NULL);
	JsonArray *products;

	if (!affected)
		return;
	products = affected_products (affected, note->warnings);
	if (json_array_get_length (products) == 0) {
		json_array_unref (products);
		g_ptr_array_add (note->warnings, g_strdup ("no product and version named in the affected section"));
		return;
	}
	json_object_set_array_member (record, "affected-products", products);
}

static void
add_title_and_date (JsonObject *record, const Note *note, const VulndExtractInput *in)
{
	char *stated = NULL;
	g_autofree char *title = title_from_body (note, &stated);
	g_autofree char *date = NULL;

	if (!title && in->subject) {
		title = strip_id_prefix (in->subject);
		if (*title)
			g_ptr_array_add (note->warnings, g_strdup ("title taken from the Subject"));
	}
	if (title && *title)
		json_object_set_string_member (record, "title", title);
	else
		g_ptr_array_add (note->warnings, g_strdup ("no title"));
	date = publication_date (in, stated);
	if (date)
		json_object_set_string_member (record, "date", date);
	else
		g_ptr_array_add (note->warnings, g_strdup ("no publication date"));
}

static void
add_links (JsonObject *record, const Note *note, const char *all_text)
{
	JsonArray *references = json_array_new ();
	JsonArray *bugs = json_array_new ();

	collect_links (all_text, references, bugs);
	if (json_array_get_length (bugs) > 0) {
		JsonObject *issues = json_object_new ();

		json_object_set_array_member (issues, "links", bugs);
		json_object_set_object_member (record, "issues", issues);
	} else {
		json_array_unref (bugs);
		g_ptr_array_add (note->warnings, g_strdup ("no bug report linked"));
	}
	if (json_array_get_length (references) > 0)
		json_object_set_array_member (record, "references", references);
	else
		json_array_unref (references);
}

static void
add_warnings (JsonObject *record, GPtrArray *warnings)
{
	JsonArray *array;

	if (warnings->len == 0)
		return;
	array = vulnd_record_warnings (record);
	for (guint i = 0; i < warnings->len; i++) {
		const char *warning = g_ptr_array_index (warnings, i);
		gboolean repeated = FALSE;

		/* ranges.c warns once per product, often with the same words */
		for (guint j = 0; j < json_array_get_length (array) && !repeated; j++)
			repeated = g_strcmp0 (json_array_get_string_element (array, j), warning) == 0;
		if (!repeated)
			json_array_add_string_element (array, warning);
	}
}

void
vulnd_extract_ossn (const VulndExtractInput *in, JsonObject *record)
{
	g_auto(Note) note = { 0 };
	g_autoptr(GString) all = g_string_new (NULL);
	JsonArray *vulns;

	note.lines = clean_lines (in->text);
	note.warnings = g_ptr_array_new_with_free_func (g_free);
	find_sections (&note);
	for (guint i = 0; i < note.lines->len; i++) {
		g_string_append (all, line_at (&note, i));
		g_string_append_c (all, '\n');
	}

	add_title_and_date (record, &note, in);
	add_sections (record, &note);
	add_affected_products (record, &note);
	g_string_append_printf (all, "%s\n", in->subject ? in->subject : "");
	vulns = cve_ids (all->str, note.warnings);
	if (json_array_get_length (vulns) > 0)
		json_object_set_array_member (record, "vulnerabilities", vulns);
	else
		json_array_unref (vulns);
	add_links (record, &note, all->str);
	add_warnings (record, note.warnings);
}
