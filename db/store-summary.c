/* store-summary.c - the per-advisory summary kept beside each current
 * record: what list/cve tables and `affected` read, without parsing the
 * full JSON record (docs/store.md, "Summaries").
 *
 * A summary is a run of NUL-terminated UTF-8 strings, read in one pass
 * over its bytes:
 *
 *   kind, date, title, signature status,
 *   each CVE id, then "" (an empty string ends the list),
 *   each affected product: its name and version text as published, then
 *   its ranges as the matcher reads them (VulndRange), each a flags byte
 *   and introduced, fixed, last_affected ("" where the flags say NULL),
 *   then the byte PRODUCT_END;
 *   the byte SUMMARY_END, where the next product's name would start.
 *
 * The id is the key it is stored under.  Format 1 was a GVariant whose
 * ranges were JSON text: parsing that text was a third of `vulnctl
 * affected`, and each member read of untrusted GVariant bytes costs ~1,500
 * instructions (GLib checks the offsets at every step), about as much as
 * reading the whole summary this way.  The bytes are not trusted: they are
 * checked whole when read (every string ends inside them and is valid
 * UTF-8, the last byte is SUMMARY_END), and a summary that fails is not
 * used: readers take the full record instead. */
#include "config.h"

#include <string.h>

#include "store-private.h"
#include "store-query.h"
#include "vulnd-db.h"

/* Which of a range's strings are real (not NULL): stored beside
 * VulndRangeFlags in the flags byte. */
enum {
	RANGE_INTRODUCED_SET = 1 << 4,
	RANGE_FIXED_SET = 1 << 5,
	RANGE_LAST_SET = 1 << 6,
	RANGE_STORED_FLAGS = VULND_RANGE_OBJECT | VULND_RANGE_HAS_FIXED | VULND_RANGE_HAS_LAST
	                     | VULND_RANGE_EXCLUSIVE,
};
G_STATIC_ASSERT ((RANGE_STORED_FLAGS & (RANGE_INTRODUCED_SET | RANGE_FIXED_SET
                                        | RANGE_LAST_SET)) == 0);
/* Where a flags byte would be: the product has no more ranges. */
#define PRODUCT_END 0x80
/* Never the first byte of UTF-8 text: it cannot be taken for a name, and
 * a summary cut short lacks it. */
#define SUMMARY_END 0xff

/* Bumped when the layout or what goes into it changes: the writer then
 * rebuilds every summary at open, and readers ignore the old ones. */
#define SUMMARY_FORMAT 2
#define SUMMARY_STATE_KEY "summaries"

enum { F_KIND, F_DATE, F_TITLE, F_SIGNATURE, N_FIELDS };

typedef struct {
	const char *name, *version; /* borrowed from the summary's bytes */
	const char *ranges;         /* packed, up to PRODUCT_END */
	gsize ranges_len;
} Product;

struct _VulndSummary {
	char *block;                 /* the bytes, then the id */
	const char *id;
	const char *field[N_FIELDS];
	const char *cves, *cves_end; /* the CVE strings, without the "" */
	GArray *products;            /* of Product */
};

/* ---- building ------------------------------------------------------------ */

static const char *
or_empty (const char *s)
{
	return s ? s : "";
}

static void
pack_string (GByteArray *out, const char *s)
{
	s = or_empty (s);
	g_byte_array_append (out, (const guint8 *) s, (guint) strlen (s) + 1);
}

static void
pack_ranges (GByteArray *out, JsonArray *ranges)
{
	static const guint8 end = PRODUCT_END;
	guint n = 0;
	g_autofree VulndRange *list = vulnd_ranges_from_json (ranges, &n);

	for (guint i = 0; i < n; i++) {
		const VulndRange *r = &list[i];
		guint8 flags = (guint8) (r->flags & RANGE_STORED_FLAGS);

		flags |= r->introduced ? RANGE_INTRODUCED_SET : 0;
		flags |= r->fixed ? RANGE_FIXED_SET : 0;
		flags |= r->last_affected ? RANGE_LAST_SET : 0;
		g_byte_array_append (out, &flags, 1);
		pack_string (out, r->introduced);
		pack_string (out, r->fixed);
		pack_string (out, r->last_affected);
	}
	g_byte_array_append (out, &end, 1);
}

/* Every object of affected-products with a string "product", in order:
 * the elements `affected` matches against. */
static void
pack_products (GByteArray *out, JsonObject *record)
{
	JsonArray *products = vulnd_json_get_array (record, "affected-products");

	for (guint i = 0; products && i < json_array_get_length (products); i++) {
		JsonNode *n = json_array_get_element (products, i);
		JsonObject *p = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
		const char *name = vulnd_json_get_string (p, "product");

		if (!name)
			continue;
		pack_string (out, name);
		pack_string (out, vulnd_json_get_string (p, "version"));
		pack_ranges (out, vulnd_json_get_array (p, "ranges"));
	}
}

static GByteArray *
pack_record (JsonObject *record)
{
	g_auto (GStrv) cves = vulnd_record_cves (record);
	GByteArray *out = g_byte_array_new ();

	pack_string (out, vulnd_record_kind (record));
	pack_string (out, vulnd_record_date (record));
	pack_string (out, vulnd_record_title (record));
	pack_string (out, vulnd_record_signature_status (record));
	for (char **c = cves; c && *c; c++)
		if (**c)
			pack_string (out, *c);
	pack_string (out, "");
	pack_products (out, record);
	g_byte_array_append (out, (const guint8[]) { SUMMARY_END }, 1);
	return out;
}

/* ---- unpacking ----------------------------------------------------------- */

/* The next NUL-terminated string of [*p, end), valid UTF-8; NULL when
 * there is none. */
static const char *
unpack_string (const char **p, const char *end)
{
	const char *s = *p;
	const char *nul = s < end ? memchr (s, '\0', (size_t) (end - s)) : NULL;

	if (!nul || !g_utf8_validate (s, nul - s, NULL))
		return NULL;
	*p = nul + 1;
	return s;
}

/* One range from [*p, end): 1, 0 at PRODUCT_END (consumed), -1 when the
 * bytes end or are damaged. */
static int
unpack_range (const char **p, const char *end, VulndRange *r)
{
	const char *intro, *fixed, *last;
	guint8 flags;

	if (*p >= end)
		return -1;
	flags = (guint8) *(*p)++;
	if (flags == PRODUCT_END)
		return 0;
	if (!(intro = unpack_string (p, end)) || !(fixed = unpack_string (p, end))
	    || !(last = unpack_string (p, end)))
		return -1;
	r->flags = flags & RANGE_STORED_FLAGS;
	r->introduced = flags & RANGE_INTRODUCED_SET ? intro : NULL;
	r->fixed = flags & RANGE_FIXED_SET ? fixed : NULL;
	r->last_affected = flags & RANGE_LAST_SET ? last : NULL;
	return 1;
}

/* One product from [*p, end); FALSE when the bytes are damaged. */
static gboolean
unpack_product (const char **p, const char *end, Product *prod)
{
	VulndRange r;
	int more;

	if (!(prod->name = unpack_string (p, end)) || !(prod->version = unpack_string (p, end)))
		return FALSE;
	prod->ranges = *p;
	while ((more = unpack_range (p, end, &r)) > 0)
		;
	prod->ranges_len = (gsize) (*p - prod->ranges);
	return more == 0;
}

/* S's fields, CVE ids and products from its block's LEN bytes; FALSE
 * when they are damaged. */
static gboolean
unpack (VulndSummary *s, gsize len)
{
	const char *p = s->block, *end = s->block + len, *c;

	for (int i = 0; i < N_FIELDS; i++)
		if (!(s->field[i] = unpack_string (&p, end)))
			return FALSE;
	s->cves = p;
	while ((c = unpack_string (&p, end)) && *c)
		;
	if (!c)
		return FALSE;
	s->cves_end = p - 1;
	s->products = g_array_new (FALSE, FALSE, sizeof (Product));
	while (p < end && (guint8) *p != SUMMARY_END) {
		Product prod;

		if (!unpack_product (&p, end, &prod))
			return FALSE;
		g_array_append_val (s->products, prod);
	}
	return p + 1 == end;
}

/* A copy of DATA (it lives in the map only as long as the transaction),
 * with ID after it in the same block; NULL when DATA is damaged. */
static VulndSummary *
summary_from_data (const char *id, const void *data, gsize len)
{
	gsize id_len = strlen (id);
	g_autoptr (VulndSummary) s = g_new0 (VulndSummary, 1);

	s->block = g_malloc (len + id_len + 1);
	memcpy (s->block, data, len);
	memcpy (s->block + len, id, id_len + 1);
	s->id = s->block + len;
	if (!unpack (s, len)) {
		g_debug ("the summary of %s is damaged: reading its record instead", id);
		return NULL;
	}
	return g_steal_pointer (&s);
}

VulndSummary *
vulnd_summary_new_from_record (JsonObject *record)
{
	g_autoptr (GByteArray) bytes = pack_record (record);
	VulndSummary *s = summary_from_data (or_empty (vulnd_record_id (record)), bytes->data,
	                                     bytes->len);

	g_assert (s); /* packed here: whole */
	return s;
}

void
vulnd_summary_free (VulndSummary *s)
{
	if (!s)
		return;
	g_clear_pointer (&s->products, g_array_unref);
	g_free (s->block);
	g_free (s);
}

/* ---- reading ------------------------------------------------------------- */

const char *vulnd_summary_id (const VulndSummary *s) { return s->id; }
const char *vulnd_summary_kind (const VulndSummary *s) { return s->field[F_KIND]; }
const char *vulnd_summary_date (const VulndSummary *s) { return s->field[F_DATE]; }
const char *vulnd_summary_title (const VulndSummary *s) { return s->field[F_TITLE]; }
const char *vulnd_summary_signature (const VulndSummary *s) { return s->field[F_SIGNATURE]; }

char **
vulnd_summary_cves (const VulndSummary *s)
{
	GPtrArray *out = g_ptr_array_new ();

	for (const char *c = s->cves; c < s->cves_end; c += strlen (c) + 1)
		g_ptr_array_add (out, g_strdup (c));
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

gboolean
vulnd_summary_has_cve (const VulndSummary *s, const char *cve)
{
	for (const char *c = s->cves; c < s->cves_end; c += strlen (c) + 1)
		if (g_ascii_strcasecmp (c, cve) == 0)
			return TRUE;
	return FALSE;
}

guint
vulnd_summary_n_products (const VulndSummary *s)
{
	return s->products->len;
}

const char *
vulnd_summary_product (const VulndSummary *s, guint i, const char **version)
{
	const Product *prod = &g_array_index (s->products, Product, i);

	if (version)
		*version = prod->version;
	return prod->name;
}

VulndRange *
vulnd_summary_ranges (const VulndSummary *s, guint i, guint *n_out)
{
	const Product *prod = &g_array_index (s->products, Product, i);
	const char *p = prod->ranges, *end = p + prod->ranges_len;
	g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (VulndRange));
	VulndRange r;

	while (unpack_range (&p, end, &r) > 0)
		g_array_append_val (out, r);
	*n_out = out->len;
	return (VulndRange *) g_array_free (g_steal_pointer (&out), FALSE);
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
	g_autoptr (GByteArray) bytes = pack_record (record);
	const char *id = vulnd_record_id (record);
	MDB_val k = { strlen (id), (void *) id };
	MDB_val val = { bytes->len, bytes->data };

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
