/* test-malformed: regression tests for fixes found by tests/malformed.sh.
 *
 * A multipart advisory cut off inside its text part used to yield a record
 * built from the first third of the text (a version spec "<4.0.1" cut to
 * "<4." read as "fixed in 4"); it must be refused as malformed so that the
 * daemon and import quarantine it.  Cut-off mail that is no advisory stays
 * a plain "no records".
 *
 * A Message-ID, product name or CVE id longer than LMDB's maximum key size
 * (511 bytes) failed the whole commit with MDB_BAD_VALSIZE: the daemon
 * counted the message as failed and never stored it, an import stopped
 * there.  Such messages must be stored, deduplicated on a second copy. */
#include <string.h>

#include <glib/gstdio.h>

#include "store.h"
#include "vulnd-db.h"
#include "vulnd-ingest.h"

#define HEAD \
	"From: Invented Coordinator <vmt@example.org>\n" \
	"Subject: [OSSA-2099-801] Gizmo: Invented cut-off flaw (CVE-2099-8001)\n" \
	"Date: Tue, 03 Mar 2099 10:00:00 +0000\n" \
	"Message-ID: <cut-off@malformed.example.org>\n" \
	"MIME-Version: 1.0\n" \
	"Content-Type: multipart/mixed; boundary=\"cut\"\n\n" \
	"--cut\nContent-Type: text/plain; charset=utf-8\n\n"

#define TEXT \
	"=============================================================\n" \
	"OSSA-2099-801: Invented cut-off flaw\n" \
	"=============================================================\n\n" \
	":Date: March 03, 2099\n:CVE: CVE-2099-8001\n\n" \
	"Affects\n~~~~~~~\n- Gizmo: <4.0.1, >=5.0.0 <5.2.3\n\n" \
	"Description\n~~~~~~~~~~~\nA crafted request reveals another tenant's widgets.\n"

static GPtrArray *
ingest (const char *raw, GError **error)
{
	return vulnd_ingest_bytes (raw, strlen (raw), NULL, NULL, error);
}

static void
test_whole_multipart_advisory (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records = ingest (HEAD TEXT "--cut--\n", &error);

	g_assert_no_error (error);
	g_assert_nonnull (records);
	g_assert_cmpuint (records->len, ==, 1);
}

static void
test_truncated_advisory_refused (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records = NULL;
	g_autofree char *raw = g_strdup (HEAD TEXT);

	/* cut in the middle of the version spec, as a lost connection would */
	*strstr (raw, ".0.1, >=") = '\0';
	records = ingest (raw, &error);
	g_assert_null (records);
	g_assert_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_MALFORMED);
	g_assert_nonnull (strstr (error->message, "truncated"));
}

static void
test_truncated_chatter_ignored (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records =
		ingest ("Subject: lunch\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
		        "--b\nContent-Type: text/plain\n\nsee you at no", &error);

	g_assert_no_error (error);
	g_assert_nonnull (records);
	g_assert_cmpuint (records->len, ==, 0);
}

static void
test_truncated_mail_still_parses (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *raw = g_strdup (HEAD TEXT);
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (GPtrArray) records = NULL;

	*strstr (raw, "Description") = '\0';
	records = vulnd_ingest_bytes (raw, strlen (raw), NULL, &mail, &error);
	g_assert_null (records);
	/* the caller still gets the mail: its Message-ID keys the quarantine */
	g_assert_nonnull (mail);
	g_assert_cmpstr (mail->message_id, ==, "cut-off@malformed.example.org");
}

static JsonObject *
long_names_record (void)
{
	g_autofree char *product = g_strnfill (1500, 'z');
	g_autofree char *digits = g_strnfill (600, '7');
	g_autofree char *json = g_strdup_printf (
		"{\"schema\":1,\"kind\":\"ossa\",\"id\":\"OSSA-2099-802\",\"revision\":1,"
		"\"title\":\"Long keys\",\"date\":\"2099-03-03\","
		"\"affected-products\":[{\"product\":\"%s\",\"version\":\"<1.0\"}],"
		"\"vulnerabilities\":[{\"cve-id\":\"CVE-2099-%s\"}]}", product, digits);
	g_autoptr (GError) error = NULL;
	JsonObject *record = vulnd_record_from_json (json, -1, &error);

	g_assert_no_error (error);
	return record;
}

static VulndOutcome
commit_long (VulndStore *store, const char *message_id, GPtrArray *records)
{
	VulndStoreMessage msg = {
		.message_id = message_id, .sha256 = "00ff", .raw = "x", .raw_len = 1,
		.source = "test", .cursor = "1", .records = records,
	};
	VulndStoreResult result = { 0 };
	g_autoptr (GError) error = NULL;
	VulndOutcome outcome;

	g_assert_true (vulnd_store_commit (store, &msg, &result, &error));
	g_assert_no_error (error);
	outcome = result.outcome;
	vulnd_store_result_clear (&result);
	return outcome;
}

static void
test_keys_past_lmdb_limit (void)
{
	g_autofree char *dir = g_dir_make_tmp ("vulnd-malformed.XXXXXX", NULL);
	g_autofree char *message_id = g_strnfill (2000, 'm');
	g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) stored = NULL;
	VulndStore *store = vulnd_store_open (dir, TRUE, &error);

	g_assert_no_error (error);
	g_ptr_array_add (records, long_names_record ());
	g_assert_cmpint (commit_long (store, message_id, records), ==, VULND_OUTCOME_ADDED);
	g_assert_cmpint (commit_long (store, message_id, records), ==, VULND_OUTCOME_DUPLICATE);
	stored = vulnd_store_get (store, "OSSA-2099-802", 0, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (vulnd_record_title (stored), ==, "Long keys");
	vulnd_store_close (store);
	for (const char *const *f = (const char *const[]) { "data.mdb", "lock.mdb", NULL }; *f; f++) {
		g_autofree char *path = g_build_filename (dir, *f, NULL);
		g_unlink (path);
	}
	g_rmdir (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/malformed/whole-multipart-advisory", test_whole_multipart_advisory);
	g_test_add_func ("/malformed/truncated-advisory-refused", test_truncated_advisory_refused);
	g_test_add_func ("/malformed/truncated-chatter-ignored", test_truncated_chatter_ignored);
	g_test_add_func ("/malformed/truncated-mail-still-parses", test_truncated_mail_still_parses);
	g_test_add_func ("/malformed/keys-past-lmdb-limit", test_keys_past_lmdb_limit);
	return g_test_run ();
}
