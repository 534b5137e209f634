/* store-read.c - queries: one short read transaction each, never held
 * across a wait, so the writer's pages are freed quickly. */
#include "config.h"

#include <string.h>

#include "store-private.h"
#include "store-query.h"
#include "vulnd-db.h"

static gboolean
begin_read (VulndStore *store, MDB_txn **txn, GError **error)
{
	int rc = vulnd_store_read_begin (store, txn);

	if (rc != 0) {
		vulnd_store_set_error (error, rc, "reading the database");
		return FALSE;
	}
	return TRUE;
}

static GPtrArray *
new_object_array (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

JsonObject *
vulnd_store_get (VulndStore *store, const char *id, guint revision, GError **error)
{
	MDB_txn *txn;
	JsonObject *record;

	if (!begin_read (store, &txn, error))
		return NULL;
	if (revision == 0) {
		record = vulnd_store_get_json (txn, store->dbi[VULND_DB_ADVISORIES], id, strlen (id));
	} else {
		g_autoptr (GBytes) key = vulnd_store_revision_key (id, revision);
		gsize len;
		const void *k = g_bytes_get_data (key, &len);
		record = vulnd_store_get_json (txn, store->dbi[VULND_DB_REVISIONS], k, len);
	}
	mdb_txn_abort (txn);
	if (!record) {
		if (revision)
			g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND,
			             "%s has no revision %u", id, revision);
		else
			g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND,
			             "no advisory %s", id);
	}
	return record;
}

GPtrArray *
vulnd_store_history (VulndStore *store, const char *id, GError **error)
{
	g_autoptr (GBytes) start = vulnd_store_revision_key (id, 0);
	gsize n = strlen (id) + 1, slen;
	GPtrArray *out = new_object_array ();
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (!begin_read (store, &txn, error))
		goto fail;
	rc = mdb_cursor_open (txn, store->dbi[VULND_DB_REVISIONS], &cur);
	if (rc != 0) {
		mdb_txn_abort (txn);
		vulnd_store_set_error (error, rc, "reading revisions");
		goto fail;
	}
	k.mv_data = (void *) g_bytes_get_data (start, &slen);
	k.mv_size = slen;
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size == n + 4 && memcmp (k.mv_data, id, n) == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		JsonObject *r = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
		if (r)
			g_ptr_array_add (out, r);
	}
	mdb_cursor_close (cur);
	mdb_txn_abort (txn);
	if (out->len == 0) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND,
		             "no advisory %s", id);
		goto fail;
	}
	return out;
fail:
	g_ptr_array_unref (out);
	return NULL;
}

/* Ids under KEY of a DUPSORT index. */
static void
collect_dups (MDB_txn *txn, MDB_dbi dbi, const char *key, GPtrArray *ids)
{
	MDB_cursor *cur;
	MDB_val k = { strlen (key), (void *) key }, v;
	int rc;

	if (mdb_cursor_open (txn, dbi, &cur) != 0)
		return;
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_SET_KEY); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT_DUP))
		g_ptr_array_add (ids, g_strndup (v.mv_data, v.mv_size));
	mdb_cursor_close (cur);
}

/* Ids in date order, from by_date, within [since, until]. */
static void
collect_by_date (MDB_txn *txn, MDB_dbi dbi, const VulndStoreFilter *f, GPtrArray *ids)
{
	const char *since = f && f->since ? f->since : "";
	MDB_cursor *cur;
	MDB_val k = { strlen (since), (void *) since }, v;
	int rc;

	if (mdb_cursor_open (txn, dbi, &cur) != 0)
		return;
	rc = *since ? mdb_cursor_get (cur, &k, &v, MDB_SET_RANGE)
	            : mdb_cursor_get (cur, &k, &v, MDB_FIRST);
	for (; rc == 0; rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= 10)
			continue;
		if (f && f->until && strncmp (k.mv_data, f->until, 10) > 0)
			break;
		g_ptr_array_add (ids, g_strndup ((char *) k.mv_data + 10, k.mv_size - 10));
	}
	mdb_cursor_close (cur);
}

static gboolean
contains_casefold (const char *hay, const char *needle_folded)
{
	g_autofree char *h = hay ? g_utf8_casefold (hay, -1) : NULL;

	return h && strstr (h, needle_folded) != NULL;
}

static gboolean
has_product (JsonObject *record, const char *product)
{
	g_auto (GStrv) products = vulnd_record_products (record);
	g_autofree char *want = g_ascii_strdown (product, -1);

	return g_strv_contains ((const char *const *) products, want);
}

static gboolean
has_cve (JsonObject *record, const char *cve)
{
	g_auto (GStrv) cves = vulnd_record_cves (record);

	for (char **c = cves; *c; c++)
		if (g_ascii_strcasecmp (*c, cve) == 0)
			return TRUE;
	return FALSE;
}

static gboolean
matches (JsonObject *r, const VulndStoreFilter *f, const char *text_folded)
{
	const char *date = vulnd_record_date (r);
	const char *kind = vulnd_record_kind (r);

	if (!f)
		return TRUE;
	if (f->kind && (!kind || g_ascii_strcasecmp (kind, f->kind) != 0))
		return FALSE;
	if (f->product && !has_product (r, f->product))
		return FALSE;
	if (f->cve && !has_cve (r, f->cve))
		return FALSE;
	if (f->since && (!date || strcmp (date, f->since) < 0))
		return FALSE;
	if (f->until && (!date || strncmp (date, f->until, 10) > 0))
		return FALSE;
	if (text_folded
	    && !contains_casefold (vulnd_record_title (r), text_folded)
	    && !contains_casefold (json_object_get_string_member_with_default (r, "description", NULL),
	                           text_folded))
		return FALSE;
	return TRUE;
}

static int
compare_by_date (gconstpointer a, gconstpointer b)
{
	JsonObject *ra = *(JsonObject **) a, *rb = *(JsonObject **) b;
	const char *da = vulnd_record_date (ra), *db = vulnd_record_date (rb);
	int c = g_strcmp0 (da ? da : "", db ? db : "");

	return c ? c : g_strcmp0 (vulnd_record_id (ra), vulnd_record_id (rb));
}

/* The current records of IDS (each once) that FILTER accepts, by date. */
static GPtrArray *
load_records (VulndStore *store, MDB_txn *txn, GPtrArray *ids, const VulndStoreFilter *filter)
{
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autofree char *text = filter && filter->text ? g_utf8_casefold (filter->text, -1) : NULL;
	GPtrArray *out = new_object_array ();

	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		JsonObject *r;

		if (!g_hash_table_add (seen, (gpointer) id))
			continue;
		r = vulnd_store_get_json (txn, store->dbi[VULND_DB_ADVISORIES], id, strlen (id));
		if (r && matches (r, filter, text))
			g_ptr_array_add (out, r);
		else if (r)
			json_object_unref (r);
	}
	g_ptr_array_sort (out, compare_by_date);
	return out;
}

/* The candidates for FILTER: narrowed with an index when it names one. */
static void
collect_ids (VulndStore *store, MDB_txn *txn, const VulndStoreFilter *filter, GPtrArray *ids)
{
	if (filter && filter->cve) {
		g_autofree char *up = g_ascii_strup (filter->cve, -1);
		collect_dups (txn, store->dbi[VULND_DB_BY_CVE], up, ids);
	} else if (filter && filter->product) {
		g_autofree char *low = g_ascii_strdown (filter->product, -1);
		collect_dups (txn, store->dbi[VULND_DB_BY_PRODUCT], low, ids);
	} else {
		collect_by_date (txn, store->dbi[VULND_DB_BY_DATE], filter, ids);
	}
}

GPtrArray *
vulnd_store_list (VulndStore *store, const VulndStoreFilter *filter, GError **error)
{
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *out;
	MDB_txn *txn;

	if (!begin_read (store, &txn, error))
		return NULL;
	collect_ids (store, txn, filter, ids);
	out = load_records (store, txn, ids, filter);
	mdb_txn_abort (txn);
	return out;
}

/* ---- summaries ------------------------------------------------------------ */

/* matches () for what a summary holds: everything but the text. */
static gboolean
summary_matches (const VulndSummary *s, const VulndStoreFilter *f)
{
	const char *date = vulnd_summary_date (s);

	if (!f)
		return TRUE;
	if (f->kind && g_ascii_strcasecmp (vulnd_summary_kind (s), f->kind) != 0)
		return FALSE;
	if (f->product && !vulnd_summary_has_product (s, f->product))
		return FALSE;
	if (f->cve && !vulnd_summary_has_cve (s, f->cve))
		return FALSE;
	if (f->since && (!*date || strcmp (date, f->since) < 0))
		return FALSE;
	if (f->until && (!*date || strncmp (date, f->until, 10) > 0))
		return FALSE;
	return TRUE;
}

/* The summary of ID if FILTER accepts it.  From the summaries when USE
 * says they are current; from the full record for a text filter (the
 * description is not summarised) or when the summary is missing. */
static VulndSummary *
load_summary (VulndStore *store, MDB_txn *txn, const char *id, gboolean use,
              const VulndStoreFilter *filter, const char *text_folded)
{
	g_autoptr (VulndSummary) s = NULL;
	g_autoptr (JsonObject) r = NULL;

	if (use && !text_folded)
		s = vulnd_store_get_summary_txn (store, txn, id);
	if (s)
		return summary_matches (s, filter) ? g_steal_pointer (&s) : NULL;
	r = vulnd_store_get_json (txn, store->dbi[VULND_DB_ADVISORIES], id, strlen (id));
	if (!r || !matches (r, filter, text_folded))
		return NULL;
	return vulnd_summary_new_from_record (r);
}

static int
compare_summaries (gconstpointer a, gconstpointer b)
{
	const VulndSummary *sa = *(VulndSummary **) a, *sb = *(VulndSummary **) b;
	int c = strcmp (vulnd_summary_date (sa), vulnd_summary_date (sb));

	return c ? c : strcmp (vulnd_summary_id (sa), vulnd_summary_id (sb));
}

/* load_records () as summaries. */
static GPtrArray *
load_summaries (VulndStore *store, MDB_txn *txn, GPtrArray *ids, const VulndStoreFilter *filter)
{
	g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	g_autofree char *text = filter && filter->text ? g_utf8_casefold (filter->text, -1) : NULL;
	gboolean use = vulnd_store_summaries_current (store, txn);
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) vulnd_summary_free);

	for (guint i = 0; i < ids->len; i++) {
		const char *id = ids->pdata[i];
		VulndSummary *s;

		if (!g_hash_table_add (seen, (gpointer) id))
			continue;
		s = load_summary (store, txn, id, use, filter, text);
		if (s)
			g_ptr_array_add (out, s);
	}
	g_ptr_array_sort (out, compare_summaries);
	return out;
}

GPtrArray *
vulnd_store_list_summaries (VulndStore *store, const VulndStoreFilter *filter, GError **error)
{
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *out;
	MDB_txn *txn;

	if (!begin_read (store, &txn, error))
		return NULL;
	collect_ids (store, txn, filter, ids);
	out = load_summaries (store, txn, ids, filter);
	mdb_txn_abort (txn);
	return out;
}

VulndSummary *
vulnd_store_get_summary (VulndStore *store, const char *id, GError **error)
{
	VulndSummary *s;
	MDB_txn *txn;

	if (!begin_read (store, &txn, error))
		return NULL;
	s = load_summary (store, txn, id, vulnd_store_summaries_current (store, txn), NULL, NULL);
	mdb_txn_abort (txn);
	if (!s)
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND,
		             "no advisory %s", id);
	return s;
}

gboolean
vulnd_store_has_summaries (VulndStore *store)
{
	MDB_txn *txn;
	gboolean current;

	if (vulnd_store_read_begin (store, &txn) != 0)
		return FALSE;
	current = vulnd_store_summaries_current (store, txn);
	mdb_txn_abort (txn);
	return current;
}

/* Ids under every by_product key MATCH accepts: one pass over the distinct
 * keys (a few hundred products), no record parsed. */
static int
collect_matching_products (MDB_txn *txn, MDB_dbi dbi, VulndStoreKeyMatchFn match,
                           gpointer user_data, GPtrArray *ids)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open (txn, dbi, &cur);

	if (rc != 0)
		return rc;
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT_NODUP)) {
		g_autofree char *key = g_strndup (k.mv_data, k.mv_size);

		if (!match (key, user_data))
			continue;
		do
			g_ptr_array_add (ids, g_strndup (v.mv_data, v.mv_size));
		while (mdb_cursor_get (cur, &k, &v, MDB_NEXT_DUP) == 0);
	}
	mdb_cursor_close (cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

typedef GPtrArray *(*LoadFn) (VulndStore *store, MDB_txn *txn, GPtrArray *ids,
                              const VulndStoreFilter *filter);

/* LOAD the advisories whose product index key MATCH accepts. */
static GPtrArray *
load_by_product (VulndStore *store, VulndStoreKeyMatchFn match, gpointer user_data,
                 LoadFn load, GError **error)
{
	g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *out;
	MDB_txn *txn;
	int rc;

	if (!begin_read (store, &txn, error))
		return NULL;
	rc = collect_matching_products (txn, store->dbi[VULND_DB_BY_PRODUCT], match, user_data, ids);
	if (rc != 0) {
		mdb_txn_abort (txn);
		vulnd_store_set_error (error, rc, "reading the product index");
		return NULL;
	}
	out = load (store, txn, ids, NULL);
	mdb_txn_abort (txn);
	return out;
}

GPtrArray *
vulnd_store_list_products (VulndStore *store, VulndStoreKeyMatchFn match,
                           gpointer user_data, GError **error)
{
	return load_by_product (store, match, user_data, load_records, error);
}

GPtrArray *
vulnd_store_product_summaries (VulndStore *store, VulndStoreKeyMatchFn match,
                               gpointer user_data, GError **error)
{
	return load_by_product (store, match, user_data, load_summaries, error);
}

GPtrArray *
vulnd_store_changes (VulndStore *store, guint64 since, guint limit, GError **error)
{
	guint64 be = GUINT64_TO_BE (since + 1);
	MDB_val k = { 8, &be }, v;
	GPtrArray *out = new_object_array ();
	MDB_cursor *cur;
	MDB_txn *txn;
	int rc;

	if (!begin_read (store, &txn, error))
		goto fail;
	rc = mdb_cursor_open (txn, store->dbi[VULND_DB_CHANGES], &cur);
	if (rc != 0) {
		mdb_txn_abort (txn);
		vulnd_store_set_error (error, rc, "reading changes");
		goto fail;
	}
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && (limit == 0 || out->len < limit);
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		JsonObject *e = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
		if (e)
			g_ptr_array_add (out, e);
	}
	mdb_cursor_close (cur);
	mdb_txn_abort (txn);
	return out;
fail:
	g_ptr_array_unref (out);
	return NULL;
}

static guint64
entries (MDB_txn *txn, MDB_dbi dbi)
{
	MDB_stat st;

	return mdb_stat (txn, dbi, &st) == 0 ? st.ms_entries : 0;
}

static guint64
state_u64 (MDB_txn *txn, MDB_dbi dbi, const char *key)
{
	g_autofree char *s = vulnd_store_get_str (txn, dbi, key);

	return s ? g_ascii_strtoull (s, NULL, 10) : 0;
}

static void
count_kinds (VulndStore *store, MDB_txn *txn, VulndStoreStatus *st)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if (mdb_cursor_open (txn, store->dbi[VULND_DB_ADVISORIES], &cur) != 0)
		return;
	/* Ids are canonical, so the key says the kind without parsing JSON. */
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size >= 4 && g_ascii_strncasecmp (k.mv_data, "OSSN", 4) == 0)
			st->ossn++;
		else
			st->ossa++;
	}
	mdb_cursor_close (cur);
}

static void
last_change (VulndStore *store, MDB_txn *txn, VulndStoreStatus *st)
{
	MDB_cursor *cur;
	MDB_val k, v;

	if (mdb_cursor_open (txn, store->dbi[VULND_DB_CHANGES], &cur) != 0)
		return;
	if (mdb_cursor_get (cur, &k, &v, MDB_LAST) == 0) {
		g_autoptr (JsonObject) e = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
		if (e) {
			st->last_seq = json_object_get_int_member_with_default (e, "seq", 0);
			st->last_change_time = g_strdup (
				json_object_get_string_member_with_default (e, "time", NULL));
		}
	}
	mdb_cursor_close (cur);
}

gboolean
vulnd_store_status (VulndStore *store, VulndStoreStatus *st, GError **error)
{
	MDB_dbi state = store->dbi[VULND_DB_STATE];
	MDB_envinfo info;
	MDB_stat est;
	MDB_txn *txn;

	memset (st, 0, sizeof *st);
	if (!begin_read (store, &txn, error))
		return FALSE;
	st->path = g_strdup (store->path);
	st->schema = store->schema;
	st->advisories = entries (txn, store->dbi[VULND_DB_ADVISORIES]);
	st->revisions = entries (txn, store->dbi[VULND_DB_REVISIONS]);
	st->messages = entries (txn, store->dbi[VULND_DB_MESSAGES]);
	st->quarantined = state_u64 (txn, state, "count/quarantined");
	st->ignored = state_u64 (txn, state, "count/ignored");
	count_kinds (store, txn, st);
	last_change (store, txn, st);
	st->last_message_time = vulnd_store_get_str (txn, state, "last-message");
	mdb_txn_abort (txn);
	if (mdb_env_info (store->env, &info) == 0 && mdb_env_stat (store->env, &est) == 0) {
		st->map_size = info.me_mapsize;
		st->used_bytes = (guint64) (info.me_last_pgno + 1) * est.ms_psize;
	}
	return TRUE;
}

void
vulnd_store_status_clear (VulndStoreStatus *st)
{
	g_clear_pointer (&st->path, g_free);
	g_clear_pointer (&st->last_change_time, g_free);
	g_clear_pointer (&st->last_message_time, g_free);
}

GPtrArray *
vulnd_store_quarantine (VulndStore *store, GError **error)
{
	GPtrArray *out = new_object_array ();
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	int rc;

	if (!begin_read (store, &txn, error))
		goto fail;
	rc = mdb_cursor_open (txn, store->dbi[VULND_DB_MESSAGES], &cur);
	if (rc != 0) {
		mdb_txn_abort (txn);
		vulnd_store_set_error (error, rc, "reading messages");
		goto fail;
	}
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		g_autoptr (JsonObject) m = NULL;
		JsonObject *q;

		/* Cheap filter before parsing: most entries are ignored mail. */
		if (!g_strstr_len (v.mv_data, v.mv_size, "\"quarantined\""))
			continue;
		m = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
		if (!m || g_strcmp0 (json_object_get_string_member_with_default (m, "outcome", ""),
		                     "quarantined") != 0)
			continue;
		q = json_object_new ();
		{
			g_autofree char *key = g_strndup (k.mv_data, k.mv_size);
			json_object_set_string_member (q, "key", key);
		}
		json_object_set_string_member (q, "reason", json_object_get_string_member_with_default (m, "reason", ""));
		json_object_set_string_member (q, "source", json_object_get_string_member_with_default (m, "source", ""));
		json_object_set_string_member (q, "time", json_object_get_string_member_with_default (m, "time", ""));
		json_object_set_string_member (q, "sha256", json_object_get_string_member_with_default (m, "sha256", ""));
		g_ptr_array_add (out, q);
	}
	mdb_cursor_close (cur);
	mdb_txn_abort (txn);
	return out;
fail:
	g_ptr_array_unref (out);
	return NULL;
}

gboolean
vulnd_store_foreach_raw (VulndStore *store, VulndRawFn fn, gpointer user_data,
                         GError **error)
{
	g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	int rc;

	/* Keys first, then one short transaction per message: FN may write. */
	if (!begin_read (store, &txn, error))
		return FALSE;
	rc = mdb_cursor_open (txn, store->dbi[VULND_DB_RAW], &cur);
	if (rc != 0) {
		mdb_txn_abort (txn);
		vulnd_store_set_error (error, rc, "reading raw messages");
		return FALSE;
	}
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT))
		g_ptr_array_add (keys, g_strndup (k.mv_data, k.mv_size));
	mdb_cursor_close (cur);
	mdb_txn_abort (txn);
	for (guint i = 0; i < keys->len; i++) {
		const char *sha = keys->pdata[i];
		MDB_val key = { strlen (sha), (void *) sha };
		g_autofree char *raw = NULL;
		gsize len = 0;

		if (!begin_read (store, &txn, error))
			return FALSE;
		if (mdb_get (txn, store->dbi[VULND_DB_RAW], &key, &v) == 0) {
			raw = g_memdup2 (v.mv_data, v.mv_size);
			len = v.mv_size;
		}
		mdb_txn_abort (txn);
		if (raw && !fn (sha, raw, len, user_data))
			break;
	}
	return TRUE;
}
