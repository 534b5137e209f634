/* vulnd-db.h - advisory records, version matching, and the LMDB store.
 *
 * A record is a JsonObject laid out as in shared/docs/record.md.  This
 * library never includes GMime: it knows records, not mail.
 */
#ifndef VULND_DB_H
#define VULND_DB_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- record.c ----------------------------------------------------------- */

/* Serialise a record (pretty: indented, for people; else one line). */
char *vulnd_record_to_json (JsonObject *record, gboolean pretty);
/* Parse one record; NULL with ERROR set when TEXT is not a JSON object. */
JsonObject *vulnd_record_from_json (const char *text, gssize len, GError **error);
/* Serialise an array of records as one JSON array. */
char *vulnd_records_to_json (GPtrArray *records, gboolean pretty);

/* Members of a JSON object by type: NULL when absent or of another type
 * (O may be NULL, so lookups chain). */
const char *vulnd_json_get_string (JsonObject *o, const char *name);
JsonArray *vulnd_json_get_array (JsonObject *o, const char *name);
JsonObject *vulnd_json_get_object (JsonObject *o, const char *name);

const char *vulnd_record_id (JsonObject *record);
const char *vulnd_record_kind (JsonObject *record);
const char *vulnd_record_title (JsonObject *record);
const char *vulnd_record_date (JsonObject *record);
gint64 vulnd_record_revision (JsonObject *record);
/* "verified", "unknown-key", "bad", "unsigned" (NULL when no source). */
const char *vulnd_record_signature_status (JsonObject *record);
/* CVE ids of the record (vulnerabilities[].cve-id), a NULL-terminated
 * vector the caller frees with g_strfreev. */
char **vulnd_record_cves (JsonObject *record);
/* Lower-case product names of affected-products[], NULL-terminated. */
char **vulnd_record_products (JsonObject *record);

/* A readable multi-line summary for terminals. */
char *vulnd_record_to_text (JsonObject *record);

G_END_DECLS

#endif
