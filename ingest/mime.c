/* mime.c - one message, parsed by GMime, as a flat VulndMail.
 *
 * The advisory text is the first text/plain part of a depth-first walk
 * (text/plain preferred inside multipart/alternative), transfer-decoded,
 * inline PGP armour removed, converted to UTF-8, unflowed, and cleaned of
 * web-archive attachment lines, Mailman footers and the e-mail signature.
 * The signature verdict comes from PGP/MIME, an inline clear-signed block,
 * or a signature part lying next to the text outside multipart/signed (how
 * some clients and archives deliver it).  Unsigned mail never reaches gpg.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "ingest-private.h"
#include "mail-damage.h"

/* GMime 3.2 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeSignatureList, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeCryptoContext, g_object_unref)

G_DEFINE_QUARK (vulnd-ingest-error-quark, vulnd_ingest_error)

/* Past this, parts are ignored: real announcements nest 3 or 4 deep, and
 * deeper trees are built to exhaust a parser. */
#define MAX_DEPTH 64
/* Hostile mail can trigger a warning per header; keep the list readable. */
#define MAX_WARNINGS 32

#define ARMOR_SIGNED "-----BEGIN PGP SIGNED MESSAGE-----"
#define ARMOR_SIG_BEGIN "-----BEGIN PGP SIGNATURE-----"
#define ARMOR_SIG_END "-----END PGP SIGNATURE-----"

static gpointer
mime_init_once (gpointer unused)
{
	g_mime_init ();
	return NULL;
}

void
vulnd_mime_init (void)
{
	static GOnce once = G_ONCE_INIT;

	g_once (&once, mime_init_once, NULL);
}

typedef struct {
	VulndMail *mail;
	gboolean screen;                 /* vulnd_mail_screen: the lean parse */
	GMimeObject *text_part;          /* the advisory text */
	GMimeMultipartSigned *signed_mp; /* multipart/signed enclosing it */
	GMimeObject *detached_sig;       /* signature part next to it */
	char *protected_subject;
	gboolean depth_warned;
	guint32 parser_codes_seen;
} Walk;

static void
mail_warn (VulndMail *mail, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
mail_warn (VulndMail *mail, const char *format, ...)
{
	va_list ap;

	if (mail->warnings->len >= MAX_WARNINGS)
		return;
	va_start (ap, format);
	g_ptr_array_add (mail->warnings, g_strdup_vprintf (format, ap));
	va_end (ap);
}

void
vulnd_mail_free (VulndMail *mail)
{
	if (!mail)
		return;
	g_free (mail->message_id);
	g_free (mail->subject);
	g_free (mail->from);
	g_free (mail->date);
	g_free (mail->received);
	g_free (mail->list_id);
	g_free (mail->in_reply_to);
	g_free (mail->references);
	g_free (mail->text);
	g_free (mail->sha256);
	g_free (mail->sig_form);
	g_free (mail->sig_fingerprint);
	g_free (mail->sig_signer);
	g_ptr_array_unref (mail->warnings);
	g_free (mail);
}

/* ---- is it mail at all? ------------------------------------------------ */

/* A message starts with a header field (after an optional mbox "From "
 * line); anything else (empty, binary, an image) is not mail. */
static gsize
skip_mbox_line (const char *data, gsize len)
{
	const char *nl;

	if (len < 5 || memcmp (data, "From ", 5) != 0)
		return 0;
	nl = memchr (data, '\n', len);
	return nl ? (gsize) (nl - data) + 1 : len;
}

static gboolean
starts_with_header_field (const char *data, gsize len)
{
	gsize i = 0;

	while (i < len && i < 998 && data[i] >= 33 && data[i] <= 126 && data[i] != ':')
		i++;
	if (i == 0)
		return FALSE;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	return i < len && data[i] == ':';
}

/* ---- headers ------------------------------------------------------------ */

static char *
clean_header (const char *value)
{
	g_autofree char *utf8 = NULL;

	if (!value)
		return NULL;
	utf8 = vulnd_text_to_utf8 (value, -1, NULL);
	g_strstrip (utf8);
	if (!*utf8)
		return NULL;
	return g_steal_pointer (&utf8);
}

static char *
iso8601_utc (GDateTime *dt)
{
	g_autoptr (GDateTime) utc = NULL;

	if (!dt)
		return NULL;
	utc = g_date_time_to_utc (dt);
	return utc ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* "Announcements <openstack-announce.lists.openstack.org>" -> the id. */
static char *
list_id_value (const char *header)
{
	const char *lt, *gt;

	if (!header)
		return NULL;
	lt = strrchr (header, '<');
	gt = lt ? strchr (lt, '>') : NULL;
	if (lt && gt && gt > lt + 1) {
		g_autofree char *id = g_strndup (lt + 1, gt - lt - 1);
		return clean_header (id);
	}
	return clean_header (header);
}

static char *
first_to_address (GMimeMessage *message)
{
	InternetAddressList *to = g_mime_message_get_addresses (message, GMIME_ADDRESS_TYPE_TO);

	for (int i = 0; to && i < internet_address_list_length (to); i++) {
		InternetAddress *ia = internet_address_list_get_address (to, i);
		if (INTERNET_ADDRESS_IS_MAILBOX (ia))
			return clean_header (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
	}
	return NULL;
}

static void
read_headers (VulndMail *mail, GMimeMessage *message, gboolean screen)
{
	GMimeObject *obj = GMIME_OBJECT (message);
	InternetAddressList *from = g_mime_message_get_from (message);
	const char *list_id = g_mime_object_get_header (obj, "List-Id");

	mail->message_id = clean_header (g_mime_message_get_message_id (message));
	mail->subject = clean_header (g_mime_message_get_subject (message));
	/* formatting From (IDN, quoting) costs a tenth of a parse, and only
	 * records show it */
	if (!screen && from && internet_address_list_length (from) > 0) {
		g_autofree char *s = internet_address_list_to_string (from, NULL, FALSE);
		mail->from = clean_header (s);
	}
	mail->date = clean_header (g_mime_object_get_header (obj, "Date"));
	mail->received = iso8601_utc (g_mime_message_get_date (message));
	if (mail->date && !mail->received)
		mail_warn (mail, "Date header not understood: %s", mail->date);
	mail->list_id = list_id_value (list_id);
	if (!mail->list_id)
		mail->list_id = first_to_address (message);
	/* archive copies obfuscate addresses ("oss-security@...ts.openwall.com"):
	 * GMime rejects them, but they still name the list */
	if (!mail->list_id)
		mail->list_id = clean_header (g_mime_object_get_header (obj, "To"));
	mail->in_reply_to = clean_header (g_mime_object_get_header (obj, "In-Reply-To"));
	mail->references = clean_header (g_mime_object_get_header (obj, "References"));
}

/* ---- the walk ----------------------------------------------------------- */

static const char *
part_filename (GMimeObject *obj)
{
	return GMIME_IS_PART (obj) ? g_mime_part_get_filename (GMIME_PART (obj)) : NULL;
}

/* A detached signature, whatever type the sender's client gave it. */
static gboolean
looks_like_signature_part (GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	const char *name = part_filename (obj);

	if (!GMIME_IS_PART (obj))
		return FALSE;
	if (ct && g_mime_content_type_is_type (ct, "application", "pgp-signature"))
		return TRUE;
	return name && (g_str_has_suffix (name, ".asc") || g_str_has_suffix (name, ".sig"));
}

static gboolean
is_text_candidate (GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);

	if (!GMIME_IS_PART (obj) || !ct || !g_mime_content_type_is_type (ct, "text", "plain"))
		return FALSE;
	if (looks_like_signature_part (obj))
		return FALSE;
	/* the "legacy display" copy of protected headers is not the text */
	return g_mime_content_type_get_parameter (ct, "protected-headers") == NULL;
}

static void walk (Walk *w, GMimeObject *obj, guint depth, GMimeMultipartSigned *enclosing);

static void
walk_children (Walk *w, GMimeMultipart *mp, guint depth, GMimeMultipartSigned *enclosing)
{
	GMimeContentType *ct = g_mime_object_get_content_type (GMIME_OBJECT (mp));
	gboolean alternative = ct && g_mime_content_type_is_type (ct, "multipart", "alternative");
	int n = g_mime_multipart_get_count (mp);

	if (alternative && !w->text_part)
		for (int i = 0; i < n && !w->text_part; i++)
			if (is_text_candidate (g_mime_multipart_get_part (mp, i)))
				walk (w, g_mime_multipart_get_part (mp, i), depth + 1, enclosing);
	for (int i = 0; i < n; i++)
		walk (w, g_mime_multipart_get_part (mp, i), depth + 1, enclosing);
}

/* The archive form: text and signature are siblings in multipart/mixed. */
static void
find_detached_signature (Walk *w, GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count (mp);

	for (int i = 0; i < n && !w->detached_sig; i++) {
		GMimeObject *child = g_mime_multipart_get_part (mp, i);
		if (looks_like_signature_part (child))
			w->detached_sig = child;
	}
}

static void
note_protected_subject (Walk *w, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type (obj);
	const char *subject;

	if (w->protected_subject || !ct || !g_mime_content_type_get_parameter (ct, "protected-headers"))
		return;
	subject = g_mime_object_get_header (obj, "Subject");
	if (subject)
		w->protected_subject = clean_header (subject);
}

static void
walk_multipart (Walk *w, GMimeMultipart *mp, guint depth, GMimeMultipartSigned *enclosing)
{
	gboolean had_text = w->text_part != NULL;

	note_protected_subject (w, GMIME_OBJECT (mp));
	if (GMIME_IS_MULTIPART_SIGNED (mp)) {
		/* only the signed content; the signature part is not text */
		if (g_mime_multipart_get_count (mp) > GMIME_MULTIPART_SIGNED_CONTENT)
			walk (w, g_mime_multipart_get_part (mp, GMIME_MULTIPART_SIGNED_CONTENT), depth + 1,
			      enclosing ? enclosing : GMIME_MULTIPART_SIGNED (mp));
		return;
	}
	walk_children (w, mp, depth, enclosing);
	if (!had_text && w->text_part && !enclosing && !w->signed_mp && !w->detached_sig)
		find_detached_signature (w, mp);
}

static void
walk (Walk *w, GMimeObject *obj, guint depth, GMimeMultipartSigned *enclosing)
{
	if (!obj)
		return;
	if (depth > MAX_DEPTH) {
		if (!w->depth_warned)
			mail_warn (w->mail, "MIME nesting deeper than %d levels: inner parts ignored", MAX_DEPTH);
		w->depth_warned = TRUE;
		return;
	}
	if (GMIME_IS_MESSAGE_PART (obj)) {
		w->mail->forwarded = TRUE;
		return;
	}
	if (GMIME_IS_MULTIPART (obj)) {
		walk_multipart (w, GMIME_MULTIPART (obj), depth, enclosing);
		return;
	}
	if (!w->text_part && is_text_candidate (obj)) {
		w->text_part = obj;
		w->signed_mp = enclosing;
	}
}

/* ---- bytes of a part ---------------------------------------------------- */

static GByteArray *
part_decoded_bytes (GMimeObject *obj)
{
	GMimeDataWrapper *content = GMIME_IS_PART (obj) ? g_mime_part_get_content (GMIME_PART (obj)) : NULL;
	g_autoptr (GMimeStream) mem = g_mime_stream_mem_new ();
	GByteArray *bytes;

	if (content)
		g_mime_data_wrapper_write_to_stream (content, mem);
	g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (mem), FALSE);
	bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (mem));
	return bytes;
}

static const char *
find_line_start (const char *hay, gsize len, const char *needle)
{
	gsize nlen = strlen (needle);
	const char *p = hay, *end;

	/* an empty part has no buffer at all: no pointer arithmetic on NULL */
	if (!hay || len == 0)
		return NULL;
	end = hay + len;
	while (p && (gsize) (end - p) >= nlen) {
		const char *hit = memmem (p, end - p, needle, nlen);
		if (!hit)
			return NULL;
		if (hit == hay || hit[-1] == '\n')
			return hit;
		p = hit + 1;
	}
	return NULL;
}

static const char *
line_end (const char *p, const char *end)
{
	const char *nl = memchr (p, '\n', end - p);

	return nl ? nl + 1 : end;
}

/* ---- signatures --------------------------------------------------------- */

#define DISQUALIFYING (GMIME_SIGNATURE_STATUS_RED | GMIME_SIGNATURE_STATUS_KEY_REVOKED | \
                       GMIME_SIGNATURE_STATUS_SIG_EXPIRED | GMIME_SIGNATURE_STATUS_SYS_ERROR | \
                       GMIME_SIGNATURE_STATUS_BAD_POLICY | GMIME_SIGNATURE_STATUS_TOFU_CONFLICT | \
                       GMIME_SIGNATURE_STATUS_CRL_MISSING | GMIME_SIGNATURE_STATUS_CRL_TOO_OLD)

/* GMime flags a good signature by a key not ultimately trusted with 0 and
 * one by a key expired since with KEY_EXPIRED: both fine.  What makes it
 * "verified" is the signer being one of OUR keys. */
static void
apply_signature (VulndMail *mail, GMimeSignature *sig, const VulndKeyring *keyring)
{
	GMimeSignatureStatus status = g_mime_signature_get_status (sig);
	GMimeCertificate *cert = g_mime_signature_get_certificate (sig);
	const char *fpr = cert ? g_mime_certificate_get_fingerprint (cert) : NULL;
	const char *uid = cert ? g_mime_certificate_get_user_id (cert) : NULL;
	const char *primary;

	if ((!fpr || !*fpr) && cert)
		fpr = g_mime_certificate_get_key_id (cert);
	primary = vulnd_keyring_primary_for (keyring, fpr);
	if (status & GMIME_SIGNATURE_STATUS_KEY_MISSING)
		mail->sig_status = VULND_SIG_UNKNOWN_KEY;
	else if (status & DISQUALIFYING)
		mail->sig_status = VULND_SIG_BAD;
	else
		mail->sig_status = primary ? VULND_SIG_VERIFIED : VULND_SIG_UNKNOWN_KEY;
	if (mail->sig_status == VULND_SIG_UNKNOWN_KEY && fpr && *fpr)
		mail_warn (mail, "signed by key %s, which is not in the keyring", fpr);
	if (!primary)
		return;
	mail->sig_fingerprint = g_strdup (primary);
	if (!uid || !*uid)
		uid = vulnd_keyring_user_id (keyring, primary);
	mail->sig_signer = clean_header (uid);
}

static void
apply_signatures (VulndMail *mail, GMimeSignatureList *list, GError *error,
                  const VulndKeyring *keyring)
{
	if (!list || g_mime_signature_list_length (list) == 0) {
		mail->sig_status = VULND_SIG_BAD;
		mail_warn (mail, "signature could not be checked: %s",
		           error ? error->message : "no signature found");
		return;
	}
	apply_signature (mail, g_mime_signature_list_get_signature (list, 0), keyring);
}

static void
verify_pgp_mime (VulndMail *mail, GMimeMultipartSigned *mps, const VulndKeyring *keyring)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GMimeSignatureList) list = NULL;

	g_free (mail->sig_form);
	mail->sig_form = g_strdup ("pgp-mime");
	if (!vulnd_keyring_lock (keyring)) {
		mail->sig_status = VULND_SIG_BAD;
		mail_warn (mail, "signature could not be checked: no GnuPG home");
		return;
	}
	list = g_mime_multipart_signed_verify (mps, GMIME_VERIFY_NONE, &error);
	vulnd_keyring_unlock ();
	apply_signatures (mail, list, error, keyring);
}

/* SIGNED: the signed data (or the whole clear-signed block when SIG is
 * NULL); SIG: a detached signature. */
static void
verify_streams (VulndMail *mail, const char *form, const char *signed_data, gsize signed_len,
                const char *sig, gsize sig_len, const VulndKeyring *keyring)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GMimeSignatureList) list = NULL;
	g_autoptr (GMimeCryptoContext) ctx = NULL;
	g_autoptr (GMimeStream) in = g_mime_stream_mem_new_with_buffer (signed_data, signed_len);
	g_autoptr (GMimeStream) sigstream = sig ? g_mime_stream_mem_new_with_buffer (sig, sig_len) : NULL;
	g_autoptr (GMimeStream) out = g_mime_stream_null_new ();

	g_free (mail->sig_form);
	mail->sig_form = g_strdup (form);
	if (!vulnd_keyring_lock (keyring)) {
		mail->sig_status = VULND_SIG_BAD;
		mail_warn (mail, "signature could not be checked: no GnuPG home");
		return;
	}
	ctx = g_mime_crypto_context_new ("application/pgp-signature");
	if (ctx)
		list = g_mime_crypto_context_verify (ctx, GMIME_VERIFY_NONE, in, sigstream,
		                                     sig ? NULL : out, &error);
	vulnd_keyring_unlock ();
	apply_signatures (mail, list, error, keyring);
}

/* The archive form signs the transfer-decoded text part, in canonical
 * CRLF form like any MIME-signed data. */
static void
verify_detached (VulndMail *mail, GMimeObject *text_part, GMimeObject *sig_part,
                 const VulndKeyring *keyring)
{
	g_autoptr (GByteArray) sig = part_decoded_bytes (sig_part);
	g_autoptr (GByteArray) text = part_decoded_bytes (text_part);
	g_autoptr (GString) canon = g_string_sized_new (text->len + text->len / 32 + 2);

	if (!find_line_start ((const char *) sig->data, sig->len, ARMOR_SIG_BEGIN) &&
	    !(sig->len > 0 && (sig->data[0] & 0x80))) {
		return; /* an .asc that holds something else (a key) */
	}
	for (guint i = 0; i < text->len; i++) {
		if (text->data[i] == '\n' && (i == 0 || text->data[i - 1] != '\r'))
			g_string_append_c (canon, '\r');
		g_string_append_c (canon, text->data[i]);
	}
	verify_streams (mail, "detached", canon->str, canon->len,
	                (const char *) sig->data, sig->len, keyring);
}

/* ---- inline clear-signed text ------------------------------------------- */

/* The cleartext of a clear-signed block: armour headers ("Hash:") up to
 * the first blank line skipped, dash-escaping ("- ") undone. */
static void
append_cleartext (GString *out, const char *p, const char *end)
{
	const char *sig = find_line_start (p, end - p, ARMOR_SIG_BEGIN);
	const char *stop = sig ? sig : end;

	p = line_end (p, end); /* the BEGIN line */
	while (p < stop) {
		const char *next = line_end (p, stop);
		gboolean blank = (next - p == 1) || (next - p == 2 && p[0] == '\r');
		p = next;
		if (blank)
			break;
	}
	while (p < stop) {
		const char *next = line_end (p, stop);
		if (next - p >= 2 && p[0] == '-' && p[1] == ' ')
			p += 2;
		g_string_append_len (out, p, next - p);
		p = next;
	}
}

/* Verifies and unarmours an inline clear-signed block in BYTES.  Returns
 * the text without armour, or NULL when there is no such block. */
static GString *
unarmor_inline (VulndMail *mail, const GByteArray *bytes, gboolean verify,
                const VulndKeyring *keyring)
{
	const char *data = (const char *) bytes->data;
	const char *end, *begin, *sig, *sig_end, *block_end;
	GString *out;

	/* an empty part has no buffer at all: no pointer arithmetic on NULL */
	if (bytes->len == 0)
		return NULL;
	end = data + bytes->len;
	begin = find_line_start (data, bytes->len, ARMOR_SIGNED);
	if (!begin)
		return NULL;
	sig = find_line_start (begin, end - begin, ARMOR_SIG_BEGIN);
	sig_end = sig ? find_line_start (sig, end - sig, ARMOR_SIG_END) : NULL;
	block_end = sig_end ? line_end (sig_end, end) : end;
	out = g_string_sized_new (bytes->len);
	g_string_append_len (out, data, begin - data);
	append_cleartext (out, begin, block_end);
	g_string_append_len (out, block_end, end - block_end);
	if (!verify)
		return out;
	if (!sig_end) {
		g_free (mail->sig_form);
		mail->sig_form = g_strdup ("inline");
		mail->sig_status = VULND_SIG_BAD;
		mail_warn (mail, "inline PGP signature block is truncated");
		return out;
	}
	verify_streams (mail, "inline", begin, block_end - begin, NULL, 0, keyring);
	return out;
}

/* ---- cleaning the text -------------------------------------------------- */

static GRegex *
download_line_regex (void)
{
	static gsize once = 0;
	static GRegex *re;

	if (g_once_init_enter (&once)) {
		re = g_regex_new ("^Download attachment \"[^\"\\n]*\" of type \"[^\"\\n]*\" \\([0-9]+ bytes\\)[ \\t]*\\n?",
		                  G_REGEX_MULTILINE, 0, NULL);
		g_once_init_leave (&once, 1);
	}
	return re;
}

/* TEXT without the "Download attachment" lines of archive copies, line by
 * line: a replace over the whole text had GLib 2.74 re-check the UTF-8 of
 * the rest of the text at each match, quadratic in the number of such
 * lines.  The pattern starts at a line start and ends at the line's end, so
 * each line is matched alone. */
static char *
strip_download_lines (const char *text)
{
	GString *out = g_string_sized_new (strlen (text) + 1);

	for (const char *p = text; *p;) {
		const char *nl = strchr (p, '\n');
		gsize n = nl ? (gsize) (nl - p) + 1 : strlen (p);
		g_autoptr (GMatchInfo) mi = NULL;
		gint end = 0;

		if (g_str_has_prefix (p, "Download attachment \"")
		    && g_regex_match_full (download_line_regex (), p, n, 0, 0, &mi, NULL))
			g_match_info_fetch_pos (mi, 0, NULL, &end);
		g_string_append_len (out, p + end, n - end);
		p += n;
	}
	return g_string_free (out, FALSE);
}

/* CRLF and lone CR to LF, the text between CRs copied whole. */
static char *
normalize_newlines (const char *text)
{
	GString *out = g_string_sized_new (strlen (text) + 1);
	const char *cr;

	for (; (cr = strchr (text, '\r')); text = cr + 1) {
		g_string_append_len (out, text, cr - text);
		if (cr[1] != '\n')
			g_string_append_c (out, '\n');
	}
	g_string_append (out, text);
	return g_string_free (out, FALSE);
}

static gboolean
is_underscore_rule (const char *line, gsize len)
{
	gsize i = 0;

	while (i < len && line[i] == '_')
		i++;
	return i >= 20 && i == len;
}

/* Offset of a Mailman footer ("____" rule, then the list's name and
 * listinfo URL) in TEXT, or -1. */
static gssize
mailman_footer_offset (const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr (p, '\n');
		gsize len = nl ? (gsize) (nl - p) : strlen (p);
		if (is_underscore_rule (p, len)) {
			const char *after = nl ? nl + 1 : p + len;
			g_autofree char *window = g_strndup (after, 400);
			g_autofree char *lower = g_ascii_strdown (window, -1);
			if (strstr (lower, "mailing list") || strstr (lower, "mailman/listinfo") ||
			    strstr (lower, "lists.openstack.org"))
				return p - text;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return -1;
}

static guint
count_nonblank_lines (const char *p)
{
	guint n = 0;
	gboolean blank = TRUE;

	for (; *p; p++) {
		if (*p == '\n') {
			n += !blank;
			blank = TRUE;
		} else if (!g_ascii_isspace (*p)) {
			blank = FALSE;
		}
	}
	return n + !blank;
}

/* Offset of the e-mail signature: the last "-- " line; archives strip its
 * trailing space, so a last bare "--" counts when only a few lines (a
 * name, a team, a URL) follow it. */
static gssize
signature_offset (const char *text)
{
	gssize last_exact = -1, last_bare = -1;

	for (const char *p = text; *p;) {
		const char *nl = strchr (p, '\n');
		gsize len = nl ? (gsize) (nl - p) : strlen (p);
		if (len == 3 && memcmp (p, "-- ", 3) == 0)
			last_exact = p - text;
		else if (len == 2 && memcmp (p, "--", 2) == 0)
			last_bare = p - text;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (last_exact >= 0)
		return last_exact;
	if (last_bare >= 0 && count_nonblank_lines (text + last_bare + 2) <= 6)
		return last_bare;
	return -1;
}

static char *
clean_text (const char *utf8)
{
	g_autofree char *text = normalize_newlines (utf8);
	g_autofree char *stripped = NULL;
	char *out;
	gssize cut;
	gsize len;

	/* the cheap test first: most mail is not an archive copy */
	if (strstr (text, "Download attachment \""))
		stripped = strip_download_lines (text);
	out = stripped ? g_steal_pointer (&stripped) : g_steal_pointer (&text);
	cut = strstr (out, "____") ? mailman_footer_offset (out) : -1;

	if (cut >= 0)
		out[cut] = '\0';
	cut = signature_offset (out);
	if (cut >= 0)
		out[cut] = '\0';
	len = strlen (out);
	while (len > 0 && g_ascii_isspace (out[len - 1]))
		out[--len] = '\0';
	if (len > 0) {
		char *with_nl = g_strconcat (out, "\n", NULL);
		g_free (out);
		out = with_nl;
	}
	return out;
}

static gboolean
param_is (GMimeContentType *ct, const char *name, const char *value)
{
	const char *v = ct ? g_mime_content_type_get_parameter (ct, name) : NULL;

	return v && g_ascii_strcasecmp (v, value) == 0;
}

/* Decodes the chosen part; verifies an inline signature when the message
 * has no MIME-level one. */
static char *
text_of_part (VulndMail *mail, GMimeObject *part, gboolean verify_inline,
              const VulndKeyring *keyring)
{
	GMimeContentType *ct = g_mime_object_get_content_type (part);
	g_autoptr (GByteArray) bytes = part_decoded_bytes (part);
	g_autoptr (GString) plain = unarmor_inline (mail, bytes, verify_inline, keyring);
	const char *charset = ct ? g_mime_content_type_get_parameter (ct, "charset") : NULL;
	g_autofree char *utf8 = NULL;

	if (plain)
		utf8 = vulnd_text_to_utf8 (plain->str, plain->len, charset);
	else
		utf8 = vulnd_text_to_utf8 ((const char *) bytes->data, bytes->len, charset);
	if (param_is (ct, "format", "flowed")) {
		char *unflowed = vulnd_text_unflow (utf8, param_is (ct, "delsp", "yes"));
		g_free (utf8);
		utf8 = unflowed;
	}
	return clean_text (utf8);
}

/* ---- parse -------------------------------------------------------------- */

static const char *
parser_warning_text (GMimeParserWarning code)
{
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
	case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated header parameter";
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
	case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type";
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 encoded header";
	case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message"; /* VULND_MAIL_WARNING_TRUNCATED */
	case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameter";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without boundary";
	case GMIME_WARN_INVALID_PARAMETER: return "invalid header parameter";
	case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
	case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting too deep";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part without headers or content";
	}
	return "parser warning";
}

/* One warning per kind: a hostile message can raise thousands. */
static void
on_parser_warning (gint64 offset, GMimeParserWarning code, const char *item, gpointer user_data)
{
	Walk *w = user_data;
	guint bit = (guint) code < 32 ? (guint) code : 31;

	if (w->parser_codes_seen & (1u << bit))
		return;
	w->parser_codes_seen |= 1u << bit;
	mail_warn (w->mail, "MIME: %s at byte %" G_GINT64_FORMAT, parser_warning_text (code), offset);
}

static GMimeMessage *
parse_message (Walk *w, const char *data, gsize len)
{
	g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
	g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
	GMimeParserOptions *options = NULL;
	GMimeMessage *message;

	g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
	/* With a warning callback GMime unfolds and checks every header for
	 * its warnings, a tenth of the parse: only the full parse asks. */
	if (!w->screen) {
		options = g_mime_parser_options_new ();
		g_mime_parser_options_set_warning_callback (options, on_parser_warning, w);
	}
	message = g_mime_parser_construct_message (parser, options);
	if (options)
		g_mime_parser_options_free (options);
	return message;
}

static void
choose_text_and_verify (Walk *w, GMimeMessage *message, const VulndKeyring *keyring)
{
	VulndMail *mail = w->mail;
	GMimeObject *body = g_mime_message_get_mime_part (message);

	walk (w, body, 0, NULL);
	/* the screen checks no signature: the text is the same either way */
	if (!w->screen && w->signed_mp)
		verify_pgp_mime (mail, w->signed_mp, keyring);
	else if (!w->screen && w->detached_sig && w->text_part)
		verify_detached (mail, w->text_part, w->detached_sig, keyring);
	if (w->text_part)
		mail->text = text_of_part (mail, w->text_part, !w->screen &&
		                           mail->sig_status == VULND_SIG_UNSIGNED &&
		                           g_str_equal (mail->sig_form, "none"), keyring);
	else
		mail_warn (mail, "no text/plain part");
	if (!mail->text)
		mail->text = g_strdup ("");
	if (w->protected_subject && (!mail->subject || g_str_equal (mail->subject, "..."))) {
		g_free (mail->subject);
		mail->subject = g_strdup (w->protected_subject);
	}
}

gboolean
vulnd_mail_truncated (const VulndMail *mail)
{
	for (guint i = 0; mail && i < mail->warnings->len; i++)
		if (g_str_has_prefix (mail->warnings->pdata[i], VULND_MAIL_WARNING_TRUNCATED))
			return TRUE;
	return FALSE;
}

static VulndMail *
mail_parse (const char *data, gsize len, VulndKeyring *keyring, gboolean screen, GError **error)
{
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (GMimeMessage) message = NULL;
	Walk w = { .screen = screen };
	gsize skip;

	vulnd_mime_init ();
	skip = data ? skip_mbox_line (data, len) : 0;
	if (!data || !starts_with_header_field (data + skip, len - skip)) {
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_NOT_MAIL,
		             "not a mail message: no header field at the start");
		return NULL;
	}
	mail = g_new0 (VulndMail, 1);
	mail->warnings = g_ptr_array_new_with_free_func (g_free);
	mail->sig_form = g_strdup ("none");
	mail->sha256 = vulnd_sha256_hex (data, len);
	w.mail = mail;
	message = parse_message (&w, data + skip, len - skip);
	if (!message || g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (message))) == 0) {
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_NOT_MAIL,
		             "not a mail message: no header could be parsed");
		return NULL;
	}
	read_headers (mail, message, screen);
	choose_text_and_verify (&w, message, keyring);
	g_free (w.protected_subject);
	return g_steal_pointer (&mail);
}

VulndMail *
vulnd_mail_parse (const char *data, gsize len, VulndKeyring *keyring, GError **error)
{
	return mail_parse (data, len, keyring, FALSE, error);
}

VulndMail *
vulnd_mail_screen (const char *data, gsize len, GError **error)
{
	return mail_parse (data, len, NULL, TRUE, error);
}
