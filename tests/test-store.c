/* test-store.c - the LMDB store: commit, dedupe, revisions, trust, growth,
 * schema and corruption checks, summaries.  Records are invented
 * (CVE-2099-*). */
#include "config.h"

#include <glib/gstdio.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <string.h>

#include "store.h"
#include "store-query.h"
#include "vulnd-db.h"
#include "tests/test-util.h"

typedef struct {
	char *dir;
	VulndStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	(void) data;

	f->dir = g_dir_make_tmp ("test-store-XXXXXX", &error);
	g_assert_no_error (error);
	f->store = vulnd_store_open (f->dir, TRUE, &error);
	g_assert_no_error (error);
	g_assert_nonnull (f->store);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	(void) data;
	g_clear_pointer (&f->store, vulnd_store_close);
	test_remove_tree (f->dir);
	g_free (f->dir);
}

/* An invented record in the shape ingest produces. */
static JsonObject *
make_record (const char *id, const char *title, const char *cve, const char *status,
             const char *message_id)
{
	g_autofree char *json = g_strdup_printf (
		"{\"schema\":1,\"kind\":\"%s\",\"id\":\"%s\",\"revision\":1,"
		"\"title\":\"%s\",\"date\":\"2099-03-0%c\","
		"\"description\":\"A frobnication flaw lets a user read other tenants' widgets.\","
		"\"affected-products\":[{\"product\":\"Frobnicator\",\"version\":\"<3.0.1\","
		"\"ranges\":[{\"introduced\":\"0\",\"fixed\":\"3.0.1\"}]}],"
		"\"vulnerabilities\":[{\"cve-id\":\"%s\"}],"
		"\"source\":{\"message-id\":\"%s\",\"list\":\"announce\","
		"\"signature\":{\"status\":\"%s\"}}}",
		g_str_has_prefix (id, "OSSN") ? "ossn" : "ossa", id, title,
		id[strlen (id) - 1], cve, message_id, status);
	g_autoptr (GError) error = NULL;
	JsonObject *r = vulnd_record_from_json (json, -1, &error);

	g_assert_no_error (error);
	return r;
}

static char *
sha_of (const char *raw)
{
	return g_compute_checksum_for_string (G_CHECKSUM_SHA256, raw, -1);
}

/* Commit one message carrying RECORD (may be NULL: ignored mail). */
static VulndOutcome
commit (Fixture *f, const char *message_id, const char *raw, JsonObject *record,
        guint *n_events)
{
	g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	g_autofree char *sha = sha_of (raw);
	g_autoptr (GError) error = NULL;
	VulndStoreResult result = { 0 };
	VulndStoreMessage msg = {
		.message_id = message_id, .sha256 = sha, .raw = raw, .raw_len = strlen (raw),
		.source = "test", .cursor = raw, .records = records,
		.state_key = "test/cursor", .state_value = raw,
	};
	VulndOutcome outcome;

	if (record)
		g_ptr_array_add (records, record);
	g_assert_true (vulnd_store_commit (f->store, &msg, &result, &error));
	g_assert_no_error (error);
	outcome = result.outcome;
	if (n_events)
		*n_events = result.events->len;
	vulnd_store_result_clear (&result);
	return outcome;
}

static void
test_commit_and_read (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) got = NULL;
	g_autoptr (GPtrArray) list = NULL;
	g_autoptr (GPtrArray) changes = NULL;
	g_autofree char *cursor = NULL;
	VulndStoreFilter by_cve = { .cve = "cve-2099-0001" };
	VulndStoreFilter by_product = { .product = "FROBNICATOR", .text = "FROBNICATION" };
	VulndStoreFilter none = { .since = "2099-04-01" };
	guint n = 0;
	(void) data;

	g_assert_cmpint (commit (f, "a1@example.org", "raw one",
	                         make_record ("OSSA-2099-001", "Widget leak", "CVE-2099-0001",
	                                      "verified", "a1@example.org"), &n),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_cmpuint (n, ==, 1);
	g_assert_cmpint (commit (f, "x@example.org", "just chatter", NULL, NULL), ==,
	                 VULND_OUTCOME_IGNORED);

	got = vulnd_store_get (f->store, "OSSA-2099-001", 0, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (vulnd_record_title (got), ==, "Widget leak");
	g_assert_cmpint (vulnd_record_revision (got), ==, 1);

	list = vulnd_store_list (f->store, &by_cve, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (list->len, ==, 1);
	g_clear_pointer (&list, g_ptr_array_unref);
	list = vulnd_store_list (f->store, &by_product, &error);
	g_assert_cmpuint (list->len, ==, 1);
	g_clear_pointer (&list, g_ptr_array_unref);
	list = vulnd_store_list (f->store, &none, &error);
	g_assert_cmpuint (list->len, ==, 0);

	changes = vulnd_store_changes (f->store, 0, 0, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (changes->len, ==, 1);
	g_assert_cmpstr (json_object_get_string_member (changes->pdata[0], "event"), ==, "added");
	g_assert_cmpint (json_object_get_int_member (changes->pdata[0], "seq"), ==, 1);
	g_assert_true (json_object_get_boolean_member (changes->pdata[0], "verified"));

	/* The cursor rode in the same transaction as the last message. */
	cursor = vulnd_store_state_get (f->store, "test/cursor", &error);
	g_assert_cmpstr (cursor, ==, "just chatter");
	g_assert_null (vulnd_store_get (f->store, "OSSA-2099-999", 0, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND);
}

static void
test_dedupe (Fixture *f, gconstpointer data)
{
	VulndStoreStatus st;
	(void) data;

	g_assert_cmpint (commit (f, "m1@example.org", "body", NULL, NULL), ==, VULND_OUTCOME_IGNORED);
	g_assert_cmpint (commit (f, "m1@example.org", "body", NULL, NULL), ==,
	                 VULND_OUTCOME_DUPLICATE);
	/* The same Message-ID with other bytes is no copy: it is processed (a
	 * Message-ID is no secret), and filed once under Message-ID + sha256. */
	g_assert_cmpint (commit (f, "m1@example.org", "other body", NULL, NULL), ==,
	                 VULND_OUTCOME_IGNORED);
	g_assert_cmpint (commit (f, "m1@example.org", "other body", NULL, NULL), ==,
	                 VULND_OUTCOME_DUPLICATE);
	/* No Message-ID: the sha256 of the bytes is the key. */
	g_assert_cmpint (commit (f, NULL, "anonymous", NULL, NULL), ==, VULND_OUTCOME_IGNORED);
	g_assert_cmpint (commit (f, NULL, "anonymous", NULL, NULL), ==, VULND_OUTCOME_DUPLICATE);
	g_assert_cmpint (commit (f, NULL, "anonymous 2", NULL, NULL), ==, VULND_OUTCOME_IGNORED);
	g_assert_true (vulnd_store_status (f->store, &st, NULL));
	g_assert_cmpuint (st.messages, ==, 4);
	g_assert_cmpuint (st.ignored, ==, 4);
	vulnd_store_status_clear (&st);
}

static void
test_revisions_and_unchanged (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) history = NULL;
	g_autoptr (GPtrArray) changes = NULL;
	g_autoptr (JsonObject) first = NULL;
	g_autoptr (JsonObject) current = NULL;
	JsonObject *erratum;
	guint n = 9;
	(void) data;

	commit (f, "r1@example.org", "r1", make_record ("OSSA-2099-002", "Gadget overflow",
	        "CVE-2099-0002", "verified", "r1@example.org"), NULL);
	/* Same advisory through a second list with a new Message-ID. */
	g_assert_cmpint (commit (f, "r1-copy@example.org", "r1 copy",
	                         make_record ("OSSA-2099-002", "Gadget overflow", "CVE-2099-0002",
	                                      "verified", "r1-copy@example.org"), &n),
	                 ==, VULND_OUTCOME_UNCHANGED);
	g_assert_cmpuint (n, ==, 0);

	erratum = make_record ("OSSA-2099-002", "Gadget overflow", "CVE-2099-0003",
	                       "verified", "r2@example.org");
	json_object_set_int_member (erratum, "revision", 2);
	g_assert_cmpint (commit (f, "r2@example.org", "r2", erratum, &n), ==, VULND_OUTCOME_UPDATED);
	g_assert_cmpuint (n, ==, 1);

	history = vulnd_store_history (f->store, "OSSA-2099-002", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (history->len, ==, 2);
	first = vulnd_store_get (f->store, "OSSA-2099-002", 1, &error);
	g_assert_no_error (error);
	g_assert_cmpint (vulnd_record_revision (first), ==, 1);
	current = vulnd_store_get (f->store, "OSSA-2099-002", 0, &error);
	g_assert_cmpint (vulnd_record_revision (current), ==, 2);

	/* The CVE index follows the current revision. */
	{
		VulndStoreFilter old = { .cve = "CVE-2099-0002" }, now = { .cve = "CVE-2099-0003" };
		g_autoptr (GPtrArray) a = vulnd_store_list (f->store, &old, NULL);
		g_autoptr (GPtrArray) b = vulnd_store_list (f->store, &now, NULL);
		g_assert_cmpuint (a->len, ==, 0);
		g_assert_cmpuint (b->len, ==, 1);
	}
	changes = vulnd_store_changes (f->store, 1, 0, &error);
	g_assert_cmpuint (changes->len, ==, 1);
	g_assert_cmpstr (json_object_get_string_member (changes->pdata[0], "event"), ==, "updated");
	g_assert_cmpint (json_object_get_int_member (changes->pdata[0], "revision"), ==, 2);
}

static void
test_rejected_unverified (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) history = NULL;
	g_autoptr (JsonObject) current = NULL;
	guint n = 9;
	(void) data;

	commit (f, "v1@example.org", "v1", make_record ("OSSN-0999", "Sprocket note",
	        "CVE-2099-0010", "verified", "v1@example.org"), NULL);
	g_assert_cmpint (commit (f, "v2@example.org", "v2",
	                         make_record ("OSSN-0999", "Sprocket note, forged", "CVE-2099-0010",
	                                      "unknown-key", "v2@example.org"), &n),
	                 ==, VULND_OUTCOME_REJECTED);
	g_assert_cmpuint (n, ==, 0);
	current = vulnd_store_get (f->store, "OSSN-0999", 0, &error);
	g_assert_cmpstr (vulnd_record_title (current), ==, "Sprocket note");
	history = vulnd_store_history (f->store, "OSSN-0999", &error);
	g_assert_cmpuint (history->len, ==, 2);
	g_assert_true (json_object_has_member (history->pdata[1], "rejected"));
	/* An unsigned first announcement is stored, then a verified one wins. */
	commit (f, "u1@example.org", "u1", make_record ("OSSA-2099-004", "Cog leak",
	        "CVE-2099-0011", "unsigned", "u1@example.org"), NULL);
	g_assert_cmpint (commit (f, "u2@example.org", "u2",
	                         make_record ("OSSA-2099-004", "Cog leak (signed)", "CVE-2099-0011",
	                                      "verified", "u2@example.org"), NULL),
	                 ==, VULND_OUTCOME_UPDATED);
}

static void
test_quarantine (Fixture *f, gconstpointer data)
{
	g_autoptr (GPtrArray) q = NULL;
	g_autofree char *sha = sha_of ("garbage");
	VulndStoreMessage msg = { .sha256 = sha, .raw = "garbage", .raw_len = 7,
	                          .source = "test", .quarantine = "not a mail message" };
	VulndStoreResult result = { 0 };
	(void) data;

	g_assert_true (vulnd_store_commit (f->store, &msg, &result, NULL));
	g_assert_cmpint (result.outcome, ==, VULND_OUTCOME_QUARANTINED);
	vulnd_store_result_clear (&result);
	q = vulnd_store_quarantine (f->store, NULL);
	g_assert_cmpuint (q->len, ==, 1);
	g_assert_cmpstr (json_object_get_string_member (q->pdata[0], "reason"), ==,
	                 "not a mail message");
}

static void
test_map_growth (void)
{
	g_autoptr (GError) error = NULL;
	char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL); /* freed by tear_down */
	g_autoptr (VulndStore) reader = NULL;
	VulndStoreStatus st;
	Fixture f = { .dir = dir };

	g_setenv ("VULND_STORE_MAPSIZE", "65536", TRUE);
	f.store = vulnd_store_open (dir, TRUE, &error);
	g_unsetenv ("VULND_STORE_MAPSIZE");
	g_assert_no_error (error);
	reader = vulnd_store_open (dir, FALSE, &error);
	g_assert_no_error (error);
	for (int i = 0; i < 300; i++) {
		g_autofree char *id = g_strdup_printf ("OSSA-2098-%03d", i);
		g_autofree char *mid = g_strdup_printf ("grow-%d@example.org", i);
		g_autofree char *raw = g_strnfill (2000 + i, 'a' + i % 26);
		g_assert_cmpint (commit (&f, mid, raw, make_record (id, "Growth", "CVE-2099-0100",
		                 "verified", mid), NULL), ==, VULND_OUTCOME_ADDED);
	}
	g_assert_true (vulnd_store_status (f.store, &st, &error));
	g_assert_cmpuint (st.advisories, ==, 300);
	g_assert_cmpuint (st.map_size, >, 65536);
	vulnd_store_status_clear (&st);
	/* A reader opened before the growth picks the new size up. */
	g_assert_true (vulnd_store_status (reader, &st, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (st.advisories, ==, 300);
	vulnd_store_status_clear (&st);
	g_clear_pointer (&reader, vulnd_store_close);
	fixture_tear_down (&f, NULL);
}

/* ---- batches ------------------------------------------------------------ */

/* Add one message carrying RECORD (may be NULL) to BATCH; -1 when its commit
 * fails (STATE_KEY too long for LMDB makes it fail after its other writes). */
static int
batch_add (VulndStoreBatch *batch, const char *message_id, const char *raw,
           JsonObject *record, const char *state_key)
{
	g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	g_autofree char *sha = sha_of (raw);
	g_autoptr (GError) error = NULL;
	VulndStoreResult result = { 0 };
	VulndStoreMessage msg = {
		.message_id = message_id, .sha256 = sha, .raw = raw, .raw_len = strlen (raw),
		.source = "test", .cursor = raw, .records = records,
		.state_key = state_key, .state_value = state_key ? raw : NULL,
	};
	int outcome;

	if (record)
		g_ptr_array_add (records, record);
	if (!vulnd_store_batch_add (batch, &msg, &result, &error)) {
		g_assert_nonnull (error);
		g_assert_cmpuint (result.events->len, ==, 0);
		vulnd_store_result_clear (&result);
		return -1;
	}
	g_assert_no_error (error);
	outcome = result.outcome;
	vulnd_store_result_clear (&result);
	return outcome;
}

static gboolean
stored (VulndStore *store, const char *id)
{
	g_autoptr (JsonObject) r = vulnd_store_get (store, id, 0, NULL);

	return r != NULL;
}

static guint64
n_messages (VulndStore *store)
{
	VulndStoreStatus st;
	guint64 n;

	g_assert_true (vulnd_store_status (store, &st, NULL));
	n = st.messages;
	vulnd_store_status_clear (&st);
	return n;
}

/* One message of a batch fails after some of its writes: it leaves no
 * trace, and the batch's other messages, before and after it, commit. */
static void
test_batch_failed_message (Fixture *f, gconstpointer data)
{
	g_autoptr (VulndStoreBatch) batch = vulnd_store_batch_new (f->store, 0, 0);
	g_autofree char *long_key = g_strnfill (1000, 'k');
	g_autoptr (GPtrArray) changes = NULL;
	g_autoptr (GError) error = NULL;
	VulndStoreStatus st;
	(void) data;

	g_assert_cmpint (batch_add (batch, "b1@example.org", "raw b1",
	                            make_record ("OSSA-2099-101", "First", "CVE-2099-0101",
	                                         "verified", "b1@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_cmpint (batch_add (batch, "b2@example.org", "raw b2",
	                            make_record ("OSSA-2099-102", "Fails", "CVE-2099-0102",
	                                         "verified", "b2@example.org"), long_key),
	                 ==, -1);
	g_assert_cmpint (batch_add (batch, "b3@example.org", "raw b3",
	                            make_record ("OSSA-2099-103", "Third", "CVE-2099-0103",
	                                         "verified", "b3@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_cmpint (batch_add (batch, "b4@example.org", "chatter", NULL, NULL),
	                 ==, VULND_OUTCOME_IGNORED);
	g_assert_cmpuint (vulnd_store_batch_pending (batch), ==, 3);
	g_assert_true (vulnd_store_batch_flush (batch, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (vulnd_store_batch_pending (batch), ==, 0);

	g_assert_true (stored (f->store, "OSSA-2099-101"));
	g_assert_false (stored (f->store, "OSSA-2099-102"));
	g_assert_true (stored (f->store, "OSSA-2099-103"));
	/* its changes entry was taken back too: the seqs have no hole */
	changes = vulnd_store_changes (f->store, 0, 0, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (changes->len, ==, 2);
	g_assert_cmpstr (json_object_get_string_member (changes->pdata[1], "id"), ==, "OSSA-2099-103");
	g_assert_cmpint (json_object_get_int_member (changes->pdata[1], "seq"), ==, 2);
	g_assert_true (vulnd_store_status (f->store, &st, &error));
	g_assert_cmpuint (st.messages, ==, 3);
	g_assert_cmpuint (st.advisories, ==, 2);
	g_assert_cmpuint (st.ignored, ==, 1);
	vulnd_store_status_clear (&st);
	/* not even its dedupe key: the same message again is processed */
	g_assert_cmpint (batch_add (batch, "b2@example.org", "raw b2",
	                            make_record ("OSSA-2099-102", "Fails", "CVE-2099-0102",
	                                         "verified", "b2@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_true (vulnd_store_batch_flush (batch, &error));
	g_assert_true (stored (f->store, "OSSA-2099-102"));
}

/* Readers see a batch when it commits: every MAX_MESSAGES, at a flush, never
 * half of it; what a freed batch had not committed is dropped. */
static void
test_batch_visible_at_commit (Fixture *f, gconstpointer data)
{
	g_autoptr (VulndStore) reader = vulnd_store_open (f->dir, FALSE, NULL);
	g_autoptr (VulndStoreBatch) batch = vulnd_store_batch_new (f->store, 2, 0);
	g_autoptr (GError) error = NULL;
	(void) data;

	g_assert_nonnull (reader);
	g_assert_cmpint (batch_add (batch, "v1@example.org", "raw v1",
	                            make_record ("OSSA-2099-201", "One", "CVE-2099-0201",
	                                         "verified", "v1@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_false (stored (reader, "OSSA-2099-201"));
	g_assert_cmpuint (n_messages (reader), ==, 0);
	/* the second message fills the batch: it commits */
	g_assert_cmpint (batch_add (batch, "v2@example.org", "raw v2", NULL, NULL),
	                 ==, VULND_OUTCOME_IGNORED);
	g_assert_cmpuint (vulnd_store_batch_pending (batch), ==, 0);
	g_assert_true (stored (reader, "OSSA-2099-201"));
	g_assert_cmpuint (n_messages (reader), ==, 2);

	g_assert_cmpint (batch_add (batch, "v3@example.org", "raw v3",
	                            make_record ("OSSA-2099-203", "Three", "CVE-2099-0203",
	                                         "verified", "v3@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_assert_false (stored (reader, "OSSA-2099-203"));
	g_assert_true (vulnd_store_batch_flush (batch, &error));
	g_assert_no_error (error);
	g_assert_true (stored (reader, "OSSA-2099-203"));

	g_assert_cmpint (batch_add (batch, "v4@example.org", "raw v4",
	                            make_record ("OSSA-2099-204", "Four", "CVE-2099-0204",
	                                         "verified", "v4@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
	g_clear_pointer (&batch, vulnd_store_batch_free);
	g_assert_false (stored (f->store, "OSSA-2099-204"));
	g_assert_cmpuint (n_messages (reader), ==, 3);
	/* the writer goes on with single commits */
	g_assert_cmpint (commit (f, "v4@example.org", "raw v4",
	                         make_record ("OSSA-2099-204", "Four", "CVE-2099-0204",
	                                      "verified", "v4@example.org"), NULL),
	                 ==, VULND_OUTCOME_ADDED);
}

/* The same messages through a batch (on a map that must grow many times
 * meanwhile) and one transaction each: the same outcomes and changes. */
static void
test_batch_map_growth (void)
{
	g_autoptr (GError) error = NULL;
	char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL); /* freed by tear_down */
	Fixture f = { .dir = dir }, serial = { 0 };
	g_autoptr (VulndStoreBatch) batch = NULL;
	g_autoptr (GPtrArray) changes = NULL;
	g_autoptr (GPtrArray) serial_changes = NULL;
	VulndStoreStatus st;
	guint64 n_advisories;

	serial.dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
	serial.store = vulnd_store_open (serial.dir, TRUE, &error);
	g_assert_no_error (error);
	g_setenv ("VULND_STORE_MAPSIZE", "65536", TRUE);
	f.store = vulnd_store_open (dir, TRUE, &error);
	g_unsetenv ("VULND_STORE_MAPSIZE");
	g_assert_no_error (error);
	batch = vulnd_store_batch_new (f.store, 100, 0);
	for (int i = 0; i < 300; i++) {
		/* every 7th message again, every 5th advisory a second revision */
		int k = i % 7 == 6 ? i - 1 : i;
		g_autofree char *id = g_strdup_printf ("OSSA-2098-%03d", k % 5 == 4 ? k - 1 : k);
		g_autofree char *title = g_strdup_printf ("Growth %d", k);
		g_autofree char *mid = g_strdup_printf ("grow-%d@example.org", k);
		g_autofree char *raw = g_strnfill (2000 + k, 'a' + k % 26);
		int got = batch_add (batch, mid, raw, make_record (id, title, "CVE-2099-0100",
		                                                   "verified", mid), NULL);

		g_assert_cmpint (got, ==, commit (&serial, mid, raw, make_record (id, title,
		                 "CVE-2099-0100", "verified", mid), NULL));
	}
	g_assert_true (vulnd_store_batch_flush (batch, &error));
	g_assert_no_error (error);
	changes = vulnd_store_changes (f.store, 0, 0, &error);
	serial_changes = vulnd_store_changes (serial.store, 0, 0, &error);
	g_assert_cmpuint (changes->len, ==, serial_changes->len);
	for (guint i = 0; i < changes->len; i++) {
		g_assert_cmpint (json_object_get_int_member (changes->pdata[i], "seq"), ==, i + 1);
		g_assert_cmpstr (json_object_get_string_member (changes->pdata[i], "id"), ==,
		                 json_object_get_string_member (serial_changes->pdata[i], "id"));
		g_assert_cmpstr (json_object_get_string_member (changes->pdata[i], "event"), ==,
		                 json_object_get_string_member (serial_changes->pdata[i], "event"));
	}
	g_assert_true (vulnd_store_status (serial.store, &st, &error));
	n_advisories = st.advisories;
	vulnd_store_status_clear (&st);
	g_assert_true (vulnd_store_status (f.store, &st, &error));
	g_assert_cmpuint (st.map_size, >, 65536);
	g_assert_cmpuint (st.messages, ==, n_messages (serial.store));
	g_assert_cmpuint (st.advisories, ==, n_advisories);
	g_assert_cmpuint (n_advisories, >, 200);
	vulnd_store_status_clear (&st);
	g_clear_pointer (&batch, vulnd_store_batch_free);
	fixture_tear_down (&serial, NULL);
	fixture_tear_down (&f, NULL);
}

static void
test_schema_too_new (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	VulndStore *again;
	(void) data;

	g_assert_true (vulnd_store_state_set (f->store, "schema", "99", &error));
	g_clear_pointer (&f->store, vulnd_store_close);
	again = vulnd_store_open (f->dir, FALSE, &error);
	g_assert_null (again);
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_SCHEMA);
	g_assert_nonnull (strstr (error->message, "newer"));
	g_clear_error (&error);
	g_assert_null (vulnd_store_open (f->dir, TRUE, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_SCHEMA);
}

/* Overwrite the meta pages, or cut the file in half. */
static void
damage (const char *dir, gboolean truncate)
{
	g_autofree char *path = g_build_filename (dir, "data.mdb", NULL);
	g_autofree char *data = NULL;
	g_autoptr (GError) error = NULL;
	gsize len = 0;

	g_assert_true (g_file_get_contents (path, &data, &len, &error));
	if (truncate) {
		len /= 2;
	} else {
		memset (data, 0x5a, MIN (len, (gsize) 8192));
	}
	g_assert_true (g_file_set_contents (path, data, len, &error));
}

static void
fill_some (Fixture *f)
{
	for (int i = 0; i < 60; i++) {
		g_autofree char *id = g_strdup_printf ("OSSA-2097-%03d", i);
		g_autofree char *mid = g_strdup_printf ("fill-%d@example.org", i);
		g_autofree char *raw = g_strnfill (3000, 'a' + i % 26);
		commit (f, mid, raw, make_record (id, "Fill", "CVE-2099-0200", "verified", mid), NULL);
	}
	g_clear_pointer (&f->store, vulnd_store_close);
}

static void
test_corrupt (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	(void) data;

	fill_some (f);
	damage (f->dir, FALSE);
	g_assert_null (vulnd_store_open (f->dir, FALSE, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN);
	g_assert_nonnull (strstr (error->message, "data.mdb"));
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	(void) data;

	fill_some (f);
	damage (f->dir, TRUE);
	g_assert_null (vulnd_store_open (f->dir, FALSE, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN);
	g_assert_nonnull (strstr (error->message, "truncated"));
}

static void
test_missing (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
	g_autofree char *nowhere = g_build_filename (dir, "nowhere", NULL);

	g_assert_null (vulnd_store_open (nowhere, FALSE, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN);
	g_clear_error (&error);
	g_assert_null (vulnd_store_open (dir, FALSE, &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN);
	g_assert_nonnull (strstr (error->message, "no vulnd database"));
	g_rmdir (dir);
}

static void
test_group_writable (Fixture *f, gconstpointer data)
{
	g_autofree char *lock = g_build_filename (f->dir, "lock.mdb", NULL);
	g_autofree char *db = g_build_filename (f->dir, "data.mdb", NULL);
	GStatBuf st;
	(void) data;

	g_assert_cmpint (g_stat (lock, &st), ==, 0);
	g_assert_cmpint (st.st_mode & 0660, ==, 0660);
	g_assert_cmpint (g_stat (db, &st), ==, 0);
	g_assert_cmpint (st.st_mode & 0660, ==, 0660);
}

/* ---- summaries ------------------------------------------------------------ */

/* The summary's ranges of product I are what the matcher reads of
 * RANGES, range by range. */
static void
assert_ranges_match (VulndSummary *s, guint i, JsonArray *ranges)
{
	guint n = 0, want_n = 0;
	g_autofree VulndRange *got = vulnd_summary_ranges (s, i, &n);
	g_autofree VulndRange *want = vulnd_ranges_from_json (ranges, &want_n);

	g_assert_cmpuint (n, ==, want_n);
	for (guint j = 0; j < n; j++) {
		g_assert_cmpuint (got[j].flags, ==, want[j].flags);
		g_assert_cmpstr (got[j].introduced, ==, want[j].introduced);
		g_assert_cmpstr (got[j].fixed, ==, want[j].fixed);
		g_assert_cmpstr (got[j].last_affected, ==, want[j].last_affected);
	}
}

static const char *
or_empty (const char *s)
{
	return s ? s : "";
}

/* The summary says what the full record says, member by member. */
static void
assert_summary_matches (VulndSummary *s, JsonObject *r)
{
	g_auto (GStrv) scves = vulnd_summary_cves (s);
	g_auto (GStrv) rcves = vulnd_record_cves (r);
	JsonArray *all = vulnd_json_get_array (r, "affected-products");
	g_autoptr (GPtrArray) products = g_ptr_array_new ();
	guint n;

	/* the entries `affected` can match: objects naming a product */
	for (guint i = 0; all && i < json_array_get_length (all); i++) {
		JsonNode *e = json_array_get_element (all, i);
		if (JSON_NODE_HOLDS_OBJECT (e)
		    && vulnd_json_get_string (json_node_get_object (e), "product"))
			g_ptr_array_add (products, json_node_get_object (e));
	}
	n = products->len;

	g_assert_cmpstr (vulnd_summary_id (s), ==, vulnd_record_id (r));
	g_assert_cmpstr (vulnd_summary_kind (s), ==, or_empty (vulnd_record_kind (r)));
	g_assert_cmpstr (vulnd_summary_date (s), ==, or_empty (vulnd_record_date (r)));
	g_assert_cmpstr (vulnd_summary_title (s), ==, or_empty (vulnd_record_title (r)));
	g_assert_cmpstr (vulnd_summary_signature (s), ==, or_empty (vulnd_record_signature_status (r)));
	g_assert_true (g_strv_equal ((const char *const *) scves, (const char *const *) rcves));
	g_assert_cmpuint (vulnd_summary_n_products (s), ==, n);
	for (guint i = 0; i < n; i++) {
		JsonObject *p = products->pdata[i];
		const char *version = NULL;

		g_assert_cmpstr (vulnd_summary_product (s, i, &version), ==,
		                 vulnd_json_get_string (p, "product"));
		g_assert_cmpstr (version, ==, or_empty (vulnd_json_get_string (p, "version")));
		assert_ranges_match (s, i, vulnd_json_get_array (p, "ranges"));
	}
}

static void
assert_summary_of_current (VulndStore *store, const char *id)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) r = vulnd_store_get (store, id, 0, &error);
	g_autoptr (VulndSummary) s = NULL;

	g_assert_no_error (error);
	s = vulnd_store_get_summary (store, id, &error);
	g_assert_no_error (error);
	assert_summary_matches (s, r);
}

/* list_summaries selects and orders as list does, for FILTER. */
static void
assert_lists_agree (VulndStore *store, const VulndStoreFilter *filter)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records = vulnd_store_list (store, filter, &error);
	g_autoptr (GPtrArray) summaries = NULL;

	g_assert_no_error (error);
	summaries = vulnd_store_list_summaries (store, filter, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (summaries->len, ==, records->len);
	for (guint i = 0; i < records->len; i++)
		assert_summary_matches (summaries->pdata[i], records->pdata[i]);
}

static JsonObject *
make_rich_record (const char *id, const char *title, const char *date)
{
	g_autofree char *json = g_strdup_printf (
		"{\"schema\":1,\"kind\":\"ossa\",\"id\":\"%s\",\"revision\":1,\"title\":\"%s\","
		"\"date\":\"%s\",\"description\":\"Invented.\","
		"\"affected-products\":[{\"product\":\"Gizmo\",\"version\":\"<2.1.0, >=3.0.0 <3.0.4\","
		"\"ranges\":[{\"introduced\":\"0\",\"fixed\":\"2.1.0\"},"
		"{\"introduced\":\"3.0.0\",\"fixed\":\"3.0.4\"},"
		/* what the matcher reads of odd ranges is kept too */
		"{\"introduced\":\"4.0\",\"introduced-exclusive\":true,\"last_affected\":\"4.2\"},"
		"{\"introduced\":\"5.0\",\"fixed\":5},\"not a range\"]},"
		"{\"product\":\"python-gizmoclient\",\"version\":\"all versions\"},"
		"\"not an object\",{\"version\":\"no product name\"}],"
		"\"vulnerabilities\":[{\"cve-id\":\"CVE-2099-0301\"},{\"cve-id\":\"CVE-2099-0302\"}],"
		"\"source\":{\"message-id\":\"rich@example.org\",\"signature\":{\"status\":\"verified\"}}}",
		id, title, date);
	g_autoptr (GError) error = NULL;
	JsonObject *r = vulnd_record_from_json (json, -1, &error);

	g_assert_no_error (error);
	return r;
}

static void
test_summary_written (Fixture *f, gconstpointer data)
{
	g_autoptr (VulndSummary) s = NULL;
	g_autoptr (JsonObject) rich = make_rich_record ("OSSA-2099-030", "Gizmo leak", "2099-05-01");
	g_autoptr (GError) error = NULL;
	g_autofree VulndRange *ranges = NULL, *none = NULL;
	guint n_ranges = 0, n_none = 1;
	(void) data;

	g_assert_true (vulnd_store_has_summaries (f->store));
	commit (f, "s1@example.org", "s1", json_object_ref (rich), NULL);
	commit (f, "s2@example.org", "s2", make_record ("OSSN-0930", "Doohickey note",
	        "CVE-2099-0303", "unsigned", "s2@example.org"), NULL);
	/* every commit keeps them current */
	g_assert_true (vulnd_store_has_summaries (f->store));
	assert_summary_of_current (f->store, "OSSA-2099-030");
	assert_summary_of_current (f->store, "OSSN-0930");
	s = vulnd_store_get_summary (f->store, "OSSA-2099-030", &error);
	g_assert_cmpuint (vulnd_summary_n_products (s), ==, 2);
	g_assert_cmpstr (vulnd_summary_product (s, 1, NULL), ==, "python-gizmoclient");
	none = vulnd_summary_ranges (s, 1, &n_none);
	g_assert_cmpuint (n_none, ==, 0);
	ranges = vulnd_summary_ranges (s, 0, &n_ranges);
	g_assert_cmpuint (n_ranges, ==, 5);
	g_assert_cmpstr (ranges[1].fixed, ==, "3.0.4");
	g_assert_cmpuint (ranges[2].flags, ==, VULND_RANGE_OBJECT | VULND_RANGE_HAS_LAST
	                                       | VULND_RANGE_EXCLUSIVE);
	g_assert_cmpstr (ranges[2].last_affected, ==, "4.2");
	g_assert_cmpuint (ranges[3].flags, ==, VULND_RANGE_OBJECT | VULND_RANGE_HAS_FIXED);
	g_assert_null (ranges[3].fixed);
	g_assert_cmpuint (ranges[4].flags, ==, 0);
	g_assert_true (vulnd_summary_has_product (s, "GIZMO"));
	g_assert_false (vulnd_summary_has_product (s, "giz"));
	g_assert_true (vulnd_summary_has_cve (s, "cve-2099-0302"));
	g_assert_null (vulnd_store_get_summary (f->store, "OSSA-2099-031", &error));
	g_assert_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND);
	{
		VulndStoreFilter all = { 0 }, ossn = { .kind = "OSSN" }, cve = { .cve = "cve-2099-0301" };
		VulndStoreFilter gizmo = { .product = "gizmo", .since = "2099-05" };
		VulndStoreFilter text = { .text = "DOOHICKEY" }, late = { .until = "2099-04-30" };
		g_autoptr (GPtrArray) one = vulnd_store_list_summaries (f->store, &text, NULL);

		assert_lists_agree (f->store, &all);
		assert_lists_agree (f->store, &ossn);
		assert_lists_agree (f->store, &cve);
		assert_lists_agree (f->store, &gizmo);
		assert_lists_agree (f->store, &text);
		assert_lists_agree (f->store, &late);
		g_assert_cmpuint (one->len, ==, 1);
	}
}

static void
test_summary_follows_revisions (Fixture *f, gconstpointer data)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndSummary) s = NULL;
	JsonObject *erratum, *forged;
	(void) data;

	commit (f, "e1@example.org", "e1", make_rich_record ("OSSA-2099-040", "Widget flaw",
	        "2099-06-01"), NULL);
	erratum = make_rich_record ("OSSA-2099-040", "Widget flaw (erratum)", "2099-06-02");
	json_object_set_int_member (erratum, "revision", 2);
	json_array_remove_element (json_object_get_array_member (erratum, "affected-products"), 0);
	g_assert_cmpint (commit (f, "e2@example.org", "e2", erratum, NULL), ==,
	                 VULND_OUTCOME_UPDATED);
	assert_summary_of_current (f->store, "OSSA-2099-040");
	s = vulnd_store_get_summary (f->store, "OSSA-2099-040", &error);
	g_assert_cmpstr (vulnd_summary_title (s), ==, "Widget flaw (erratum)");
	g_assert_false (vulnd_summary_has_product (s, "gizmo"));
	g_clear_pointer (&s, vulnd_summary_free);

	/* a rejected revision changes neither the record nor its summary */
	forged = make_rich_record ("OSSA-2099-040", "Widget flaw (forged)", "2099-06-03");
	json_object_set_int_member (forged, "revision", 3);
	json_object_set_string_member (json_object_get_object_member (
		json_object_get_object_member (forged, "source"), "signature"), "status", "bad");
	g_assert_cmpint (commit (f, "e3@example.org", "e3", forged, NULL), ==,
	                 VULND_OUTCOME_REJECTED);
	g_assert_true (vulnd_store_has_summaries (f->store));
	s = vulnd_store_get_summary (f->store, "OSSA-2099-040", &error);
	g_assert_cmpstr (vulnd_summary_title (s), ==, "Widget flaw (erratum)");
	assert_summary_of_current (f->store, "OSSA-2099-040");
}

/* What a vulnd from before summaries leaves: no summaries table and no
 * marker.  DROP_TABLE FALSE: the table stays but the marker is behind (an
 * older vulnd added a changes entry). */
static void
make_pre_summary (const char *dir, gboolean drop_table)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { strlen ("summaries"), (void *) "summaries" };

	g_assert_cmpint (mdb_env_create (&env), ==, 0);
	mdb_env_set_maxdbs (env, 16);
	g_assert_cmpint (mdb_env_open (env, dir, MDB_NOTLS, 0660), ==, 0);
	g_assert_cmpint (mdb_txn_begin (env, NULL, 0, &txn), ==, 0);
	if (drop_table) {
		g_assert_cmpint (mdb_dbi_open (txn, "summaries", 0, &dbi), ==, 0);
		g_assert_cmpint (mdb_drop (txn, dbi, 1), ==, 0);
		g_assert_cmpint (mdb_dbi_open (txn, "state", 0, &dbi), ==, 0);
		g_assert_cmpint (mdb_del (txn, dbi, &k, NULL), ==, 0);
	} else {
		guint64 be = GUINT64_TO_BE (G_GUINT64_CONSTANT (1000));
		MDB_val ck = { 8, &be }, cv = { 2, (void *) "{}" };

		g_assert_cmpint (mdb_dbi_open (txn, "changes", 0, &dbi), ==, 0);
		g_assert_cmpint (mdb_put (txn, dbi, &ck, &cv, 0), ==, 0);
	}
	g_assert_cmpint (mdb_txn_commit (txn), ==, 0);
	mdb_env_close (env);
}

static void
check_backfill (Fixture *f, gboolean drop_table)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndStore) reader = NULL;
	VulndStoreFilter all = { 0 }, gizmo = { .product = "Gizmo" };

	for (int i = 0; i < 5; i++) {
		g_autofree char *id = g_strdup_printf ("OSSA-2099-05%d", i);
		g_autofree char *mid = g_strdup_printf ("b%d@example.org", i);
		g_autofree char *date = g_strdup_printf ("2099-07-0%d", 5 - i);
		commit (f, mid, mid, make_rich_record (id, "Backfilled", date), NULL);
	}
	g_clear_pointer (&f->store, vulnd_store_close);
	make_pre_summary (f->dir, drop_table);

	/* readers do not write: they answer from the full records */
	reader = vulnd_store_open (f->dir, FALSE, &error);
	g_assert_no_error (error);
	g_assert_false (vulnd_store_has_summaries (reader));
	assert_lists_agree (reader, &all);
	assert_lists_agree (reader, &gizmo);
	assert_summary_of_current (reader, "OSSA-2099-053");

	/* the writer builds them at open, in one transaction */
	f->store = vulnd_store_open (f->dir, TRUE, &error);
	g_assert_no_error (error);
	g_assert_true (vulnd_store_has_summaries (f->store));
	/* a reader opened before the table existed keeps reading records */
	g_assert_true (vulnd_store_has_summaries (reader) == !drop_table);
	assert_lists_agree (reader, &all);
	g_clear_pointer (&reader, vulnd_store_close);
	reader = vulnd_store_open (f->dir, FALSE, &error);
	g_assert_no_error (error);
	g_assert_true (vulnd_store_has_summaries (reader));
	assert_lists_agree (reader, &all);
	assert_lists_agree (f->store, &gizmo);
	for (int i = 0; i < 5; i++) {
		g_autofree char *id = g_strdup_printf ("OSSA-2099-05%d", i);
		assert_summary_of_current (f->store, id);
	}
}

/* Replace the stored summary of ID in the closed store at DIR with LEN
 * bytes of DATA. */
static void
put_raw_summary (const char *dir, const char *id, const void *data, gsize len)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { strlen (id), (void *) id }, v = { len, (void *) data };

	g_assert_cmpint (mdb_env_create (&env), ==, 0);
	mdb_env_set_maxdbs (env, 16);
	g_assert_cmpint (mdb_env_open (env, dir, MDB_NOTLS, 0660), ==, 0);
	g_assert_cmpint (mdb_txn_begin (env, NULL, 0, &txn), ==, 0);
	g_assert_cmpint (mdb_dbi_open (txn, "summaries", 0, &dbi), ==, 0);
	g_assert_cmpint (mdb_put (txn, dbi, &k, &v, 0), ==, 0);
	g_assert_cmpint (mdb_txn_commit (txn), ==, 0);
	mdb_env_close (env);
}

static GBytes *
get_raw_summary (const char *dir, const char *id)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { strlen (id), (void *) id }, v;
	GBytes *out;

	g_assert_cmpint (mdb_env_create (&env), ==, 0);
	mdb_env_set_maxdbs (env, 16);
	g_assert_cmpint (mdb_env_open (env, dir, MDB_NOTLS | MDB_RDONLY, 0660), ==, 0);
	g_assert_cmpint (mdb_txn_begin (env, NULL, MDB_RDONLY, &txn), ==, 0);
	g_assert_cmpint (mdb_dbi_open (txn, "summaries", 0, &dbi), ==, 0);
	g_assert_cmpint (mdb_get (txn, dbi, &k, &v), ==, 0);
	out = g_bytes_new (v.mv_data, v.mv_size);
	mdb_txn_abort (txn);
	mdb_env_close (env);
	return out;
}

/* A summary cut short anywhere, or with a byte that is not UTF-8, is not
 * used: readers answer from the full record, never from part of it. */
static void
test_summary_damaged (Fixture *f, gconstpointer data)
{
	g_autoptr (JsonObject) rich = make_rich_record ("OSSA-2099-060", "Damaged", "2099-08-01");
	g_autoptr (GBytes) whole = NULL;
	const guint8 *bytes;
	gsize len, checked = 0;
	(void) data;

	commit (f, "d1@example.org", "d1", json_object_ref (rich), NULL);
	g_clear_pointer (&f->store, vulnd_store_close);
	whole = get_raw_summary (f->dir, "OSSA-2099-060");
	bytes = g_bytes_get_data (whole, &len);
	g_assert_cmpuint (len, >, 100);
	for (gsize cut = 0; cut <= len + 1; cut++) {
		g_autofree guint8 *copy = g_memdup2 (bytes, len);
		g_autoptr (VulndStore) reader = NULL;
		g_autoptr (VulndSummary) s = NULL;
		g_autoptr (GError) error = NULL;

		if (cut < len)
			put_raw_summary (f->dir, "OSSA-2099-060", copy, cut);
		else if (cut == len)
			put_raw_summary (f->dir, "OSSA-2099-060", copy, len);
		else {
			copy[len / 2] = 0xfe; /* never in UTF-8 */
			put_raw_summary (f->dir, "OSSA-2099-060", copy, len);
		}
		reader = vulnd_store_open (f->dir, FALSE, &error);
		g_assert_no_error (error);
		g_assert_true (vulnd_store_has_summaries (reader));
		s = vulnd_store_get_summary (reader, "OSSA-2099-060", &error);
		g_assert_no_error (error);
		assert_summary_matches (s, rich);
		checked++;
	}
	g_assert_cmpuint (checked, ==, len + 2);
}

static void
test_summary_backfill (Fixture *f, gconstpointer data)
{
	(void) data;
	check_backfill (f, TRUE);
}

static void
test_summary_stale (Fixture *f, gconstpointer data)
{
	(void) data;
	check_backfill (f, FALSE);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	/* The store's files must be group-writable whatever the umask. */
	umask (077);
#define ADD(name, fn) g_test_add ("/store/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD ("commit-and-read", test_commit_and_read);
	ADD ("dedupe", test_dedupe);
	ADD ("revisions-and-unchanged", test_revisions_and_unchanged);
	ADD ("rejected-unverified", test_rejected_unverified);
	ADD ("quarantine", test_quarantine);
	ADD ("schema-too-new", test_schema_too_new);
	ADD ("corrupt", test_corrupt);
	ADD ("truncated", test_truncated);
	ADD ("group-writable", test_group_writable);
	ADD ("summary-written", test_summary_written);
	ADD ("summary-follows-revisions", test_summary_follows_revisions);
	ADD ("summary-damaged", test_summary_damaged);
	ADD ("summary-backfill", test_summary_backfill);
	ADD ("summary-stale", test_summary_stale);
	ADD ("batch/failed-message", test_batch_failed_message);
	ADD ("batch/visible-at-commit", test_batch_visible_at_commit);
	g_test_add_func ("/store/map-growth", test_map_growth);
	g_test_add_func ("/store/batch/map-growth", test_batch_map_growth);
	g_test_add_func ("/store/missing", test_missing);
	return g_test_run ();
}
