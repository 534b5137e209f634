/* source-imap.c - an IMAP account on the sd-event loop: connect, catch up,
 * IDLE (or NOOP polling), reconnect with backoff.  See source-imap.h. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/source-imap.h"
#include "ingest/imap.h"

#define IDLE_REISSUE_S   (29 * 60)   /* RFC 2177: servers may drop at 30 min */
#define NOOP_POLL_S      60
#define BACKOFF_FIRST_S  1
#define BACKOFF_MAX_S    (5 * 60)

struct _VulndImapSource {
	sd_event *event;
	VulndImapAccount account;     /* deep copy */
	char *label;                  /* "imap:<name>" */
	char *state_key;
	VulndMessageFn fn;
	gpointer user_data;

	guint32 uidvalidity;          /* 0: unknown (first run) */
	guint32 last_uid;

	VulndImap *imap;
	sd_event_source *timer;       /* connect / backoff / re-IDLE / NOOP poll */
	sd_event_source *io;          /* the socket while in IDLE */
	guint backoff;                /* seconds of the last wait, 0 when healthy */

	guint idle_reissue, noop_poll, net_timeout;
	char *state;
	char *last_error;
	guint64 fetched;
};

static void schedule (VulndImapSource *src, guint64 usec, sd_event_time_handler_t fn);
static int on_connect (sd_event_source *s, uint64_t usec, void *data);

static const char *
account_name (const VulndImapAccount *account)
{
	return account->name && *account->name ? account->name : "default";
}

char *
vulnd_imap_source_state_key (const VulndImapAccount *account)
{
	return g_strdup_printf ("imap/%s/cursor", account_name (account));
}

static void
set_state (VulndImapSource *src, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
set_state (VulndImapSource *src, const char *fmt, ...)
{
	va_list ap;

	g_free (src->state);
	va_start (ap, fmt);
	src->state = g_strdup_vprintf (fmt, ap);
	va_end (ap);
}

/* "UIDVALIDITY:UID"; anything else reads as a first run. */
static void
parse_last_state (VulndImapSource *src, const char *last)
{
	guint64 v, u;
	char *end = NULL;

	if (!last)
		return;
	v = g_ascii_strtoull (last, &end, 10);
	if (!end || *end != ':' || v == 0 || v > G_MAXUINT32)
		goto bad;
	u = g_ascii_strtoull (end + 1, &end, 10);
	if (!end || *end || u > G_MAXUINT32)
		goto bad;
	src->uidvalidity = v;
	src->last_uid = u;
	return;
bad:
	g_warning ("%s: stored cursor \"%s\" unreadable: fetching the whole mailbox",
	           src->label, last);
}

static void
copy_account (VulndImapAccount *dst, const VulndImapAccount *src)
{
	dst->name = g_strdup (src->name ? src->name : "");
	dst->host = g_strdup (src->host);
	dst->port = src->port ? src->port : (src->tls == VULND_TLS_IMAPS ? 993 : 143);
	dst->tls = src->tls;
	dst->ca_file = g_strdup (src->ca_file);
	dst->user = g_strdup (src->user);
	dst->password = g_strdup (src->password);
	dst->mailbox = g_strdup (src->mailbox ? src->mailbox : "INBOX");
}

static void
clear_account (VulndImapAccount *a)
{
	g_free (a->name);
	g_free (a->host);
	g_free (a->ca_file);
	g_free (a->user);
	if (a->password)
		explicit_bzero (a->password, strlen (a->password));
	g_free (a->password);
	g_free (a->mailbox);
}

/* ---- connection life cycle --------------------------------------------- */

static void
disconnect (VulndImapSource *src)
{
	src->io = sd_event_source_disable_unref (src->io);
	g_clear_pointer (&src->imap, vulnd_imap_free);
}

static guint
next_backoff (guint previous)
{
	return previous ? MIN (previous * 2, BACKOFF_MAX_S) : BACKOFF_FIRST_S;
}

/* Any failure ends the session; catch-up from the last UID on reconnect. */
static void
fail (VulndImapSource *src, const GError *error)
{
	double jitter;
	guint64 usec;

	disconnect (src);
	g_free (src->last_error);
	src->last_error = g_strdup (error ? error->message : "unknown error");
	src->backoff = next_backoff (src->backoff);
	/* +-20 % so that many daemons do not hammer a restarted server at once */
	jitter = g_random_double_range (0.8, 1.2);
	usec = (guint64) (src->backoff * jitter * G_USEC_PER_SEC);
	set_state (src, "backoff %us: %s", src->backoff, src->last_error);
	g_warning ("%s: %s; reconnecting in %.1fs", src->label, src->last_error,
	           usec / (double) G_USEC_PER_SEC);
	schedule (src, usec, on_connect);
}

static VulndImapSettings
settings_of (VulndImapSource *src)
{
	const VulndImapAccount *a = &src->account;
	VulndImapSettings s = {
		.host = a->host, .port = a->port, .ca_file = a->ca_file,
		.user = a->user, .password = a->password, .mailbox = a->mailbox,
		.timeout = src->net_timeout,
	};

	s.tls = a->tls == VULND_TLS_IMAPS ? VULND_IMAP_TLS_IMAPS
	      : a->tls == VULND_TLS_STARTTLS ? VULND_IMAP_TLS_STARTTLS : VULND_IMAP_TLS_NONE;
	return s;
}

static gboolean
take_message (guint32 uid, const char *raw, gsize len, gpointer data, GError **error)
{
	VulndImapSource *src = data;
	g_autofree char *cursor = g_strdup_printf ("%u:%u", src->uidvalidity, uid);

	if (!src->fn (raw, len, src->label, cursor, src->state_key, cursor, src->user_data)) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "storing message UID %u failed", uid);
		return FALSE;
	}
	src->last_uid = uid;
	src->fetched++;
	return TRUE;
}

static gboolean
catch_up (VulndImapSource *src, GError **error)
{
	set_state (src, "fetching");
	if (src->last_uid == G_MAXUINT32)
		return TRUE;
	return vulnd_imap_fetch_from (src->imap, src->last_uid + 1, take_message, src, error);
}

static void wait_for_news (VulndImapSource *src);

/* Leave IDLE, fetch what is new, wait again: on news, on the re-issue
 * timer, and on silence from a dead peer (DONE then times out). */
static void
refresh (VulndImapSource *src)
{
	g_autoptr (GError) error = NULL;

	src->io = sd_event_source_disable_unref (src->io);
	if (!vulnd_imap_idle_done (src->imap, &error) || !catch_up (src, &error)) {
		fail (src, error);
		return;
	}
	wait_for_news (src);
}

static int
on_idle_io (sd_event_source *s, int fd, uint32_t revents, void *data)
{
	refresh (data);
	return 0;
}

static int
on_idle_timer (sd_event_source *s, uint64_t usec, void *data)
{
	refresh (data);
	return 0;
}

static int
on_poll_timer (sd_event_source *s, uint64_t usec, void *data)
{
	VulndImapSource *src = data;
	g_autoptr (GError) error = NULL;

	if (!vulnd_imap_noop (src->imap, NULL, &error) || !catch_up (src, &error)) {
		fail (src, error);
		return 0;
	}
	wait_for_news (src);
	return 0;
}

static void
wait_for_news (VulndImapSource *src)
{
	g_autoptr (GError) error = NULL;
	int fd, r;

	if (!vulnd_imap_has_idle (src->imap)) {
		set_state (src, "polling every %us (no IDLE)", src->noop_poll);
		schedule (src, (guint64) src->noop_poll * G_USEC_PER_SEC, on_poll_timer);
		return;
	}
	fd = vulnd_imap_idle_start (src->imap, &error);
	if (fd < 0) {
		fail (src, error);
		return;
	}
	r = sd_event_add_io (src->event, &src->io, fd, EPOLLIN | EPOLLRDHUP, on_idle_io, src);
	if (r < 0) {
		g_set_error (&error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "watching the IMAP socket: %s", g_strerror (-r));
		fail (src, error);
		return;
	}
	set_state (src, "idle");
	/* Bytes libetpan read ahead never make the fd readable again. */
	schedule (src, vulnd_imap_idle_buffered (src->imap) ? 0
	          : (guint64) src->idle_reissue * G_USEC_PER_SEC, on_idle_timer);
}

static void
check_uidvalidity (VulndImapSource *src)
{
	guint32 now = vulnd_imap_uidvalidity (src->imap);

	if (src->uidvalidity && src->uidvalidity != now) {
		g_message ("%s: UIDVALIDITY changed from %u to %u: full rescan",
		           src->label, src->uidvalidity, now);
		src->last_uid = 0;
	}
	src->uidvalidity = now;
}

static int
on_connect (sd_event_source *s, uint64_t usec, void *data)
{
	VulndImapSource *src = data;
	VulndImapSettings settings = settings_of (src);
	g_autoptr (GError) error = NULL;

	set_state (src, "connecting");
	src->imap = vulnd_imap_connect (&settings, &error);
	if (!src->imap) {
		fail (src, error);
		return 0;
	}
	check_uidvalidity (src);
	g_message ("%s: connected to %s:%u, %s UIDVALIDITY %u, resuming after UID %u%s",
	           src->label, src->account.host, src->account.port, src->account.mailbox,
	           src->uidvalidity, src->last_uid,
	           vulnd_imap_has_idle (src->imap) ? "" : " (no IDLE: polling)");
	if (!catch_up (src, &error)) {
		fail (src, error);
		return 0;
	}
	src->backoff = 0;
	g_clear_pointer (&src->last_error, g_free);
	wait_for_news (src);
	return 0;
}

/* One timer at a time: each state replaces the previous one's. */
static void
schedule (VulndImapSource *src, guint64 usec, sd_event_time_handler_t fn)
{
	int r;

	src->timer = sd_event_source_disable_unref (src->timer);
	r = sd_event_add_time_relative (src->event, &src->timer, CLOCK_MONOTONIC, usec,
	                                100 * 1000, fn, src);
	if (r < 0)
		g_critical ("%s: cannot arm a timer: %s", src->label, g_strerror (-r));
}

/* ---- public API -------------------------------------------------------- */

VulndImapSource *
vulnd_imap_source_new (sd_event *event, const VulndImapAccount *account,
                       const char *last_state, VulndMessageFn fn, gpointer user_data)
{
	VulndImapSource *src = g_new0 (VulndImapSource, 1);
	struct sigaction sa;

	/* A write to a peer that hung up must be an error, not a fatal signal. */
	if (sigaction (SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal (SIGPIPE, SIG_IGN);
	src->event = sd_event_ref (event);
	copy_account (&src->account, account);
	src->label = g_strdup_printf ("imap:%s", account_name (account));
	src->state_key = vulnd_imap_source_state_key (account);
	src->fn = fn;
	src->user_data = user_data;
	src->idle_reissue = IDLE_REISSUE_S;
	src->noop_poll = NOOP_POLL_S;
	src->net_timeout = VULND_IMAP_NET_TIMEOUT;
	parse_last_state (src, last_state);
	set_state (src, "starting");
	schedule (src, 0, on_connect);
	return src;
}

void
vulnd_imap_source_free (VulndImapSource *src)
{
	if (!src)
		return;
	disconnect (src);
	src->timer = sd_event_source_disable_unref (src->timer);
	sd_event_unref (src->event);
	clear_account (&src->account);
	g_free (src->label);
	g_free (src->state_key);
	g_free (src->state);
	g_free (src->last_error);
	g_free (src);
}

const char *
vulnd_imap_source_state (VulndImapSource *src)
{
	return src->state;
}

const char *
vulnd_imap_source_last_error (VulndImapSource *src)
{
	return src->last_error;
}

guint64
vulnd_imap_source_fetched (VulndImapSource *src)
{
	return src->fetched;
}

void
vulnd_imap_source_set_intervals (VulndImapSource *src, guint idle_reissue, guint noop_poll,
                                 guint net_timeout)
{
	if (idle_reissue)
		src->idle_reissue = idle_reissue;
	if (noop_poll)
		src->noop_poll = noop_poll;
	if (net_timeout)
		src->net_timeout = net_timeout;
}
