/* export.h - exports of advisory records (JSON, CSV, OSV) and the package
 * lists `vulnctl check` reads (pip freeze, upper-constraints, dpkg -l).
 *
 * Everything here is a pure function over records (JsonObject* laid out as
 * in shared/docs/record.md): no LMDB, no global state.  The only I/O is
 * vulnd_export_osv_dir(), which writes the files it is asked to write.
 */
#ifndef VULND_EXPORT_H
#define VULND_EXPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "version.h"

G_BEGIN_DECLS

#define VULND_EXPORT_ERROR (vulnd_export_error_quark ())
GQuark vulnd_export_error_quark (void);

typedef enum {
	VULND_EXPORT_ERROR_INVALID,   /* a record without an id, a bad file name */
	VULND_EXPORT_ERROR_IO,        /* cannot create/write a file */
	VULND_EXPORT_ERROR_PARSE,     /* a package list with no package line at all */
} VulndExportError;

/* ---- JSON --------------------------------------------------------------- */

/* A JSON array of the records, as stored (pretty: indented). */
char *vulnd_export_json (GPtrArray *records, gboolean pretty);

/* ---- OSV (schema 1.6) --------------------------------------------------- */

#define VULND_OSV_SCHEMA_VERSION "1.6.0"
#define VULND_OSV_ECOSYSTEM "PyPI"

/* One OSV object for RECORD (NULL when the record has no id).
 *   id, modified (source.received or date, RFC 3339 UTC), published (date),
 *   aliases (CVE ids), summary (title), details (description or, for an
 *   OSSN, its summary), affected[] (package {ecosystem PyPI, name}, one
 *   ECOSYSTEM range per record range, events introduced then fixed or
 *   last_affected, so no range mixes the two as OSV forbids; no "ranges"
 *   but database_specific.ranges = "not understood" when the version text
 *   was not understood; database_specific.version = the published text), references [{type, url}], credits [{name, type
 *   FINDER}], database_specific {kind, revision, reviews, notes,
 *   signature, warnings, errata}. */
JsonObject *vulnd_record_to_osv (JsonObject *record);

/* Write DIR/ID.json for each record (DIR is created when missing).
 * Fails on the first record without a usable id or on any write error. */
gboolean vulnd_export_osv_dir (GPtrArray *records, const char *dir, GError **error);

/* ---- CSV (RFC 4180) ----------------------------------------------------- */

#define VULND_CSV_HEADER "id,kind,revision,date,title,product,version,ranges,cves,signature"

/* The whole CSV document (header first, CRLF line ends as RFC 4180 says):
 * one row per advisory and affected product; an advisory without products
 * gets one row with empty product/version/ranges.  cves are joined by
 * spaces. */
char *vulnd_export_csv (GPtrArray *records);

/* Append FIELD to OUT quoted as RFC 4180 requires (only when needed). */
void vulnd_csv_append_field (GString *out, const char *field);

/* Compact text for a ranges array: "<20.2.1; >=21.0.0 <21.2.1; ==22.0.0",
 * "<=2014.1.3" for last_affected, ">=0" (all versions) for an
 * introduced-only range; "" for an empty array. */
char *vulnd_ranges_to_text (JsonArray *ranges);
/* The text of one range, as in vulnd_ranges_to_text (). */
void vulnd_range_append_text (GString *out, const VulndRange *range);

/* ---- package lists (vulnctl check) -------------------------------------- */

typedef enum {
	VULND_PACKAGE_PIP,          /* name==version (pip freeze) */
	VULND_PACKAGE_CONSTRAINTS,  /* name===version[;markers] (upper-constraints) */
	VULND_PACKAGE_DPKG,         /* "ii  name  version  arch  description" */
	VULND_PACKAGE_PLAIN,        /* "name version" (dpkg-query -W, rpm -qa --qf) */
	VULND_PACKAGE_RPM,          /* name-version-release.arch (rpm -qa) */
	VULND_PACKAGE_PIP_JSON,     /* {"name": n, "version": v} (pip list --format=json) */
} VulndPackageFormat;

const char *vulnd_package_format_to_string (VulndPackageFormat format);

typedef struct {
	char *name;         /* product name, lower case (python3-nova -> nova) */
	char *package;      /* the name as written in the list */
	char *version;      /* upstream version (epoch, Debian/RPM release stripped) */
	char *raw_version;  /* the version as written */
	guint line;         /* 1-based line number (in JSON: element number) */
	char *raw;          /* the whole line, without its line end */
	VulndPackageFormat format;
} VulndPackage;

void vulnd_package_free (VulndPackage *package);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndPackage, vulnd_package_free)

/* Parse a package list: a JSON array (pip list --format=json), or lines
 * whose format is detected line by line, so a file may mix them.  Blank
 * lines, comments, pip options (-e, -r, --index-url ...), URLs and the
 * dpkg -l and pip list headers are skipped silently; any other line (or
 * array element) that is not a package is skipped and described in
 * SKIPPED (when not NULL: a new array of strings "line N: reason: text"
 * or "element N: reason: json", freed by the caller).
 * Returns VulndPackage* (free function set), possibly empty; NULL with
 * VULND_EXPORT_ERROR_PARSE when TEXT is not UTF-8, starts with "[" but is
 * no JSON array, or has non-blank, non-comment lines but not one package
 * among them. */
GPtrArray *vulnd_packages_parse (const char *text, GPtrArray **skipped, GError **error);

/* The upstream version in a Debian or RPM package version: epoch and
 * release dropped ("3:27.1.0-0ubuntu1" -> "27.1.0"), Debian's "~rc1" and
 * an RPM release's "0.1.0rc1" kept as a pre-release ("27.1.0rc1").  NULL
 * when nothing is left.  Newly allocated. */
char *vulnd_package_upstream_version (const char *package_version);

/* The product name a package name stands for (lower case, separators kept
 * as written; Debian names mapped: python3-nova, python-nova, nova-common,
 * nova-api -> nova; python3-novaclient -> python-novaclient;
 * openstack-dashboard -> horizon).  Newly allocated. */
char *vulnd_package_product (const char *package_name);

/* The advisory product names NAME may match, most specific first, e.g.
 * "python3-nova" -> {"nova", "python3-nova"}; "Oslo_Messaging" ->
 * {"oslo.messaging", "oslo-messaging"}.  NULL-terminated, g_strfreev. */
char **vulnd_product_candidates (const char *name);

/* TRUE when the advisory product ADVISORY_PRODUCT names the same project
 * as package/product NAME (case-insensitive, '_' '.' '-' equivalent,
 * Debian names mapped as above). */
gboolean vulnd_product_matches (const char *name, const char *advisory_product);
/* For matching one NAME against many products: its candidates as
 * comparison keys (free with g_strfreev), and vulnd_product_matches ()
 * with them. */
char **vulnd_product_match_keys (const char *name);
gboolean vulnd_product_matches_keys (char **keys, const char *advisory_product);

G_END_DECLS

#endif
