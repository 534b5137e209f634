/* imap.c - IMAP session for the IMAP source: connect, verify TLS, LOGIN,
 * SELECT, UID FETCH, IDLE, NOOP.  See imap.h. */
#include "config.h"

#include <string.h>
#include <arpa/inet.h>
#include <libetpan/libetpan.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "imap.h"

G_DEFINE_QUARK (vulnd-imap-error-quark, vulnd_imap_error)

struct _VulndImap {
	mailimap *session;
	VulndImapSettings settings;
	guint32 uidvalidity;
	gboolean has_idle;
	gboolean idling;
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
set_imap_error (GError **error, VulndImapError code, const char *what, int r,
                const VulndImapSettings *s)
{
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

/* ---- session ----------------------------------------------------------- */

static gboolean
has_capability (mailimap *session, const char *name)
{
	return mailimap_has_extension (session, (char *) name) != 0;
}

static gboolean
open_stream (VulndImap *imap, GError **error)
{
	const VulndImapSettings *s = &imap->settings;
	char *host = (char *) s->host;
	int r;

	if (s->tls == VULND_IMAP_TLS_IMAPS)
		r = mailimap_ssl_connect_with_callback (imap->session, host, s->port,
		                                        tls_setup, host);
	else
		r = mailimap_socket_connect (imap->session, host, s->port);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		set_imap_error (error, VULND_IMAP_ERROR_CONNECT, "connect", r, s);
		return FALSE;
	}
	if (s->tls != VULND_IMAP_TLS_STARTTLS)
		return TRUE;
	/* Ask rather than trust the greeting, which may lack a CAPABILITY code. */
	{
		struct mailimap_capability_data *cap = NULL;

		r = mailimap_capability (imap->session, &cap);
		if (cap)
			mailimap_capability_data_free (cap);
		if (r != MAILIMAP_NO_ERROR) {
			set_imap_error (error, VULND_IMAP_ERROR_CONNECT, "CAPABILITY", r, s);
			return FALSE;
		}
	}
	if (!has_capability (imap->session, "STARTTLS")) {
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_TLS,
		             "%s:%u: server does not offer STARTTLS (tls=starttls)", s->host, s->port);
		return FALSE;
	}
	r = mailimap_socket_starttls_with_callback (imap->session, tls_setup, host);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (error, VULND_IMAP_ERROR_CONNECT, "STARTTLS", r, s);
		return FALSE;
	}
	return TRUE;
}

static gboolean
login_and_select (VulndImap *imap, GError **error)
{
	const VulndImapSettings *s = &imap->settings;
	struct mailimap_capability_data *cap = NULL;
	int r;

	r = mailimap_login (imap->session, s->user, s->password);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (error, VULND_IMAP_ERROR_LOGIN, "LOGIN", r, s);
		return FALSE;
	}
	/* Capabilities change after LOGIN (and after STARTTLS): ask again. */
	r = mailimap_capability (imap->session, &cap);
	if (cap)
		mailimap_capability_data_free (cap);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "CAPABILITY", r, s);
		return FALSE;
	}
	imap->has_idle = has_capability (imap->session, "IDLE");
	r = mailimap_select (imap->session, s->mailbox ? s->mailbox : "INBOX");
	if (r != MAILIMAP_NO_ERROR || !imap->session->imap_selection_info) {
		set_imap_error (error, VULND_IMAP_ERROR_MAILBOX, "SELECT", r, s);
		return FALSE;
	}
	imap->uidvalidity = imap->session->imap_selection_info->sel_uidvalidity;
	return TRUE;
}

VulndImap *
vulnd_imap_connect (const VulndImapSettings *settings, GError **error)
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

static struct mailimap_fetch_type *
fetch_type_uid (gboolean body)
{
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty ();

	mailimap_fetch_type_new_fetch_att_list_add (ft, mailimap_fetch_att_new_uid ());
	if (body)
		mailimap_fetch_type_new_fetch_att_list_add (
			ft, mailimap_fetch_att_new_body_peek_section (mailimap_section_new (NULL)));
	return ft;
}

/* The UID and (when fetched) the body of one FETCH response. */
static guint32
msg_att_parse (struct mailimap_msg_att *att, const char **body, gsize *len)
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
	guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

	return x < y ? -1 : x > y;
}

/* The UIDs >= FROM, sorted: a cheap listing before the bodies one by one. */
static GArray *
list_uids (VulndImap *imap, guint32 from, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_interval (from, 0);
	struct mailimap_fetch_type *ft = fetch_type_uid (FALSE);
	clist *result = NULL;
	GArray *uids = g_array_new (FALSE, FALSE, sizeof (guint32));
	int r;

	r = mailimap_uid_fetch (imap->session, set, ft, &result);
	mailimap_fetch_type_free (ft);
	mailimap_set_free (set);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "UID FETCH (UID)", r,
		                &imap->settings);
		g_array_unref (uids);
		return NULL;
	}
	for (clistiter *it = clist_begin (result); it; it = clist_next (it)) {
		guint32 uid = msg_att_parse (clist_content (it), NULL, NULL);

		/* "n:*" means "n and the last one" when n is past the end. */
		if (uid >= from && uid > 0)
			g_array_append_val (uids, uid);
	}
	mailimap_fetch_list_free (result);
	g_array_sort (uids, compare_uid);
	return uids;
}

static gboolean
fetch_one (VulndImap *imap, guint32 uid, VulndImapMessageFn fn, gpointer user_data,
           GError **error)
{
	struct mailimap_set *set = mailimap_set_new_single (uid);
	struct mailimap_fetch_type *ft = fetch_type_uid (TRUE);
	clist *result = NULL;
	gboolean ok = TRUE;
	int r;

	r = mailimap_uid_fetch (imap->session, set, ft, &result);
	mailimap_fetch_type_free (ft);
	mailimap_set_free (set);
	if (r != MAILIMAP_NO_ERROR) {
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "UID FETCH (BODY.PEEK[])", r,
		                &imap->settings);
		return FALSE;
	}
	for (clistiter *it = clist_begin (result); it && ok; it = clist_next (it)) {
		const char *body = NULL;
		gsize len = 0;

		if (msg_att_parse (clist_content (it), &body, &len) != uid || !body)
			continue;   /* expunged meanwhile, or an unsolicited FETCH */
		ok = fn (uid, body, len, user_data, error);
	}
	mailimap_fetch_list_free (result);
	if (!ok && error && !*error)
		g_set_error (error, VULND_IMAP_ERROR, VULND_IMAP_ERROR_PROTOCOL,
		             "message UID %u was not taken", uid);
	return ok;
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
		if (!fetch_one (imap, g_array_index (uids, guint32, i), fn, user_data, error))
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
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "NOOP", r, &imap->settings);
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
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "IDLE", r, &imap->settings);
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
		set_imap_error (error, VULND_IMAP_ERROR_PROTOCOL, "IDLE DONE", r, &imap->settings);
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
