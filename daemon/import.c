/* import.c - "vulnd import [--db DIR] [--keyring PATH] PATH...": backfill
 * from maildirs, mbox files and list archives (plain or .gz), one write
 * transaction per message, no alerts. */
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vulnd.h"
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

typedef struct {
	VulndStore *store;
	VulndKeyring *keyring;
	const char *source;   /* the PATH argument being read */
	guint64 read, by_outcome[VULND_OUTCOME_DUPLICATE + 1];
	gboolean progress;
	gboolean require_signature; /* [vulnd] require_signature of the config */
	gint64 started, last_progress;
	GError *error;        /* a store error: stops the import */
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
unverified_reason (Import *im, GPtrArray *records, VulndMail *mail)
{
	if (!im->require_signature || !records || records->len == 0 ||
	    (mail && mail->sig_status == VULND_SIG_VERIFIED))
		return NULL;
	return g_strdup_printf ("signature %s and require_signature=true",
	                        vulnd_sig_status_to_string (mail ? mail->sig_status : VULND_SIG_UNSIGNED));
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
commit_message (Import *im, const char *cursor, const char *data, gsize len,
                const char *sha, GPtrArray *records, VulndMail *mail, const char *quarantine)
{
	g_autofree char *source = g_strconcat ("import:", im->source, NULL);
	VulndStoreMessage msg = {
		.message_id = mail ? mail->message_id : NULL,
		.sha256 = sha, .raw = data, .raw_len = len,
		.source = source, .cursor = cursor,
		.records = records, .quarantine = quarantine,
	};
	VulndStoreResult result = { 0 };

	if (!vulnd_store_commit (im->store, &msg, &result, &im->error))
		return;
	im->by_outcome[result.outcome]++;
	vulnd_store_result_clear (&result);
}

static gboolean
on_message (const char *path, const char *cursor, const char *data, gsize len,
            gpointer user_data)
{
	Import *im = user_data;
	g_autofree char *sha = NULL;
	g_autofree char *where = *cursor ? g_strdup_printf ("%s:%s", path, cursor) : g_strdup (path);
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) records = NULL;
	VulndMail *mail = NULL;

	im->read++;
	records = vulnd_ingest_bytes (data, len, im->keyring, &mail, &error);
	/* the parser hashed the bytes already; only non-mail needs it here */
	sha = mail ? g_strdup (mail->sha256) : vulnd_sha256_hex (data, len);
	/* Malformed mail is kept with its reason, never fatal. */
	if (!records) {
		g_autofree char *reason = g_strdup_printf ("%s", error ? error->message : "unreadable");
		commit_message (im, where, data, len, sha, NULL, mail, reason);
	} else {
		g_autofree char *refused = unverified_reason (im, records, mail);
		commit_message (im, where, data, len, sha, records, mail, refused);
	}
	if (mail)
		vulnd_mail_free (mail);
	print_progress (im, FALSE);
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

		im->source = *p;
		if (!vulnd_source_foreach (*p, on_message, im, &error) && !im->error) {
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
	GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_opt, "database directory", "DIR" },
		{ "keyring", 'k', 0, G_OPTION_ARG_FILENAME, &keyring_opt,
		  "trusted OpenPGP keys (a directory of *.asc or one key file)", "PATH" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "configuration file", "FILE" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress bar", NULL },
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
	im.keyring = keyring;
	im.require_signature = config_requires_signature (config);
	im.progress = !quiet && isatty (STDERR_FILENO);
	im.started = im.last_progress = g_get_monotonic_time ();
	rc = import_paths (&im, paths);
	print_summary (&im);
	if (!vulnd_store_sync (store, &error)) {
		fprintf (stderr, "vulnd import: %s\n", error->message);
		rc = 3;
	}
	g_clear_error (&im.error);
	return rc;
}
