/* store.c - the LMDB advisory store: environment, schema, map growth, and
 * the one-transaction-per-message commit (see db/store.h, docs/store.md). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <lmdb.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store-private.h"
#include "vulnd-db.h"

G_DEFINE_QUARK (vulnd-store-error-quark, vulnd_store_error)

static const char *const db_names[VULND_DB_COUNT] = {
	[VULND_DB_ADVISORIES] = "advisories",
	[VULND_DB_REVISIONS] = "revisions",
	[VULND_DB_BY_CVE] = "by_cve",
	[VULND_DB_BY_PRODUCT] = "by_product",
	[VULND_DB_BY_DATE] = "by_date",
	[VULND_DB_MESSAGES] = "messages",
	[VULND_DB_RAW] = "raw",
	[VULND_DB_CHANGES] = "changes",
	[VULND_DB_STATE] = "state",
	[VULND_DB_SUMMARIES] = "summaries",
};

/* 64 MiB to start: LMDB files are sparse up to what is used, and the map
 * doubles on MDB_MAP_FULL, so this only bounds address space. */
#define DEFAULT_MAP_SIZE ((size_t) 64 << 20)

const char *
vulnd_outcome_to_string (VulndOutcome outcome)
{
	switch (outcome) {
	case VULND_OUTCOME_ADDED: return "added";
	case VULND_OUTCOME_UPDATED: return "updated";
	case VULND_OUTCOME_UNCHANGED: return "unchanged";
	case VULND_OUTCOME_REJECTED: return "rejected";
	case VULND_OUTCOME_IGNORED: return "ignored";
	case VULND_OUTCOME_QUARANTINED: return "quarantined";
	case VULND_OUTCOME_DUPLICATE: return "duplicate";
	}
	return "unknown";
}

void
vulnd_store_set_error (GError **error, int rc, const char *what)
{
	g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
	             "%s: %s", what, mdb_strerror (rc));
}

const char *
vulnd_store_path (VulndStore *store)
{
	return store->path;
}

void
vulnd_store_close (VulndStore *store)
{
	if (!store)
		return;
	if (store->env) {
		if (store->writable)
			mdb_env_sync (store->env, 1);
		mdb_env_close (store->env);
	}
	g_free (store->path);
	g_free (store);
}

/* ---- opening ------------------------------------------------------------ */

static size_t
initial_map_size (void)
{
	const char *env = g_getenv ("VULND_STORE_MAPSIZE");
	guint64 v;

	/* Tests start from a tiny map to exercise growth. */
	if (env && g_ascii_string_to_unsigned (env, 10, 4096, G_MAXSIZE, &v, NULL))
		return (size_t) v;
	return DEFAULT_MAP_SIZE;
}

static char *
group_name (gid_t gid)
{
	struct group *gr = getgrgid (gid);

	return gr ? g_strdup (gr->gr_name) : g_strdup_printf ("%u", (unsigned) gid);
}

static void
set_permission_error (GError **error, const char *dir, const char *file)
{
	g_autofree char *path = g_build_filename (dir, file, NULL);
	struct stat st;
	g_autofree char *grp = NULL;

	grp = group_name (stat (path, &st) == 0 ? st.st_gid
	                  : (stat (dir, &st) == 0 ? st.st_gid : getegid ()));
	g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_PERMISSION,
	             "permission denied on %s: are you in group %s?", path, grp);
}

/* Readers need read access to data.mdb and write access to lock.mdb. */
static gboolean
check_reader_access (const char *dir, GError **error)
{
	g_autofree char *data = g_build_filename (dir, "data.mdb", NULL);
	g_autofree char *lock = g_build_filename (dir, "lock.mdb", NULL);

	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
		             "%s: no such database directory", dir);
		return FALSE;
	}
	if (access (dir, X_OK) != 0 && errno == EACCES) {
		set_permission_error (error, dir, ".");
		return FALSE;
	}
	if (!g_file_test (data, G_FILE_TEST_EXISTS)) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
		             "%s holds no vulnd database (no data.mdb)", dir);
		return FALSE;
	}
	if (access (data, R_OK) != 0) {
		set_permission_error (error, dir, "data.mdb");
		return FALSE;
	}
	if (g_file_test (lock, G_FILE_TEST_EXISTS) ? access (lock, R_OK | W_OK) != 0
	                                           : access (dir, W_OK) != 0) {
		set_permission_error (error, dir, "lock.mdb");
		return FALSE;
	}
	return TRUE;
}

static void
set_open_error (GError **error, const char *dir, int rc)
{
	if (rc == EACCES || rc == EPERM) {
		set_permission_error (error, dir, "lock.mdb");
		return;
	}
	if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_VERSION_MISMATCH
	    || rc == MDB_PAGE_NOTFOUND) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
		             "%s/data.mdb is not a usable LMDB database (corrupt, truncated "
		             "or from another LMDB version): %s", dir, mdb_strerror (rc));
		return;
	}
	g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
	             "cannot open the database in %s: %s", dir, mdb_strerror (rc));
}

/* LMDB maps the file and would die of SIGBUS on pages past its end: refuse
 * a data.mdb shorter than the pages its meta page claims. */
static gboolean
check_not_truncated (VulndStore *store, GError **error)
{
	g_autofree char *data = g_build_filename (store->path, "data.mdb", NULL);
	MDB_envinfo info;
	MDB_stat st;
	struct stat fst;

	if (mdb_env_info (store->env, &info) != 0 || mdb_env_stat (store->env, &st) != 0
	    || stat (data, &fst) != 0)
		return TRUE;
	if ((guint64) (info.me_last_pgno + 1) * st.ms_psize > (guint64) fst.st_size) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
		             "%s is truncated (%" G_GUINT64_FORMAT " bytes, its pages need %"
		             G_GUINT64_FORMAT "): restore it from a backup or re-import",
		             data, (guint64) fst.st_size,
		             (guint64) (info.me_last_pgno + 1) * st.ms_psize);
		return FALSE;
	}
	return TRUE;
}

/* umask-independent: members of the group run vulnctl against these. */
static void
make_group_writable (const char *dir)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };

	for (gsize i = 0; i < G_N_ELEMENTS (files); i++) {
		g_autofree char *path = g_build_filename (dir, files[i], NULL);
		struct stat st;

		if (stat (path, &st) == 0 && st.st_uid == geteuid ()
		    && (st.st_mode & 0660) != 0660)
			chmod (path, (st.st_mode & 07777) | 0660);
	}
}

static gboolean
check_schema (VulndStore *store, MDB_txn *txn, gboolean create, GError **error)
{
	MDB_val k = { strlen ("schema"), (void *) "schema" }, v;
	int rc = mdb_get (txn, store->dbi[VULND_DB_STATE], &k, &v);
	guint64 schema = 0;

	if (rc == MDB_NOTFOUND) {
		g_autofree char *s = g_strdup_printf ("%d", VULND_STORE_SCHEMA);

		if (!create) {
			g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
			             "%s is not a vulnd database (no schema)", store->path);
			return FALSE;
		}
		v.mv_data = s;
		v.mv_size = strlen (s);
		rc = mdb_put (txn, store->dbi[VULND_DB_STATE], &k, &v, 0);
		if (rc != 0) {
			vulnd_store_set_error (error, rc, "writing the schema");
			return FALSE;
		}
		store->schema = VULND_STORE_SCHEMA;
		return TRUE;
	}
	if (rc != 0) {
		set_open_error (error, store->path, rc);
		return FALSE;
	}
	{
		g_autofree char *s = g_strndup (v.mv_data, v.mv_size);
		g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT, &schema, NULL);
	}
	if (schema > VULND_STORE_SCHEMA) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_SCHEMA,
		             "%s was written by a newer vulnd (database schema %" G_GUINT64_FORMAT
		             "; this version reads schema %d at most): upgrade vulnd",
		             store->path, schema, VULND_STORE_SCHEMA);
		return FALSE;
	}
	store->schema = (guint) schema;
	return TRUE;
}

/* Open every sub-database; a read-only transaction is committed, not
 * aborted, so its handles stay valid for the life of the environment. */
static gboolean
open_databases (VulndStore *store, GError **error)
{
	MDB_txn *txn = NULL;
	unsigned int txn_flags = store->writable ? 0 : MDB_RDONLY;
	int rc;

	rc = mdb_txn_begin (store->env, NULL, txn_flags, &txn);
	if (rc != 0) {
		set_open_error (error, store->path, rc);
		return FALSE;
	}
	for (int i = 0; i < VULND_DB_COUNT; i++) {
		unsigned int flags = store->writable ? MDB_CREATE : 0;

		if (i == VULND_DB_BY_CVE || i == VULND_DB_BY_PRODUCT)
			flags |= MDB_DUPSORT;
		rc = mdb_dbi_open (txn, db_names[i], flags, &store->dbi[i]);
		/* added later: readers of an older database use full records */
		if (rc == MDB_NOTFOUND && i == VULND_DB_SUMMARIES)
			continue;
		if (rc == MDB_NOTFOUND) {
			g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
			             "%s is not a vulnd database (no '%s' table)",
			             store->path, db_names[i]);
			goto fail;
		}
		if (rc != 0) {
			set_open_error (error, store->path, rc);
			goto fail;
		}
		if (i == VULND_DB_SUMMARIES)
			store->have_summaries = TRUE;
	}
	if (!check_schema (store, txn, store->writable, error))
		goto fail;
	rc = mdb_txn_commit (txn);
	if (rc != 0) {
		set_open_error (error, store->path, rc);
		return FALSE;
	}
	return TRUE;
fail:
	mdb_txn_abort (txn);
	return FALSE;
}

static gboolean
prepare_directory (const char *dir, gboolean writable, GError **error)
{
	if (!writable)
		return check_reader_access (dir, error);
	if (g_mkdir_with_parents (dir, 0770) != 0) {
		int e = errno;
		if (e == EACCES) {
			set_permission_error (error, dir, ".");
			return FALSE;
		}
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_OPEN,
		             "cannot create %s: %s", dir, g_strerror (e));
		return FALSE;
	}
	if (access (dir, W_OK) != 0) {
		set_permission_error (error, dir, ".");
		return FALSE;
	}
	return TRUE;
}

VulndStore *
vulnd_store_open (const char *dir, gboolean writable, GError **error)
{
	g_autoptr (VulndStore) store = g_new0 (VulndStore, 1);
	unsigned int flags = MDB_NOTLS | (writable ? 0 : MDB_RDONLY);
	int rc;

	store->path = g_strdup (dir);
	store->writable = writable;
	if (!prepare_directory (dir, writable, error))
		return NULL;
	rc = mdb_env_create (&store->env);
	if (rc != 0) {
		vulnd_store_set_error (error, rc, "mdb_env_create");
		return NULL;
	}
	mdb_env_set_maxdbs (store->env, VULND_DB_COUNT + 2);
	mdb_env_set_maxreaders (store->env, 256);
	if (writable)
		mdb_env_set_mapsize (store->env, initial_map_size ());
	rc = mdb_env_open (store->env, dir, flags, 0660);
	if (rc != 0) {
		set_open_error (error, dir, rc);
		return NULL;
	}
	if (writable)
		make_group_writable (dir);
	if (!check_not_truncated (store, error) || !open_databases (store, error))
		return NULL;
	if (writable && !vulnd_store_ensure_summaries (store, error))
		return NULL;
	return g_steal_pointer (&store);
}

void
vulnd_store_set_nosync (VulndStore *store, gboolean nosync)
{
	if (store->writable)
		mdb_env_set_flags (store->env, MDB_NOSYNC, nosync ? 1 : 0);
}

gboolean
vulnd_store_sync (VulndStore *store, GError **error)
{
	int rc;

	if (!store->writable)
		return TRUE;
	rc = mdb_env_sync (store->env, 1);
	if (rc != 0) {
		vulnd_store_set_error (error, rc, "mdb_env_sync");
		return FALSE;
	}
	return TRUE;
}

/* ---- transactions ------------------------------------------------------- */

int
vulnd_store_read_begin (VulndStore *store, MDB_txn **txn)
{
	int rc = mdb_txn_begin (store->env, NULL, MDB_RDONLY, txn);

	/* The writer grew the map since we opened: adopt its size. */
	if (rc == MDB_MAP_RESIZED) {
		mdb_env_set_mapsize (store->env, 0);
		rc = mdb_txn_begin (store->env, NULL, MDB_RDONLY, txn);
	}
	return rc;
}

int
vulnd_store_grow_map (VulndStore *store)
{
	MDB_envinfo info;
	int rc = mdb_env_info (store->env, &info);

	if (rc != 0)
		return rc;
	g_debug ("map full at %zu bytes: doubling", info.me_mapsize);
	return mdb_env_set_mapsize (store->env, info.me_mapsize * 2);
}

/* Another process grew the map since we opened: adopt its size. */
int
vulnd_store_write_begin (VulndStore *store, MDB_txn **txn)
{
	int rc = mdb_txn_begin (store->env, NULL, 0, txn);

	if (rc == MDB_MAP_RESIZED) {
		mdb_env_set_mapsize (store->env, 0);
		rc = mdb_txn_begin (store->env, NULL, 0, txn);
	}
	return rc;
}

/* Run FN in a write transaction and commit it; on MDB_MAP_FULL (from a put
 * or from the commit) abort, double the map and run FN again from scratch. */
gboolean
vulnd_store_write (VulndStore *store, VulndWriteFn fn, gpointer data, GError **error)
{
	if (!store->writable) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
		             "%s is open read-only", store->path);
		return FALSE;
	}
	for (int attempt = 0; attempt < 40; attempt++) {
		MDB_txn *txn = NULL;
		int rc = vulnd_store_write_begin (store, &txn);

		if (rc != 0) {
			vulnd_store_set_error (error, rc, "beginning a write transaction");
			return FALSE;
		}
		rc = fn (store, txn, data, error);
		if (rc == 0)
			rc = mdb_txn_commit (txn);
		else
			mdb_txn_abort (txn);
		if (rc == 0)
			return TRUE;
		if (rc == MDB_MAP_FULL) {
			g_clear_error (error);
			rc = vulnd_store_grow_map (store);
			if (rc == 0)
				continue;
		}
		if (error && !*error)
			vulnd_store_set_error (error, rc, "writing to the database");
		return FALSE;
	}
	g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
	             "the database map could not grow enough");
	return FALSE;
}

/* ---- small LMDB helpers ------------------------------------------------- */

int
vulnd_store_put_str (MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value,
                     unsigned int flags)
{
	MDB_val k = { strlen (key), (void *) key };
	MDB_val v = { strlen (value), (void *) value };

	return mdb_put (txn, dbi, &k, &v, flags);
}

char *
vulnd_store_get_str (MDB_txn *txn, MDB_dbi dbi, const char *key)
{
	MDB_val k = { strlen (key), (void *) key }, v;

	if (mdb_get (txn, dbi, &k, &v) != 0)
		return NULL;
	return g_strndup (v.mv_data, v.mv_size);
}

JsonObject *
vulnd_store_get_json (MDB_txn *txn, MDB_dbi dbi, const void *key, gsize key_len)
{
	MDB_val k = { key_len, (void *) key }, v;

	if (mdb_get (txn, dbi, &k, &v) != 0)
		return NULL;
	return vulnd_record_from_json (v.mv_data, v.mv_size, NULL);
}

int
vulnd_store_put_json (MDB_txn *txn, MDB_dbi dbi, const void *key, gsize key_len,
                      JsonObject *obj)
{
	g_autofree char *text = vulnd_record_to_json (obj, FALSE);
	MDB_val k = { key_len, (void *) key };
	MDB_val v = { strlen (text), text };

	return mdb_put (txn, dbi, &k, &v, 0);
}

/* id "\0" big-endian u32 revision */
GBytes *
vulnd_store_revision_key (const char *id, guint32 revision)
{
	gsize n = strlen (id);
	guint8 *buf = g_malloc (n + 5);
	guint32 be = GUINT32_TO_BE (revision);

	memcpy (buf, id, n);
	buf[n] = 0;
	memcpy (buf + n + 1, &be, 4);
	return g_bytes_new_take (buf, n + 5);
}

char *
vulnd_store_now (void)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

	return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- state -------------------------------------------------------------- */

typedef struct {
	const char *key, *value;
} StateSet;

static int
state_set_txn (VulndStore *store, MDB_txn *txn, gpointer data, GError **error)
{
	StateSet *s = data;
	(void) error;

	return vulnd_store_put_str (txn, store->dbi[VULND_DB_STATE], s->key, s->value, 0);
}

gboolean
vulnd_store_state_set (VulndStore *store, const char *key, const char *value,
                       GError **error)
{
	StateSet s = { key, value };

	g_return_val_if_fail (key && *key && value, FALSE);
	return vulnd_store_write (store, state_set_txn, &s, error);
}

char *
vulnd_store_state_get (VulndStore *store, const char *key, GError **error)
{
	MDB_txn *txn;
	int rc = vulnd_store_read_begin (store, &txn);
	char *value;

	if (rc != 0) {
		vulnd_store_set_error (error, rc, "reading the database");
		return NULL;
	}
	value = vulnd_store_get_str (txn, store->dbi[VULND_DB_STATE], key);
	mdb_txn_abort (txn);
	if (!value)
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND,
		             "no state '%s'", key);
	return value;
}
