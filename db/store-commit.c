/* store-commit.c - everything one message changes, in one write transaction:
 * message-id, raw bytes, record + revision, indexes, summary, changes entry,
 * cursor.  Batches: many messages in one transaction, each all or nothing. */
#include "config.h"

#include <string.h>

#include "store-private.h"
#include "vulnd-db.h"

typedef struct {
	const VulndStoreMessage *msg;
	VulndStoreResult *result;
	const char *now;
	GPtrArray *ids; /* char*: advisories the message touched */
} CommitCtx;

void
vulnd_store_result_clear (VulndStoreResult *result)
{
	if (!result)
		return;
	g_clear_pointer (&result->events, g_ptr_array_unref);
	result->outcome = VULND_OUTCOME_IGNORED;
}

/* Members that say where and how a revision arrived, not what it says. */
static gboolean
is_provenance (const char *name)
{
	return strcmp (name, "source") == 0 || strcmp (name, "revision") == 0
	       || strcmp (name, "rejected") == 0 || strcmp (name, "warnings") == 0;
}

static JsonNode *
content_of (JsonObject *record)
{
	JsonObject *o = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);
	JsonObjectIter it;
	const char *name;
	JsonNode *member;

	json_object_iter_init (&it, record);
	while (json_object_iter_next (&it, &name, &member))
		if (!is_provenance (name))
			json_object_set_member (o, name, json_node_ref (member));
	json_node_take_object (node, o);
	return node;
}

static gboolean
same_content (JsonObject *a, JsonObject *b)
{
	g_autoptr (JsonNode) na = content_of (a);
	g_autoptr (JsonNode) nb = content_of (b);

	return json_node_equal (na, nb);
}

static gboolean
is_verified (JsonObject *record)
{
	const char *s = vulnd_record_signature_status (record);

	return s && strcmp (s, "verified") == 0;
}

/* The newest stored revision of ID (rejected ones included). */
static int
last_revision (VulndStore *store, MDB_txn *txn, const char *id, guint32 *rev,
               JsonObject **record)
{
	g_autoptr (GBytes) probe = vulnd_store_revision_key (id, G_MAXUINT32);
	gsize n = strlen (id) + 1, plen;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*rev = 0;
	*record = NULL;
	rc = mdb_cursor_open (txn, store->dbi[VULND_DB_REVISIONS], &cur);
	if (rc != 0)
		return rc;
	k.mv_data = (void *) g_bytes_get_data (probe, &plen);
	k.mv_size = plen;
	rc = mdb_cursor_get (cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && k.mv_size == plen && memcmp (k.mv_data, g_bytes_get_data (probe, NULL), plen) == 0)
		; /* revision 0xffffffff itself: take it */
	else if (rc == 0)
		rc = mdb_cursor_get (cur, &k, &v, MDB_PREV);
	else if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get (cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == n + 4 && memcmp (k.mv_data, id, n) == 0) {
		guint32 be;
		memcpy (&be, (char *) k.mv_data + n, 4);
		*rev = GUINT32_FROM_BE (be);
		*record = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
	}
	mdb_cursor_close (cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* LMDB refuses keys (and MDB_DUPSORT values) longer than its maximum key
 * size (511 bytes as built by Debian), failing the whole transaction; mail
 * can carry a Message-ID, a product name or a CVE id that long. */
static gboolean
key_fits (VulndStore *store, gsize len)
{
	return len > 0 && len <= (gsize) mdb_env_get_maxkeysize (store->env);
}

static int
put_dup (MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value)
{
	int rc = vulnd_store_put_str (txn, dbi, key, value, MDB_NODUPDATA);

	return rc == MDB_KEYEXIST ? 0 : rc;
}

static int
del_dup (MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value)
{
	MDB_val k = { strlen (key), (void *) key };
	MDB_val v = { value ? strlen (value) : 0, (void *) value };
	int rc = mdb_del (txn, dbi, &k, value ? &v : NULL);

	return rc == MDB_NOTFOUND ? 0 : rc;
}

static char *
date_key (JsonObject *record, const char *id)
{
	const char *date = vulnd_record_date (record);

	if (!date || strlen (date) < 10)
		date = "0000-00-00";
	return g_strdup_printf ("%.10s%s", date, id);
}

/* Add (ADD) or remove the index entries of RECORD. */
static int
update_indexes (VulndStore *store, MDB_txn *txn, JsonObject *record, gboolean add)
{
	const char *id = vulnd_record_id (record);
	g_auto (GStrv) cves = vulnd_record_cves (record);
	g_auto (GStrv) products = vulnd_record_products (record);
	g_autofree char *dk = date_key (record, id);
	int rc = 0;

	/* a name too long to be a key is junk nobody looks up: not indexed */
	for (char **c = cves; rc == 0 && *c; c++) {
		g_autofree char *up = g_ascii_strup (*c, -1);
		if (!key_fits (store, strlen (up)))
			continue;
		rc = add ? put_dup (txn, store->dbi[VULND_DB_BY_CVE], up, id)
		         : del_dup (txn, store->dbi[VULND_DB_BY_CVE], up, id);
	}
	for (char **p = products; rc == 0 && *p; p++) {
		if (!key_fits (store, strlen (*p)))
			continue;
		rc = add ? put_dup (txn, store->dbi[VULND_DB_BY_PRODUCT], *p, id)
		         : del_dup (txn, store->dbi[VULND_DB_BY_PRODUCT], *p, id);
	}
	if (rc == 0)
		rc = add ? vulnd_store_put_str (txn, store->dbi[VULND_DB_BY_DATE], dk, "", 0)
		         : del_dup (txn, store->dbi[VULND_DB_BY_DATE], dk, NULL);
	return rc;
}

static int
next_seq (VulndStore *store, MDB_txn *txn, guint64 *seq)
{
	int rc = vulnd_store_last_seq (store, txn, seq);

	*seq += 1;
	return rc;
}

static int
add_change (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, JsonObject *record,
            const char *event)
{
	g_autoptr (JsonObject) entry = json_object_new ();
	g_auto (GStrv) cves = vulnd_record_cves (record);
	JsonArray *arr = json_array_new ();
	const char *kind = vulnd_record_kind (record), *title = vulnd_record_title (record);
	guint64 seq, be;
	int rc = next_seq (store, txn, &seq);

	if (rc != 0) {
		json_array_unref (arr);
		return rc;
	}
	for (char **c = cves; *c; c++)
		json_array_add_string_element (arr, *c);
	json_object_set_int_member (entry, "seq", (gint64) seq);
	json_object_set_string_member (entry, "id", vulnd_record_id (record));
	json_object_set_int_member (entry, "revision", vulnd_record_revision (record));
	json_object_set_string_member (entry, "event", event);
	json_object_set_string_member (entry, "kind", kind ? kind : "");
	json_object_set_string_member (entry, "title", title ? title : "");
	json_object_set_array_member (entry, "cves", arr);
	json_object_set_boolean_member (entry, "verified", is_verified (record));
	json_object_set_string_member (entry, "time", ctx->now);
	be = GUINT64_TO_BE (seq);
	rc = vulnd_store_put_json (txn, store->dbi[VULND_DB_CHANGES], &be, 8, entry);
	if (rc == 0)
		g_ptr_array_add (ctx->result->events, json_object_ref (entry));
	return rc;
}

static int
put_revision (VulndStore *store, MDB_txn *txn, JsonObject *record, guint32 rev)
{
	g_autoptr (GBytes) key = vulnd_store_revision_key (vulnd_record_id (record), rev);
	gsize len;
	const void *data = g_bytes_get_data (key, &len);

	return vulnd_store_put_json (txn, store->dbi[VULND_DB_REVISIONS], data, len, record);
}

static JsonObject *
copy_record (JsonObject *record)
{
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
	g_autoptr (JsonNode) copy = NULL;

	json_node_set_object (node, record);
	copy = json_node_copy (node);
	return json_object_ref (json_node_get_object (copy));
}

static int
store_current (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, JsonObject *stored,
               JsonObject *current, VulndOutcome *outcome)
{
	const char *id = vulnd_record_id (stored);
	int rc = 0;

	if (current)
		rc = update_indexes (store, txn, current, FALSE);
	if (rc == 0)
		rc = vulnd_store_put_json (txn, store->dbi[VULND_DB_ADVISORIES], id, strlen (id), stored);
	if (rc == 0)
		rc = update_indexes (store, txn, stored, TRUE);
	if (rc == 0)
		rc = vulnd_store_put_summary (store, txn, stored);
	*outcome = current ? VULND_OUTCOME_UPDATED : VULND_OUTCOME_ADDED;
	if (rc == 0)
		rc = add_change (store, txn, ctx, stored, current ? "updated" : "added");
	if (rc == 0)
		rc = vulnd_store_mark_summaries (store, txn);
	return rc;
}

/* An older announcement arriving after a later one (a backfill reading an
 * erratum first): it goes into history at the number it announces when that
 * slot is free, and the current record stays as it is. */
static int
file_late_revision (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, JsonObject *record,
                    VulndOutcome *outcome)
{
	guint32 rev = (guint32) CLAMP (vulnd_record_revision (record), 1, G_MAXINT32);
	g_autoptr (GBytes) key = vulnd_store_revision_key (vulnd_record_id (record), rev);
	g_autoptr (JsonObject) stored = NULL;
	gsize len;
	const void *k = g_bytes_get_data (key, &len);
	MDB_val kv = { len, (void *) k }, v;

	*outcome = VULND_OUTCOME_UNCHANGED;
	g_ptr_array_add (ctx->ids, g_strdup (vulnd_record_id (record)));
	if (mdb_get (txn, store->dbi[VULND_DB_REVISIONS], &kv, &v) == 0)
		return 0;
	stored = copy_record (record);
	json_object_set_int_member (stored, "revision", rev);
	return put_revision (store, txn, stored, rev);
}

/* One record of the message: unchanged, rejected, added or updated. */
static int
apply_record (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, JsonObject *record,
              VulndOutcome *outcome)
{
	const char *id = vulnd_record_id (record);
	g_autoptr (JsonObject) latest = NULL;
	g_autoptr (JsonObject) current = NULL;
	g_autoptr (JsonObject) stored = NULL;
	guint32 last_rev = 0, rev;
	int rc;

	*outcome = VULND_OUTCOME_IGNORED;
	/* the revisions key is the id, a NUL and 4 bytes; by_date's has 10 more */
	if (!id || !key_fits (store, strlen (id) + 15))
		return 0;
	rc = last_revision (store, txn, id, &last_rev, &latest);
	if (rc != 0)
		return rc;
	if (latest && same_content (latest, record)) {
		*outcome = VULND_OUTCOME_UNCHANGED;
		g_ptr_array_add (ctx->ids, g_strdup (id));
		return 0;
	}
	current = vulnd_store_get_json (txn, store->dbi[VULND_DB_ADVISORIES], id, strlen (id));
	if (current && vulnd_record_revision (record) < vulnd_record_revision (current))
		return file_late_revision (store, txn, ctx, record, outcome);
	/* An erratum seen without its original keeps the number it announces. */
	rev = MAX (last_rev + 1, (guint32) CLAMP (vulnd_record_revision (record), 1, G_MAXINT32));
	stored = copy_record (record);
	json_object_set_int_member (stored, "revision", rev);
	g_ptr_array_add (ctx->ids, g_strdup (id));
	if (current && is_verified (current) && !is_verified (record)) {
		const char *st = vulnd_record_signature_status (record);
		g_autofree char *reason = g_strdup_printf (
			"signature %s: a revision that is not verified never replaces a verified one",
			st ? st : "missing");
		json_object_set_string_member (stored, "rejected", reason);
		*outcome = VULND_OUTCOME_REJECTED;
		return put_revision (store, txn, stored, rev);
	}
	rc = put_revision (store, txn, stored, rev);
	if (rc == 0)
		rc = store_current (store, txn, ctx, stored, current, outcome);
	return rc;
}

static int
outcome_rank (VulndOutcome o)
{
	switch (o) {
	case VULND_OUTCOME_ADDED: return 4;
	case VULND_OUTCOME_UPDATED: return 3;
	case VULND_OUTCOME_REJECTED: return 2;
	case VULND_OUTCOME_UNCHANGED: return 1;
	default: return 0;
	}
}

/* The messages-db key of NAME (a Message-ID, or Message-ID + sha256), hashed
 * when it would not fit LMDB's key size: still one key per name. */
static char *
fitting_key (VulndStore *store, const char *name)
{
	g_autofree char *hash = NULL;

	if (key_fits (store, strlen (name)))
		return g_strdup (name);
	hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
	return g_strconcat ("message-id-sha256:", hash, NULL);
}

static char *
message_key (VulndStore *store, const VulndStoreMessage *msg)
{
	if (!msg->message_id || !*msg->message_id)
		return g_strconcat ("sha256:", msg->sha256, NULL);
	return fitting_key (store, msg->message_id);
}

/* The stored sha256 of the messages entry under KEY; NULL when none. */
static char *
seen_sha256 (VulndStore *store, MDB_txn *txn, const char *key)
{
	g_autoptr (JsonObject) entry = vulnd_store_get_json (txn, store->dbi[VULND_DB_MESSAGES], key, strlen (key));
	const char *sha = entry ? json_object_get_string_member_with_default (entry, "sha256", NULL) : NULL;

	return entry ? g_strdup (sha ? sha : "") : NULL;
}

/* A Message-ID is no secret: a message that reuses one with other bytes
 * (a forgery sent first, or the same mail with another list's footer) is
 * processed, under the key Message-ID + sha256, instead of being dropped as
 * a duplicate; the record-level comparison keeps true copies "unchanged".
 * Returns the key to file the message under, or NULL for a duplicate. */
static char *
dedupe_key (VulndStore *store, MDB_txn *txn, const VulndStoreMessage *msg)
{
	g_autofree char *key = message_key (store, msg);
	g_autofree char *seen = seen_sha256 (store, txn, key);
	g_autofree char *name = NULL;
	g_autofree char *alt = NULL;
	g_autofree char *alt_seen = NULL;

	if (!seen || msg->reprocess)
		return g_steal_pointer (&key);
	if (g_str_equal (seen, msg->sha256) || g_str_has_prefix (key, "sha256:"))
		return NULL;
	name = g_strconcat (msg->message_id, " sha256:", msg->sha256, NULL);
	alt = fitting_key (store, name);
	alt_seen = seen_sha256 (store, txn, alt);
	return alt_seen ? NULL : g_steal_pointer (&alt);
}

static int
put_message_entry (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, const char *key,
                   VulndOutcome outcome)
{
	const VulndStoreMessage *msg = ctx->msg;
	g_autoptr (JsonObject) entry = json_object_new ();
	JsonArray *ids = json_array_new ();

	for (guint i = 0; i < ctx->ids->len; i++)
		json_array_add_string_element (ids, ctx->ids->pdata[i]);
	json_object_set_string_member (entry, "source", msg->source ? msg->source : "");
	json_object_set_string_member (entry, "cursor", msg->cursor ? msg->cursor : "");
	json_object_set_string_member (entry, "outcome", vulnd_outcome_to_string (outcome));
	json_object_set_array_member (entry, "ids", ids);
	if (msg->quarantine)
		json_object_set_string_member (entry, "reason", msg->quarantine);
	json_object_set_string_member (entry, "sha256", msg->sha256);
	json_object_set_string_member (entry, "time", ctx->now);
	return vulnd_store_put_json (txn, store->dbi[VULND_DB_MESSAGES], key, strlen (key), entry);
}

static int
put_raw (VulndStore *store, MDB_txn *txn, const VulndStoreMessage *msg)
{
	MDB_val k = { strlen (msg->sha256), (void *) msg->sha256 };
	MDB_val v = { msg->raw_len, (void *) msg->raw };
	int rc;

	if (!msg->raw)
		return 0;
	rc = mdb_put (txn, store->dbi[VULND_DB_RAW], &k, &v, MDB_NOOVERWRITE);
	return rc == MDB_KEYEXIST ? 0 : rc;
}

static int
bump_counter (VulndStore *store, MDB_txn *txn, VulndOutcome outcome)
{
	g_autofree char *key = g_strconcat ("count/", vulnd_outcome_to_string (outcome), NULL);
	g_autofree char *old = vulnd_store_get_str (txn, store->dbi[VULND_DB_STATE], key);
	guint64 n = old ? g_ascii_strtoull (old, NULL, 10) : 0;
	g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, n + 1);

	return vulnd_store_put_str (txn, store->dbi[VULND_DB_STATE], key, value, 0);
}

static int
apply_records (VulndStore *store, MDB_txn *txn, CommitCtx *ctx, VulndOutcome *overall)
{
	GPtrArray *records = ctx->msg->records;
	int rc = 0;

	*overall = VULND_OUTCOME_IGNORED;
	for (guint i = 0; rc == 0 && records && i < records->len; i++) {
		VulndOutcome o;
		rc = apply_record (store, txn, ctx, records->pdata[i], &o);
		if (rc == 0 && outcome_rank (o) > outcome_rank (*overall))
			*overall = o;
	}
	return rc;
}

static int
commit_txn (VulndStore *store, MDB_txn *txn, gpointer data, GError **error)
{
	CommitCtx *ctx = data;
	const VulndStoreMessage *msg = ctx->msg;
	g_autofree char *key = NULL;
	VulndOutcome outcome = VULND_OUTCOME_IGNORED;
	int rc = 0;
	(void) error;

	/* A retry after map growth starts over. */
	g_ptr_array_set_size (ctx->result->events, 0);
	g_ptr_array_set_size (ctx->ids, 0);
	key = dedupe_key (store, txn, msg);
	if (!key) {
		outcome = VULND_OUTCOME_DUPLICATE;
		goto cursor;
	}
	if (msg->quarantine)
		outcome = VULND_OUTCOME_QUARANTINED;
	else
		rc = apply_records (store, txn, ctx, &outcome);
	if (rc == 0 && outcome != VULND_OUTCOME_IGNORED)
		rc = put_raw (store, txn, msg);
	if (rc == 0)
		rc = put_message_entry (store, txn, ctx, key, outcome);
	if (rc == 0 && !msg->reprocess)
		rc = bump_counter (store, txn, outcome);
	if (rc == 0)
		rc = vulnd_store_put_str (txn, store->dbi[VULND_DB_STATE], "last-message", ctx->now, 0);
cursor:
	if (rc == 0 && msg->state_key && msg->state_value)
		rc = vulnd_store_put_str (txn, store->dbi[VULND_DB_STATE], msg->state_key,
		                          msg->state_value, 0);
	ctx->result->outcome = outcome;
	return rc;
}

static void
result_init (VulndStoreResult *result)
{
	if (!result->events)
		result->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

gboolean
vulnd_store_commit (VulndStore *store, const VulndStoreMessage *msg,
                    VulndStoreResult *result, GError **error)
{
	VulndStoreResult local = { 0 };
	g_autofree char *now = vulnd_store_now ();
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	CommitCtx ctx = { msg, result ? result : &local, now, ids };
	gboolean ok;

	g_return_val_if_fail (msg && msg->sha256, FALSE);
	result_init (ctx.result);
	ok = vulnd_store_write (store, commit_txn, &ctx, error);
	if (!ok)
		g_ptr_array_set_size (ctx.result->events, 0);
	vulnd_store_result_clear (&local);
	return ok;
}

/* ---- batches ------------------------------------------------------------ */

/* Flushed past this many bytes of raw mail kept for a replay. */
#define BATCH_MAX_REPLAY_BYTES ((gsize) 16 << 20)

/* A message the open transaction holds, as needed to apply it again.  The
 * messages of a batch are written straight into its transaction (a nested
 * transaction per message doubled the commit's instructions: LMDB
 * allocates 3 MiB for each and copies every page the message touches);
 * when one fails, or the map must grow (LMDB grows it only with no
 * transaction open), the transaction is aborted and the messages before
 * applied again in a new one.  Applied to the same database in the same
 * order with the same time, a message comes out the same, so the raw bytes
 * are kept only for the outcomes that store them. */
typedef struct {
	VulndStoreMessage msg; /* strings and raw owned, records referenced */
	char *now;
	VulndOutcome outcome;
} Replay;

struct _VulndStoreBatch {
	VulndStore *store;
	MDB_txn *txn;          /* NULL until the next message */
	GPtrArray *replay;     /* Replay*: the messages TXN holds, in order */
	gsize replay_bytes;
	guint max_messages;
	gint64 max_usec, began;
	gint64 now_sec;        /* NOW formatted, for this second */
	char *now;
};

static void
replay_free (Replay *r)
{
	g_free ((char *) r->msg.message_id);
	g_free ((char *) r->msg.sha256);
	g_free ((char *) r->msg.raw);
	g_free ((char *) r->msg.source);
	g_free ((char *) r->msg.cursor);
	g_clear_pointer (&r->msg.records, g_ptr_array_unref);
	g_free ((char *) r->msg.quarantine);
	g_free ((char *) r->msg.state_key);
	g_free ((char *) r->msg.state_value);
	g_free (r->now);
	g_free (r);
}

static gboolean
outcome_stores_raw (VulndOutcome outcome)
{
	return outcome != VULND_OUTCOME_IGNORED && outcome != VULND_OUTCOME_DUPLICATE;
}

static void
replay_add (VulndStoreBatch *b, const VulndStoreMessage *msg, const char *now,
            VulndOutcome outcome)
{
	Replay *r = g_new0 (Replay, 1);

	r->msg = (VulndStoreMessage) {
		.message_id = g_strdup (msg->message_id),
		.sha256 = g_strdup (msg->sha256),
		.source = g_strdup (msg->source),
		.cursor = g_strdup (msg->cursor),
		.records = msg->records ? g_ptr_array_ref (msg->records) : NULL,
		.quarantine = g_strdup (msg->quarantine),
		.state_key = g_strdup (msg->state_key),
		.state_value = g_strdup (msg->state_value),
		.reprocess = msg->reprocess,
	};
	if (msg->raw && outcome_stores_raw (outcome)) {
		r->msg.raw = g_memdup2 (msg->raw, msg->raw_len);
		r->msg.raw_len = msg->raw_len;
		b->replay_bytes += msg->raw_len;
	}
	r->now = g_strdup (now);
	r->outcome = outcome;
	g_ptr_array_add (b->replay, r);
}

VulndStoreBatch *
vulnd_store_batch_new (VulndStore *store, guint max_messages, guint max_msec)
{
	VulndStoreBatch *b = g_new0 (VulndStoreBatch, 1);

	b->store = store;
	b->replay = g_ptr_array_new_with_free_func ((GDestroyNotify) replay_free);
	b->max_messages = max_messages;
	b->max_usec = (gint64) max_msec * 1000;
	return b;
}

/* Drop the open transaction and the messages it holds. */
static void
batch_abort (VulndStoreBatch *b)
{
	if (b->txn)
		mdb_txn_abort (b->txn);
	b->txn = NULL;
	g_ptr_array_set_size (b->replay, 0);
	b->replay_bytes = 0;
}

void
vulnd_store_batch_free (VulndStoreBatch *batch)
{
	if (!batch)
		return;
	batch_abort (batch);
	g_ptr_array_unref (batch->replay);
	g_free (batch->now);
	g_free (batch);
}

guint
vulnd_store_batch_pending (VulndStoreBatch *batch)
{
	return batch->replay->len;
}

/* The "time" of the entries, formatted once a second, not per message. */
static const char *
batch_now (VulndStoreBatch *b)
{
	gint64 sec = g_get_real_time () / G_USEC_PER_SEC;

	if (!b->now || sec != b->now_sec) {
		g_free (b->now);
		b->now = vulnd_store_now ();
		b->now_sec = sec;
	}
	return b->now;
}

static int
apply (VulndStoreBatch *b, const VulndStoreMessage *msg, const char *now,
       VulndStoreResult *result)
{
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	CommitCtx ctx = { msg, result, now, ids };

	return commit_txn (b->store, b->txn, &ctx, NULL);
}

/* A new transaction with the messages of the last one applied again: 0, or
 * an LMDB error with no transaction open. */
static int
replay (VulndStoreBatch *b)
{
	int rc = vulnd_store_write_begin (b->store, &b->txn);

	if (rc != 0) {
		b->txn = NULL;
		return rc;
	}
	for (guint i = 0; rc == 0 && i < b->replay->len; i++) {
		Replay *r = b->replay->pdata[i];
		VulndStoreResult result = { 0 };

		result_init (&result);
		rc = apply (b, &r->msg, r->now, &result);
		/* cannot differ: the same messages on the same database */
		if (rc == 0 && result.outcome != r->outcome) {
			g_critical ("replayed message %s: %s, was %s", r->msg.sha256,
			            vulnd_outcome_to_string (result.outcome),
			            vulnd_outcome_to_string (r->outcome));
			rc = MDB_BAD_TXN;
		}
		vulnd_store_result_clear (&result);
	}
	if (rc != 0) {
		mdb_txn_abort (b->txn);
		b->txn = NULL;
	}
	return rc;
}

/* Abort the transaction (it holds a failed message's writes, or no room)
 * and apply its messages again in a new one, first growing the map when
 * GROW, and again whenever it fills. */
static int
rebuild (VulndStoreBatch *b, gboolean grow)
{
	int rc = MDB_MAP_FULL;

	if (b->txn)
		mdb_txn_abort (b->txn);
	b->txn = NULL;
	for (int attempt = 0; rc == MDB_MAP_FULL && attempt < 40; attempt++) {
		rc = grow || attempt > 0 ? vulnd_store_grow_map (b->store) : 0;
		if (rc == 0)
			rc = replay (b);
	}
	return rc;
}

/* Commit the transaction; when the commit finds the map full, grow it and
 * commit the messages again. */
static int
batch_commit (VulndStoreBatch *b)
{
	int rc = 0;

	for (int attempt = 0; b->txn && attempt < 40; attempt++) {
		rc = mdb_txn_commit (b->txn);
		b->txn = NULL;
		if (rc == MDB_MAP_FULL)
			rc = rebuild (b, TRUE);
		if (rc != 0)
			break;
	}
	if (rc == 0 && b->txn)
		rc = MDB_MAP_FULL;
	return rc;
}

static void
set_lost_error (GError **error, int rc, guint n)
{
	g_autofree char *what = g_strdup_printf ("writing a batch of %u messages "
	                                         "(none of them stored)", n);

	vulnd_store_set_error (error, rc, what);
}

gboolean
vulnd_store_batch_flush (VulndStoreBatch *batch, GError **error)
{
	guint n = batch->replay->len;
	int rc = batch_commit (batch);

	batch_abort (batch);
	if (rc != 0) {
		set_lost_error (error, rc, n);
		return FALSE;
	}
	return TRUE;
}

static gboolean
batch_full (VulndStoreBatch *b)
{
	return (b->max_messages && b->replay->len >= b->max_messages)
	       || b->replay_bytes >= BATCH_MAX_REPLAY_BYTES
	       || (b->max_usec && g_get_monotonic_time () - b->began >= b->max_usec);
}

/* MSG failed with RC and the transaction holds part of it: take it out
 * again.  0 when MSG is to be tried again (the transaction was full), RC
 * when MSG failed on its own, another error with the batch lost (*LOST). */
static int
undo_message (VulndStoreBatch *b, int rc, gboolean *lost)
{
	guint held = b->replay->len;
	int rrc = rebuild (b, rc == MDB_MAP_FULL);

	*lost = rrc != 0;
	if (rrc == 0 && rc == MDB_TXN_FULL && held > 0) {
		/* the others first, then MSG alone in a transaction of its own */
		rrc = batch_commit (b);
		*lost = rrc != 0;
		batch_abort (b);
	}
	if (rrc != 0)
		return rrc;
	return rc == MDB_MAP_FULL || (rc == MDB_TXN_FULL && held > 0) ? 0 : rc;
}

gboolean
vulnd_store_batch_add (VulndStoreBatch *batch, const VulndStoreMessage *msg,
                       VulndStoreResult *result, GError **error)
{
	VulndStoreResult local = { 0 };
	VulndStoreResult *res = result ? result : &local;
	const char *now = batch_now (batch);
	gboolean lost = FALSE;
	int rc = 0;

	g_return_val_if_fail (msg && msg->sha256, FALSE);
	if (!batch->store->writable) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
		             "%s is open read-only", batch->store->path);
		return FALSE;
	}
	result_init (res);
	for (int attempt = 0; attempt < 40; attempt++) {
		guint held = batch->replay->len;

		if (!batch->txn) {
			rc = vulnd_store_write_begin (batch->store, &batch->txn);
			if (rc != 0) {
				batch->txn = NULL;
				break;
			}
			batch->began = g_get_monotonic_time ();
		}
		rc = apply (batch, msg, now, res);
		if (rc == 0) {
			gboolean ok;

			replay_add (batch, msg, now, res->outcome);
			ok = !batch_full (batch) || vulnd_store_batch_flush (batch, error);
			if (!ok)
				g_ptr_array_set_size (res->events, 0);
			vulnd_store_result_clear (&local);
			return ok;
		}
		rc = undo_message (batch, rc, &lost);
		if (lost) {
			set_lost_error (error, rc, held);
			batch_abort (batch);
			goto fail;
		}
		if (rc != 0)
			break;
	}
	if (rc == 0)
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
		             "the database map could not grow enough");
	else
		vulnd_store_set_error (error, rc, "writing to the database");
fail:
	g_ptr_array_set_size (res->events, 0);
	vulnd_store_result_clear (&local);
	return FALSE;
}
