/* version.h - version ordering, release series and range matching.
 *
 * Three kinds of version strings meet here:
 *
 *  - plain package versions, ordered as PEP 440 says: "1.2.0" < "1.10.0",
 *    "1.0.0.dev1" < "1.0.0a1" < "1.0.0b2" < "1.0.0rc1" < "1.0.0" <
 *    "1.0.0.post1", epochs "1!0.1" > "2.0", local parts "+git..." after the
 *    public version.  Components are compared as decimal strings, so any
 *    number of digits is fine.
 *
 *  - OpenStack date versions of 2010-2015 ("2013.2", "2014.1.3"): a release
 *    whose first component is a year from 2010 to 2015 and that has at least
 *    two components.  Projects left them for plain numbers with Liberty
 *    (Glance 2015.1.4 was followed by 11.0.0), so EVERY date version sorts
 *    below EVERY plain version: "2015.1.4" < "1.0" < "11.0.0".  Between
 *    themselves they follow PEP 440.
 *
 *  - release series, which are not package versions: a code name
 *    ("liberty", "Caracal") or a numbered series with exactly
 *    two components, the second 1 or 2 ("2023.1", "2024.2"), from 2023 on
 *    (numbered series began with Antelope).  Series order
 *    among themselves and against date versions by release date (Kilo's
 *    2015.1.x < "liberty" < "mitaka" < ... < "zed" < "2023.1").  A code name
 *    of the date era (Austin .. Kilo) simply IS its date series: "grizzly"
 *    means "2013.1".  A series and a plain version cannot be ordered (which
 *    Nova release is Caracal is not known here): vulnd_version_comparable()
 *    says FALSE and matching answers UNKNOWN.
 *
 * Ranges ("ranges" of a record's affected product, written by
 * ingest/extract/ranges.c) are JSON arrays of OSV-style event objects:
 *   {"introduced": V}                        V <= x
 *   {"introduced": V, "fixed": W}            V <= x < W
 *   {"introduced": V, "last_affected": W}    V <= x <= W
 * plus one member of ours, "introduced-exclusive": true, for "> V" ("after
 * V"): an OSV consumer ignoring it errs on the safe side by one version.
 * "introduced" "0" means "from the very first version".  Bounds may be plain
 * or date versions, or series values as vulnd_series_value() returns them:
 * a date-era series is its number ("2012.2"), Liberty .. Zed are their code
 * names ("liberty"), later ones their number ("2023.1").  A prose range
 * naming a whole series S (e.g. "Folsom") is encoded
 * {"introduced": S, "fixed": next series of S}.
 */
#ifndef VULND_VERSION_H
#define VULND_VERSION_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- release series ------------------------------------------------------ */

typedef struct {
	const char *name;   /* code name, lower case: "grizzly" */
	const char *series; /* "2013.1"; for Liberty .. Zed NULL (no number) */
	int rank;           /* year * 10 + half, nominal for Liberty .. Zed;
	                     * orders the series and the date versions */
} VulndSeries;

/* The whole table, oldest first; *n_out gets its length. */
const VulndSeries *vulnd_series_table (gsize *n_out);
/* Look up a code name (any case) or a series number ("2013.1",
 * "2023.1"); NULL when unknown. */
const VulndSeries *vulnd_series_lookup (const char *name_or_series);
/* The series released after S; NULL for the last one known. */
const VulndSeries *vulnd_series_next (const VulndSeries *s);
/* How a series is written in ranges: its number when it has one, else its
 * code name ("2012.2", "liberty", "2023.1"). */
const char *vulnd_series_value (const VulndSeries *s);

/* ---- versions ------------------------------------------------------------ */

/* TRUE for a PEP 440 version (optional leading "v"), a date version, a
 * code name or a numbered series. */
gboolean vulnd_version_valid (const char *v);

/* strcmp-like total order following the rules above.  Pairs that cannot be
 * ordered (a series and a plain version) get a fixed but meaningless order
 * (plain first), invalid strings sort first among themselves by strcmp:
 * check vulnd_version_comparable() before trusting the answer. */
int vulnd_version_compare (const char *a, const char *b);
/* TRUE when both are valid and their order means something. */
gboolean vulnd_version_comparable (const char *a, const char *b);

/* The upstream version inside a Debian version string as dpkg -l prints
 * it: "2:27.0.0-0ubuntu1" -> "27.0.0", "1.2.3+dfsg-1" -> "1.2.3",
 * "27.0.0~rc1-1" -> "27.0.0rc1", "2.0+really1.9-1" -> "1.9".  Free with
 * g_free; NULL for NULL or empty input. */
char *vulnd_version_from_debian (const char *debver);

/* ---- ranges -------------------------------------------------------------- */

typedef enum {
	VULND_MATCH_UNKNOWN = 0,   /* no ranges, unparsable ones, or a version
	                            * that cannot be placed: never "safe" */
	VULND_MATCH_NOT_AFFECTED,
	VULND_MATCH_AFFECTED,
} VulndMatch;

/* One element of a ranges array as the matcher reads it, so that ranges
 * kept in another form (the store's summaries) match exactly as their JSON
 * does.  Strings are borrowed, NULL when the member is absent or not a
 * string. */
typedef enum {
	VULND_RANGE_OBJECT = 1 << 0,        /* the element is an object at all */
	VULND_RANGE_HAS_FIXED = 1 << 1,     /* "fixed" is present (of any type) */
	VULND_RANGE_HAS_LAST = 1 << 2,      /* "last_affected" is present */
	VULND_RANGE_EXCLUSIVE = 1 << 3,     /* "introduced-exclusive": true */
} VulndRangeFlags;

typedef struct {
	guint flags; /* VulndRangeFlags */
	const char *introduced, *fixed, *last_affected;
} VulndRange;

/* RANGE read from NODE (any node; NULL reads as a non-object). */
void vulnd_range_from_json (JsonNode *node, VulndRange *range);
/* Every element of RANGES (NULL: none) as a VulndRange, borrowing its
 * strings: *n_out of them (free the array with g_free). */
VulndRange *vulnd_ranges_from_json (JsonArray *ranges, guint *n_out);

/* A version read once, for matching it against many ranges: NULL when
 * TEXT is not a version (vulnd_version_valid () says FALSE). */
typedef struct _VulndVersion VulndVersion;
VulndVersion *vulnd_version_parse (const char *text);
void vulnd_version_free (VulndVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndVersion, vulnd_version_free)

/* vulnd_ranges_match () on N ranges read by vulnd_range_from_json (), with
 * VERSION parsed (NULL: UNKNOWN); *matching (when not NULL) gets the index
 * of the range that contains VERSION, or -1. */
VulndMatch vulnd_range_list_match (const VulndRange *ranges, guint n,
                                   const VulndVersion *version, int *matching);

/* Whether VERSION falls into one of RANGES.  AFFECTED as soon as one range
 * contains it (*matching_range, when not NULL, then points to that range:
 * borrowed from RANGES, not a new reference); otherwise UNKNOWN if any range
 * could not be decided (or RANGES is NULL/empty, or VERSION invalid), else
 * NOT_AFFECTED. */
VulndMatch vulnd_ranges_match (JsonArray *ranges, const char *version,
                               JsonObject **matching_range);

/* "affected", "not-affected", "unknown". */
const char *vulnd_match_to_string (VulndMatch m);

G_END_DECLS

#endif
