/* notify.c - deliver the changes log: journal/ALERT line, D-Bus, hooks. */
#define _GNU_SOURCE 1 /* memfd_create */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>

#include <gio/gio.h>
#include "daemon/notify.h"

#define CURSOR_KEY "notify/cursor"
/* The seqs whose hook has neither succeeded nor given up: "4 10". */
#define PENDING_KEY "notify/pending"
#define HOOK_MAX_ATTEMPTS 3
#define HOOK_BACKOFF_USEC (1000 * 1000ULL)   /* doubled per attempt */

typedef struct _HookRun HookRun;

struct _VulndNotifier {
	sd_event *event;
	VulndStore *store;
	VulndBus *bus;
	FILE *alerts;
	char *on_new;
	char *on_update;
	guint hook_timeout;
	guint64 cursor;
	guint64 delivered;
	guint64 hook_failures;
	char *last_error;
	GList *hooks;            /* HookRun*, running or waiting to retry */
	char *pending_saved;     /* PENDING_KEY as last written */
};

struct _HookRun {
	VulndNotifier *notifier;
	char *program;
	char *stdin_json;
	char **envp;
	char *label;             /* "on_new OSSA-2099-001 seq 4" for logs */
	guint64 seq;
	guint attempt;
	GPid pid;
	gboolean timed_out;
	sd_event_source *child;
	sd_event_source *timer;
};

/* ---- logging ------------------------------------------------------------ */

gboolean
vulnd_log_to_journal (void)
{
	static int cached = -1;
	const char *js;
	struct stat st;
	unsigned long long dev, ino;

	if (cached >= 0)
		return cached;
	cached = 0;
	js = g_getenv ("JOURNAL_STREAM");
	/* journald only sees what we print when stderr IS its stream socket */
	if (js && sscanf (js, "%llu:%llu", &dev, &ino) == 2 && fstat (STDERR_FILENO, &st) == 0 &&
	    (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino)
		cached = 1;
	return cached;
}

void
vulnd_log (int priority, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start (ap, fmt);
	text = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	if (vulnd_log_to_journal ())
		sd_journal_send ("MESSAGE=%s", text, "PRIORITY=%d", priority,
		                 "SYSLOG_IDENTIFIER=vulnd", NULL);
	else
		fprintf (stderr, "vulnd: %s\n", text);
}

/* ---- the alert line and journal entry ----------------------------------- */

static char *
cves_joined (JsonObject *change)
{
	JsonArray *cves = json_object_has_member (change, "cves")
	                  ? json_object_get_array_member (change, "cves") : NULL;
	g_autoptr (GString) s = g_string_new (NULL);

	for (guint i = 0; cves && i < json_array_get_length (cves); i++) {
		if (i)
			g_string_append (s, ", ");
		g_string_append (s, json_array_get_string_element (cves, i));
	}
	return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
alert_line (JsonObject *change, gboolean updated)
{
	g_autofree char *cves = cves_joined (change);
	gboolean verified = json_object_get_boolean_member_with_default (change, "verified", FALSE);

	return g_strdup_printf ("ALERT %s %s rev %" G_GINT64_FORMAT " [%s] %s%s%s%s",
	                        updated ? "update" : "new",
	                        json_object_get_string_member_with_default (change, "id", "?"),
	                        json_object_get_int_member_with_default (change, "revision", 0),
	                        verified ? "verified" : "UNVERIFIED",
	                        json_object_get_string_member_with_default (change, "title", ""),
	                        *cves ? " (" : "", cves, *cves ? ")" : "");
}

static void
add_field (GPtrArray *fields, char *field)
{
	g_ptr_array_add (fields, field);
}

static void
journal_alert (JsonObject *change, gboolean updated, const char *line)
{
	g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
	JsonArray *cves = json_object_has_member (change, "cves")
	                  ? json_object_get_array_member (change, "cves") : NULL;
	gboolean verified = json_object_get_boolean_member_with_default (change, "verified", FALSE);
	g_autofree struct iovec *iov = NULL;

	add_field (fields, g_strdup_printf ("MESSAGE=%s", line));
	add_field (fields, g_strdup ("MESSAGE_ID=" VULND_ALERT_MESSAGE_ID));
	add_field (fields, g_strdup_printf ("PRIORITY=%d", verified ? LOG_NOTICE : LOG_WARNING));
	add_field (fields, g_strdup ("SYSLOG_IDENTIFIER=vulnd"));
	add_field (fields, g_strdup_printf ("VULND_ID=%s",
	           json_object_get_string_member_with_default (change, "id", "")));
	add_field (fields, g_strdup_printf ("VULND_KIND=%s",
	           json_object_get_string_member_with_default (change, "kind", "")));
	add_field (fields, g_strdup_printf ("VULND_SEQ=%" G_GINT64_FORMAT,
	           json_object_get_int_member_with_default (change, "seq", 0)));
	add_field (fields, g_strdup_printf ("VULND_REVISION=%" G_GINT64_FORMAT,
	           json_object_get_int_member_with_default (change, "revision", 0)));
	add_field (fields, g_strdup_printf ("VULND_EVENT=%s", updated ? "updated" : "added"));
	add_field (fields, g_strdup_printf ("VULND_VERIFIED=%d", verified ? 1 : 0));
	for (guint i = 0; cves && i < json_array_get_length (cves); i++)
		add_field (fields, g_strdup_printf ("CVE=%s", json_array_get_string_element (cves, i)));
	iov = g_new0 (struct iovec, fields->len);
	for (guint i = 0; i < fields->len; i++) {
		iov[i].iov_base = fields->pdata[i];
		iov[i].iov_len = strlen (fields->pdata[i]);
	}
	sd_journal_sendv (iov, (int) fields->len);
}

static void
announce (VulndNotifier *self, JsonObject *change, gboolean updated)
{
	g_autofree char *line = alert_line (change, updated);

	if (vulnd_log_to_journal () && self->alerts == NULL) {
		journal_alert (change, updated, line);
		return;
	}
	fprintf (self->alerts ? self->alerts : stderr, "%s\n", line);
	fflush (self->alerts ? self->alerts : stderr);
}

/* ---- hooks -------------------------------------------------------------- */

static void
hook_run_free (HookRun *run)
{
	sd_event_source_disable_unref (run->child);
	sd_event_source_disable_unref (run->timer);
	g_free (run->program);
	g_free (run->stdin_json);
	g_strfreev (run->envp);
	g_free (run->label);
	g_free (run);
}

/* The cursor moves past an entry as soon as its hook is started; the hook's
 * retries live in memory.  The seqs of unfinished hooks are persisted so
 * that a crash between a failed attempt and its retry does not lose the
 * alert: a restart runs them again (same seq, receivers drop repeats).
 * WAITING_ONLY: leave out the hooks running now (a clean stop). */
static void
pending_save (VulndNotifier *self, gboolean waiting_only)
{
	g_autoptr (GString) s = g_string_new ("");
	g_autoptr (GError) error = NULL;

	/* detached for a reload: the stored list is the one in memory, or
	 * more (a restart repeats a hook, never loses one) */
	if (self->store == NULL)
		return;
	for (GList *l = self->hooks; l; l = l->next) {
		HookRun *run = l->data;
		if (waiting_only && run->pid > 0)
			continue;
		g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, s->len ? " " : "", run->seq);
	}
	if (g_strcmp0 (s->str, self->pending_saved ? self->pending_saved : "") == 0)
		return;
	if (!vulnd_store_state_set (self->store, PENDING_KEY, s->str, &error)) {
		vulnd_log (LOG_WARNING, "state %s: %s", PENDING_KEY, error->message);
		return;
	}
	g_free (self->pending_saved);
	self->pending_saved = g_string_free (g_steal_pointer (&s), FALSE);
}

static void
hook_run_finish (HookRun *run)
{
	VulndNotifier *self = run->notifier;

	self->hooks = g_list_remove (self->hooks, run);
	hook_run_free (run);
	pending_save (self, FALSE);
}

/* The child starts from a clean signal mask: vulnd blocks SIGCHLD, SIGTERM
 * and SIGHUP for sd-event, and blocked signals survive exec. */
static void
hook_child_setup (gpointer data)
{
	sigset_t none;

	sigemptyset (&none);
	sigprocmask (SIG_SETMASK, &none, NULL);
}

/* The record travels in an unlinked memory file: the hook reads it at its
 * own pace and vulnd never blocks on a pipe. */
static int
stdin_memfd (const char *json, GError **error)
{
	int fd = memfd_create ("vulnd-record", MFD_CLOEXEC);
	gsize len = strlen (json), off = 0;

	if (fd < 0)
		goto fail;
	while (off < len) {
		ssize_t n = write (fd, json + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (gsize) n;
	}
	if (lseek (fd, 0, SEEK_SET) < 0)
		goto fail;
	return fd;
fail:
	g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "hook stdin: %s",
	             g_strerror (errno));
	if (fd >= 0)
		close (fd);
	return -1;
}

static void hook_schedule_retry (HookRun *run);

static int
on_hook_timeout (sd_event_source *s, uint64_t usec, void *userdata)
{
	HookRun *run = userdata;

	run->timed_out = TRUE;
	if (run->pid > 0)
		kill (run->pid, SIGKILL);
	return 0;
}

static int
on_hook_exit (sd_event_source *s, const siginfo_t *si, void *userdata)
{
	HookRun *run = userdata;
	VulndNotifier *self = run->notifier;

	run->pid = 0;
	g_clear_pointer (&run->timer, sd_event_source_disable_unref);
	g_clear_pointer (&run->child, sd_event_source_disable_unref);
	if (si->si_code == CLD_EXITED && si->si_status == 0) {
		hook_run_finish (run);
		return 0;
	}
	self->hook_failures++;
	if (run->timed_out)
		vulnd_log (LOG_WARNING, "hook %s: killed after %u s (attempt %u)", run->label,
		           self->hook_timeout, run->attempt);
	else if (si->si_code == CLD_EXITED)
		vulnd_log (LOG_WARNING, "hook %s: exit status %d (attempt %u)", run->label,
		           si->si_status, run->attempt);
	else
		vulnd_log (LOG_WARNING, "hook %s: killed by signal %d (attempt %u)", run->label,
		           si->si_status, run->attempt);
	hook_schedule_retry (run);
	return 0;
}

static gboolean
hook_spawn (HookRun *run, GError **error)
{
	VulndNotifier *self = run->notifier;
	char *argv[] = { run->program, NULL };
	int fd = stdin_memfd (run->stdin_json, error);
	gboolean ok;
	int r;

	if (fd < 0)
		return FALSE;
	run->attempt++;
	run->timed_out = FALSE;
	ok = g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv,
	                                       (const char *const *) run->envp,
	                                       G_SPAWN_DO_NOT_REAP_CHILD, hook_child_setup, NULL,
	                                       fd, -1, -1, NULL, NULL, 0,
	                                       &run->pid, NULL, NULL, NULL, error);
	close (fd);
	if (!ok)
		return FALSE;
	r = sd_event_add_child (self->event, &run->child, run->pid, WEXITED, on_hook_exit, run);
	if (r >= 0)
		r = sd_event_add_time_relative (self->event, &run->timer, CLOCK_MONOTONIC,
		                                (uint64_t) self->hook_timeout * G_USEC_PER_SEC, 0,
		                                on_hook_timeout, run);
	if (r < 0) {
		/* without a child source nobody would reap it: kill and reap now */
		kill (run->pid, SIGKILL);
		waitpid (run->pid, NULL, 0);
		run->pid = 0;
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "hook watch: %s",
		             g_strerror (-r));
		return FALSE;
	}
	return TRUE;
}

static int
on_hook_retry (sd_event_source *s, uint64_t usec, void *userdata)
{
	HookRun *run = userdata;
	g_autoptr (GError) error = NULL;

	g_clear_pointer (&run->timer, sd_event_source_disable_unref);
	if (!hook_spawn (run, &error)) {
		run->notifier->hook_failures++;
		vulnd_log (LOG_WARNING, "hook %s: %s (attempt %u)", run->label, error->message, run->attempt);
		hook_schedule_retry (run);
	}
	return 0;
}

static void
hook_schedule_retry (HookRun *run)
{
	VulndNotifier *self = run->notifier;
	uint64_t delay = HOOK_BACKOFF_USEC << (run->attempt - 1);

	if (run->attempt >= HOOK_MAX_ATTEMPTS) {
		vulnd_log (LOG_ERR, "hook %s: giving up after %u attempts", run->label, run->attempt);
		g_free (self->last_error);
		self->last_error = g_strdup_printf ("hook %s failed", run->label);
		hook_run_finish (run);
		return;
	}
	if (sd_event_add_time_relative (self->event, &run->timer, CLOCK_MONOTONIC, delay, 0,
	                                on_hook_retry, run) < 0) {
		vulnd_log (LOG_ERR, "hook %s: cannot schedule a retry", run->label);
		hook_run_finish (run);
	}
}

static char **
hook_env (JsonObject *change, gboolean updated)
{
	GPtrArray *env = g_ptr_array_new ();

	g_ptr_array_add (env, g_strdup ("PATH=/usr/bin:/bin"));
	g_ptr_array_add (env, g_strdup_printf ("VULND_ID=%s",
	                 json_object_get_string_member_with_default (change, "id", "")));
	g_ptr_array_add (env, g_strdup_printf ("VULND_KIND=%s",
	                 json_object_get_string_member_with_default (change, "kind", "")));
	g_ptr_array_add (env, g_strdup_printf ("VULND_SEQ=%" G_GINT64_FORMAT,
	                 json_object_get_int_member_with_default (change, "seq", 0)));
	g_ptr_array_add (env, g_strdup_printf ("VULND_REVISION=%" G_GINT64_FORMAT,
	                 json_object_get_int_member_with_default (change, "revision", 0)));
	g_ptr_array_add (env, g_strdup_printf ("VULND_VERIFIED=%d",
	                 json_object_get_boolean_member_with_default (change, "verified", FALSE)));
	g_ptr_array_add (env, g_strdup_printf ("VULND_EVENT=%s", updated ? "updated" : "added"));
	g_ptr_array_add (env, NULL);
	return (char **) g_ptr_array_free (env, FALSE);
}

static char *
record_json (VulndNotifier *self, JsonObject *change)
{
	const char *id = json_object_get_string_member_with_default (change, "id", "");
	guint rev = (guint) json_object_get_int_member_with_default (change, "revision", 0);
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) rec = vulnd_store_get (self->store, id, rev, &error);
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

	if (rec == NULL) {
		/* the change entry itself is better than nothing on stdin */
		vulnd_log (LOG_WARNING, "%s rev %u: record not readable: %s", id, rev, error->message);
		json_node_set_object (node, change);
	} else {
		json_node_set_object (node, rec);
	}
	return json_to_string (node, FALSE);
}

static void
hook_start (VulndNotifier *self, JsonObject *change, gboolean updated)
{
	const char *program = updated ? self->on_update : self->on_new;
	g_autoptr (GError) error = NULL;
	HookRun *run;

	if (program == NULL)
		return;
	run = g_new0 (HookRun, 1);
	run->notifier = self;
	run->program = g_strdup (program);
	run->stdin_json = record_json (self, change);
	run->envp = hook_env (change, updated);
	run->seq = (guint64) json_object_get_int_member_with_default (change, "seq", 0);
	run->label = g_strdup_printf ("%s %s seq %" G_GUINT64_FORMAT, updated ? "on_update" : "on_new",
	                              json_object_get_string_member_with_default (change, "id", ""),
	                              run->seq);
	self->hooks = g_list_append (self->hooks, run);
	if (!hook_spawn (run, &error)) {
		self->hook_failures++;
		vulnd_log (LOG_WARNING, "hook %s: %s (attempt %u)", run->label, error->message, run->attempt);
		hook_schedule_retry (run);
	}
}

/* ---- delivery ----------------------------------------------------------- */

static void
deliver_one (VulndNotifier *self, JsonObject *change)
{
	const char *event = json_object_get_string_member_with_default (change, "event", "");
	gboolean updated = strcmp (event, "updated") == 0;
	g_autoptr (GError) error = NULL;

	if (!updated && strcmp (event, "added") != 0)
		return; /* not an advisory event: nothing to announce */
	announce (self, change, updated);
	if (!vulnd_bus_emit (self->bus, change, updated, &error)) {
		vulnd_log (LOG_WARNING, "%s", error->message);
		g_free (self->last_error);
		self->last_error = g_strdup (error->message);
	}
	hook_start (self, change, updated);
	self->delivered++;
}

gboolean
vulnd_notifier_deliver (VulndNotifier *self, GError **error)
{
	g_autoptr (GPtrArray) changes = vulnd_store_changes (self->store, self->cursor, 0, error);

	if (changes == NULL)
		return FALSE;
	for (guint i = 0; i < changes->len; i++) {
		JsonObject *change = changes->pdata[i];
		guint64 seq = (guint64) json_object_get_int_member_with_default (change, "seq", 0);
		g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, seq);

		if (seq <= self->cursor)
			continue;
		deliver_one (self, change);
		/* pending first: a crash before the cursor write repeats the
		 * entry, never loses its hook */
		pending_save (self, FALSE);
		self->cursor = seq;
		if (!vulnd_store_state_set (self->store, CURSOR_KEY, value, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
load_cursor (VulndNotifier *self, GError **error)
{
	g_autoptr (GError) local = NULL;
	g_autofree char *value = vulnd_store_state_get (self->store, CURSOR_KEY, &local);

	if (value == NULL) {
		if (g_error_matches (local, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND))
			return TRUE; /* a fresh database: deliver from the start */
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &self->cursor, &local)) {
		g_set_error (error, VULND_STORE_ERROR, VULND_STORE_ERROR_FAILED,
		             "state %s is not a number: %s", CURSOR_KEY, value);
		return FALSE;
	}
	return TRUE;
}

/* Hooks that had not finished when vulnd last stopped or crashed: start
 * them again.  Seqs past the cursor are left to the normal delivery. */
static void
pending_resume (VulndNotifier *self)
{
	g_autofree char *value = vulnd_store_state_get (self->store, PENDING_KEY, NULL);
	g_auto (GStrv) seqs = g_strsplit (value ? value : "", " ", -1);

	self->pending_saved = g_strdup (value ? value : "");
	for (guint i = 0; seqs[i]; i++) {
		guint64 seq = g_ascii_strtoull (seqs[i], NULL, 10);
		g_autoptr (GPtrArray) changes = NULL;
		JsonObject *change;
		const char *event;

		if (seq == 0 || seq > self->cursor)
			continue;
		changes = vulnd_store_changes (self->store, seq - 1, 1, NULL);
		if (!changes || changes->len == 0)
			continue;
		change = changes->pdata[0];
		event = json_object_get_string_member_with_default (change, "event", "");
		if ((guint64) json_object_get_int_member_with_default (change, "seq", 0) != seq ||
		    (strcmp (event, "added") != 0 && strcmp (event, "updated") != 0))
			continue;
		vulnd_log (LOG_NOTICE, "hook for %s seq %" G_GUINT64_FORMAT
		           " had not finished: running it again",
		           json_object_get_string_member_with_default (change, "id", "?"), seq);
		hook_start (self, change, strcmp (event, "updated") == 0);
	}
	pending_save (self, FALSE);
}

static void
configure_hooks (VulndNotifier *self, const VulndConfig *config)
{
	g_free (self->on_new);
	self->on_new = g_strdup (config->on_new);
	g_free (self->on_update);
	self->on_update = g_strdup (config->on_update);
	self->hook_timeout = config->hook_timeout ? config->hook_timeout : 30;
}

VulndNotifier *
vulnd_notifier_new (sd_event *event, VulndStore *store, const VulndConfig *config,
                    VulndBus *bus, FILE *alerts, GError **error)
{
	g_autoptr (VulndNotifier) self = g_new0 (VulndNotifier, 1);

	self->event = sd_event_ref (event);
	self->store = store;
	self->bus = bus;
	self->alerts = alerts;
	configure_hooks (self, config);
	if (!load_cursor (self, error))
		return NULL;
	pending_resume (self);
	return g_steal_pointer (&self);
}

/* Freeing the notifier on a reload stopped the hooks still running: their
 * alerts were lost, and the children never reaped. */
void
vulnd_notifier_detach (VulndNotifier *self)
{
	self->store = NULL;
	self->bus = NULL;
}

void
vulnd_notifier_attach (VulndNotifier *self, VulndStore *store, const VulndConfig *config,
                       VulndBus *bus)
{
	self->store = store;
	self->bus = bus;
	configure_hooks (self, config);
}

guint
vulnd_notifier_hooks_running (VulndNotifier *self)
{
	guint n = 0;

	for (GList *l = self->hooks; l; l = l->next)
		n += ((HookRun *) l->data)->pid > 0;
	return n;
}

void
vulnd_notifier_status (VulndNotifier *self, JsonObject *into)
{
	json_object_set_int_member (into, "notify_cursor", (gint64) self->cursor);
	json_object_set_int_member (into, "alerts_delivered", (gint64) self->delivered);
	json_object_set_int_member (into, "hooks_pending", g_list_length (self->hooks));
	json_object_set_int_member (into, "hook_failures", (gint64) self->hook_failures);
	if (self->last_error)
		json_object_set_string_member (into, "notify_last_error", self->last_error);
}

void
vulnd_notifier_free (VulndNotifier *self)
{
	if (self == NULL)
		return;
	/* stopping (a reload keeps the notifier, unless the database
	 * changes): a hook still running is told to stop, as systemd would
	 * do to the whole control group; its alert was handed over and a
	 * restart must not repeat it */
	for (GList *l = self->hooks; l; l = l->next) {
		HookRun *run = l->data;
		if (run->pid > 0)
			kill (run->pid, SIGTERM);
	}
	/* ... but one waiting for a retry has not been delivered yet */
	pending_save (self, TRUE);
	g_list_free_full (self->hooks, (GDestroyNotify) hook_run_free);
	sd_event_unref (self->event);
	g_free (self->on_new);
	g_free (self->on_update);
	g_free (self->last_error);
	g_free (self->pending_saved);
	g_free (self);
}
