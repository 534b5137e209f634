/* version.c - version ordering, release series and range matching.
 * The rules are documented in version.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "version.h"

/* ---- release series ------------------------------------------------------ */

/* Release dates give the rank; Liberty .. Zed never had a series number, so
 * their rank is nominal (year and half of their release). */
static const VulndSeries series_table[] = {
	{ "austin",    "2010.1", 20101 },
	{ "bexar",     "2011.1", 20111 },
	{ "cactus",    "2011.2", 20112 },
	{ "diablo",    "2011.3", 20113 },
	{ "essex",     "2012.1", 20121 },
	{ "folsom",    "2012.2", 20122 },
	{ "grizzly",   "2013.1", 20131 },
	{ "havana",    "2013.2", 20132 },
	{ "icehouse",  "2014.1", 20141 },
	{ "juno",      "2014.2", 20142 },
	{ "kilo",      "2015.1", 20151 },
	{ "liberty",   NULL,     20152 },
	{ "mitaka",    NULL,     20161 },
	{ "newton",    NULL,     20162 },
	{ "ocata",     NULL,     20171 },
	{ "pike",      NULL,     20172 },
	{ "queens",    NULL,     20181 },
	{ "rocky",     NULL,     20182 },
	{ "stein",     NULL,     20191 },
	{ "train",     NULL,     20192 },
	{ "ussuri",    NULL,     20201 },
	{ "victoria",  NULL,     20202 },
	{ "wallaby",   NULL,     20211 },
	{ "xena",      NULL,     20212 },
	{ "yoga",      NULL,     20221 },
	{ "zed",       NULL,     20222 },
	{ "antelope",  "2023.1", 20231 },
	{ "bobcat",    "2023.2", 20232 },
	{ "caracal",   "2024.1", 20241 },
	{ "dalmatian", "2024.2", 20242 },
	{ "epoxy",     "2025.1", 20251 },
	{ "flamingo",  "2025.2", 20252 },
	{ "gazpacho",  "2026.1", 20261 },
	{ "hibiscus",  "2026.2", 20262 },
	{ "indri",     "2027.1", 20271 },
};

const VulndSeries *
vulnd_series_table (gsize *n_out)
{
	if (n_out)
		*n_out = G_N_ELEMENTS (series_table);
	return series_table;
}

const VulndSeries *
vulnd_series_lookup (const char *name_or_series)
{
	if (name_or_series == NULL)
		return NULL;
	g_autofree char *key = g_ascii_strdown (name_or_series, -1);
	g_strstrip (key);
	for (gsize i = 0; i < G_N_ELEMENTS (series_table); i++) {
		const VulndSeries *s = &series_table[i];
		if (strcmp (s->name, key) == 0 ||
		    (s->series && strcmp (s->series, key) == 0))
			return s;
	}
	return NULL;
}

const VulndSeries *
vulnd_series_next (const VulndSeries *s)
{
	if (s == NULL || s < series_table ||
	    s >= series_table + G_N_ELEMENTS (series_table) - 1)
		return NULL;
	return s + 1;
}

const char *
vulnd_series_value (const VulndSeries *s)
{
	if (s == NULL)
		return NULL;
	return s->series ? s->series : s->name;
}

/* ---- parsing ------------------------------------------------------------- */

typedef enum {
	VCLASS_DATE,   /* 2010-2015 date version: below every plain one */
	VCLASS_PLAIN,
	VCLASS_SERIES, /* a series from Liberty on: orders by rank only */
} VClass;

typedef enum { PRE_A, PRE_B, PRE_RC } PreKind;

typedef struct _VulndVersion Version;

struct _VulndVersion {
	VClass klass;
	int rank;           /* DATE and SERIES */
	char *epoch;        /* decimal digits, no leading zeros */
	char **release;     /* components, no leading zeros: one block (g_free) */
	int pre_kind;       /* -1 when not a pre-release */
	char *pre_n;
	char *post_n;       /* NULL when not a post-release */
	char *dev_n;        /* NULL when not a dev release */
	char *local;        /* NULL when no local part; lower case */
};

static void
version_free (Version *v)
{
	if (v == NULL)
		return;
	g_free (v->epoch);
	g_free (v->release);
	g_free (v->pre_n);
	g_free (v->post_n);
	g_free (v->dev_n);
	g_free (v->local);
	g_free (v);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Version, version_free)

/* Longer strings are not versions, and refusing them bounds the work. */
#define VERSION_MAX_LEN 256

/* The PEP 440 appendix regular expression, anchored. */
static const char pep440_pattern[] =
	"^v?(?:(?:(?P<epoch>[0-9]+)!)?"
	"(?P<release>[0-9]+(?:\\.[0-9]+)*)"
	"(?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?"
	"(?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?"
	"(?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?)"
	"(?:\\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$";

static GRegex *
pep440_regex (void)
{
	static gsize once;
	static GRegex *re;

	if (g_once_init_enter (&once)) {
		re = g_regex_new (pep440_pattern, G_REGEX_CASELESS,
		                  0, NULL);
		g_assert (re != NULL);
		g_once_init_leave (&once, 1);
	}
	return re;
}

/* Digits without leading zeros ("007" -> "7", "" or "000" -> "0"). */
static char *
number_canonical (const char *digits)
{
	while (*digits == '0' && digits[1] != '\0')
		digits++;
	return g_strdup (*digits ? digits : "0");
}

/* Compare canonical decimal strings of any length. */
static int
number_compare (const char *a, const char *b)
{
	size_t la = strlen (a), lb = strlen (b);
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = strcmp (a, b);
	return (c > 0) - (c < 0);
}

static char *
fetch_group (GMatchInfo *mi, const char *name)
{
	char *s = g_match_info_fetch_named (mi, name);
	if (s && *s == '\0')
		g_clear_pointer (&s, g_free);
	return s;
}

/* [0-9]+(\.[0-9]+)*, the release group alone */
static gboolean
is_plain_release (const char *text)
{
	gboolean digit = FALSE;

	for (const char *p = text; *p; p++) {
		if (g_ascii_isdigit (*p))
			digit = TRUE;
		else if (*p == '.' && digit)
			digit = FALSE;
		else
			return FALSE;
	}
	return digit;
}

/* The components of RELEASE ("N(.N)*"), canonical, as a NULL-terminated
 * vector whose strings live in the same allocation: a range check splits
 * every bound, and one allocation instead of one per component halves it. */
static char **
release_split (const char *release)
{
	size_t len = strlen (release);
	size_t n = 1;

	for (const char *p = release; *p; p++)
		n += *p == '.';
	char **parts = g_malloc ((n + 1) * sizeof (char *) + len + 1);
	char *text = memcpy ((char *) (parts + n + 1), release, len + 1);
	size_t i = 0;

	for (char *c = text;; i++) {
		char *dot = strchr (c, '.');
		if (dot)
			*dot = '\0';
		while (*c == '0' && c[1] != '\0')
			c++; /* no leading zeros: "000" reads as "0" */
		parts[i] = c; /* never empty: RELEASE is N(.N)* */
		if (!dot)
			break;
		c = dot + 1;
	}
	parts[i + 1] = NULL;
	return parts;
}

static PreKind
pre_kind_of (const char *label)
{
	g_autofree char *l = g_ascii_strdown (label, -1);
	if (l[0] == 'a')
		return PRE_A;
	if (l[0] == 'b')
		return PRE_B;
	return PRE_RC; /* c, rc, pre, preview */
}

/* A small non-negative integer from canonical digits; -1 when too big. */
static int
small_number (const char *digits)
{
	if (strlen (digits) > 5)
		return -1;
	return atoi (digits);
}

static void
version_classify (Version *v)
{
	v->klass = VCLASS_PLAIN;
	if (strcmp (v->epoch, "0") != 0 || v->release[0] == NULL ||
	    v->release[1] == NULL)
		return;
	int year = small_number (v->release[0]);
	int minor = small_number (v->release[1]);
	if (year >= 2010 && year <= 2015) {
		v->klass = VCLASS_DATE;
		v->rank = year * 10 + (minor >= 0 && minor < 9 ? minor : 9);
		return;
	}
	/* Numbered series: exactly YYYY.1 or YYYY.2, nothing else. */
	if (year >= 2023 && v->release[2] == NULL && (minor == 1 || minor == 2) &&
	    v->pre_kind < 0 && !v->post_n && !v->dev_n && !v->local) {
		v->klass = VCLASS_SERIES;
		v->rank = year * 10 + minor;
	}
}

static Version *
version_from_pep440 (const char *text)
{
	g_autoptr (GMatchInfo) mi = NULL;

	/* Most versions are plain N(.N)*, whose regex match is the dearest
	 * part of a range check: read those directly, to the same result. */
	if (is_plain_release (text)) {
		Version *plain = g_new0 (Version, 1);

		plain->epoch = g_strdup ("0");
		plain->release = release_split (text);
		plain->pre_kind = -1;
		version_classify (plain);
		return plain;
	}
	if (!g_regex_match (pep440_regex (), text, 0, &mi))
		return NULL;

	g_autoptr (Version) v = g_new0 (Version, 1);
	g_autofree char *epoch = fetch_group (mi, "epoch");
	g_autofree char *release = fetch_group (mi, "release");
	g_autofree char *pre_l = fetch_group (mi, "pre_l");
	g_autofree char *pre_n = fetch_group (mi, "pre_n");
	g_autofree char *post_n1 = fetch_group (mi, "post_n1");
	g_autofree char *post_l = fetch_group (mi, "post_l");
	g_autofree char *post_n2 = fetch_group (mi, "post_n2");
	g_autofree char *dev_l = fetch_group (mi, "dev_l");
	g_autofree char *dev_n = fetch_group (mi, "dev_n");
	g_autofree char *local = fetch_group (mi, "local");

	v->epoch = number_canonical (epoch ? epoch : "0");
	v->release = release_split (release);
	v->pre_kind = pre_l ? (int) pre_kind_of (pre_l) : -1;
	v->pre_n = pre_l ? number_canonical (pre_n ? pre_n : "0") : NULL;
	if (post_n1)
		v->post_n = number_canonical (post_n1);
	else if (post_l)
		v->post_n = number_canonical (post_n2 ? post_n2 : "0");
	v->dev_n = dev_l ? number_canonical (dev_n ? dev_n : "0") : NULL;
	v->local = local ? g_ascii_strdown (local, -1) : NULL;
	version_classify (v);
	return g_steal_pointer (&v);
}

/* A code name: date-era ones are their date series, later ones series. */
static Version *
version_from_codename (const char *text)
{
	/* a version starting with a digit is never a codename: no lookup */
	if (g_ascii_isdigit (text[0]))
		return NULL;
	const VulndSeries *s = vulnd_series_lookup (text);
	if (s == NULL)
		return NULL;
	if (s->series) {
		Version *v = version_from_pep440 (s->series);
		if (v)
			return v;
	}
	Version *v = g_new0 (Version, 1);
	v->klass = VCLASS_SERIES;
	v->rank = s->rank;
	v->epoch = g_strdup ("0");
	v->release = g_new0 (char *, 1);
	v->pre_kind = -1;
	return v;
}

static Version *
version_parse (const char *text)
{
	if (text == NULL)
		return NULL;
	size_t len = strlen (text);
	if (len == 0 || len > VERSION_MAX_LEN)
		return NULL;
	/* ASCII with nothing to strip and never a code name: no copy */
	if (is_plain_release (text))
		return version_from_pep440 (text);
	if (!g_utf8_validate (text, len, NULL))
		return NULL;
	g_autofree char *t = g_strstrip (g_strdup (text));
	Version *v = version_from_codename (t);
	return v ? v : version_from_pep440 (t);
}

/* ---- comparing ----------------------------------------------------------- */

static int
release_compare (char **a, char **b)
{
	while (*a || *b) {
		int c = number_compare (*a ? *a : "0", *b ? *b : "0");
		if (c)
			return c;
		if (*a)
			a++;
		if (*b)
			b++;
	}
	return 0;
}

/* -1: sorts before any pre-release (dev release of the final version),
 * +1: no pre-release (after any), 0: a real pre-release. */
static int
pre_tier (const Version *v)
{
	if (v->pre_kind >= 0)
		return 0;
	return (!v->post_n && v->dev_n) ? -1 : 1;
}

static int
pre_compare (const Version *a, const Version *b)
{
	int ta = pre_tier (a), tb = pre_tier (b);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (ta != 0)
		return 0;
	if (a->pre_kind != b->pre_kind)
		return a->pre_kind < b->pre_kind ? -1 : 1;
	return number_compare (a->pre_n, b->pre_n);
}

/* Absent post sorts first; absent dev sorts last. */
static int
optional_compare (const char *a, const char *b, int absent)
{
	if (!a && !b)
		return 0;
	if (!a)
		return absent;
	if (!b)
		return -absent;
	return number_compare (a, b);
}

static gboolean
all_digits (const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isdigit (*s))
			return FALSE;
	return TRUE;
}

/* PEP 440 local segments: numbers beat words, numbers compare as numbers. */
static int
local_segment_compare (const char *a, const char *b)
{
	gboolean na = all_digits (a), nb = all_digits (b);
	if (na != nb)
		return na ? 1 : -1;
	if (na) {
		g_autofree char *ca = number_canonical (a);
		g_autofree char *cb = number_canonical (b);
		return number_compare (ca, cb);
	}
	int c = strcmp (a, b);
	return (c > 0) - (c < 0);
}

static int
local_compare (const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	/* the local label matched [a-z0-9]+([-_.][a-z0-9]+)*: no empty
	 * segment, so a plain split is the same as the regex one was */
	g_auto (GStrv) sa = g_strsplit_set (a, "-_.", -1);
	g_auto (GStrv) sb = g_strsplit_set (b, "-_.", -1);
	guint i;
	for (i = 0; sa[i] && sb[i]; i++) {
		int c = local_segment_compare (sa[i], sb[i]);
		if (c)
			return c;
	}
	return (sa[i] != NULL) - (sb[i] != NULL);
}

static int
pep440_compare (const Version *a, const Version *b)
{
	int c;
	if ((c = number_compare (a->epoch, b->epoch)) ||
	    (c = release_compare (a->release, b->release)) ||
	    (c = pre_compare (a, b)) ||
	    (c = optional_compare (a->post_n, b->post_n, -1)) ||
	    (c = optional_compare (a->dev_n, b->dev_n, 1)))
		return c;
	return local_compare (a->local, b->local);
}

static gboolean
classes_comparable (const Version *a, const Version *b)
{
	return !((a->klass == VCLASS_PLAIN && b->klass == VCLASS_SERIES) ||
	         (a->klass == VCLASS_SERIES && b->klass == VCLASS_PLAIN));
}

/* Date < series by rank; date < plain; plain "<" series only to be total. */
static int
class_compare (const Version *a, const Version *b)
{
	if (a->klass == b->klass) {
		if (a->klass == VCLASS_SERIES)
			return (a->rank > b->rank) - (a->rank < b->rank);
		return pep440_compare (a, b);
	}
	if (a->klass == VCLASS_DATE && b->klass == VCLASS_SERIES)
		return a->rank < b->rank + 1 ? -1 : 1;
	if (a->klass == VCLASS_SERIES && b->klass == VCLASS_DATE)
		return -class_compare (b, a);
	return a->klass < b->klass ? -1 : 1;
}

gboolean
vulnd_version_valid (const char *v)
{
	g_autoptr (Version) p = version_parse (v);
	return p != NULL;
}

int
vulnd_version_compare (const char *a, const char *b)
{
	g_autoptr (Version) pa = version_parse (a);
	g_autoptr (Version) pb = version_parse (b);
	if (!pa || !pb) {
		if (pa || pb)
			return pa ? 1 : -1;
		int c = g_strcmp0 (a, b);
		return (c > 0) - (c < 0);
	}
	return class_compare (pa, pb);
}

gboolean
vulnd_version_comparable (const char *a, const char *b)
{
	g_autoptr (Version) pa = version_parse (a);
	g_autoptr (Version) pb = version_parse (b);
	return pa && pb && classes_comparable (pa, pb);
}

/* ---- Debian -------------------------------------------------------------- */

char *
vulnd_version_from_debian (const char *debver)
{
	if (debver == NULL)
		return NULL;
	g_autofree char *v = g_strstrip (g_strdup (debver));
	if (*v == '\0')
		return NULL;

	/* Epoch: digits and a colon in front. */
	const char *start = v;
	const char *colon = strchr (v, ':');
	if (colon && colon > v) {
		const char *p = v;
		while (g_ascii_isdigit (*p))
			p++;
		if (p == colon)
			start = colon + 1;
	}
	/* Revision: after the last hyphen (upstream may contain hyphens). */
	g_autofree char *up = g_strdup (start);
	char *hyphen = strrchr (up, '-');
	if (hyphen && hyphen > up)
		*hyphen = '\0';
	/* "+really" names the version actually packaged. */
	const char *really = g_strrstr (up, "+really");
	if (really && really[7] != '\0') {
		char *r = g_strdup (really + 7);
		g_free (up);
		up = r;
	}
	/* Repacked tarballs are the same upstream version; "~rc1" is how
	 * Debian spells a pre-release. */
	static gsize once;
	static GRegex *repack, *tilde;

	/* compiled once: a package list compares thousands of versions */
	if (g_once_init_enter (&once)) {
		repack = g_regex_new ("[+~.](?:dfsg|ds|repack)[0-9.]*$", G_REGEX_CASELESS, 0, NULL);
		tilde = g_regex_new ("~(?=(?:alpha|a|beta|b|rc|c|pre|dev)[0-9.]*$)",
		                     G_REGEX_CASELESS, 0, NULL);
		g_assert (repack && tilde);
		g_once_init_leave (&once, 1);
	}
	g_autofree char *plain = g_regex_replace (repack, up, -1, 0, "", 0, NULL);
	if (plain == NULL)
		return NULL;
	char *res = g_regex_replace (tilde, plain, -1, 0, "", 0, NULL);
	if (res && *res == '\0')
		g_clear_pointer (&res, g_free);
	return res;
}

/* ---- ranges -------------------------------------------------------------- */

/* TRUE/FALSE, or -1 when the range cannot decide. */
typedef int Tri;

static const char *
range_string (JsonObject *range, const char *member)
{
	JsonNode *n = json_object_get_member (range, member);
	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
	    json_node_get_value_type (n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (n);
}

void
vulnd_range_from_json (JsonNode *node, VulndRange *range)
{
	memset (range, 0, sizeof *range);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
		return;
	JsonObject *o = json_node_get_object (node);
	range->flags = VULND_RANGE_OBJECT;
	range->introduced = range_string (o, "introduced");
	if (json_object_has_member (o, "fixed")) {
		range->flags |= VULND_RANGE_HAS_FIXED;
		range->fixed = range_string (o, "fixed");
	}
	if (json_object_has_member (o, "last_affected")) {
		range->flags |= VULND_RANGE_HAS_LAST;
		range->last_affected = range_string (o, "last_affected");
	}
	if (json_object_has_member (o, "introduced-exclusive") &&
	    json_object_get_boolean_member_with_default (o, "introduced-exclusive", FALSE))
		range->flags |= VULND_RANGE_EXCLUSIVE;
}

VulndRange *
vulnd_ranges_from_json (JsonArray *ranges, guint *n_out)
{
	guint n = ranges ? json_array_get_length (ranges) : 0;
	VulndRange *out = g_new (VulndRange, MAX (n, 1));

	for (guint i = 0; i < n; i++)
		vulnd_range_from_json (json_array_get_element (ranges, i), &out[i]);
	*n_out = n;
	return out;
}

static Tri
bound_compare (const Version *v, const char *bound, int *cmp)
{
	g_autoptr (Version) b = version_parse (bound);
	if (b == NULL || !classes_comparable (v, b))
		return -1;
	*cmp = class_compare (v, b);
	return TRUE;
}

static Tri
range_lower_ok (const VulndRange *range, const Version *v)
{
	const char *intro = range->introduced;
	if (intro == NULL)
		return -1;
	if (strcmp (intro, "0") == 0)
		return TRUE; /* "from the start", whatever the kind of version */
	int cmp;
	if (bound_compare (v, intro, &cmp) < 0)
		return -1;
	return range->flags & VULND_RANGE_EXCLUSIVE ? cmp > 0 : cmp >= 0;
}

static Tri
range_upper_ok (const VulndRange *range, const Version *v)
{
	gboolean has_fixed = (range->flags & VULND_RANGE_HAS_FIXED) != 0;
	gboolean has_last = (range->flags & VULND_RANGE_HAS_LAST) != 0;
	if (has_fixed && has_last)
		return -1;
	if (!has_fixed && !has_last)
		return TRUE;
	const char *bound = has_fixed ? range->fixed : range->last_affected;
	int cmp;
	if (bound == NULL || bound_compare (v, bound, &cmp) < 0)
		return -1;
	return has_fixed ? cmp < 0 : cmp <= 0;
}

static VulndMatch
range_match (const VulndRange *range, const Version *v)
{
	if (!(range->flags & VULND_RANGE_OBJECT))
		return VULND_MATCH_UNKNOWN;
	Tri lower = range_lower_ok (range, v);
	Tri upper = range_upper_ok (range, v);
	if (lower == FALSE || upper == FALSE)
		return VULND_MATCH_NOT_AFFECTED;
	if (lower == TRUE && upper == TRUE)
		return VULND_MATCH_AFFECTED;
	return VULND_MATCH_UNKNOWN;
}

VulndVersion *
vulnd_version_parse (const char *text)
{
	return version_parse (text);
}

void
vulnd_version_free (VulndVersion *version)
{
	version_free (version);
}

VulndMatch
vulnd_range_list_match (const VulndRange *ranges, guint n, const VulndVersion *v, int *matching)
{
	if (matching)
		*matching = -1;
	if (v == NULL || n == 0)
		return VULND_MATCH_UNKNOWN;

	gboolean undecided = FALSE;
	for (guint i = 0; i < n; i++) {
		VulndMatch m = range_match (&ranges[i], v);
		if (m == VULND_MATCH_AFFECTED) {
			if (matching)
				*matching = (int) i;
			return m;
		}
		if (m == VULND_MATCH_UNKNOWN)
			undecided = TRUE;
	}
	return undecided ? VULND_MATCH_UNKNOWN : VULND_MATCH_NOT_AFFECTED;
}

VulndMatch
vulnd_ranges_match (JsonArray *ranges, const char *version,
                    JsonObject **matching_range)
{
	guint n = 0;
	g_autofree VulndRange *list = vulnd_ranges_from_json (ranges, &n);
	int hit = -1;
	g_autoptr (Version) v = version_parse (version);
	VulndMatch m = vulnd_range_list_match (list, n, v, &hit);

	if (matching_range)
		*matching_range = hit >= 0 ? json_array_get_object_element (ranges, (guint) hit) : NULL;
	return m;
}

const char *
vulnd_match_to_string (VulndMatch m)
{
	switch (m) {
	case VULND_MATCH_AFFECTED:
		return "affected";
	case VULND_MATCH_NOT_AFFECTED:
		return "not-affected";
	case VULND_MATCH_UNKNOWN:
	default:
		return "unknown";
	}
}
