/* source-imap.h - one IMAP account followed on the daemon's sd-event loop.
 *
 * The source connects (IMAPS, STARTTLS, or plain only for tls=none), checks
 * the server certificate, LOGINs, SELECTs the mailbox, fetches every message
 * after the last UID it was given (BODY.PEEK[]: never sets \Seen), then
 * waits in IDLE (re-issued every 29 minutes) or, without IDLE, polls with
 * NOOP every 60 s.  Any error or disconnect (BYE, dead connection) closes
 * the session and reconnects after an exponential backoff (1 s doubling to
 * 5 min, with jitter), catching up from the last UID handed over.
 *
 * The cursor is ONE state value "UIDVALIDITY:UID" (e.g. "1712345678:42")
 * under the key vulnd_imap_source_state_key() ("imap/<account>/cursor";
 * <account> is the [imap NAME] name, "default" for [imap]).  The message
 * callback commits the message and that state in one store transaction; it
 * is the only place the cursor is persisted.  A UIDVALIDITY different from
 * the stored one means a full rescan from UID 1 (the store's Message-ID
 * dedupe keeps this from alerting twice).
 *
 * Network calls run on the loop's thread with libetpan timeouts, so a stuck
 * server blocks the loop at most VULND_IMAP_NET_TIMEOUT seconds.
 */
#ifndef VULND_SOURCE_IMAP_H
#define VULND_SOURCE_IMAP_H

#include <glib.h>
#include <systemd/sd-event.h>
#include "daemon/config.h"

G_BEGIN_DECLS

/* Hand over one message: RAW (LEN bytes) from SOURCE ("imap:<account>") at
 * CURSOR ("UIDVALIDITY:UID"); commit it together with STATE_KEY =
 * STATE_VALUE in one transaction.  Return FALSE when the commit failed: the
 * source then disconnects, backs off and fetches the same message again. */
typedef gboolean (*VulndMessageFn) (const char *raw, gsize len, const char *source,
                                    const char *cursor, const char *state_key,
                                    const char *state_value, gpointer user_data);

typedef struct _VulndImapSource VulndImapSource;

/* ACCOUNT is copied.  LAST_STATE is the value stored under
 * vulnd_imap_source_state_key (ACCOUNT) ("UIDVALIDITY:UID"), or NULL for a
 * first run.  The first connection attempt is scheduled at once on EVENT
 * (nothing blocks inside this call). */
VulndImapSource *vulnd_imap_source_new (sd_event *event, const VulndImapAccount *account,
                                        const char *last_state, VulndMessageFn fn,
                                        gpointer user_data);
void vulnd_imap_source_free (VulndImapSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndImapSource, vulnd_imap_source_free)

/* The store key of ACCOUNT's cursor, e.g. "imap/default/cursor" (free it). */
char *vulnd_imap_source_state_key (const VulndImapAccount *account);

/* For Status and logs: "connecting", "idle", "polling (no IDLE)",
 * "fetching", "backoff 4s: <last error>" ... valid until the next loop
 * iteration. */
const char *vulnd_imap_source_state (VulndImapSource *source);
/* The last error message, NULL when the last connection attempt succeeded. */
const char *vulnd_imap_source_last_error (VulndImapSource *source);
/* Messages handed over since the source was created. */
guint64 vulnd_imap_source_fetched (VulndImapSource *source);

/* Tests and benchmarks: IDLE re-issue and NOOP poll periods in seconds
 * (defaults 29 min, RFC 2177, and 60 s), and the network timeout. */
void vulnd_imap_source_set_intervals (VulndImapSource *source, guint idle_reissue,
                                      guint noop_poll, guint net_timeout);

G_END_DECLS

#endif
