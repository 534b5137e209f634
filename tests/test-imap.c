/* test-imap.c - drive one VulndImapSource on its own sd-event loop, for the
 * tests/imap-*.sh scripts and tests/bench/bench-imap.sh.
 *
 * Prints, one line each, flushed:
 *   MSG <uidvalidity:uid> <message-id> <CLOCK_REALTIME µs at the callback>
 *   STATE <the source's state text>       (each time it changes)
 * The state file plays the store: the cursor handed over with a message is
 * written there (atomically) before the callback returns, and read back at
 * start.  --fail-uid N makes the first hand-over of UID N fail (a failed
 * commit).  --once exits 0 at the first idle/polling state, 1 at the first
 * backoff.  SIGTERM / SIGINT end the loop cleanly (valgrind runs).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/source-imap.h"

typedef struct {
	char *state_file;
	guint fail_uid;
	gboolean failed_once;
	gboolean once;
	VulndImapSource *source;
	char *last_state;
	sd_event *event;
	int exit_code;
} Driver;

static char *
message_id (const char *raw, gsize len)
{
	g_autoptr (GRegex) re = g_regex_new ("^Message-ID:[ \\t]*(\\S+)",
	                                     G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_RAW,
	                                     0, NULL);
	g_autoptr (GMatchInfo) m = NULL;

	if (g_regex_match_full (re, raw, len, 0, 0, &m, NULL))
		return g_match_info_fetch (m, 1);
	return g_strdup ("-");
}

static gboolean
on_message (const char *raw, gsize len, const char *source, const char *cursor,
            const char *state_key, const char *state_value, gpointer user_data)
{
	Driver *d = user_data;
	g_autofree char *id = message_id (raw, len);
	g_autoptr (GError) error = NULL;
	const char *uid = strchr (cursor, ':');

	if (d->fail_uid && !d->failed_once && uid && strtoul (uid + 1, NULL, 10) == d->fail_uid) {
		d->failed_once = TRUE;
		printf ("FAIL %s\n", cursor);
		fflush (stdout);
		return FALSE;
	}
	if (d->state_file && !g_file_set_contents (d->state_file, state_value, -1, &error)) {
		g_printerr ("state file: %s\n", error->message);
		return FALSE;
	}
	printf ("MSG %s %s %" G_GINT64_FORMAT " %s %s\n", cursor, id, g_get_real_time (), source,
	        state_key);
	fflush (stdout);
	return TRUE;
}

/* Report state changes; --once ends the run at the first verdict. */
static int
on_tick (sd_event_source *s, uint64_t usec, void *data)
{
	Driver *d = data;
	const char *state = vulnd_imap_source_state (d->source);

	if (g_strcmp0 (state, d->last_state) != 0) {
		g_free (d->last_state);
		d->last_state = g_strdup (state);
		printf ("STATE %s\n", state);
		fflush (stdout);
		if (d->once && (g_str_has_prefix (state, "idle") || g_str_has_prefix (state, "polling")))
			return sd_event_exit (d->event, 0);
		if (d->once && g_str_has_prefix (state, "backoff"))
			return sd_event_exit (d->event, 1);
	}
	sd_event_source_set_time_relative (s, 20 * 1000);
	return sd_event_source_set_enabled (s, SD_EVENT_ONESHOT);
}

static gboolean
parse_tls (const char *s, VulndTls *tls)
{
	if (!g_strcmp0 (s, "imaps"))
		*tls = VULND_TLS_IMAPS;
	else if (!g_strcmp0 (s, "starttls"))
		*tls = VULND_TLS_STARTTLS;
	else if (!g_strcmp0 (s, "none"))
		*tls = VULND_TLS_NONE;
	else
		return FALSE;
	return TRUE;
}

int
main (int argc, char **argv)
{
	g_autofree char *host = NULL, *tls = NULL, *ca = NULL, *user = NULL, *pwfile = NULL,
	                *mailbox = NULL, *state = NULL, *name = NULL;
	int port = 0, idle = 0, poll = 0, timeout = 0, fail_uid = 0;
	gboolean once = FALSE;
	GOptionEntry entries[] = {
		{ "host", 0, 0, G_OPTION_ARG_STRING, &host, "server", "HOST" },
		{ "port", 0, 0, G_OPTION_ARG_INT, &port, "port", "N" },
		{ "tls", 0, 0, G_OPTION_ARG_STRING, &tls, "imaps|starttls|none", "MODE" },
		{ "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "CA file", "FILE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user, "login", "USER" },
		{ "password-file", 0, 0, G_OPTION_ARG_FILENAME, &pwfile, "password", "FILE" },
		{ "mailbox", 0, 0, G_OPTION_ARG_STRING, &mailbox, "mailbox", "NAME" },
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "account name", "NAME" },
		{ "state", 0, 0, G_OPTION_ARG_FILENAME, &state, "cursor file", "FILE" },
		{ "idle", 0, 0, G_OPTION_ARG_INT, &idle, "IDLE re-issue seconds", "S" },
		{ "poll", 0, 0, G_OPTION_ARG_INT, &poll, "NOOP poll seconds", "S" },
		{ "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "network timeout seconds", "S" },
		{ "fail-uid", 0, 0, G_OPTION_ARG_INT, &fail_uid, "fail this UID's first commit", "N" },
		{ "once", 0, 0, G_OPTION_ARG_NONE, &once, "exit after catch-up", NULL },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx = g_option_context_new ("- follow one IMAP mailbox");
	g_autoptr (GError) error = NULL;
	g_autofree char *last = NULL, *password = NULL;
	VulndImapAccount account = { 0 };
	Driver d = { 0 };
	sd_event_source *tick = NULL;
	sigset_t mask;
	int r;

	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, &argc, &argv, &error) || !host || !user || !pwfile ||
	    !parse_tls (tls ? tls : "imaps", &account.tls)) {
		g_printerr ("usage: %s --host H --port N --tls MODE --user U --password-file F\n",
		            argv[0]);
		return 2;
	}
	if (!g_file_get_contents (pwfile, &password, NULL, &error)) {
		g_printerr ("%s\n", error->message);
		return 2;
	}
	g_strchomp (password);
	if (state)
		g_file_get_contents (state, &last, NULL, NULL);
	account.name = name ? name : "";
	account.host = host;
	account.port = port;
	account.ca_file = ca;
	account.user = user;
	account.password = password;
	account.mailbox = mailbox;

	sigemptyset (&mask);
	sigaddset (&mask, SIGTERM);
	sigaddset (&mask, SIGINT);
	sigprocmask (SIG_BLOCK, &mask, NULL);
	r = sd_event_new (&d.event);
	g_assert (r >= 0);
	sd_event_add_signal (d.event, NULL, SIGTERM, NULL, NULL);
	sd_event_add_signal (d.event, NULL, SIGINT, NULL, NULL);
	d.state_file = state;
	d.fail_uid = fail_uid;
	d.once = once;
	d.source = vulnd_imap_source_new (d.event, &account, last, on_message, &d);
	vulnd_imap_source_set_intervals (d.source, idle, poll, timeout);
	sd_event_add_time_relative (d.event, &tick, CLOCK_MONOTONIC, 0, 1000, on_tick, &d);
	r = sd_event_loop (d.event);
	if (d.once && r == 1)
		printf ("ERROR %s\n", vulnd_imap_source_last_error (d.source));
	vulnd_imap_source_free (d.source);
	sd_event_source_disable_unref (tick);
	g_free (d.last_state);
	d.event = sd_event_unref (d.event);
	return r < 0 ? 3 : r;
}
