/* imap.c - IMAP session for the IMAP source: connect, verify TLS, LOGIN,
 * SELECT, UID FETCH, IDLE, NOOP.  See imap.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <gio/gio.h>
#include <libetpan/libetpan.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "imap.h"
#include "imap-guard.h"
#include "imap-utf7.h"

G_DEFINE_QUARK (vulnd-imap-error-quark, vulnd_imap_error)

/* The stream layer under libetpan's parser: see "guarded stream" below. */
typedef struct {
	mailstream_low *inner;
	VulndImapGuard guard;
} GuardedLow;

struct _VulndImap {
	mailimap *session;
	VulndImapSettings settings;
	guint32 uidvalidity;
	gboolean has_idle;
	gboolean idling;
	GuardedLow *guarded;   /* owned by the stream */
};

static const char *
imap_error_name (int r)
{
	switch (r) {
	case MAILIMAP_ERROR_STREAM: return "connection lost or timed out";
	case MAILIMAP_ERROR_PARSE: return "unparsable server response";
	case MAILIMAP_ERROR_FATAL: return "server said BYE";
	case MAILIMAP_ERROR_CONNECTION_REFUSED: return "connection refused";
	case MAILIMAP_ERROR_SSL: return "TLS handshake failed";
	case MAILIMAP_ERROR_LOGIN: return "LOGIN refused";
	case MAILIMAP_ERROR_SELECT: return "SELECT refused";
	case MAILIMAP_ERROR_STARTTLS: return "STARTTLS refused";
	case MAILIMAP_ERROR_MEMORY: return "out of memory";
	default: return "IMAP command failed";
	}
}

static void
set_imap_error (VulndImap *imap, GError **error, VulndImapError code, const char *what, int r)
{
	const VulndImapSettings *s = &imap->settings;

	const VulndImapGuard *guard = imap->guarded ? &imap->guarded->guard : NULL;

	if (guard && guard->announced) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "%s:%u: %s: server announced a literal of %" G_GUINT64_FORMAT
		             " bytes, over the limit of %u bytes", s->host, s->port, what,
		             guard->announced, VULND_IMAP_MESSAGE_MAX);
		return;
	}
	if (guard && guard->refusal) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "%s:%u: %s: server sent %s", s->host, s->port, what, guard->refusal);
		return;
	}
	g_set_error (error, VULND_IMAP_ERROR, code, "%s:%u: %s: %s (libetpan %d)",
	             s->host, s->port, what, imap_error_name (r), r);
}

/* ---- certificate verification ------------------------------------------ */

static gboolean
load_trust (gnutls_x509_trust_list_t list, const char *ca_file, GError **error)
{
	int n;

	if (ca_file)
		n = gnutls_x509_trust_list_add_trust_file (list, ca_file, NULL,
		                                           GNUTLS_X509_FMT_PEM, 0, 0);
	else
		n = gnutls_x509_trust_list_add_system_trust (list, 0, 0);
	if (n <= 0) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "no CA certificate loaded from %s%s%s",
		             ca_file ? ca_file : "the system trust store",
		             n < 0 ? ": " : "", n < 0 ? gnutls_strerror (n) : "");
		return FALSE;
	}
	return TRUE;
}

static gboolean
import_chain (GPtrArray *chain, gnutls_x509_crt_t *crts, GError **error)
{
	for (guint i = 0; i < chain->len; i++) {
		gsize len;
		gnutls_datum_t d;
		int r;

		d.data = (unsigned char *) g_bytes_get_data (chain->pdata[i], &len);
		d.size = len;
		r = gnutls_x509_crt_init (&crts[i]);
		if (r == 0)
			r = gnutls_x509_crt_import (crts[i], &d, GNUTLS_X509_FMT_DER);
		if (r < 0) {
			g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
			             "server certificate %u unreadable: %s", i, gnutls_strerror (r));
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
vulnd_imap_verify_chain (GPtrArray *chain, const char *host, const char *ca_file,
                         GError **error)
{
	gnutls_x509_trust_list_t list = NULL;
	g_autofree gnutls_x509_crt_t *crts = NULL;
	gnutls_typed_vdata_st vdata = { 0 };
	unsigned char ip[16];
	unsigned int status = 0;
	gboolean ok = FALSE;
	int r;

	if (!chain || chain->len == 0) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s: the server sent no certificate", host);
		return FALSE;
	}
	crts = g_new0 (gnutls_x509_crt_t, chain->len);
	if (gnutls_x509_trust_list_init (&list, 0) < 0)
		goto out;
	if (!load_trust (list, ca_file, error))
		goto out;
	if (!import_chain (chain, crts, error))
		goto out;
	/* A literal address must match an IP SAN, a name a DNS SAN / CN. */
	if (inet_pton (AF_INET, host, ip) == 1 || inet_pton (AF_INET6, host, ip) == 1) {
		vdata.type = GNUTLS_DT_IP_ADDRESS;
		vdata.data = ip;
		vdata.size = strchr (host, ':') ? 16 : 4;
	} else {
		vdata.type = GNUTLS_DT_DNS_HOSTNAME;
		vdata.data = (unsigned char *) host;
	}
	r = gnutls_x509_trust_list_verify_crt2 (list, crts, chain->len, &vdata, 1, 0,
	                                        &status, NULL);
	if (r < 0) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s: certificate check failed: %s", host, gnutls_strerror (r));
		goto out;
	}
	if (status != 0) {
		gnutls_datum_t why = { NULL, 0 };

		gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &why, 0);
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s: server certificate refused (%s): %s", host,
		             ca_file ? ca_file : "system trust store",
		             why.data ? g_strstrip ((char *) why.data) : "untrusted");
		gnutls_free (why.data);
		goto out;
	}
	ok = TRUE;
out:
	for (guint i = 0; i < chain->len; i++)
		if (crts[i])
			gnutls_x509_crt_deinit (crts[i]);
	if (list)
		gnutls_x509_trust_list_deinit (list, 1);
	if (!ok && error && !*error)
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s: certificate check failed", host);
	return ok;
}

/* libetpan hands the peer chain over as DER strings. */
static GPtrArray *
peer_chain (mailstream *stream)
{
	GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
	carray *certs = mailstream_get_certificate_chain (stream);

	if (!certs)
		return chain;
	for (unsigned int i = 0; i < carray_count (certs); i++) {
		MMAPString *s = carray_get (certs, i);

		g_ptr_array_add (chain, g_bytes_new (s->str, s->len));
	}
	mailstream_certificate_chain_free (certs);
	return chain;
}

static gboolean
verify_session (VulndImap *imap, GError **error)
{
	g_autoptr (GPtrArray) chain = peer_chain (imap->session->imap_stream);

	return vulnd_imap_verify_chain (chain, imap->settings.host, imap->settings.ca_file,
	                                error);
}

static gboolean
is_ip_literal (const char *host)
{
	unsigned char buf[16];

	return inet_pton (AF_INET, host, buf) == 1 || inet_pton (AF_INET6, host, buf) == 1;
}

/* SNI, so a name-based virtual host presents the right certificate (RFC
 * 6066 forbids addresses there). */
static void
tls_setup (struct mailstream_ssl_context *ctx, void *data)
{
	if (!is_ip_literal (data))
		mailstream_ssl_set_server_name (ctx, data);
}

/* ---- guarded stream ---------------------------------------------------- */

/* What the server sends passes through a stream layer of ours, below
 * libetpan's parser, for two reasons found by fuzz-imap:
 *
 * - libetpan 1.9.4 reads a literal with a loop that ends on -1 only: a
 *   connection that ends inside a literal (server gone, reset, or a "{N}"
 *   longer than what follows) makes mailstream_read() return 0 forever and
 *   the daemon spins at full CPU.  Here end of stream is an error.
 * - it allocates a literal's announced size before reading it; the guard
 *   (imap-guard.h) refuses a literal over VULND_IMAP_MESSAGE_MAX first.
 *
 * The layer wraps the socket or TLS layer the way libetpan's own COMPRESS
 * layer does, forwarding everything else. */
static ssize_t
guarded_read (mailstream_low *s, void *buf, size_t count)
{
	GuardedLow *g = s->data;
	ssize_t n;

	if (g->guard.refusal)
		return -1;
	n = mailstream_low_read (g->inner, buf, count);
	if (n == 0 && count > 0)
		return -1;
	if (n > 0 && !vulnd_imap_guard_feed (&g->guard, buf, (gsize) n, VULND_IMAP_MESSAGE_MAX))
		return -1;
	return n;
}

static ssize_t
guarded_write (mailstream_low *s, const void *buf, size_t count)
{
	return mailstream_low_write (((GuardedLow *) s->data)->inner, buf, count);
}

static int
guarded_close (mailstream_low *s)
{
	return mailstream_low_close (((GuardedLow *) s->data)->inner);
}

static int
guarded_get_fd (mailstream_low *s)
{
	return mailstream_low_get_fd (((GuardedLow *) s->data)->inner);
}

static void
guarded_free (mailstream_low *s)
{
	GuardedLow *g = s->data;

	mailstream_low_free (g->inner);
	g_free (g);
	free (s);   /* allocated by mailstream_low_new() */
}

static void
guarded_cancel (mailstream_low *s)
{
	mailstream_low_cancel (((GuardedLow *) s->data)->inner);
}

static struct mailstream_cancel *
guarded_get_cancel (mailstream_low *s)
{
	return mailstream_low_get_cancel (((GuardedLow *) s->data)->inner);
}

static carray *
guarded_get_certificate_chain (mailstream_low *s)
{
	return mailstream_low_get_certificate_chain (((GuardedLow *) s->data)->inner);
}

static int
guarded_setup_idle (mailstream_low *s)
{
	return mailstream_low_setup_idle (((GuardedLow *) s->data)->inner);
}

static int
guarded_unsetup_idle (mailstream_low *s)
{
	return mailstream_low_unsetup_idle (((GuardedLow *) s->data)->inner);
}

static int
guarded_interrupt_idle (mailstream_low *s)
{
	return mailstream_low_interrupt_idle (((GuardedLow *) s->data)->inner);
}

static mailstream_low_driver guarded_driver = {
	.mailstream_read = guarded_read,
	.mailstream_write = guarded_write,
	.mailstream_close = guarded_close,
	.mailstream_get_fd = guarded_get_fd,
	.mailstream_free = guarded_free,
	.mailstream_cancel = guarded_cancel,
	.mailstream_get_cancel = guarded_get_cancel,
	.mailstream_get_certificate_chain = guarded_get_certificate_chain,
	.mailstream_setup_idle = guarded_setup_idle,
	.mailstream_unsetup_idle = guarded_unsetup_idle,
	.mailstream_interrupt_idle = guarded_interrupt_idle,
};

/* Put the guard under STREAM's parser, from its next byte on; GREETING:
 * the server's greeting is that byte. */
static gboolean
guard_stream (VulndImap *imap, mailstream *stream, gboolean greeting, GError **error)
{
	mailstream_low *inner = mailstream_get_low (stream);
	GuardedLow *g;
	mailstream_low *outer;

	g = g_new0 (GuardedLow, 1);
	g->inner = inner;
	vulnd_imap_guard_init (&g->guard, greeting);
	outer = mailstream_low_new (g, &guarded_driver);
	if (!outer) {
		g_free (g);
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT,
		             "%s:%u: out of memory", imap->settings.host, imap->settings.port);
		return FALSE;
	}
	mailstream_low_set_timeout (outer, mailstream_low_get_timeout (inner));
	mailstream_set_low (stream, outer);
	imap->guarded = g;
	return TRUE;
}

/* ---- session ----------------------------------------------------------- */

static gboolean
has_capability (mailimap *session, const char *name)
{
	return mailimap_has_extension (session, (char *) name) != 0;
}

/* CAPABILITY.  libetpan (1.9.4, and upstream still in 2026) copies the
 * session's capability list when the command ends in OK, and that list is
 * NULL when the server never sent one: a server answering CAPABILITY with
 * a bare OK crashed the daemon (found by fuzz-imap).  An empty list to
 * start from makes that answer mean "no capabilities"; capability data
 * that does come replaces it. */
static int
ask_capability (mailimap *session)
{
	struct mailimap_capability_data *cap = NULL;
	int r;

	if (!session->imap_connection_info->imap_capability) {
		clist *none = clist_new ();

		cap = none ? mailimap_capability_data_new (none) : NULL;
		if (!cap) {
			if (none)
				clist_free (none);
			return MAILIMAP_ERROR_MEMORY;
		}
		session->imap_connection_info->imap_capability = cap;
		cap = NULL;
	}
	r = mailimap_capability (session, &cap);
	if (cap)
		mailimap_capability_data_free (cap);
	return r;
}

/* The TCP connection, as a descriptor of our own: libetpan's connect
 * functions read the greeting at once, before the guard can be put under
 * the parser (see imap-guard.h: the greeting is where libetpan is most
 * fragile, and it comes before any certificate check). */
static int
tcp_connect (VulndImap *imap, GError **error)
{
	const VulndImapSettings *s = &imap->settings;
	g_autoptr (GSocketClient) client = g_socket_client_new ();
	g_autoptr (GSocketConnection) conn = NULL;
	g_autoptr (GError) local = NULL;
	int fd;

	g_socket_client_set_timeout (client, s->timeout);
	/* a proxy from the environment is no place for the IMAP password */
	g_socket_client_set_enable_proxy (client, FALSE);
	conn = g_socket_client_connect_to_host (client, s->host, s->port, NULL, &local);
	if (!conn) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT, "%s:%u: connect: %s",
		             s->host, s->port, local->message);
		return -1;
	}
	fd = fcntl (g_socket_get_fd (g_socket_connection_get_socket (conn)), F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT, "%s:%u: connect: %s",
		             s->host, s->port, g_strerror (errno));
	return fd;
}

/* Guard STREAM, then read the greeting.  STREAM (and its descriptor)
 * belongs to the session from here on, also on failure. */
static gboolean
greet (VulndImap *imap, mailstream *stream, GError **error)
{
	int r;

	if (!guard_stream (imap, stream, TRUE, error)) {
		mailstream_close (stream);
		return FALSE;
	}
	r = mailimap_connect (imap->session, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_CONNECT, "greeting", r);
		return FALSE;
	}
	return TRUE;
}

static gboolean
open_stream (VulndImap *imap, GError **error)
{
	const VulndImapSettings *s = &imap->settings;
	char *host = (char *) s->host;
	mailstream *stream;
	int fd, r;

	fd = tcp_connect (imap, error);
	if (fd < 0)
		return FALSE;
	if (s->tls == VULND_IMAP_TLS_IMAPS)
		stream = mailstream_ssl_open_with_callback_timeout (fd, s->timeout, tls_setup, host);
	else
		stream = mailstream_socket_open_timeout (fd, s->timeout);
	if (!stream) {
		close (fd);
		set_imap_error (imap, error, VULND_IMAP_ERROR_CONNECT, "connect",
		                s->tls == VULND_IMAP_TLS_IMAPS ? MAILIMAP_ERROR_SSL : MAILIMAP_ERROR_MEMORY);
		return FALSE;
	}
	if (!greet (imap, stream, error))
		return FALSE;
	if (s->tls != VULND_IMAP_TLS_STARTTLS)
		return TRUE;
	/* Ask rather than trust the greeting, which may lack a CAPABILITY code. */
	r = ask_capability (imap->session);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_CONNECT, "CAPABILITY", r);
		return FALSE;
	}
	if (!has_capability (imap->session, "STARTTLS")) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s:%u: server does not offer STARTTLS (tls=starttls)", s->host, s->port);
		return FALSE;
	}
	r = mailimap_socket_starttls_with_callback (imap->session, tls_setup, host);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_CONNECT, "STARTTLS", r);
		return FALSE;
	}
	/* libetpan put a TLS layer in place of the guarded one (freeing it) */
	imap->guarded = NULL;
	return guard_stream (imap, imap->session->imap_stream, FALSE, error);
}

static gboolean
login_and_select (VulndImap *imap, GError **error)
{
	const VulndImapSettings *s = &imap->settings;
	const char *name = s->mailbox ? s->mailbox : "INBOX";
	g_autofree char *wire = NULL;
	g_autoptr (GError) local = NULL;
	int r;

	r = mailimap_login (imap->session, s->user, s->password);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_LOGIN, "LOGIN", r);
		return FALSE;
	}
	/* Capabilities change after LOGIN (and after STARTTLS): ask again. */
	r = ask_capability (imap->session);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "CAPABILITY", r);
		return FALSE;
	}
	imap->has_idle = has_capability (imap->session, "IDLE");
	/* Names go on the wire in modified UTF-7 (RFC 3501 5.1.3): a UTF-8
	 * "Sécurité" is no mailbox to the server. */
	wire = vulnd_imap_utf7_encode (name, &local);
	if (wire == NULL) {
		g_autofree char *shown = g_utf8_make_valid (name, -1);

		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_MAILBOX,
		             "%s:%u: mailbox \"%s\": %s", s->host, s->port, shown, local->message);
		return FALSE;
	}
	r = mailimap_select (imap->session, wire);
	if (r != MAILIMAP_NO_ERROR || !imap->session->imap_selection_info) {
		g_autofree char *what = g_strdup_printf ("SELECT \"%s\"", name);

		set_imap_error (imap, error, VULND_IMAP_ERROR_MAILBOX, what, r);
		return FALSE;
	}
	imap->uidvalidity = imap->session->imap_selection_info->sel_uidvalidity;
	return TRUE;
}

static VulndImap *
session_new (const VulndImapSettings *settings, GError **error)
{
	g_autoptr (VulndImap) imap = g_new0 (VulndImap, 1);

	imap->settings = *settings;
	if (!imap->settings.timeout)
		imap->settings.timeout = VULND_IMAP_NET_TIMEOUT;
	imap->session = mailimap_new (0, NULL);
	if (!imap->session) {
		g_set_error_literal (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT,
		                     "out of memory");
		return NULL;
	}
	mailimap_set_timeout (imap->session, imap->settings.timeout);
	return g_steal_pointer (&imap);
}

VulndImap *
vulnd_imap_open_fd (const VulndImapSettings *settings, int fd, GError **error)
{
	g_autoptr (VulndImap) imap = NULL;
	mailstream *stream;

	if (settings->tls != VULND_IMAP_TLS_NONE) {
		close (fd);
		g_set_error_literal (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT,
		                     "vulnd_imap_open_fd: only tls=none");
		return NULL;
	}
	imap = session_new (settings, error);
	if (!imap) {
		close (fd);
		return NULL;
	}
	stream = mailstream_socket_open_timeout (fd, imap->settings.timeout);
	if (!stream) {
		close (fd);
		g_set_error_literal (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_CONNECT,
		                     "out of memory");
		return NULL;
	}
	if (!greet (imap, stream, error) || !login_and_select (imap, error))
		return NULL;
	return g_steal_pointer (&imap);
}

VulndImap *
vulnd_imap_connect (const VulndImapSettings *settings, GError **error)
{
	g_autoptr (VulndImap) imap = session_new (settings, error);

	if (!imap)
		return NULL;
	if (!open_stream (imap, error))
		return NULL;
	/* Before LOGIN: the password never goes to an unverified server. */
	if (settings->tls != VULND_IMAP_TLS_NONE && !verify_session (imap, error))
		return NULL;
	if (!login_and_select (imap, error))
		return NULL;
	return g_steal_pointer (&imap);
}

void
vulnd_imap_free (VulndImap *imap)
{
	if (!imap)
		return;
	if (imap->session) {
		/* No LOGOUT round trip: the connection may be dead already. */
		if (imap->session->imap_stream) {
			mailstream_close (imap->session->imap_stream);
			imap->session->imap_stream = NULL;
		}
		mailimap_free (imap->session);
	}
	g_free (imap);
}

guint32
vulnd_imap_uidvalidity (VulndImap *imap)
{
	return imap->uidvalidity;
}

gboolean
vulnd_imap_has_idle (VulndImap *imap)
{
	return imap->has_idle;
}

/* ---- fetching ---------------------------------------------------------- */

/* UID with, for the listing, RFC822.SIZE, or for one message its body. */
static struct mailimap_fetch_type *
fetch_type_uid (gboolean body)
{
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty ();

	mailimap_fetch_type_new_fetch_att_list_add (ft, mailimap_fetch_att_new_uid ());
	if (body)
		mailimap_fetch_type_new_fetch_att_list_add (
			ft, mailimap_fetch_att_new_body_peek_section (mailimap_section_new (NULL)));
	else
		mailimap_fetch_type_new_fetch_att_list_add (ft, mailimap_fetch_att_new_rfc822_size ());
	return ft;
}

typedef struct {
	guint32 uid;
	guint32 size;   /* RFC822.SIZE; 0 when the server gave none */
} Listed;

/* The UID and, when present, the size and the body of one FETCH response. */
static guint32
msg_att_parse (struct mailimap_msg_att *att, guint32 *size, const char **body, gsize *len)
{
	guint32 uid = 0;

	for (clistiter *it = clist_begin (att->att_list); it; it = clist_next (it)) {
		struct mailimap_msg_att_item *item = clist_content (it);
		struct mailimap_msg_att_static *st;

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE && size)
			*size = st->att_data.att_rfc822_size;
		else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && body) {
			*body = st->att_data.att_body_section->sec_body_part;
			*len = st->att_data.att_body_section->sec_length;
		}
	}
	return uid;
}

static gint
compare_uid (gconstpointer a, gconstpointer b)
{
	guint32 x = ((const Listed *) a)->uid, y = ((const Listed *) b)->uid;

	return x < y ? -1 : x > y;
}

/* A server may list a UID twice (found by fuzz-imap); each is fetched and
 * handed over once. */
static void
drop_repeats (GArray *sorted)
{
	guint n = 0;

	for (guint i = 0; i < sorted->len; i++)
		if (n == 0 || g_array_index (sorted, Listed, i).uid != g_array_index (sorted, Listed, n - 1).uid)
			g_array_index (sorted, Listed, n++) = g_array_index (sorted, Listed, i);
	g_array_set_size (sorted, n);
}

/* The UIDs >= FROM with their sizes, sorted: a cheap listing before the
 * bodies one by one. */
static GArray *
list_uids (VulndImap *imap, guint32 from, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_interval (from, 0);
	struct mailimap_fetch_type *ft = fetch_type_uid (FALSE);
	clist *result = NULL;
	GArray *uids = g_array_new (FALSE, FALSE, sizeof (Listed));
	int r;

	r = mailimap_uid_fetch (imap->session, set, ft, &result);
	mailimap_fetch_type_free (ft);
	mailimap_set_free (set);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "UID FETCH (UID RFC822.SIZE)", r);
		g_array_unref (uids);
		return NULL;
	}
	for (clistiter *it = clist_begin (result); it; it = clist_next (it)) {
		Listed m = { 0 };

		m.uid = msg_att_parse (clist_content (it), &m.size, NULL, NULL);
		/* "n:*" means "n and the last one" when n is past the end. */
		if (m.uid >= from && m.uid > 0)
			g_array_append_val (uids, m);
	}
	mailimap_fetch_list_free (result);
	g_array_sort (uids, compare_uid);
	drop_repeats (uids);
	return uids;
}

static gboolean
not_taken (gboolean ok, guint32 uid, GError **error)
{
	if (!ok && error && !*error)
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "message UID %u was not taken", uid);
	return ok;
}

static gboolean
fetch_one (VulndImap *imap, const Listed *m, VulndImapMessageFn fn, gpointer user_data,
           GError **error)
{
	struct mailimap_set *set;
	struct mailimap_fetch_type *ft;
	clist *result = NULL;
	gboolean ok = TRUE;
	int r;

	/* Not fetched: handed over as too large, so that it is accounted for. */
	if (m->size > VULND_IMAP_MESSAGE_MAX)
		return not_taken (fn (m->uid, NULL, m->size, user_data, error), m->uid, error);
	set = mailimap_set_new_single (m->uid);
	ft = fetch_type_uid (TRUE);
	r = mailimap_uid_fetch (imap->session, set, ft, &result);
	mailimap_fetch_type_free (ft);
	mailimap_set_free (set);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "UID FETCH (BODY.PEEK[])", r);
		return FALSE;
	}
	for (clistiter *it = clist_begin (result); it; it = clist_next (it)) {
		const char *body = NULL;
		gsize len = 0;

		if (msg_att_parse (clist_content (it), NULL, &body, &len) != m->uid || !body)
			continue;   /* expunged meanwhile, or an unsolicited FETCH */
		/* only the first body: a repeated FETCH of the same UID (found by
		 * fuzz-imap) must not hand the message over twice */
		ok = fn (m->uid, body, len, user_data, error);
		break;
	}
	mailimap_fetch_list_free (result);
	return not_taken (ok, m->uid, error);
}

gboolean
vulnd_imap_fetch_from (VulndImap *imap, guint32 from, VulndImapMessageFn fn,
                       gpointer user_data, GError **error)
{
	g_autoptr (GArray) uids = NULL;

	if (from == 0)
		from = 1;
	uids = list_uids (imap, from, error);
	if (!uids)
		return FALSE;
	for (guint i = 0; i < uids->len; i++)
		if (!fetch_one (imap, &g_array_index (uids, Listed, i), fn, user_data, error))
			return FALSE;
	return TRUE;
}

gboolean
vulnd_imap_noop (VulndImap *imap, gboolean *changed, GError **error)
{
	struct mailimap_selection_info *sel = imap->session->imap_selection_info;
	guint32 before = sel ? sel->sel_exists : 0;
	int r;

	r = mailimap_noop (imap->session);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "NOOP", r);
		return FALSE;
	}
	sel = imap->session->imap_selection_info;
	if (changed)
		*changed = sel && sel->sel_exists != before;
	return TRUE;
}

/* ---- IDLE -------------------------------------------------------------- */

int
vulnd_imap_idle_start (VulndImap *imap, GError **error)
{
	int r = mailimap_idle (imap->session);

	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "IDLE", r);
		return -1;
	}
	imap->idling = TRUE;
	return mailimap_idle_get_fd (imap->session);
}

gboolean
vulnd_imap_idle_done (VulndImap *imap, GError **error)
{
	int r;

	if (!imap->idling)
		return TRUE;
	imap->idling = FALSE;
	r = mailimap_idle_done (imap->session);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (imap, error, VULND_IMAP_ERROR_PROTOCOL, "IDLE DONE", r);
		return FALSE;
	}
	return TRUE;
}

gboolean
vulnd_imap_idle_buffered (VulndImap *imap)
{
	mailstream *s = imap->session->imap_stream;

	return s && s->read_buffer_len > 0;
}
