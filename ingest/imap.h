/* imap.h - the protocol side of the IMAP source (libetpan + GnuTLS).
 *
 * Blocking calls bounded by a network timeout; no event loop here (the
 * daemon drives these from sd-event, see daemon/source-imap.h).  libetpan's
 * GnuTLS build does not verify the server certificate: vulnd_imap_connect
 * checks the peer chain itself against ca_file (or the system store) and
 * the host name, before LOGIN sends the password.
 */
#ifndef VULND_IMAP_H
#define VULND_IMAP_H

#include <glib.h>

G_BEGIN_DECLS

/* Seconds any single network read/write/connect may take. */
#define VULND_IMAP_NET_TIMEOUT 30

#define VULND_IMAP_ERROR (vulnd_imap_error_quark ())
GQuark vulnd_imap_error_quark (void);

typedef enum {
	VULND_IMAP_ERROR_CONNECT,   /* TCP or TLS handshake failed */
	VULND_IMAP_ERROR_TLS,       /* certificate refused */
	VULND_IMAP_ERROR_LOGIN,     /* credentials refused */
	VULND_IMAP_ERROR_MAILBOX,   /* SELECT failed */
	VULND_IMAP_ERROR_PROTOCOL,  /* any other failure: BYE, timeout, parse */
} VulndImapError;

typedef enum {
	VULND_IMAP_TLS_IMAPS,
	VULND_IMAP_TLS_STARTTLS,
	VULND_IMAP_TLS_NONE,
} VulndImapTls;

typedef struct {
	const char *host;
	guint16 port;
	VulndImapTls tls;
	const char *ca_file;      /* NULL: the system trust store */
	const char *user;
	const char *password;
	const char *mailbox;      /* NULL: INBOX */
	guint timeout;            /* seconds, 0: VULND_IMAP_NET_TIMEOUT */
} VulndImapSettings;

typedef struct _VulndImap VulndImap;

/* Connect, verify TLS, LOGIN and SELECT.  The strings in SETTINGS must
 * outlive the session. */
VulndImap *vulnd_imap_connect (const VulndImapSettings *settings, GError **error);
/* The same session over FD, an already connected stream socket: greeting,
 * LOGIN and SELECT, no TLS (SETTINGS->tls must be VULND_IMAP_TLS_NONE;
 * host/port only name the server in messages).  FD belongs to the session
 * from here on, also on failure.  For the fuzzer (tests/fuzz/fuzz-imap.c),
 * which plays the server on the other end of a socketpair. */
VulndImap *vulnd_imap_open_fd (const VulndImapSettings *settings, int fd, GError **error);
void vulnd_imap_free (VulndImap *imap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndImap, vulnd_imap_free)

guint32 vulnd_imap_uidvalidity (VulndImap *imap);
gboolean vulnd_imap_has_idle (VulndImap *imap);

/* One fetched message; return FALSE to stop (the fetch then fails with
 * whatever ERROR the callback set, or a generic one).  RAW is NULL for a
 * message over VULND_IMAP_MESSAGE_MAX (imap-guard.h), which is not
 * fetched: LEN is then the size the server gave for it. */
typedef gboolean (*VulndImapMessageFn) (guint32 uid, const char *raw, gsize len,
                                        gpointer user_data, GError **error);

/* UID FETCH FROM:* (UID RFC822.SIZE), then BODY.PEEK[] of each, in UID order, one message at a time (so a
 * mailbox of any size never sits in memory at once).  UIDs below FROM (the
 * server answers n:* with the last message even when n is past it) are
 * dropped. */
gboolean vulnd_imap_fetch_from (VulndImap *imap, guint32 from, VulndImapMessageFn fn,
                                gpointer user_data, GError **error);

/* NOOP; *CHANGED is set when the server reported new messages (EXISTS). */
gboolean vulnd_imap_noop (VulndImap *imap, gboolean *changed, GError **error);

/* Enter IDLE; returns the fd to watch for readability (-1 on error). */
int vulnd_imap_idle_start (VulndImap *imap, GError **error);
/* Leave IDLE (DONE) and read the server's answer. */
gboolean vulnd_imap_idle_done (VulndImap *imap, GError **error);
/* TRUE when libetpan already holds unread bytes (the fd may stay silent). */
gboolean vulnd_imap_idle_buffered (VulndImap *imap);

/* Check DER certificates CHAIN (leaf first) for HOST against CA_FILE or the
 * system store.  Exposed for tests. */
gboolean vulnd_imap_verify_chain (GPtrArray *chain /* GBytes* */, const char *host,
                                  const char *ca_file, GError **error);

G_END_DECLS

#endif
