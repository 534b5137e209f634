/* store-private.h - what the store's own files share (not for callers). */
#ifndef VULND_STORE_PRIVATE_H
#define VULND_STORE_PRIVATE_H

#include <lmdb.h>

#include "store.h"

G_BEGIN_DECLS

enum {
	VULND_DB_ADVISORIES,
	VULND_DB_REVISIONS,
	VULND_DB_BY_CVE,
	VULND_DB_BY_PRODUCT,
	VULND_DB_BY_DATE,
	VULND_DB_MESSAGES,
	VULND_DB_RAW,
	VULND_DB_CHANGES,
	VULND_DB_STATE,
	VULND_DB_SUMMARIES,
	VULND_DB_COUNT
};

struct _VulndStore {
	MDB_env *env;
	MDB_dbi dbi[VULND_DB_COUNT];
	char *path;
	gboolean writable;
	guint schema;
	/* FALSE: a read-only open of a database from before summaries */
	gboolean have_summaries;
};

/* A write step: 0 or an LMDB error code (MDB_MAP_FULL makes
 * vulnd_store_write grow the map and call it again); -1 with ERROR set. */
typedef int (*VulndWriteFn) (VulndStore *store, MDB_txn *txn, gpointer data,
                             GError **error);
gboolean vulnd_store_write (VulndStore *store, VulndWriteFn fn, gpointer data,
                            GError **error);
/* A top-level write transaction (MDB_MAP_RESIZED handled); 0 or an LMDB error. */
int vulnd_store_write_begin (VulndStore *store, MDB_txn **txn);
/* Double the map; only while no transaction of this process is open. */
int vulnd_store_grow_map (VulndStore *store);
int vulnd_store_read_begin (VulndStore *store, MDB_txn **txn);

void vulnd_store_set_error (GError **error, int rc, const char *what);
int vulnd_store_put_str (MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value,
                         unsigned int flags);
char *vulnd_store_get_str (MDB_txn *txn, MDB_dbi dbi, const char *key);
JsonObject *vulnd_store_get_json (MDB_txn *txn, MDB_dbi dbi, const void *key,
                                  gsize key_len);
int vulnd_store_put_json (MDB_txn *txn, MDB_dbi dbi, const void *key, gsize key_len,
                          JsonObject *obj);
GBytes *vulnd_store_revision_key (const char *id, guint32 revision);
char *vulnd_store_now (void);

/* store-summary.c: the summaries sub-database (docs/store.md). */
typedef struct _VulndSummary VulndSummary;
int vulnd_store_put_summary (VulndStore *store, MDB_txn *txn, JsonObject *record);
/* After a change to current records: summaries follow every change. */
int vulnd_store_mark_summaries (VulndStore *store, MDB_txn *txn);
/* The seq of the last changes entry (0 when none). */
int vulnd_store_last_seq (VulndStore *store, MDB_txn *txn, guint64 *seq);
/* TRUE when TXN's summaries are complete and of this format. */
gboolean vulnd_store_summaries_current (VulndStore *store, MDB_txn *txn);
/* NULL when absent or damaged. */
VulndSummary *vulnd_store_get_summary_txn (VulndStore *store, MDB_txn *txn, const char *id);
/* Writer, at open: rebuild them all in one transaction unless current. */
gboolean vulnd_store_ensure_summaries (VulndStore *store, GError **error);

G_END_DECLS

#endif
