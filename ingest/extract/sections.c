/* sections.c - split advisory text into header block and named sections. */
#include "config.h"

#include <string.h>

#include "extract.h"
#include "regex.h"
#include "sections.h"

/* Old-style section titles: "Description:" alone or followed by text.  Only
 * these names, so that header fields ("Date:", "CVE:") stay in the preamble. */
#define OLD_SECTION_RE \
	"^(Description|Notes|References|Patches|Fixes|Credits|Affects|Errata|Summary|" \
	"Discussion|Recommended Actions|Contacts|OSSA History)\\s*:\\s*(.*)$"

#define DEFINE_RE VULND_DEFINE_REGEX

DEFINE_RE (old_section_re, OLD_SECTION_RE, 0)
DEFINE_RE (fix_re, "^([A-Z][^:]{1,60}?)\\s+fix(?:es)?\\s*:\\s*(\\S*)\\s*$", 0)
DEFINE_RE (hash_title_re, "^#{2,}\\s*(.*?)\\s*#{2,}\\s*$", 0)
DEFINE_RE (field_re, "^:?([A-Za-z][A-Za-z ]{0,40}):\\s*(.*)$", 0)
DEFINE_RE (url_re, "https?://[^\\s<>\"')\\]]+", 0)
DEFINE_RE (cve_re, "\\bCVE-[0-9]{4}-[0-9]{4,}\\b", G_REGEX_CASELESS)
DEFINE_RE (bullet_re, "^\\s{0,4}[-*]\\s+(.*)$", 0)

/* A line made of one of ~ - ^ repeated: an RST section underline.  '=' is
 * left out on purpose: it frames the advisory banner, never a section. */
static gboolean
is_underline (const char *line)
{
	gsize len = strlen (line);
	while (len > 0 && g_ascii_isspace (line[len - 1]))
		len--;
	if (len < 3 || !strchr ("~-^", line[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++)
		if (line[i] != line[0])
			return FALSE;
	return TRUE;
}

static gboolean
is_blank (const char *line)
{
	for (; *line; line++)
		if (!g_ascii_isspace (*line))
			return FALSE;
	return TRUE;
}

static VulndSection *
section_new (const char *name, const char *arg)
{
	VulndSection *s = g_new0 (VulndSection, 1);
	s->name = g_ascii_strdown (name, -1);
	g_strstrip (s->name);
	s->arg = g_strdup (arg);
	return s;
}

static void
section_free (VulndSection *s)
{
	g_free (s->name);
	g_free (s->arg);
	g_free (s->body);
	g_free (s);
}

/* Does LINES[i] open a section?  Returns it (and how many lines the title
 * takes in *used) or NULL; *inline_text gets text that follows the title on
 * the same line ("Affects: Swift >=2.0.0"). */
static VulndSection *
section_title (char **lines, guint i, guint n, guint *used, char **inline_text)
{
	const char *line = lines[i];
	g_autoptr (GMatchInfo) mi = NULL;

	*used = 1;
	*inline_text = NULL;
	if (is_blank (line) || g_ascii_isspace (line[0]))
		return NULL;
	if (i + 1 < n && is_underline (lines[i + 1]) && !is_underline (line)
	    && line[0] != '-' && strlen (line) <= 60) {
		*used = 2;
		return section_new (line, NULL);
	}
	/* every line comes here: each pattern's literal part is tested first */
	if (line[0] == '#' && line[1] == '#' && g_regex_match (hash_title_re (), line, 0, &mi)) {
		g_autofree char *name = g_match_info_fetch (mi, 1);
		return section_new (name, NULL);
	}
	g_clear_pointer (&mi, g_match_info_free);
	if (strchr ("DNRPFCAESO", line[0]) && strchr (line, ':')
	    && g_regex_match (old_section_re (), line, 0, &mi)) {
		g_autofree char *name = g_match_info_fetch (mi, 1);
		*inline_text = g_match_info_fetch (mi, 2);
		return section_new (name, NULL);
	}
	g_clear_pointer (&mi, g_match_info_free);
	if (g_ascii_isupper (line[0]) && strstr (line, "fix")
	    && g_regex_match (fix_re (), line, 0, &mi)) {
		g_autofree char *branch = g_match_info_fetch (mi, 1);
		*inline_text = g_match_info_fetch (mi, 2);
		return section_new ("fix", branch);
	}
	return NULL;
}

/* Join the collected lines (owned copies), blank lines trimmed at both ends. */
static char *
join_trimmed (GPtrArray *lines)
{
	while (lines->len > 0 && is_blank (g_ptr_array_index (lines, lines->len - 1)))
		g_ptr_array_remove_index (lines, lines->len - 1);
	while (lines->len > 0 && is_blank (g_ptr_array_index (lines, 0)))
		g_ptr_array_remove_index (lines, 0);
	g_ptr_array_add (lines, NULL);
	char *out = g_strjoinv ("\n", (char **) lines->pdata);
	g_ptr_array_set_size (lines, 0);
	return out;
}

/* Give the lines collected so far to the open section, or the preamble. */
static void
close_open (VulndSections *out, VulndSection *open, GPtrArray *cur)
{
	if (open)
		open->body = join_trimmed (cur);
	else
		out->preamble = join_trimmed (cur);
}

VulndSections *
vulnd_sections_split (const char *text)
{
	VulndSections *out = g_new0 (VulndSections, 1);
	g_auto (GStrv) lines = vulnd_text_split_lines (text, -1);
	guint n = g_strv_length (lines);
	g_autoptr (GPtrArray) cur = g_ptr_array_new_with_free_func (g_free);
	VulndSection *open = NULL;

	out->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
	for (guint i = 0; i < n; i++) {
		char *cr = strchr (lines[i], '\r');
		if (cr)
			*cr = '\0';
	}
	for (guint i = 0; i < n; i++) {
		guint used;
		g_autofree char *inline_text = NULL;
		VulndSection *s;

		/* the e-mail signature ends the advisory, if parsing left it */
		if (g_str_equal (lines[i], "--") || g_str_equal (lines[i], "-- "))
			break;
		s = section_title (lines, i, n, &used, &inline_text);
		if (!s) {
			g_ptr_array_add (cur, g_strdup (lines[i]));
			continue;
		}
		close_open (out, open, cur);
		g_ptr_array_add (out->sections, s);
		open = s;
		if (inline_text && *inline_text)
			g_ptr_array_add (cur, g_steal_pointer (&inline_text));
		i += used - 1;
	}
	close_open (out, open, cur);
	return out;
}

void
vulnd_sections_free (VulndSections *s)
{
	if (!s)
		return;
	g_free (s->preamble);
	g_ptr_array_unref (s->sections);
	g_free (s);
}

const VulndSection *
vulnd_sections_find (const VulndSections *s, const char *name)
{
	for (guint i = 0; i < s->sections->len; i++) {
		const VulndSection *sec = g_ptr_array_index (s->sections, i);
		if (g_str_equal (sec->name, name))
			return sec;
	}
	return NULL;
}

/* The bullet test runs on every line of a section, so the pattern only
 * where it may match: a mark after at most four ASCII blanks, or any
 * character outside ASCII there (Unicode has more white space). */
static gboolean
is_bullet (const char *line, GMatchInfo **mi)
{
	gsize n = 0;

	while (n < 4 && line[n] && strchr (" \t\n\v\f\r", line[n]))
		n++;
	if (line[n] != '-' && line[n] != '*' && (guchar) line[n] < 0x80)
		return FALSE;
	return g_regex_match (bullet_re (), line, 0, mi);
}

static guint
indent_of (const char *line)
{
	guint n = 0;
	while (line[n] == ' ' || line[n] == '\t')
		n++;
	return n;
}

static void
item_flush (GPtrArray *items, GString *item)
{
	if (item->len > 0)
		g_ptr_array_add (items, vulnd_text_squash (item->str));
	g_string_truncate (item, 0);
}

GPtrArray *
vulnd_section_items (const char *body, gboolean by_line)
{
	GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
	g_auto (GStrv) lines = vulnd_text_split_lines (body, -1);
	g_autoptr (GString) item = g_string_new (NULL);
	gboolean bullets = FALSE;
	guint item_indent = 0;

	for (guint i = 0; lines[i] && !bullets; i++)
		bullets = is_bullet (lines[i], NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *line = lines[i];
		g_autoptr (GMatchInfo) mi = NULL;

		if (is_blank (line)) {
			item_flush (items, item);
			continue;
		}
		if (bullets && is_bullet (line, &mi)) {
			g_autofree char *rest = g_match_info_fetch (mi, 1);
			item_flush (items, item);
			g_string_append (item, rest);
			continue;
		}
		if (!bullets && by_line && (item->len == 0 || indent_of (line) <= item_indent)) {
			item_flush (items, item);
			item_indent = indent_of (line);
		}
		/* a word cut at a hyphen by the wrap ("neutron-\nopenvswitch") */
		if (item->len > 0 && !(item->str[item->len - 1] == '-'
		                        && item->len > 1 && g_ascii_isalpha (item->str[item->len - 2])))
			g_string_append_c (item, ' ');
		g_string_append (item, line);
	}
	item_flush (items, item);
	return items;
}

GHashTable *
vulnd_header_fields (const char *preamble)
{
	GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_auto (GStrv) lines = vulnd_text_split_lines (preamble, -1);

	for (guint i = 0; lines[i]; i++) {
		g_autoptr (GMatchInfo) mi = NULL;
		if (g_ascii_isspace (lines[i][0]) || !strchr (lines[i], ':')
		    || !g_regex_match (field_re (), lines[i], 0, &mi))
			continue;
		g_autofree char *key = g_match_info_fetch (mi, 1);
		g_autoptr (GString) value = g_string_new (NULL);
		g_autofree char *first = g_match_info_fetch (mi, 2);
		g_string_append (value, first);
		while (lines[i + 1] && !is_blank (lines[i + 1]) && g_ascii_isspace (lines[i + 1][0])) {
			g_string_append_c (value, ' ');
			g_string_append (value, lines[++i]);
		}
		char *k = g_ascii_strdown (g_strstrip (key), -1);
		if (g_hash_table_contains (fields, k))
			g_free (k);
		else
			g_hash_table_insert (fields, k, vulnd_text_squash (value->str));
	}
	return fields;
}

static GPtrArray *
unique_matches (GRegex *re, const char *text, gboolean upper)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GMatchInfo) mi = NULL;

	g_regex_match (re, text ? text : "", 0, &mi);
	for (; g_match_info_matches (mi); g_match_info_next (mi, NULL)) {
		char *m = g_match_info_fetch (mi, 0);
		gsize len = strlen (m);
		/* sentence punctuation after a URL is not part of it */
		while (len > 0 && strchr (".,;:", m[len - 1]))
			m[--len] = '\0';
		if (upper) {
			char *u = g_ascii_strup (m, -1);
			g_free (m);
			m = u;
		}
		gboolean seen = FALSE;
		for (guint i = 0; i < out->len && !seen; i++)
			seen = g_str_equal (g_ptr_array_index (out, i), m);
		if (seen)
			g_free (m);
		else
			g_ptr_array_add (out, m);
	}
	return out;
}

GPtrArray *
vulnd_text_urls (const char *text)
{
	return unique_matches (url_re (), text, FALSE);
}

GPtrArray *
vulnd_text_cves (const char *text)
{
	return unique_matches (cve_re (), text, TRUE);
}

char *
vulnd_text_squash (const char *text)
{
	g_auto (GStrv) words = g_strsplit_set (text ? text : "", " \t\r\n", -1);
	g_autoptr (GString) out = g_string_new (NULL);

	for (guint i = 0; words[i]; i++) {
		if (!*words[i])
			continue;
		if (out->len)
			g_string_append_c (out, ' ');
		g_string_append (out, words[i]);
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}
