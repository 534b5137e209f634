/* classify.c - is this message an OSSA, an OSSA erratum, an OSSN, or nothing?
 *
 * Decided by content: the advisory's own header block (the "OSSA-YYYY-NNN:"
 * banner between ===== lines, the "OpenStack Security Advisory:" line of
 * older advisories, a note's "OSSN-NNNN" line and Summary section) must open
 * the text, unquoted.  The subject alone never makes a record: replies that
 * quote an advisory, forwards, digests, and questions about an id all carry
 * advisory ids in their subjects.  But a "Re:" subject may still carry a real
 * erratum, so it is not a reason to refuse either.
 */
#define _GNU_SOURCE 1 /* memmem, strcasestr */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "regex.h"

/* How far into the text the header block may start: an erratum may open
 * with a short preface ("Errata 1 for OSSA-...: ..."). */
#define HEADER_MAX_LINES 12
/* A note's Summary section comes right after its title block. */
#define OSSN_SUMMARY_MAX_LINES 12
/* The cheap pre-check only looks this far into the text. */
#define PRECHECK_BYTES 8192

#define DEFINE_RE VULND_DEFINE_REGEX

DEFINE_RE (banner_re, "^OSSA[- ]([0-9]{4})-([0-9]{1,3})(?:\\.([0-9]+))?\\s*:\\s*\\S", 0)
DEFINE_RE (old_header_re,
           "^OpenStack Security Advisory\\s*:?\\s*(?:OSSA[- ]?)?([0-9]{4})-([0-9]{1,3})\\b",
           G_REGEX_CASELESS)
DEFINE_RE (ossn_line_re,
           "^(?:OpenStack Security Note\\s*:?\\s*(?:OSSN[- ]?)?|(?:=+\\s*)?OSSN-)([0-9]{1,4})\\b",
           G_REGEX_CASELESS)
DEFINE_RE (ossn_subject_re, "\\bOSSN[- ]?([0-9]{4})\\b", G_REGEX_CASELESS)
DEFINE_RE (summary_re, "^(?:#+\\s*Summary\\s*#+|=+\\s*Summary\\s*=+|Summary)\\s*$", G_REGEX_CASELESS)
DEFINE_RE (reply_intro_re,
           "(?:wrote:\\s*$|^-+\\s*(?:Original|Forwarded) Message|^Begin forwarded message)",
           G_REGEX_CASELESS)
DEFINE_RE (subject_prefix_re,
           "^(?:\\s*\\[[^\\]]*\\]\\s*)*\\s*(Re|Fwd?|Aw|Tr|Wg)\\s*:", G_REGEX_CASELESS)
DEFINE_RE (history_errata_re, "^\\s*-\\s*\\S+\\s*-\\s*Errata\\s*#?\\s*([0-9]+)",
           G_REGEX_CASELESS | G_REGEX_MULTILINE)
DEFINE_RE (preface_errata_re, "^\\s*Errata\\s*#?\\s*([0-9]+)\\s+(?:for|to)\\s+OSSA",
           G_REGEX_CASELESS | G_REGEX_MULTILINE)
DEFINE_RE (subject_errata_re,
           "(?:\\bOSSA[- ][0-9]{4}-[0-9]{1,3}\\.([0-9]+)\\b|\\berrat(?:a|um)\\s*#?\\s*([0-9]+))",
           G_REGEX_CASELESS)
DEFINE_RE (errata_section_re, "^Errata\\s*(?::.*|\\n~{3,})\\s*$",
           G_REGEX_MULTILINE)

static gboolean
is_blank (const char *line)
{
	for (; *line; line++)
		if (!g_ascii_isspace (*line))
			return FALSE;
	return TRUE;
}

static gboolean
is_rule (const char *line, char c)
{
	gsize n = 0;
	for (; *line && !g_ascii_isspace (*line); line++, n++)
		if (*line != c)
			return FALSE;
	return n >= 5;
}

/* Cheap test first: nearly all list mail never names an advisory. */
static gboolean
may_be_advisory (const VulndExtractInput *in)
{
	static const char *const words[] = { "OSSA", "OSSN", "Security Advisory",
	                                     "Security Note", "SECURITY NOTE" };
	gsize len = strlen (in->text);
	if (len > PRECHECK_BYTES)
		len = PRECHECK_BYTES;
	for (guint i = 0; i < G_N_ELEMENTS (words); i++)
		/* memmem: glibc's is vectorised, g_strstr_len is byte by byte */
		if (memmem (in->text, len, words[i], strlen (words[i]))
		    || (in->subject && strstr (in->subject, words[i])))
			return TRUE;
	return FALSE;
}

/* "Re", "Fwd", "AW"... of SUBJECT (after list tags), or NULL. */
static char *
subject_prefix (const char *subject)
{
	g_autoptr (GMatchInfo) mi = NULL;

	if (!subject || !g_regex_match (subject_prefix_re (), subject, 0, &mi))
		return NULL;
	return g_match_info_fetch (mi, 1);
}

/* Forwards and digests never announce; "Re:" may (errata are sent so). */
static gboolean
subject_refuses (const char *subject)
{
	g_autofree char *prefix = subject_prefix (subject);

	if (subject && (strstr (subject, "Digest, Vol") || g_str_has_suffix (subject, " Digest")))
		return TRUE;
	return prefix && g_ascii_strcasecmp (prefix, "re") != 0;
}

static int
fetch_int (GMatchInfo *mi, int group)
{
	g_autofree char *s = g_match_info_fetch (mi, group);
	return s && *s ? atoi (s) : 0;
}

static char *
fetch_ossa_id (GMatchInfo *mi)
{
	g_autofree char *year = g_match_info_fetch (mi, 1);
	return g_strdup_printf ("OSSA-%s-%03d", year, fetch_int (mi, 2));
}

static int
max_match (GRegex *re, const char *text, int group_a, int group_b)
{
	g_autoptr (GMatchInfo) mi = NULL;
	int best = 0;

	g_regex_match (re, text ? text : "", 0, &mi);
	for (; g_match_info_matches (mi); g_match_info_next (mi, NULL)) {
		int v = MAX (fetch_int (mi, group_a), group_b ? fetch_int (mi, group_b) : 0);
		best = MAX (best, v);
	}
	return best;
}

/* The erratum number, from every place the VMT has written it: the banner's
 * ".N" suffix, the "OSSA History" list, an "Errata N for OSSA-..." preface,
 * the subject ("[OSSA 2015-011.1]", "ERRATA #2", "errata 1"); an Errata
 * section without a number is the first erratum. */
static int
erratum_number (const VulndExtractInput *in, int banner_suffix)
{
	/* The three patterns on the text each need the word, and scanning
	 * the whole text with them is much dearer than looking for it.  No
	 * character outside ASCII folds to one of its letters. */
	gboolean errata_in_text = strcasestr (in->text, "errata") != NULL;
	int n = banner_suffix;

	if (errata_in_text) {
		n = MAX (n, max_match (history_errata_re (), in->text, 1, 0));
		n = MAX (n, max_match (preface_errata_re (), in->text, 1, 0));
	}
	n = MAX (n, max_match (subject_errata_re (), in->subject, 1, 2));
	if (n == 0 && errata_in_text && g_regex_match (errata_section_re (), in->text, 0, NULL))
		n = 1;
	return n;
}

/* "... wrote:", "---- Original Message ----", "Begin forwarded message".
 * The pattern is tried only on lines that may hold one of these: no
 * character outside ASCII folds to their letters. */
static gboolean
is_reply_intro (const char *line)
{
	if (line[0] != '-' && g_ascii_tolower (line[0]) != 'b' && !strcasestr (line, "wrote:"))
		return FALSE;
	return g_regex_match (reply_intro_re (), line, 0, NULL);
}

/* old_header_re and ossn_line_re open with "OpenStack" or "OSSN", caseless,
 * ossn_line_re also with the "=" of a wiki heading ("= OSSN-0094: ... ="):
 * the first character is looked at before either runs. */
static gboolean
may_open_header (const char *line)
{
	return g_ascii_tolower (line[0]) == 'o';
}

static gboolean
may_open_note (const char *line)
{
	return may_open_header (line) || line[0] == '=';
}

static gboolean
has_summary_near (char **lines, guint from)
{
	for (guint i = from, seen = 0; lines[i] && seen < OSSN_SUMMARY_MAX_LINES; i++) {
		if (is_blank (lines[i]))
			continue;
		seen++;
		if (g_regex_match (summary_re (), lines[i], 0, NULL))
			return TRUE;
	}
	return FALSE;
}

static VulndMessageKind
classify_ossn_by_subject (const VulndExtractInput *in, char **lines, char **id)
{
	g_autoptr (GMatchInfo) mi = NULL;

	if (!in->subject || !g_regex_match (ossn_subject_re (), in->subject, 0, &mi))
		return VULND_KIND_NONE;
	if (!has_summary_near (lines, 0))
		return VULND_KIND_NONE;
	*id = g_strdup_printf ("OSSN-%04d", fetch_int (mi, 1));
	return VULND_KIND_OSSN;
}

static gboolean
subject_is_reply (const char *subject)
{
	g_autofree char *prefix = subject_prefix (subject);

	return prefix && g_ascii_strcasecmp (prefix, "re") == 0;
}

/* The first line of an OSSA's header block: the banner under its '=' rule
 * (group 3: the erratum number it may carry), or the older "OpenStack
 * Security Advisory:" line, which has no group 3. */
static gboolean
match_ossa_header (const char *prev, const char *line, GMatchInfo **mi)
{
	if (is_rule (prev, '=') && g_regex_match (banner_re (), line, 0, mi))
		return TRUE;
	g_clear_pointer (mi, g_match_info_free);
	return may_open_header (line) && g_regex_match (old_header_re (), line, 0, mi);
}

/* Walk the opening lines for the header block.  Under a "Re:" subject of an
 * unverified mail, an OSSA's header block must open the text, or follow an
 * "Errata N for OSSA-..." preface: the VMT sends errata so, while a reply
 * that pastes the advisory under a question of its own is no announcement.
 * (Notes are signed by keys outside the VMT's, and their layouts vary more:
 * they are left to the subject and Summary tests.) */
static VulndMessageKind
classify_lines (const VulndExtractInput *in, char **lines, char **id, int *erratum)
{
	const char *prev = "";
	gboolean reply = !in->verified && subject_is_reply (in->subject);
	gboolean preface = FALSE, prose = FALSE;

	for (guint i = 0, seen = 0; lines[i] && seen < HEADER_MAX_LINES; i++) {
		const char *line = lines[i];
		g_autoptr (GMatchInfo) mi = NULL;

		if (is_blank (line))
			continue;
		seen++;
		if (line[0] == '>' || line[0] == '|' || is_reply_intro (line))
			return VULND_KIND_NONE;
		if (seen == 1 && reply)
			preface = g_regex_match (preface_errata_re (), line, 0, NULL);
		if (match_ossa_header (prev, line, &mi)) {
			if (prose)
				return VULND_KIND_NONE;
			*id = fetch_ossa_id (mi);
			*erratum = erratum_number (in, fetch_int (mi, 3));
			return *erratum ? VULND_KIND_OSSA_ERRATUM : VULND_KIND_OSSA;
		}
		g_clear_pointer (&mi, g_match_info_free);
		if (may_open_note (line) && g_regex_match (ossn_line_re (), line, 0, &mi)
		    && has_summary_near (lines, i + 1)) {
			*id = g_strdup_printf ("OSSN-%04d", fetch_int (mi, 1));
			return VULND_KIND_OSSN;
		}
		/* under "Re:", a line of the mail's own before an OSSA's header
		 * block: neither an errata preface nor the rule of a banner */
		prose = prose || (reply && !preface && !is_rule (line, '='));
		prev = line;
	}
	return classify_ossn_by_subject (in, lines, id);
}

VulndMessageKind
vulnd_classify (const VulndExtractInput *in, char **id, int *erratum)
{
	*id = NULL;
	*erratum = 0;
	if (!in || !in->text || in->forwarded)
		return VULND_KIND_NONE;
	if (!may_be_advisory (in) || subject_refuses (in->subject))
		return VULND_KIND_NONE;

	/* only the opening of the text matters: split just that much */
	gsize len = strlen (in->text);
	g_autofree char *head = g_strndup (in->text, MIN (len, (gsize) PRECHECK_BYTES));
	g_auto (GStrv) lines = vulnd_text_split_lines (head, 200);
	for (guint i = 0; lines[i]; i++) {
		char *cr = strchr (lines[i], '\r');
		if (cr)
			*cr = '\0';
	}
	return classify_lines (in, lines, id, erratum);
}
