/* daemon.c - the vulnd service: sources, store and notifications on one
 * sd-event loop (inotify, IMAP sockets, hook children, timers, signals,
 * the watchdog).  See vulnd(8).
 *
 * Test hook: VULND_TEST_CRASH_AFTER_COMMIT=1 makes vulnd SIGKILL itself
 * right after a commit that wrote changes and before their delivery, to
 * prove that the alert is delivered once after a restart.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include <gio/gio.h>
#include "daemon/config.h"
#include "daemon/dbus.h"
#include "daemon/notify.h"
#include "daemon/source-imap.h"
#include "daemon/vulnd.h"
#include "daemon/watch-maildir.h"
#include "db/store.h"
#include "ingest/imap-guard.h"
#include "ingest/vulnd-ingest.h"

#define EXIT_CONFIG 2

typedef struct {
	sd_event *event;
	char *config_path;      /* NULL: the built-in default under default_dir */
	char *default_dir;
	FILE *alerts;           /* stdout with the built-in default, else NULL */
	VulndConfig *config;
	VulndStore *store;
	VulndKeyring *keyring;
	VulndBus *bus;
	VulndNotifier *notifier;
	VulndMaildir *maildir;
	GPtrArray *imap;        /* VulndImapSource* */
	/* for Status */
	guint64 processed, failed;
	char *last_message;
	char *last_error;
	char *started;
} Daemon;

/* ---- status ------------------------------------------------------------- */

static JsonObject *imap_status (Daemon *d, guint i);

static void
set_last_error (Daemon *d, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
set_last_error (Daemon *d, const char *fmt, ...)
{
	va_list ap;

	g_free (d->last_error);
	va_start (ap, fmt);
	d->last_error = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	vulnd_log (LOG_ERR, "%s", d->last_error);
}

static void
notify_status (Daemon *d)
{
	sd_notifyf (0, "STATUS=%" G_GUINT64_FORMAT " messages processed, %u queued, %" G_GUINT64_FORMAT
	            " failed%s%s", d->processed, vulnd_maildir_pending (d->maildir), d->failed,
	            d->last_error ? "; last error: " : "", d->last_error ? d->last_error : "");
}

static JsonObject *
maildir_status (Daemon *d)
{
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "type", "maildir");
	json_object_set_string_member (o, "name", "maildir");
	json_object_set_string_member (o, "path", vulnd_maildir_path (d->maildir));
	json_object_set_string_member (o, "state", "watching");
	json_object_set_int_member (o, "queued", vulnd_maildir_pending (d->maildir));
	return o;
}

static void
add_store_status (Daemon *d, JsonObject *o)
{
	VulndStoreStatus st = { 0 };
	g_autoptr (GError) error = NULL;

	if (!vulnd_store_status (d->store, &st, &error)) {
		json_object_set_string_member (o, "database_error", error->message);
		return;
	}
	json_object_set_int_member (o, "advisories", (gint64) st.advisories);
	json_object_set_int_member (o, "last_seq", (gint64) st.last_seq);
	if (st.last_change_time)
		json_object_set_string_member (o, "last_change_time", st.last_change_time);
	vulnd_store_status_clear (&st);
}

static JsonObject *
daemon_status (gpointer user_data)
{
	Daemon *d = user_data;
	JsonObject *o = json_object_new ();
	JsonArray *sources = json_array_new ();

	json_object_set_string_member (o, "version", PACKAGE_VERSION);
	json_object_set_int_member (o, "pid", getpid ());
	json_object_set_string_member (o, "started", d->started);
	json_object_set_string_member (o, "config", d->config->path);
	json_object_set_string_member (o, "database", d->config->database);
	if (d->maildir)
		json_array_add_object_element (sources, maildir_status (d));
	for (guint i = 0; d->imap && i < d->imap->len; i++)
		json_array_add_object_element (sources, imap_status (d, i));
	json_object_set_array_member (o, "sources", sources);
	json_object_set_int_member (o, "messages_processed", (gint64) d->processed);
	json_object_set_int_member (o, "messages_failed", (gint64) d->failed);
	if (d->last_message)
		json_object_set_string_member (o, "last_message", d->last_message);
	if (d->last_error)
		json_object_set_string_member (o, "last_error", d->last_error);
	add_store_status (d, o);
	if (d->notifier)
		vulnd_notifier_status (d->notifier, o);
	return o;
}

/* ---- one message -------------------------------------------------------- */

typedef struct {
	const char *source;
	const char *cursor;
	const char *state_key;   /* committed with the message, may be NULL */
	const char *state_value;
} Origin;

static char *
quarantine_reason (Daemon *d, GPtrArray *records, VulndMail *mail, GError *error)
{
	if (records == NULL)
		return g_strdup (error ? error->message : "unreadable message");
	if (d->config->require_signature && records->len > 0 &&
	    (mail == NULL || mail->sig_status != VULND_SIG_VERIFIED))
		return g_strdup_printf ("signature %s and require_signature=true",
		                        vulnd_sig_status_to_string (mail ? mail->sig_status : VULND_SIG_UNSIGNED));
	return NULL;
}

static void
maybe_crash_for_test (const VulndStoreResult *result)
{
	const char *crash = g_getenv ("VULND_TEST_CRASH_AFTER_COMMIT");

	if (crash && strcmp (crash, "1") == 0 && result->events && result->events->len > 0)
		raise (SIGKILL);
}

/* Parse, commit in one transaction, then deliver what changed.  Errors are
 * logged and counted: one bad message never stops the service. */
static gboolean
ingest_message (Daemon *d, const char *data, gsize len, const Origin *origin)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (GPtrArray) records = vulnd_ingest_bytes (data, len, d->keyring, &mail, &error);
	g_autofree char *reason = quarantine_reason (d, records, mail, error);
	g_autofree char *sha = mail ? NULL : vulnd_sha256_hex (data, len);
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	VulndStoreMessage msg = {
		.message_id = mail ? mail->message_id : NULL,
		.sha256 = mail ? mail->sha256 : sha,
		.raw = data, .raw_len = len,
		.source = origin->source, .cursor = origin->cursor,
		.records = records ? records : none,
		.quarantine = reason,
		.state_key = origin->state_key, .state_value = origin->state_value,
	};
	VulndStoreResult result = { 0 };
	g_autoptr (GError) commit_error = NULL;

	if (!vulnd_store_commit (d->store, &msg, &result, &commit_error)) {
		d->failed++;
		set_last_error (d, "%s %s: not stored: %s", origin->source, origin->cursor,
		                commit_error->message);
		return FALSE;
	}
	d->processed++;
	g_free (d->last_message);
	d->last_message = g_strdup_printf ("%s %s: %s", origin->source, origin->cursor,
	                                   vulnd_outcome_to_string (result.outcome));
	if (reason)
		vulnd_log (LOG_WARNING, "%s %s: quarantined: %s", origin->source, origin->cursor, reason);
	maybe_crash_for_test (&result);
	vulnd_store_result_clear (&result);
	if (!vulnd_notifier_deliver (d->notifier, &commit_error))
		set_last_error (d, "delivery: %s", commit_error->message);
	return TRUE;
}

/* A message the source would not fetch (over the IMAP size limit): no
 * bytes to keep, but a quarantine entry saying where it is and why, and
 * the source's cursor moves past it like past any other. */
static gboolean
quarantine_unfetched (Daemon *d, gsize size, const Origin *origin)
{
	g_autofree char *where = g_strdup_printf ("%s %s", origin->source, origin->cursor);
	g_autofree char *sha = vulnd_sha256_hex (where, strlen (where));
	g_autofree char *reason = g_strdup_printf ("not fetched from %s: %" G_GSIZE_FORMAT " bytes,"
	                                           " over the limit of %u bytes", where, size,
	                                           VULND_IMAP_MESSAGE_MAX);
	g_autoptr (GPtrArray) none = g_ptr_array_new ();
	VulndStoreMessage msg = {
		.sha256 = sha, .raw = "", .raw_len = 0,
		.source = origin->source, .cursor = origin->cursor,
		.records = none, .quarantine = reason,
		.state_key = origin->state_key, .state_value = origin->state_value,
	};
	VulndStoreResult result = { 0 };
	g_autoptr (GError) error = NULL;

	if (!vulnd_store_commit (d->store, &msg, &result, &error)) {
		d->failed++;
		set_last_error (d, "%s: not stored: %s", where, error->message);
		return FALSE;
	}
	d->processed++;
	vulnd_log (LOG_WARNING, "quarantined: %s", reason);
	vulnd_store_result_clear (&result);
	return TRUE;
}

static void
on_maildir_file (const char *path, const char *uniq, gpointer user_data)
{
	Daemon *d = user_data;
	g_autofree char *key = g_strdup_printf ("maildir/seen/%s", uniq);
	g_autofree char *seen = vulnd_store_state_get (d->store, key, NULL);
	g_autofree char *source = NULL;
	g_autofree char *data = NULL;
	g_autofree char *name = NULL;
	g_autoptr (GError) error = NULL;
	gsize len = 0;

	/* the cheap check that keeps the catch-up scan fast */
	if (seen != NULL)
		return;
	if (!g_file_get_contents (path, &data, &len, &error)) {
		d->failed++;
		set_last_error (d, "%s", error->message);
		return;
	}
	source = g_strdup_printf ("maildir:%s", d->config->maildir);
	name = g_path_get_basename (path);
	ingest_message (d, data, len, &(Origin) { source, name, key, name });
	notify_status (d);
}

static gboolean
on_imap_message (const char *raw, gsize len, const char *source, const char *cursor,
                 const char *state_key, const char *state_value, gpointer user_data)
{
	Daemon *d = user_data;
	Origin origin = { source, cursor, state_key, state_value };
	gboolean ok = raw ? ingest_message (d, raw, len, &origin) : quarantine_unfetched (d, len, &origin);

	notify_status (d);
	return ok;
}

static gboolean
imap_start (Daemon *d, GError **error)
{
	d->imap = g_ptr_array_new_with_free_func ((GDestroyNotify) vulnd_imap_source_free);
	for (guint i = 0; i < d->config->imap->len; i++) {
		const VulndImapAccount *a = d->config->imap->pdata[i];
		g_autofree char *key = vulnd_imap_source_state_key (a);
		g_autoptr (GError) local = NULL;
		g_autofree char *last = vulnd_store_state_get (d->store, key, &local);

		if (last == NULL && !g_error_matches (local, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND)) {
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		g_ptr_array_add (d->imap, vulnd_imap_source_new (d->event, a, last, on_imap_message, d));
	}
	return TRUE;
}

static JsonObject *
imap_status (Daemon *d, guint i)
{
	const VulndImapAccount *a = d->config->imap->pdata[i];
	VulndImapSource *src = d->imap->pdata[i];
	const char *err = vulnd_imap_source_last_error (src);
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "type", "imap");
	json_object_set_string_member (o, "name", *a->name ? a->name : "default");
	json_object_set_string_member (o, "host", a->host);
	json_object_set_int_member (o, "port", a->port);
	json_object_set_string_member (o, "mailbox", a->mailbox);
	json_object_set_string_member (o, "state", vulnd_imap_source_state (src));
	json_object_set_int_member (o, "fetched", (gint64) vulnd_imap_source_fetched (src));
	if (err)
		json_object_set_string_member (o, "last_error", err);
	return o;
}

/* ---- start and stop ----------------------------------------------------- */

/* KEEP_NOTIFIER: a reload with the same database, whose notifier lives on
 * (see vulnd_notifier_detach) so that its hooks in flight finish. */
static void
components_stop (Daemon *d, gboolean keep_notifier)
{
	g_clear_pointer (&d->maildir, vulnd_maildir_free);
	g_clear_pointer (&d->imap, g_ptr_array_unref);
	if (keep_notifier && d->notifier)
		vulnd_notifier_detach (d->notifier);
	else
		g_clear_pointer (&d->notifier, vulnd_notifier_free);
	g_clear_pointer (&d->bus, vulnd_bus_free);
	g_clear_pointer (&d->keyring, vulnd_keyring_free);
	g_clear_pointer (&d->store, vulnd_store_close);
}

static gboolean
prepare_demo_maildir (const char *maildir, GError **error)
{
	static const char *const subs[] = { "new", "cur", "tmp" };

	for (guint i = 0; i < G_N_ELEMENTS (subs); i++) {
		g_autofree char *p = g_build_filename (maildir, subs[i], NULL);
		if (g_mkdir_with_parents (p, 0750) != 0) {
			g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot create %s: %s",
			             p, g_strerror (errno));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
components_start (Daemon *d, GError **error)
{
	VulndConfig *c = d->config;

	if (g_mkdir_with_parents (c->database, 0770) != 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "cannot create %s: %s",
		             c->database, g_strerror (errno));
		return FALSE;
	}
	if (!(d->store = vulnd_store_open (c->database, TRUE, error)))
		return FALSE;
	if (c->keyring && !(d->keyring = vulnd_keyring_open (c->keyring, error)))
		return FALSE;
	if (c->dbus && strcmp (c->dbus, "none") != 0 &&
	    !(d->bus = vulnd_bus_open (d->event, c->dbus, daemon_status, d, error)))
		return FALSE;
	if (d->notifier)  /* kept by a reload */
		vulnd_notifier_attach (d->notifier, d->store, c, d->bus);
	else if (!(d->notifier = vulnd_notifier_new (d->event, d->store, c, d->bus, d->alerts, error)))
		return FALSE;
	/* changes committed before a crash and never delivered */
	if (!vulnd_notifier_deliver (d->notifier, error))
		return FALSE;
	if (c->maildir) {
		if (d->config_path == NULL && !prepare_demo_maildir (c->maildir, error))
			return FALSE;
		if (!(d->maildir = vulnd_maildir_watch (d->event, c->maildir, on_maildir_file, d, error)))
			return FALSE;
	}
	return imap_start (d, error);
}

static VulndConfig *
load_config (Daemon *d, GError **error)
{
	if (d->config_path)
		return vulnd_config_load (d->config_path, error);
	return vulnd_config_new_default (d->default_dir);
}

static void
describe_start (Daemon *d)
{
	vulnd_log (LOG_INFO, "started: config %s, database %s, maildir %s, D-Bus %s",
	           d->config->path, d->config->database,
	           d->config->maildir ? d->config->maildir : "none", d->config->dbus);
}

/* ---- signals ------------------------------------------------------------ */

static int
on_terminate (sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	sd_notify (0, "STOPPING=1");
	return sd_event_exit (sd_event_source_get_event (s), 0);
}

static int
on_reload (sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	Daemon *d = userdata;
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndConfig) fresh = NULL;
	VulndConfig *old;
	gboolean same_database;

	sd_notify (0, "RELOADING=1");
	fresh = load_config (d, &error);
	if (fresh == NULL) {
		set_last_error (d, "reload refused, keeping the running configuration: %s", error->message);
		sd_notify (0, "READY=1");
		return 0;
	}
	/* the seqs of hooks in flight mean nothing in another database */
	same_database = g_strcmp0 (fresh->database, d->config->database) == 0;
	components_stop (d, same_database);
	old = d->config;
	d->config = g_steal_pointer (&fresh);
	if (!components_start (d, &error)) {
		set_last_error (d, "reload failed, back to the previous configuration: %s", error->message);
		g_clear_error (&error);
		components_stop (d, same_database);
		vulnd_config_free (d->config);
		d->config = old;
		if (!components_start (d, &error)) {
			set_last_error (d, "cannot restart: %s", error->message);
			return sd_event_exit (d->event, 1);
		}
	} else {
		vulnd_config_free (old);
		vulnd_log (LOG_INFO, "configuration reloaded");
	}
	sd_notify (0, "READY=1");
	notify_status (d);
	return 0;
}

static gboolean
setup_loop (Daemon *d, GError **error)
{
	sigset_t mask;
	int r;

	/* sd-event takes signals through signalfd and reaps hooks itself */
	sigemptyset (&mask);
	sigaddset (&mask, SIGTERM);
	sigaddset (&mask, SIGINT);
	sigaddset (&mask, SIGHUP);
	sigaddset (&mask, SIGCHLD);
	sigprocmask (SIG_BLOCK, &mask, NULL);
	r = sd_event_default (&d->event);
	if (r >= 0)
		r = sd_event_add_signal (d->event, NULL, SIGTERM, on_terminate, d);
	if (r >= 0)
		r = sd_event_add_signal (d->event, NULL, SIGINT, on_terminate, d);
	if (r >= 0)
		r = sd_event_add_signal (d->event, NULL, SIGHUP, on_reload, d);
	if (r >= 0)
		r = sd_event_set_watchdog (d->event, TRUE);
	if (r < 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "event loop: %s",
		             g_strerror (-r));
		return FALSE;
	}
	return TRUE;
}

/* ---- main --------------------------------------------------------------- */

typedef struct {
	char *config;
	char *demo;
	gboolean foreground;
} Options;

static gboolean
parse_options (int *argc, char ***argv, Options *o)
{
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config,
		  "configuration file (default " VULND_SYSCONFDIR "/vulnd/vulnd.conf)", "FILE" },
		{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &o->foreground,
		  "stay in the foreground (vulnd never forks; accepted for clarity)", NULL },
		{ "demo", 0, 0, G_OPTION_ARG_FILENAME, &o->demo,
		  "built-in default under DIR: DIR/maildir, DIR/db, alerts on stdout", "DIR" },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx = g_option_context_new ("- follow OpenStack security advisories");
	g_autoptr (GError) error = NULL;

	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx, "Also: vulnd import PATH... (backfill). See vulnd(8).");
	if (!g_option_context_parse (ctx, argc, argv, &error) || *argc > 1) {
		fprintf (stderr, "vulnd: %s\n", error ? error->message : "unexpected arguments");
		return FALSE;
	}
	if (o->config && o->demo) {
		fprintf (stderr, "vulnd: --config and --demo exclude each other\n");
		return FALSE;
	}
	return TRUE;
}

static char *
default_dir (void)
{
	const char *state = g_getenv ("STATE_DIRECTORY");

	if (state && *state)
		return g_strdup (state);
	return g_build_filename (g_get_user_state_dir (), "vulnd", NULL);
}

static char *
now_iso8601 (void)
{
	g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

	return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
daemon_clear (Daemon *d)
{
	components_stop (d, FALSE);
	g_clear_pointer (&d->config, vulnd_config_free);
	d->event = sd_event_unref (d->event);
	g_free (d->config_path);
	g_free (d->default_dir);
	g_free (d->last_message);
	g_free (d->last_error);
	g_free (d->started);
}

static int
run (Daemon *d)
{
	g_autoptr (GError) error = NULL;
	int r;

	if (!setup_loop (d, &error) || !components_start (d, &error)) {
		vulnd_log (LOG_ERR, "%s", error->message);
		sd_notifyf (0, "STATUS=failed: %s", error->message);
		return 1;
	}
	describe_start (d);
	sd_notify (0, "READY=1");
	notify_status (d);
	r = sd_event_loop (d->event);
	if (r < 0) {
		vulnd_log (LOG_ERR, "event loop: %s", g_strerror (-r));
		return 1;
	}
	vulnd_log (LOG_INFO, "stopped");
	return r;
}

int
vulnd_daemon_main (int argc, char **argv)
{
	Options o = { 0 };
	Daemon d = { 0 };
	g_autoptr (GError) error = NULL;
	const char *etc = VULND_SYSCONFDIR "/vulnd/vulnd.conf";
	int rc;

	if (!parse_options (&argc, &argv, &o))
		return EXIT_CONFIG;
	if (o.config)
		d.config_path = g_steal_pointer (&o.config);
	else if (o.demo == NULL && g_file_test (etc, G_FILE_TEST_EXISTS))
		d.config_path = g_strdup (etc);
	d.default_dir = o.demo ? g_steal_pointer (&o.demo) : default_dir ();
	if (d.config_path == NULL)
		d.alerts = stdout;
	d.started = now_iso8601 ();
	d.config = load_config (&d, &error);
	if (d.config == NULL) {
		fprintf (stderr, "vulnd: %s\n", error->message);
		daemon_clear (&d);
		return EXIT_CONFIG;
	}
	rc = run (&d);
	daemon_clear (&d);
	return rc;
}
