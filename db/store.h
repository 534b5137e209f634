/* store.h - the LMDB advisory store (one environment, named sub-databases).
 *
 * Layout (see docs/design.md of the project):
 *   advisories  id -> current record (JSON)
 *   revisions   id "\0" + big-endian u32 revision -> record as it was,
 *               including rejected revisions (JSON with "rejected": reason)
 *   by_cve      CVE id -> ids (MDB_DUPSORT)
 *   by_product  lower-case product -> ids (MDB_DUPSORT)
 *   by_date     YYYY-MM-DD + id -> ""
 *   messages    Message-ID (or "sha256:" + hex when absent) -> JSON
 *               {source, cursor, outcome, ids, reason, sha256, time}
 *   raw         sha256 -> raw message bytes (advisories, quarantined mail)
 *   changes     big-endian u64 seq -> JSON {seq, id, revision, event, time}
 *   state       "schema", "imap/<account>/uidvalidity", ".../uid",
 *               "notify/cursor", ... -> string values
 *
 * Every message is committed in ONE write transaction, or whole within a
 * batch's (VulndStoreBatch).  Readers open the environment read-only from
 * other processes while vulnd writes.
 */
#ifndef VULND_STORE_H
#define VULND_STORE_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VULND_STORE_SCHEMA 1

#define VULND_STORE_ERROR (vulnd_store_error_quark ())
GQuark vulnd_store_error_quark (void);

typedef enum {
	VULND_STORE_ERROR_OPEN,      /* missing, unreadable, corrupt environment */
	VULND_STORE_ERROR_PERMISSION,/* not allowed: e.g. not in the db's group */
	VULND_STORE_ERROR_SCHEMA,    /* written by a newer vulnd */
	VULND_STORE_ERROR_NOT_FOUND,
	VULND_STORE_ERROR_FAILED,    /* any other LMDB error */
} VulndStoreError;

typedef struct _VulndStore VulndStore;

/* WRITABLE: create the environment when missing (group-writable lock file).
 * Read-only: fails with a clear message when DIR holds no database. */
VulndStore *vulnd_store_open (const char *dir, gboolean writable, GError **error);
void vulnd_store_close (VulndStore *store);
/* Bulk import: commit without fsync (a killed process still leaves a
 * consistent database; an OS crash may lose the last transactions), then
 * vulnd_store_sync at the end.  Closing a writable store also syncs. */
void vulnd_store_set_nosync (VulndStore *store, gboolean nosync);
gboolean vulnd_store_sync (VulndStore *store, GError **error);
const char *vulnd_store_path (VulndStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndStore, vulnd_store_close)

/* ---- writing one message ------------------------------------------------ */

typedef enum {
	VULND_OUTCOME_ADDED,       /* a new advisory */
	VULND_OUTCOME_UPDATED,     /* a new revision of a known advisory */
	VULND_OUTCOME_UNCHANGED,   /* the same advisory again: nothing changed */
	VULND_OUTCOME_REJECTED,    /* unverified record kept as a rejected revision */
	VULND_OUTCOME_IGNORED,     /* not an advisory */
	VULND_OUTCOME_QUARANTINED, /* malformed or refused, kept with its reason */
	VULND_OUTCOME_DUPLICATE,   /* this message (Message-ID / sha256) was seen */
} VulndOutcome;

const char *vulnd_outcome_to_string (VulndOutcome outcome);

typedef struct {
	const char *message_id;      /* NULL: dedupe on sha256 */
	const char *sha256;          /* of RAW, lower-case hex; required */
	const char *raw;             /* raw message bytes */
	gsize raw_len;
	const char *source;          /* "maildir:/path", "imap:NAME", "import" */
	const char *cursor;          /* where in the source (file name, UID, offset) */
	GPtrArray *records;          /* JsonObject* from ingest; may be empty */
	const char *quarantine;      /* non-NULL: quarantine with this reason */
	/* source cursor committed in the same transaction (both may be NULL) */
	const char *state_key;
	const char *state_value;
	/* TRUE (reindex): the message was seen before; skip the dedupe and
	 * apply its (re-extracted) records again. */
	gboolean reprocess;
} VulndStoreMessage;

typedef struct {
	VulndOutcome outcome;        /* of the message as a whole (the "strongest") */
	GPtrArray *events;           /* JsonObject* changes entries written, may be empty */
} VulndStoreResult;

void vulnd_store_result_clear (VulndStoreResult *result);

/* Commit everything MSG changes in one write transaction. */
gboolean vulnd_store_commit (VulndStore *store, const VulndStoreMessage *msg,
                             VulndStoreResult *result, GError **error);

/* ---- writing many messages (bulk import) ------------------------------- */

/* A batch commits many messages in one write transaction, each applied
 * exactly as vulnd_store_commit would and still all or nothing: one whose
 * writes fail leaves no trace (the batch applies the messages before it
 * again in a new transaction) and the batch's other messages stay.  The
 * pages every message touches (indexes, counters, the changes log) are
 * written to the file once per batch instead of once per message.  Readers
 * see a batch's messages when it commits: every MAX_MESSAGES messages or
 * once MAX_MSEC have passed since its first one (checked as messages are
 * added; 0: no limit), past 16 MiB of raw mail held for such a replay, and
 * at vulnd_store_batch_flush.  The batch holds the database's write lock
 * meanwhile.  A commit that fails (an I/O error) loses the batch's
 * messages, never part of one.  The daemon, which answers for each message
 * at once, uses vulnd_store_commit. */
typedef struct _VulndStoreBatch VulndStoreBatch;

VulndStoreBatch *vulnd_store_batch_new (VulndStore *store, guint max_messages,
                                        guint max_msec);
/* As vulnd_store_commit, inside the batch: RESULT is final, but durable and
 * visible only when the batch commits.  On failure the message is not
 * stored and the batch goes on, unless the error names the batch's
 * messages as lost.  MSG's records are referenced until the commit: leave
 * them unchanged.  No other write to STORE while the batch holds messages
 * (its transaction holds the write lock). */
gboolean vulnd_store_batch_add (VulndStoreBatch *batch, const VulndStoreMessage *msg,
                                VulndStoreResult *result, GError **error);
/* Commit the messages added so far. */
gboolean vulnd_store_batch_flush (VulndStoreBatch *batch, GError **error);
/* Messages added since the last commit. */
guint vulnd_store_batch_pending (VulndStoreBatch *batch);
/* Abort what was not committed, and free BATCH. */
void vulnd_store_batch_free (VulndStoreBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndStoreBatch, vulnd_store_batch_free)

/* Set one state key in its own transaction (e.g. notify/cursor). */
gboolean vulnd_store_state_set (VulndStore *store, const char *key, const char *value,
                                GError **error);

/* ---- reading ------------------------------------------------------------ */

/* NULL (error NOT_FOUND) when unknown; REVISION 0 is the current record. */
char *vulnd_store_state_get (VulndStore *store, const char *key, GError **error);
JsonObject *vulnd_store_get (VulndStore *store, const char *id, guint revision,
                             GError **error);
/* Every revision of ID, oldest first. */
GPtrArray *vulnd_store_history (VulndStore *store, const char *id, GError **error);

typedef struct {
	const char *kind;     /* "ossa" / "ossn" / NULL */
	const char *product;  /* lower case / NULL */
	const char *cve;      /* CVE id / NULL */
	const char *since;    /* YYYY-MM-DD inclusive / NULL */
	const char *until;    /* YYYY-MM-DD inclusive / NULL */
	const char *text;     /* case-insensitive substring of title/description */
} VulndStoreFilter;

/* Current records matching FILTER (NULL: all), in date order. */
GPtrArray *vulnd_store_list (VulndStore *store, const VulndStoreFilter *filter,
                             GError **error);

/* changes entries with seq > SINCE, at most LIMIT (0: all), in order. */
GPtrArray *vulnd_store_changes (VulndStore *store, guint64 since, guint limit,
                                GError **error);

typedef struct {
	char *path;
	guint schema;
	guint64 advisories, ossa, ossn, revisions, messages, quarantined, ignored;
	guint64 last_seq;
	char *last_change_time;  /* ISO 8601 */
	char *last_message_time;
	guint64 map_size, used_bytes;
} VulndStoreStatus;

gboolean vulnd_store_status (VulndStore *store, VulndStoreStatus *status, GError **error);
void vulnd_store_status_clear (VulndStoreStatus *status);

/* Quarantined messages: JsonObject* {key, reason, source, time, sha256}. */
GPtrArray *vulnd_store_quarantine (VulndStore *store, GError **error);

/* Stored raw messages, for reindex: calls FN for each (sha256, bytes). */
typedef gboolean (*VulndRawFn) (const char *sha256, const char *raw, gsize len,
                                gpointer user_data);
gboolean vulnd_store_foreach_raw (VulndStore *store, VulndRawFn fn, gpointer user_data,
                                  GError **error);

G_END_DECLS

#endif
