/* store-summary.c - the per-advisory summary kept beside each current
 * record: what list/cve tables and `affected` read, without parsing the
 * full JSON record (docs/store.md, "Summaries").
 *
 * A summary is a GVariant of SUMMARY_TYPE, stored as its serialised bytes:
 * reading one costs a copy and the offsets of the members read, no parse.
 * Every type in it has alignment 1, so the bytes can come from any LMDB
 * address. */
#include "config.h"

#include <string.h>

#include "store-private.h"
#include "store-query.h"
#include "vulnd-db.h"

/* id, kind, date, title, signature status, CVE ids, affected products as
 * (name as published, version text as published, ranges as JSON text, ""
 * when none).  The ranges stay JSON: they are parsed only for the products
 * a query matches, and json_gvariant_serialize () of an aa{sv} was
 * measured slower than that parse. */
#define SUMMARY_TYPE "(sssssasa(sss))"
#define PRODUCT_TYPE "(sss)"

enum { F_ID, F_KIND, F_DATE, F_TITLE, F_SIGNATURE, F_CVES, F_PRODUCTS };

/* Bumped when SUMMARY_TYPE or what goes into it changes: the writer then
 * rebuilds every summary at open, and readers ignore the old ones. */
#define SUMMARY_FORMAT 1
#define SUMMARY_STATE_KEY "summaries"

enum { N_FIELDS = F_PRODUCTS + 1 };

struct _VulndSummary {
	GVariant *v;
	/* taken when first needed: reading a member of untrusted bytes checks
	 * it, which the sort by date would otherwise repeat */
	GVariant *child[N_FIELDS];
	const char *str[N_FIELDS];
};

/* ---- building ------------------------------------------------------------ */

static const char *
or_empty (const char *s)
{
	return s ? s : "";
}

static char *
ranges_text (JsonObject *product)
{
	JsonArray *ranges = vulnd_json_get_array (product, "ranges");
	g_autoptr (JsonNode) node = NULL;

	if (!ranges)
		return g_strdup ("");
	node = json_node_new (JSON_NODE_ARRAY);
	json_node_set_array (node, ranges);
	return json_to_string (node, FALSE);
}

static void
add_product (GVariantBuilder *b, JsonObject *p, const char *name)
{
	g_autofree char *ranges = ranges_text (p);

	g_variant_builder_add (b, PRODUCT_TYPE, name,
	                       or_empty (vulnd_json_get_string (p, "version")), ranges);
}

/* Every object of affected-products with a string "product", in order:
 * the elements `affected` matches against. */
static void
add_products (GVariantBuilder *b, JsonObject *record)
{
	JsonArray *products = vulnd_json_get_array (record, "affected-products");

	g_variant_builder_open (b, G_VARIANT_TYPE ("a" PRODUCT_TYPE));
	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonNode *n = json_array_get_element (products, i);
		JsonObject *p = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
		const char *name = vulnd_json_get_string (p, "product");

		if (name)
			add_product (b, p, name);
	}
	g_variant_builder_close (b);
}

static GVariant *
variant_of_record (JsonObject *record)
{
	g_auto (GStrv) cves = vulnd_record_cves (record);
	GVariantBuilder b;

	g_variant_builder_init (&b, G_VARIANT_TYPE (SUMMARY_TYPE));
	g_variant_builder_add (&b, "s", or_empty (vulnd_record_id (record)));
	g_variant_builder_add (&b, "s", or_empty (vulnd_record_kind (record)));
	g_variant_builder_add (&b, "s", or_empty (vulnd_record_date (record)));
	g_variant_builder_add (&b, "s", or_empty (vulnd_record_title (record)));
	g_variant_builder_add (&b, "s", or_empty (vulnd_record_signature_status (record)));
	g_variant_builder_add (&b, "^as", cves);
	add_products (&b, record);
	return g_variant_ref_sink (g_variant_builder_end (&b));
}

static VulndSummary *
summary_wrap (GVariant *v)
{
	VulndSummary *s = g_new0 (VulndSummary, 1);

	s->v = v;
	return s;
}

static GVariant *
child (const VulndSummary *cs, int i)
{
	VulndSummary *s = (VulndSummary *) cs; /* a cache, not a change */

	if (!s->child[i])
		s->child[i] = g_variant_get_child_value (s->v, i);
	return s->child[i];
}

static const char *
field (const VulndSummary *cs, int i)
{
	VulndSummary *s = (VulndSummary *) cs;

	if (!s->str[i])
		s->str[i] = g_variant_get_string (child (s, i), NULL);
	return s->str[i];
}

VulndSummary *
vulnd_summary_new_from_record (JsonObject *record)
{
	return summary_wrap (variant_of_record (record));
}

/* A copy of DATA: it lives in the map only as long as the transaction.
 * Not trusted: GVariant reads damaged bytes safely (as default values), and
 * checking the normal form up front would cost more than the reading.
 * ID, the key the summary is stored under, is its id: copied in the same
 * block, it saves reading that member. */
static VulndSummary *
summary_from_data (const char *id, const void *data, gsize len)
{
	gsize id_len = strlen (id);
	char *block = g_malloc (len + id_len + 1);
	g_autoptr (GBytes) bytes = NULL;
	VulndSummary *s;

	memcpy (block, data, len);
	memcpy (block + len, id, id_len + 1);
	bytes = g_bytes_new_with_free_func (block, len, g_free, block);
	s = summary_wrap (g_variant_ref_sink (
		g_variant_new_from_bytes (G_VARIANT_TYPE (SUMMARY_TYPE), bytes, FALSE)));
	s->str[F_ID] = block + len;
	return s;
}

void
vulnd_summary_free (VulndSummary *s)
{
	if (!s)
		return;
	for (int i = 0; i < N_FIELDS; i++)
		g_clear_pointer (&s->child[i], g_variant_unref);
	g_variant_unref (s->v);
	g_free (s);
}

/* ---- reading ------------------------------------------------------------- */

const char *vulnd_summary_id (const VulndSummary *s) { return field (s, F_ID); }
const char *vulnd_summary_kind (const VulndSummary *s) { return field (s, F_KIND); }
const char *vulnd_summary_date (const VulndSummary *s) { return field (s, F_DATE); }
const char *vulnd_summary_title (const VulndSummary *s) { return field (s, F_TITLE); }
const char *vulnd_summary_signature (const VulndSummary *s) { return field (s, F_SIGNATURE); }

char **
vulnd_summary_cves (const VulndSummary *s)
{
	return g_variant_dup_strv (child (s, F_CVES), NULL);
}

gboolean
vulnd_summary_has_cve (const VulndSummary *s, const char *cve)
{
	gsize n = g_variant_n_children (child (s, F_CVES));

	for (gsize i = 0; i < n; i++) {
		const char *c = NULL;

		g_variant_get_child (child (s, F_CVES), i, "&s", &c);
		if (g_ascii_strcasecmp (c, cve) == 0)
			return TRUE;
	}
	return FALSE;
}

guint
vulnd_summary_n_products (const VulndSummary *s)
{
	return (guint) g_variant_n_children (child (s, F_PRODUCTS));
}

const char *
vulnd_summary_product (const VulndSummary *s, guint i, const char **version)
{
	const char *name = NULL, *ver = NULL, *text = NULL;

	g_variant_get_child (child (s, F_PRODUCTS), i, "(&s&s&s)", &name, &ver, &text);
	if (version)
		*version = ver;
	return name;
}

static JsonArray *
parse_ranges (const char *text)
{
	g_autoptr (JsonParser) parser = json_parser_new ();
	JsonNode *root;

	if (!json_parser_load_from_data (parser, text, -1, NULL))
		return NULL;
	root = json_parser_get_root (parser);
	return root && JSON_NODE_HOLDS_ARRAY (root) ? json_array_ref (json_node_get_array (root))
	                                            : NULL;
}

JsonArray *
vulnd_summary_ranges (const VulndSummary *s, guint i)
{
	const char *name = NULL, *ver = NULL, *text = NULL;

	g_variant_get_child (child (s, F_PRODUCTS), i, "(&s&s&s)", &name, &ver, &text);
	return *text ? parse_ranges (text) : NULL;
}

/* As vulnd_record_products: non-empty names compared in lower case. */
gboolean
vulnd_summary_has_product (const VulndSummary *s, const char *product)
{
	g_autofree char *want = g_ascii_strdown (product, -1);
	guint n = vulnd_summary_n_products (s);

	for (guint i = 0; i < n; i++) {
		const char *name = vulnd_summary_product (s, i, NULL);

		if (*name && g_ascii_strcasecmp (name, want) == 0)
			return TRUE;
	}
	return FALSE;
}

/* ---- the store's side ---------------------------------------------------- */

int
vulnd_store_put_summary (VulndStore *store, MDB_txn *txn, JsonObject *record)
{
	g_autoptr (GVariant) v = variant_of_record (record);
	const char *id = vulnd_record_id (record);
	MDB_val k = { strlen (id), (void *) id };
	MDB_val val = { g_variant_get_size (v), (void *) g_variant_get_data (v) };

	return mdb_put (txn, store->dbi[VULND_DB_SUMMARIES], &k, &val, 0);
}

int
vulnd_store_last_seq (VulndStore *store, MDB_txn *txn, guint64 *seq)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open (txn, store->dbi[VULND_DB_CHANGES], &cur);

	*seq = 0;
	if (rc != 0)
		return rc;
	rc = mdb_cursor_get (cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == 8) {
		guint64 be;
		memcpy (&be, k.mv_data, 8);
		*seq = GUINT64_FROM_BE (be);
	}
	mdb_cursor_close (cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static char *
marker_for (guint64 seq)
{
	return g_strdup_printf ("%d:%" G_GUINT64_FORMAT, SUMMARY_FORMAT, seq);
}

/* Current records change only with a changes entry, so "format:last seq"
 * in state says the summaries follow every change: a vulnd that predates
 * them (a downgrade) adds changes without moving the marker, and readers
 * then fall back to full records until a writer rebuilds. */
int
vulnd_store_mark_summaries (VulndStore *store, MDB_txn *txn)
{
	g_autofree char *marker = NULL;
	guint64 seq;
	int rc = vulnd_store_last_seq (store, txn, &seq);

	if (rc != 0)
		return rc;
	marker = marker_for (seq);
	return vulnd_store_put_str (txn, store->dbi[VULND_DB_STATE], SUMMARY_STATE_KEY, marker, 0);
}

gboolean
vulnd_store_summaries_current (VulndStore *store, MDB_txn *txn)
{
	g_autofree char *marker = NULL;
	g_autofree char *want = NULL;
	guint64 seq;

	if (!store->have_summaries || vulnd_store_last_seq (store, txn, &seq) != 0)
		return FALSE;
	marker = vulnd_store_get_str (txn, store->dbi[VULND_DB_STATE], SUMMARY_STATE_KEY);
	want = marker_for (seq);
	return marker && g_str_equal (marker, want);
}

VulndSummary *
vulnd_store_get_summary_txn (VulndStore *store, MDB_txn *txn, const char *id)
{
	MDB_val k = { strlen (id), (void *) id }, v;

	if (mdb_get (txn, store->dbi[VULND_DB_SUMMARIES], &k, &v) != 0)
		return NULL;
	return summary_from_data (id, v.mv_data, v.mv_size);
}

/* Every summary again from the current records, in the caller's (one)
 * transaction: a database from before summaries, or of an older format. */
static int
rebuild_txn (VulndStore *store, MDB_txn *txn, gpointer data, GError **error)
{
	guint *count = data;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_drop (txn, store->dbi[VULND_DB_SUMMARIES], 0);
	(void) error;

	*count = 0;
	if (rc == 0)
		rc = mdb_cursor_open (txn, store->dbi[VULND_DB_ADVISORIES], &cur);
	if (rc != 0)
		return rc;
	for (rc = mdb_cursor_get (cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get (cur, &k, &v, MDB_NEXT)) {
		g_autoptr (JsonObject) r = vulnd_record_from_json (v.mv_data, v.mv_size, NULL);

		/* a record whose id is not its key is left to the fallback */
		if (!r || k.mv_size != strlen (or_empty (vulnd_record_id (r)))
		    || memcmp (k.mv_data, vulnd_record_id (r), k.mv_size) != 0)
			continue;
		rc = vulnd_store_put_summary (store, txn, r);
		if (rc != 0)
			break;
		(*count)++;
	}
	mdb_cursor_close (cur);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	return rc == 0 ? vulnd_store_mark_summaries (store, txn) : rc;
}

gboolean
vulnd_store_ensure_summaries (VulndStore *store, GError **error)
{
	MDB_txn *txn;
	gboolean current;
	guint count = 0;
	int rc = vulnd_store_read_begin (store, &txn);

	if (rc != 0) {
		vulnd_store_set_error (error, rc, "reading the database");
		return FALSE;
	}
	current = vulnd_store_summaries_current (store, txn);
	mdb_txn_abort (txn);
	if (current)
		return TRUE;
	if (!vulnd_store_write (store, rebuild_txn, &count, error))
		return FALSE;
	if (count)
		g_debug ("%s: built the summaries of %u advisories", store->path, count);
	return TRUE;
}
