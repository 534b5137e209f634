/* import.c - "vulnd import [--db DIR] [--keyring PATH] [--jobs N] PATH...":
 * backfill from maildirs, mbox files and list archives (plain or .gz), no
 * alerts.  The main thread reads the messages, a pool of threads parses
 * them, and the main thread commits them in the order they were read, so
 * the database is the same whatever N; the commits are batched, each
 * message still all or nothing (VulndStoreBatch). */
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vulnd.h"
#include "ingest-private.h"
#include "sources.h"
#include "store.h"
#include "vulnd-db.h"
#include "vulnd-ingest.h"

#ifndef VULND_SYSCONFDIR
#define VULND_SYSCONFDIR "/etc"
#endif
#ifndef VULND_LOCALSTATEDIR
#define VULND_LOCALSTATEDIR "/var"
#endif

/* Messages between reading and committing, at most: parsers run ahead of
 * the commits by this much, which bounds the memory they hold. */
#define WINDOW_MESSAGES 64
#define WINDOW_BYTES ((gsize) 64 << 20)
/* One write transaction per this many messages or milliseconds. */
#define BATCH_MESSAGES 1000
#define BATCH_MSEC 250
#define MAX_DEFAULT_JOBS 8
#define MAX_JOBS 64

/* One message: read by the main thread, parsed by a worker, committed by
 * the main thread in the order it was read. */
typedef struct {
	char *data;
	gsize len;
	char *where;          /* the messages entry's cursor: PATH[:CURSOR] */
	char *source;         /* "import:" + the PATH argument */
	/* the parse, set by the worker */
	GPtrArray *records;
	GError *error;
	char *message_id;     /* of the mail, NULL when none */
	VulndSigStatus sig_status; /* VULND_SIG_UNSIGNED when no mail */
	char *sha;            /* of the bytes */
	gboolean done;        /* under Import.lock, with a worker */
} Job;

typedef struct {
	VulndStore *store;
	VulndStoreBatch *batch;
	VulndKeyring *keyring;
	const char *source;   /* the PATH argument being read */
	guint64 read, by_outcome[VULND_OUTCOME_DUPLICATE + 1];
	gboolean progress;
	gboolean require_signature; /* [vulnd] require_signature of the config */
	gint64 started, last_progress;
	GError *error;        /* a store error: stops the import */
	GQueue queue;         /* Job*: read and not yet committed, oldest first */
	gsize queued_bytes;
	const char *fail_cursor; /* $VULND_TEST_FAIL_COMMIT */
	/* The parsers (none with --jobs 1: the main thread parses).  pthread's
	 * locks rather than GMutex, whose futexes ThreadSanitizer cannot see:
	 * it checks the hand-over of each Job. */
	GPtrArray *workers;   /* GThread* */
	pthread_mutex_t lock;
	pthread_cond_t work_cond; /* for the workers: TODO or CLOSING */
	pthread_cond_t done_cond; /* for the main thread: AWAITED parsed */
	GQueue todo;          /* under lock: Job*, not yet taken by a worker */
	Job *awaited;         /* under lock */
	gboolean closing;     /* under lock: no more jobs, workers exit */
	gboolean stopping;    /* under lock: a store error, parse no more */
} Import;

/* The same rule as the daemon's: with require_signature=true an advisory
 * that is not verified is quarantined, never stored. */
static gboolean
config_requires_signature (const char *config)
{
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	const char *path = config ? config : VULND_SYSCONFDIR "/vulnd/vulnd.conf";

	if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
		return FALSE;
	return g_key_file_get_boolean (kf, "vulnd", "require_signature", NULL);
}

static char *
unverified_reason (Import *im, GPtrArray *records, VulndSigStatus sig_status)
{
	if (!im->require_signature || !records || records->len == 0 ||
	    sig_status == VULND_SIG_VERIFIED)
		return NULL;
	return g_strdup_printf ("signature %s and require_signature=true",
	                        vulnd_sig_status_to_string (sig_status));
}

static char *
config_value (const char *config, const char *key)
{
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	const char *path = config ? config : VULND_SYSCONFDIR "/vulnd/vulnd.conf";

	if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
		return NULL;
	return g_key_file_get_string (kf, "vulnd", key, NULL);
}

/* --db, else $VULND_DB, else database= of vulnd.conf, else the default. */
static char *
resolve_db (const char *db, const char *config)
{
	const char *env = g_getenv ("VULND_DB");
	char *conf;

	if (db)
		return g_strdup (db);
	if (env && *env)
		return g_strdup (env);
	conf = config_value (config, "database");
	return conf ? conf : g_strdup (VULND_LOCALSTATEDIR "/lib/vulnd");
}

static void
print_progress (Import *im, gboolean final)
{
	gint64 now = g_get_monotonic_time ();
	double secs = (now - im->started) / 1e6;

	if (!im->progress || (!final && now - im->last_progress < 100000))
		return;
	im->last_progress = now;
	fprintf (stderr, "\r\033[K[%s] %" G_GUINT64_FORMAT " messages, %" G_GUINT64_FORMAT
	         " advisories added, %.0f msg/s%s",
	         final ? "done" : "....", im->read, im->by_outcome[VULND_OUTCOME_ADDED],
	         secs > 0 ? im->read / secs : 0.0, final ? "\n" : "");
}

static void
job_free (Job *job)
{
	g_free (job->data);
	g_free (job->where);
	g_free (job->source);
	g_clear_pointer (&job->records, g_ptr_array_unref);
	g_clear_error (&job->error);
	g_free (job->message_id);
	g_free (job->sha);
	g_free (job);
}

/* The whole parse, verify and extract of one message; nothing shared but
 * the keyring, which locks.  The mail is freed here, by the thread that
 * allocated it: the commit needs three of its members. */
static void
parse (Import *im, Job *job)
{
	g_autoptr (VulndMail) mail = NULL;

	job->records = vulnd_ingest_bytes (job->data, job->len, im->keyring, &mail, &job->error);
	if (mail) {
		job->message_id = g_steal_pointer (&mail->message_id);
		job->sha = g_steal_pointer (&mail->sha256);
		job->sig_status = mail->sig_status;
	} else {
		job->sha = vulnd_sha256_hex (job->data, job->len);
	}
}

static gpointer
worker (gpointer data)
{
	Import *im = data;
	Job *job;

	pthread_mutex_lock (&im->lock);
	for (;;) {
		while (g_queue_is_empty (&im->todo) && !im->closing)
			pthread_cond_wait (&im->work_cond, &im->lock);
		if (!(job = g_queue_pop_head (&im->todo)))
			break;
		if (!im->stopping) {
			pthread_mutex_unlock (&im->lock);
			parse (im, job);
			pthread_mutex_lock (&im->lock);
		}
		job->done = TRUE;
		/* a wake-up only when awaited: most parses end before their turn */
		if (im->awaited == job)
			pthread_cond_signal (&im->done_cond);
	}
	pthread_mutex_unlock (&im->lock);
	return NULL;
}

static void
start_workers (Import *im, int jobs)
{
	pthread_mutex_init (&im->lock, NULL);
	pthread_cond_init (&im->work_cond, NULL);
	pthread_cond_init (&im->done_cond, NULL);
	if (jobs < 2)
		return;
	/* The keyring's first verification points GnuPG at its home with
	 * setenv ("GNUPGHOME"), which is unsafe while other threads may read
	 * the environment: do it now, with no other thread yet (later ones
	 * find it set and leave it).  GMime's one-time set-up likewise. */
	vulnd_mime_init ();
	if (vulnd_keyring_lock (im->keyring))
		vulnd_keyring_unlock ();
	im->workers = g_ptr_array_new ();
	for (int i = 0; i < jobs; i++) {
		g_autoptr (GError) error = NULL;
		GThread *thread = g_thread_try_new ("import-parse", worker, im, &error);

		if (!thread) {
			fprintf (stderr, "vulnd import: %s: parsing in %u threads\n", error->message,
			         MAX (im->workers->len, 1));
			break;
		}
		g_ptr_array_add (im->workers, thread);
	}
	if (im->workers->len == 0)
		g_clear_pointer (&im->workers, g_ptr_array_unref);
}

static void
stop_workers (Import *im)
{
	pthread_mutex_lock (&im->lock);
	im->closing = TRUE;
	pthread_cond_broadcast (&im->work_cond);
	pthread_mutex_unlock (&im->lock);
	for (guint i = 0; im->workers && i < im->workers->len; i++)
		g_thread_join (im->workers->pdata[i]);
	g_clear_pointer (&im->workers, g_ptr_array_unref);
	pthread_cond_destroy (&im->done_cond);
	pthread_cond_destroy (&im->work_cond);
	pthread_mutex_destroy (&im->lock);
}

static void
submit (Import *im, Job *job)
{
	if (!im->workers) {
		parse (im, job);
		job->done = TRUE;
		return;
	}
	pthread_mutex_lock (&im->lock);
	g_queue_push_tail (&im->todo, job);
	pthread_cond_signal (&im->work_cond);
	pthread_mutex_unlock (&im->lock);
}

/* Tests make one message's commit fail inside the store: LMDB refuses a key
 * this long, after the message's other writes. */
static const char *
test_failure_key (Import *im, const char *where)
{
	static char key[1024];

	if (!im->fail_cursor || !g_str_has_suffix (where, im->fail_cursor))
		return NULL;
	if (!key[0])
		memset (key, 'k', sizeof key - 1);
	return key;
}

static void
commit_message (Import *im, Job *job, GPtrArray *records, const char *quarantine)
{
	VulndStoreMessage msg = {
		.message_id = job->message_id,
		.sha256 = job->sha,
		.raw = job->data, .raw_len = job->len,
		.source = job->source, .cursor = job->where,
		.records = records, .quarantine = quarantine,
		.state_key = test_failure_key (im, job->where), .state_value = "",
	};
	VulndStoreResult result = { 0 };

	if (vulnd_store_batch_add (im->batch, &msg, &result, &im->error)) {
		im->by_outcome[result.outcome]++;
	} else {
		g_prefix_error (&im->error, "%s: ", job->where);
		pthread_mutex_lock (&im->lock);
		im->stopping = TRUE;
		pthread_mutex_unlock (&im->lock);
	}
	vulnd_store_result_clear (&result);
}

static void
commit_job (Import *im, Job *job)
{
	im->read++;
	/* Malformed mail is kept with its reason, never fatal. */
	if (!job->records) {
		g_autofree char *reason = g_strdup (job->error ? job->error->message : "unreadable");
		commit_message (im, job, NULL, reason);
	} else {
		g_autofree char *refused = unverified_reason (im, job->records, job->sig_status);
		commit_message (im, job, job->records, refused);
	}
	print_progress (im, FALSE);
}

/* Wait for the oldest message's parse and commit it (after a store error:
 * drop it). */
static void
retire_oldest (Import *im)
{
	Job *job = g_queue_pop_head (&im->queue);

	pthread_mutex_lock (&im->lock);
	im->awaited = job;
	while (!job->done)
		pthread_cond_wait (&im->done_cond, &im->lock);
	im->awaited = NULL;
	pthread_mutex_unlock (&im->lock);
	im->queued_bytes -= job->len;
	if (!im->error)
		commit_job (im, job);
	job_free (job);
}

static gboolean
oldest_done (Import *im)
{
	Job *job = g_queue_peek_head (&im->queue);
	gboolean done;

	if (!job)
		return FALSE;
	pthread_mutex_lock (&im->lock);
	done = job->done;
	pthread_mutex_unlock (&im->lock);
	return done;
}

static void
drain (Import *im)
{
	while (!g_queue_is_empty (&im->queue))
		retire_oldest (im);
}

static gboolean
on_message (const char *path, const char *cursor, const char *data, gsize len,
            gpointer user_data)
{
	Import *im = user_data;
	Job *job;

	/* a directory's next file after a store error */
	if (im->error)
		return FALSE;
	while (!g_queue_is_empty (&im->queue)
	       && (im->queue.length >= WINDOW_MESSAGES || im->queued_bytes + len > WINDOW_BYTES))
		retire_oldest (im);
	if (im->error)
		return FALSE;
	job = g_new0 (Job, 1);
	job->data = g_memdup2 (data, len);
	job->len = len;
	job->where = *cursor ? g_strdup_printf ("%s:%s", path, cursor) : g_strdup (path);
	job->source = g_strconcat ("import:", im->source, NULL);
	g_queue_push_tail (&im->queue, job);
	im->queued_bytes += len;
	submit (im, job);
	while (oldest_done (im))
		retire_oldest (im);
	return im->error == NULL;
}

static void
print_summary (Import *im)
{
	guint64 *n = im->by_outcome;

	print_progress (im, TRUE);
	printf ("%" G_GUINT64_FORMAT " messages read, %" G_GUINT64_FORMAT " added, %"
	        G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT " unchanged, %" G_GUINT64_FORMAT
	        " ignored, %" G_GUINT64_FORMAT " quarantined, %" G_GUINT64_FORMAT
	        " duplicates, %" G_GUINT64_FORMAT " rejected\n",
	        im->read, n[VULND_OUTCOME_ADDED], n[VULND_OUTCOME_UPDATED],
	        n[VULND_OUTCOME_UNCHANGED], n[VULND_OUTCOME_IGNORED],
	        n[VULND_OUTCOME_QUARANTINED], n[VULND_OUTCOME_DUPLICATE],
	        n[VULND_OUTCOME_REJECTED]);
	fflush (stdout);
}

static int
import_paths (Import *im, char **paths)
{
	int rc = 0;

	for (char **p = paths; *p && !im->error; p++) {
		g_autoptr (GError) error = NULL;
		gboolean ok;

		im->source = *p;
		ok = vulnd_source_foreach (*p, on_message, im, &error);
		drain (im);
		if (!ok && !im->error) {
			if (im->progress)
				fputc ('\n', stderr);
			fprintf (stderr, "vulnd import: %s\n", error->message);
			rc = 3;
		}
	}
	if (im->error) {
		fprintf (stderr, "\nvulnd import: %s\n", im->error->message);
		rc = 3;
	}
	return rc;
}

int
vulnd_import_main (int argc, char **argv)
{
	g_autofree char *db_opt = NULL, *keyring_opt = NULL, *config = NULL, *db = NULL;
	g_auto (GStrv) paths = NULL;
	gboolean quiet = FALSE;
	int jobs = G_MININT; /* not given */
	GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_opt, "database directory", "DIR" },
		{ "keyring", 'k', 0, G_OPTION_ARG_FILENAME, &keyring_opt,
		  "trusted OpenPGP keys (a directory of *.asc or one key file)", "PATH" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "configuration file", "FILE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress bar", NULL },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "parse in N threads (default: one per processor, at most 8)", "N" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "PATH..." },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx = g_option_context_new ("PATH... - import mail (mbox, maildir, .gz archives, messages)");
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (VulndKeyring) keyring = NULL;
	Import im = { 0 };
	int rc;

	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		return 2;
	}
	if (!paths || !paths[0]) {
		fprintf (stderr, "vulnd import: no PATH given (mbox, maildir, archive or message)\n");
		return 2;
	}
	if (jobs == G_MININT)
		jobs = MIN (g_get_num_processors (), MAX_DEFAULT_JOBS);
	if (jobs < 1 || jobs > MAX_JOBS) {
		fprintf (stderr, "vulnd import: --jobs takes a number from 1 to %d\n", MAX_JOBS);
		return 2;
	}
	db = resolve_db (db_opt, config);
	if (!keyring_opt)
		keyring_opt = config_value (config, "keyring");
	keyring = vulnd_keyring_open (keyring_opt, &error);
	if (!keyring) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		return 3;
	}
	store = vulnd_store_open (db, TRUE, &error);
	if (!store) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		return 3;
	}
	/* No fsync per message: a killed import leaves a consistent database
	 * (LMDB writes each commit through the page cache); only an OS crash
	 * can lose the last messages, which a re-run imports again. */
	vulnd_store_set_nosync (store, TRUE);
	im.store = store;
	im.batch = vulnd_store_batch_new (store, BATCH_MESSAGES, BATCH_MSEC);
	im.keyring = keyring;
	im.require_signature = config_requires_signature (config);
	im.progress = !quiet && isatty (STDERR_FILENO);
	im.fail_cursor = g_getenv ("VULND_TEST_FAIL_COMMIT");
	g_queue_init (&im.queue);
	g_queue_init (&im.todo);
	start_workers (&im, jobs);
	im.started = im.last_progress = g_get_monotonic_time ();
	rc = import_paths (&im, paths);
	stop_workers (&im);
	/* what was stored before a store error stays stored */
	if (!vulnd_store_batch_flush (im.batch, &error)) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		g_clear_error (&error);
		rc = 3;
	}
	print_summary (&im);
	if (!vulnd_store_sync (store, &error)) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		rc = 3;
	}
	vulnd_store_batch_free (im.batch);
	g_clear_error (&im.error);
	return rc;
}
