/* test-store.c - the LMDB store: commit, dedupe, revisions, trust, growth,
 * schema and corruption checks.  Records are invented (CVE-2099-*). */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <string.h>

#include "store.h"
#include "vulnd-db.h"

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
remove_tree (const char *dir)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name (d))) {
		g_autofree char *p = g_build_filename (dir, name, NULL);
		g_unlink (p);
	}
	g_rmdir (dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	(void) data;
	g_clear_pointer (&f->store, vulnd_store_close);
	remove_tree (f->dir);
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
	g_test_add_func ("/store/map-growth", test_map_growth);
	g_test_add_func ("/store/missing", test_missing);
	return g_test_run ();
}
