/* fuzz-parse.c - libFuzzer target for the whole path from raw bytes to
 * JSON records: GMime parse, armour and signature handling, text clean-up,
 * classification and OSSA/OSSN extraction (vulnd_ingest_bytes with the
 * empty keyring), then the serialisation every consumer sees.
 *
 * Beyond "no crash, no leak, no UBSan report", each input is held to the
 * contracts of vulnd-ingest.h and shared/docs/record.md: a failure comes
 * with an ingest error; the mail text is valid UTF-8; each record is a
 * "ossa"/"ossn" record with a canonical id and a revision >= 1, whose JSON
 * is valid UTF-8 and survives a parse/serialise round trip unchanged, whose
 * date is ISO 8601 and product names lower case, and whose store summary
 * (db/store-summary.c) says what the record says; mail without a record
 * is no announcement by the full parse either (check_screened). */
#include "config.h"

#include <dlfcn.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store-query.h"
#include "version.h"
#include "vulnd-db.h"
#include "vulnd-ingest.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GRegex *ossa_id;
static GRegex *ossn_id;
static GRegex *cve_id;
static GRegex *iso_date;

/* GLib criticals are programming errors in our code or a misuse of a
 * library: a finding, not noise. */
static void
quiet_log (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		abort ();
}

/* Checking a signature spawns gpg (through GMime and gpgme), which holds
 * the fuzzer to ~35 inputs a second.  What gpg says is gpg's business; ours
 * is what the parser does around it.  So, unless VULND_FUZZ_GPG=1 (and in
 * the make check replay, which runs real gpg), gpgme is pointed at an
 * engine that does not exist: every signature then takes the "could not be
 * checked" path, in microseconds.  gpgme is reached through GMime, whose
 * development headers are not installed: look it up at run time. */
#ifndef FUZZ_REPLAY
static void
disable_gpg (void)
{
	typedef unsigned int (*SetEngineInfo) (int protocol, const char *file, const char *home);
	SetEngineInfo set_engine_info;

	if (g_strcmp0 (g_getenv ("VULND_FUZZ_GPG"), "1") == 0)
		return;
	g_mime_init ();
	set_engine_info = (SetEngineInfo) dlsym (RTLD_DEFAULT, "gpgme_set_engine_info");
	/* 0: GPGME_PROTOCOL_OpenPGP */
	if (!set_engine_info || set_engine_info (0, "/nonexistent/vulnd-fuzz-gpg", NULL) != 0)
		g_printerr ("fuzz-parse: could not disable gpg; signed inputs will be slow\n");
}
#endif

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
#ifndef FUZZ_REPLAY
	disable_gpg ();
#endif
	ossa_id = g_regex_new ("^OSSA-[0-9]{4}-[0-9]{3,}$", 0, 0, NULL);
	ossn_id = g_regex_new ("^OSSN-[0-9]{4,}$", 0, 0, NULL);
	cve_id = g_regex_new ("^CVE-[0-9]{4}-[0-9]{4,}$", 0, 0, NULL);
	iso_date = g_regex_new ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", 0, 0, NULL);
	g_log_set_default_handler (quiet_log, NULL);
	return 0;
}

static void
check_json (JsonObject *record)
{
	g_autofree char *text = vulnd_record_to_json (record, FALSE);
	g_autofree char *again = NULL;
	g_autoptr (JsonObject) back = NULL;

	if (!text || !g_utf8_validate (text, -1, NULL))
		abort ();
	back = vulnd_record_from_json (text, -1, NULL);
	if (!back)
		abort ();
	again = vulnd_record_to_json (back, FALSE);
	if (strcmp (text, again) != 0)
		abort ();
}

static gboolean
same_string (const char *summary_field, const char *record_field)
{
	return strcmp (summary_field, record_field ? record_field : "") == 0;
}

static gboolean
same_ranges (const VulndSummary *s, guint i, JsonArray *ranges)
{
	guint n = 0, want_n = 0;
	g_autofree VulndRange *got = vulnd_summary_ranges (s, i, &n);
	g_autofree VulndRange *want = vulnd_ranges_from_json (ranges, &want_n);

	if (n != want_n)
		return FALSE;
	for (guint j = 0; j < n; j++)
		if (got[j].flags != want[j].flags
		    || g_strcmp0 (got[j].introduced, want[j].introduced) != 0
		    || g_strcmp0 (got[j].fixed, want[j].fixed) != 0
		    || g_strcmp0 (got[j].last_affected, want[j].last_affected) != 0)
			return FALSE;
	return TRUE;
}

/* The summary a store keeps of RECORD, packed and read back. */
static void
check_summary (JsonObject *record)
{
	g_autoptr (VulndSummary) s = vulnd_summary_new_from_record (record);
	g_auto (GStrv) cves = vulnd_summary_cves (s);
	g_auto (GStrv) want_cves = vulnd_record_cves (record);
	JsonArray *products = vulnd_json_get_array (record, "affected-products");
	guint n = 0;

	if (!same_string (vulnd_summary_id (s), vulnd_record_id (record))
	    || !same_string (vulnd_summary_kind (s), vulnd_record_kind (record))
	    || !same_string (vulnd_summary_date (s), vulnd_record_date (record))
	    || !same_string (vulnd_summary_title (s), vulnd_record_title (record))
	    || !same_string (vulnd_summary_signature (s), vulnd_record_signature_status (record))
	    || !g_strv_equal ((const char *const *) cves, (const char *const *) want_cves))
		abort ();
	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonNode *e = json_array_get_element (products, i);
		JsonObject *p = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
		const char *name = vulnd_json_get_string (p, "product"), *version = NULL;

		if (!name)
			continue;
		if (n >= vulnd_summary_n_products (s)
		    || !same_string (vulnd_summary_product (s, n, &version), name)
		    || !same_string (version, vulnd_json_get_string (p, "version"))
		    || !same_ranges (s, n, vulnd_json_get_array (p, "ranges")))
			abort ();
		n++;
	}
	if (n != vulnd_summary_n_products (s))
		abort ();
}

static void
check_record (JsonObject *record)
{
	const char *kind = vulnd_record_kind (record);
	const char *id = vulnd_record_id (record);
	g_auto (GStrv) cves = vulnd_record_cves (record);
	JsonArray *products = vulnd_json_get_array (record, "affected-products");
	g_autofree char *summary = NULL;

	if (!kind || !id)
		abort ();
	if (strcmp (kind, "ossa") == 0 ? !g_regex_match (ossa_id, id, 0, NULL)
	    : strcmp (kind, "ossn") == 0 ? !g_regex_match (ossn_id, id, 0, NULL) : TRUE)
		abort ();
	if (vulnd_record_revision (record) < 1)
		abort ();
	for (guint i = 0; cves && cves[i]; i++) {
		if (!g_regex_match (cve_id, cves[i], 0, NULL))
			abort ();
	}
	if (!vulnd_record_signature_status (record))
		abort ();
	/* record.md: ISO 8601 dates, lower-case product names */
	if (vulnd_record_date (record) && !g_regex_match (iso_date, vulnd_record_date (record), 0, NULL))
		abort ();
	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonNode *e = json_array_get_element (products, i);
		const char *name = JSON_NODE_HOLDS_OBJECT (e)
			? vulnd_json_get_string (json_node_get_object (e), "product") : NULL;

		if (!name || !*name)
			abort ();
		for (const char *p = name; *p; p++)
			if (g_ascii_isupper (*p))
				abort ();
	}
	summary = vulnd_record_to_text (record);
	if (!summary || !g_utf8_validate (summary, -1, NULL))
		abort ();
	check_json (record);
	check_summary (record);
}

/* Mail that yields no record was only screened (vulnd_mail_screen): the
 * full parse must agree that it is no announcement, whatever its
 * signature, and must see the same text.  (The empty keyring verifies
 * nothing, so only the text and headers can make them differ.) */
static void
check_screened (const uint8_t *data, size_t size, const VulndMail *screened)
{
	g_autoptr (VulndMail) full = vulnd_mail_parse ((const char *) data, size, NULL, NULL);
	g_autoptr (GPtrArray) records = NULL;

	if (!full || g_strcmp0 (full->text, screened->text) != 0
	    || g_strcmp0 (full->subject, screened->subject) != 0)
		abort ();
	records = vulnd_mail_records (full);
	if (records->len != 0)
		abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (GPtrArray) records = vulnd_ingest_bytes ((const char *) data, size, NULL, &mail, &error);
	g_autofree char *all = NULL;

	if (!records) {
		if (!error || error->domain != VULND_INGEST_ERROR)
			abort ();
		return 0;
	}
	if (error || !mail || !mail->text || !g_utf8_validate (mail->text, -1, NULL))
		abort ();
	if (records->len == 0)
		check_screened (data, size, mail);
	for (guint i = 0; i < records->len; i++)
		check_record (records->pdata[i]);
	all = vulnd_records_to_json (records, TRUE);
	if (!all || !g_utf8_validate (all, -1, NULL))
		abort ();
	return 0;
}
