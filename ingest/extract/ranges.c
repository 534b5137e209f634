/* ranges.c - the published affected-version text of one product to
 * OSV-style events (encoding documented in db/version.h).
 *
 * Two grammars, chosen by whether the text has a comparison operator:
 *
 *  - machine specs (2015 on): "<20.2.1, >=21.0.0 <21.2.1, ==22.0.0",
 *    with or without commas or spaces, "and" between clauses, "=" for "==",
 *    a bare version for "==".  A lower bound (">=", ">") pairs with the
 *    upper bound ("<", "<=") that follows it, whatever separates them.
 *
 *  - prose (2011-2015): clauses separated by commas, ";" or "and", each one
 *    of a few shapes: "up to V", "S versions up to V", "from S to V",
 *    "S and later", "S and earlier", "before S", "after V", "All versions",
 *    a code name or series alone ("Folsom", "2014.1": the whole series), a
 *    version alone (that version).  S is a version, a series number or a
 *    code name.
 *
 * Either the whole text is understood or nothing is returned: a partial
 * answer would make `affected` say "not affected" for the part we missed.
 */
#include "config.h"

#include <string.h>

#include "extract.h"
#include "regex.h"
#include "regex-jit.h"
#include "version.h"

/* ---- building ranges ----------------------------------------------------- */

static void
range_add (JsonArray *out, const char *introduced, const char *fixed,
           const char *last_affected, gboolean exclusive)
{
	JsonObject *r = json_object_new ();
	json_object_set_string_member (r, "introduced", introduced);
	if (exclusive)
		json_object_set_boolean_member (r, "introduced-exclusive", TRUE);
	if (fixed)
		json_object_set_string_member (r, "fixed", fixed);
	else if (last_affected)
		json_object_set_string_member (r, "last_affected", last_affected);
	json_array_add_object_element (out, r);
}

/* A whole release series, as a code name or a series number. */
static const VulndSeries *
series_of (const char *s)
{
	return vulnd_series_lookup (s);
}

/* A token is a code name or a version starting with a digit. */
static gboolean
token_valid (const char *s)
{
	if (s == NULL || *s == '\0')
		return FALSE;
	if (g_ascii_isdigit (*s) || (*s == 'v' && g_ascii_isdigit (s[1])))
		return vulnd_version_valid (s);
	return series_of (s) != NULL;
}

/* Where S starts: a series' first version, or the version itself. */
static const char *
lower_of (const char *s)
{
	const VulndSeries *ser = g_ascii_isdigit (*s) ? NULL : series_of (s);
	return ser ? vulnd_series_value (ser) : s;
}

/* ---- machine specs ------------------------------------------------------- */

static GRegex *
spec_token_regex (void)
{
	static gsize once;
	static GRegex *re;

	if (g_once_init_enter (&once)) {
		re = g_regex_new ("\\s*(?:(?:,|;|&|\\band\\b)\\s*)*"
		                  "(?:(<=|>=|==|=|<|>|!=|~=)\\s*)?"
		                  "(v?[0-9][0-9a-z.!+_]*)",
		                  G_REGEX_CASELESS | vulnd_regex_jit (), 0, NULL);
		g_assert (re != NULL);
		g_once_init_leave (&once, 1);
	}
	return re;
}

static gboolean
separators_only (const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isspace (*s) && *s != ',' && *s != ';')
			return FALSE;
	return TRUE;
}

typedef struct {
	JsonArray *out;
	char *lower;            /* pending ">=" / ">" bound */
	gboolean lower_exclusive;
} SpecState;

static void
spec_flush_lower (SpecState *st)
{
	if (st->lower == NULL)
		return;
	range_add (st->out, st->lower, NULL, NULL, st->lower_exclusive);
	g_clear_pointer (&st->lower, g_free);
}

static gboolean
spec_clause (SpecState *st, const char *op, const char *v)
{
	if (!vulnd_version_valid (v))
		return FALSE;
	if (g_str_equal (op, "<") || g_str_equal (op, "<=")) {
		gboolean fixed = g_str_equal (op, "<");
		range_add (st->out, st->lower ? st->lower : "0",
		           fixed ? v : NULL, fixed ? NULL : v, st->lower_exclusive);
		g_clear_pointer (&st->lower, g_free);
		return TRUE;
	}
	if (g_str_equal (op, ">=") || g_str_equal (op, ">")) {
		spec_flush_lower (st);
		st->lower = g_strdup (v);
		st->lower_exclusive = g_str_equal (op, ">");
		return TRUE;
	}
	if (g_str_equal (op, "==") || g_str_equal (op, "=") || *op == '\0') {
		spec_flush_lower (st);
		range_add (st->out, v, NULL, v, FALSE);
		return TRUE;
	}
	return FALSE; /* "!=", "~=": not ranges we can write */
}

static gboolean
parse_spec (const char *text, JsonArray *out)
{
	SpecState st = { out, NULL, FALSE };
	gboolean ok = TRUE;
	size_t len = strlen (text);
	gint pos = 0;

	while (ok && (size_t) pos < len && !separators_only (text + pos)) {
		g_autoptr (GMatchInfo) mi = NULL;
		if (!g_regex_match_full (spec_token_regex (), text, len, pos,
		                         G_REGEX_MATCH_ANCHORED, &mi, NULL)) {
			ok = FALSE;
			break;
		}
		g_autofree char *op = g_match_info_fetch (mi, 1);
		g_autofree char *v = g_match_info_fetch (mi, 2);
		gint end;
		g_match_info_fetch_pos (mi, 0, NULL, &end);
		ok = end > pos && spec_clause (&st, op ? op : "", v);
		pos = end;
	}
	if (ok)
		spec_flush_lower (&st);
	g_free (st.lower);
	return ok && json_array_get_length (out) > 0;
}

/* ---- prose --------------------------------------------------------------- */

typedef enum {
	CLAUSE_ALL,
	CLAUSE_UP_TO,       /* 1: last affected, 2: fixed (optional) */
	CLAUSE_BEFORE,      /* 1: first unaffected */
	CLAUSE_FROM_TO,     /* 1: start, 2: last affected */
	CLAUSE_PRIOR,       /* 1: series, 2: first fixed version in it */
	CLAUSE_LATER,       /* 1: first affected */
	CLAUSE_AFTER,       /* 1: last unaffected */
	CLAUSE_EARLIER,     /* 1: last affected */
	CLAUSE_SINGLE,      /* 1: a series or one version */
} ClauseKind;

#define T "(v?[0-9][0-9a-z.!+_]*|[a-z]+)"
#define VERS "(?:versions?|releases?|series)"
#define ANY "(?:(?:all )?(?:supported |affected )?" VERS " )?"

static const struct {
	ClauseKind kind;
	const char *pattern;
} clause_patterns[] = {
	{ CLAUSE_ALL, "^(?:all|every)(?: supported| affected)?(?: " VERS ")?$" },
	{ CLAUSE_UP_TO, "^" ANY "(?:up to|through|until|to|<=) ?" T
	                "(?: included| inclusive)?(?: \\(fixed in " T "\\))?$" },
	{ CLAUSE_BEFORE, "^" ANY "(?:before|prior to|older than|earlier than|below) " T "$" },
	{ CLAUSE_FROM_TO, "^" ANY "(?:from )?" T "(?: " VERS ")? (?:up to|through|to|until) " T "$" },
	{ CLAUSE_PRIOR, "^" T "(?: " VERS ")? \\(?(?:prior to|before) " T "\\)?$" },
	{ CLAUSE_LATER, "^" ANY "(?:since |from )?" T "(?: " VERS ")? ?(?:@later|on|onwards)$" },
	{ CLAUSE_AFTER, "^" ANY "(?:after|newer than|later than) " T "$" },
	{ CLAUSE_EARLIER, "^" ANY T "(?: " VERS ")? ?@earlier$" },
	{ CLAUSE_SINGLE, "^(?:(?:" VERS "|the) )?" T "(?: " VERS ")?$" },
};

#undef T
#undef VERS
#undef ANY

static GRegex *
clause_regex (gsize i)
{
	static gsize once;
	static GRegex *re[G_N_ELEMENTS (clause_patterns)];

	if (g_once_init_enter (&once)) {
		for (gsize k = 0; k < G_N_ELEMENTS (clause_patterns); k++) {
			re[k] = g_regex_new (clause_patterns[k].pattern,
			                     G_REGEX_CASELESS, 0, NULL);
			g_assert (re[k] != NULL);
		}
		g_once_init_leave (&once, 1);
	}
	return re[i];
}

/* The first version after a whole series S, NULL when S is no series or
 * the last one known. */
static const char *
series_end (const char *s)
{
	const VulndSeries *ser = series_of (s);
	return ser ? vulnd_series_value (vulnd_series_next (ser)) : NULL;
}

/* An upper bound: a code name covers its whole series. */
static void
range_add_through (JsonArray *out, const char *from, const char *upto)
{
	if (!g_ascii_isdigit (*upto)) {
		const char *end = series_end (upto);
		range_add (out, from, end, NULL, FALSE);
		return;
	}
	range_add (out, from, NULL, upto, FALSE);
}

/* A series alone covers the series; a version alone is that version. */
static void
range_add_single (JsonArray *out, const char *s)
{
	const VulndSeries *ser = series_of (s);
	if (ser) {
		range_add (out, vulnd_series_value (ser),
		           vulnd_series_value (vulnd_series_next (ser)), NULL, FALSE);
		return;
	}
	range_add (out, s, NULL, s, FALSE);
}

static gboolean
clause_apply (ClauseKind kind, const char *a, const char *b, JsonArray *out)
{
	switch (kind) {
	case CLAUSE_ALL:
		range_add (out, "0", NULL, NULL, FALSE);
		return TRUE;
	case CLAUSE_UP_TO:
		if (b && *b)
			range_add (out, "0", lower_of (b), NULL, FALSE);
		else
			range_add_through (out, "0", a);
		return TRUE;
	case CLAUSE_BEFORE:
		range_add (out, "0", lower_of (a), NULL, FALSE);
		return TRUE;
	case CLAUSE_FROM_TO:
		range_add_through (out, lower_of (a), b);
		return TRUE;
	case CLAUSE_PRIOR:
		range_add (out, lower_of (a), lower_of (b), NULL, FALSE);
		return TRUE;
	case CLAUSE_LATER:
		range_add (out, lower_of (a), NULL, NULL, FALSE);
		return TRUE;
	case CLAUSE_AFTER:
		if (series_of (a) && !g_ascii_isdigit (*a)) {
			const char *end = series_end (a);
			if (end == NULL)
				return FALSE;
			range_add (out, end, NULL, NULL, FALSE);
		} else {
			range_add (out, a, NULL, NULL, TRUE);
		}
		return TRUE;
	case CLAUSE_EARLIER:
		range_add_through (out, "0", a);
		return TRUE;
	case CLAUSE_SINGLE:
		range_add_single (out, a);
		return TRUE;
	}
	return FALSE;
}

static gboolean
parse_clause (const char *clause, JsonArray *out)
{
	for (gsize i = 0; i < G_N_ELEMENTS (clause_patterns); i++) {
		g_autoptr (GMatchInfo) mi = NULL;
		if (!g_regex_match (clause_regex (i), clause, 0, &mi))
			continue;
		g_autofree char *a = g_match_info_fetch (mi, 1);
		g_autofree char *b = g_match_info_fetch (mi, 2);
		if ((a && *a && !token_valid (a)) || (b && *b && !token_valid (b)))
			return FALSE;
		return clause_apply (clause_patterns[i].kind, a, b, out);
	}
	return FALSE;
}

/* "2013.1 (Grizzly)" and "Essex (2012.1)" say the same thing twice. */
static gboolean
drop_synonym_cb (const GMatchInfo *mi, GString *res, gpointer data)
{
	(void) data;
	g_autofree char *a = g_match_info_fetch (mi, 1);
	g_autofree char *b = g_match_info_fetch (mi, 2);
	const VulndSeries *sa = vulnd_series_lookup (a);
	if (sa != NULL && sa == vulnd_series_lookup (b)) {
		g_string_append (res, a);
	} else {
		g_autofree char *all = g_match_info_fetch (mi, 0);
		g_string_append (res, all);
	}
	return FALSE;
}

static char *
prose_normalise (const char *text)
{
	static const struct { const char *re, *by; } rewrites[] = {
		/* "and later" must not split into clauses: protect it. */
		{ "\\s*\\(?\\b(?:and|or) (?:later|newer|above)(?: " "(?:versions?|releases?))?\\)?", " @later" },
		{ "\\s*\\(?\\b(?:and|or) (?:earlier|older|below)(?: " "(?:versions?|releases?))?\\)?", " @earlier" },
		{ "\\bversions?:\\s*", "" },
	};
	static GRegex *compiled[G_N_ELEMENTS (rewrites)];
	char *s = g_ascii_strdown (text, -1);
	for (gsize i = 0; i < G_N_ELEMENTS (rewrites); i++) {
		GRegex *re = vulnd_regex_cached (&compiled[i], rewrites[i].re, 0);
		char *r = g_regex_replace (re, s, -1, 0, rewrites[i].by, 0, NULL);
		g_free (s);
		s = r;
	}
	GRegex *syn = VULND_REGEX ("([a-z0-9.]+) \\(([a-z0-9.]+)\\)", 0);
	char *r = g_regex_replace_eval (syn, s, -1, 0, 0, drop_synonym_cb, NULL, NULL);
	g_free (s);
	return r;
}

static gboolean
parse_prose (const char *text, JsonArray *out)
{
	g_autofree char *norm = prose_normalise (text);
	if (norm == NULL)
		return FALSE;
	g_auto (GStrv) clauses = g_regex_split (VULND_REGEX ("\\s*(?:,|;|&|\\band\\b)\\s*", 0),
	                                        norm, 0);
	for (char **c = clauses; *c; c++) {
		g_strstrip (*c);
		if (**c == '\0')
			continue;
		if (!parse_clause (*c, out))
			return FALSE;
	}
	return json_array_get_length (out) > 0;
}

/* ---- entry point --------------------------------------------------------- */

/* One line, no surrounding quotes, brackets or final punctuation. */
static char *
text_normalise (const char *text)
{
	char *s = g_regex_replace_literal (VULND_REGEX ("\\s+", 0), text, -1, 0, " ", 0, NULL);
	if (s == NULL)
		return NULL;
	for (;;) {
		g_strstrip (s);
		size_t n = strlen (s);
		if (n > 0 && strchr (".,;:", s[n - 1])) {
			s[n - 1] = '\0';
		} else if (n >= 2 && ((s[0] == '\'' && s[n - 1] == '\'') ||
		                      (s[0] == '"' && s[n - 1] == '"') ||
		                      (s[0] == '(' && s[n - 1] == ')' &&
		                       !strchr (s + 1, '(')))) {
			memmove (s, s + 1, n - 2);
			s[n - 2] = '\0';
		} else {
			return s;
		}
	}
}

/* No real version text comes near it (the longest are a few hundred
 * bytes); reading one costs a scan per token (see VULND_EXTRACT_TEXT_MAX). */
#define VERSION_TEXT_MAX 4096

JsonArray *
vulnd_version_ranges (const char *text, GPtrArray *warnings)
{
	g_autoptr (JsonArray) out = json_array_new ();
	g_autofree char *norm = NULL;
	gboolean ok = FALSE;

	if (text && strlen (text) > VERSION_TEXT_MAX) {
		if (warnings)
			g_ptr_array_add (warnings,
			                 g_strdup_printf ("version text of %zu bytes not read "
			                                  "(the limit is %d)",
			                                  strlen (text), VERSION_TEXT_MAX));
		return json_array_new ();
	}
	if (text && g_utf8_validate (text, -1, NULL))
		norm = text_normalise (text);
	if (norm && *norm) {
		ok = strpbrk (norm, "<>=") ? parse_spec (norm, out)
		                           : parse_prose (norm, out);
	}
	if (ok)
		return g_steal_pointer (&out);

	if (warnings) {
		g_autofree char *shown = text ? g_utf8_make_valid (text, MIN (strlen (text), 200)) : NULL;
		g_ptr_array_add (warnings,
		                 g_strdup_printf ("cannot understand version text: \"%s\"",
		                                  shown ? g_strstrip (shown) : ""));
	}
	return json_array_new ();
}
