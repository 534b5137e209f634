/* vulnd-ingest.h - from raw message bytes to advisory records.
 *
 * mime.c parses a message with GMime into a flat VulndMail: decoded headers,
 * the advisory text as UTF-8 (transfer encodings, charsets, format=flowed,
 * inline PGP armour and dash-escaping, Mailman footers and e-mail signatures
 * undone) and the OpenPGP signature verdict.  keyring.c holds the trusted
 * keys in a private GnuPG home.  ingest.c joins parse and extract and adds
 * each record's "source".  Sources (maildir.c, mbox.c, imap.c) hand over raw
 * bytes plus a cursor.  Nothing here includes LMDB.
 */
#ifndef VULND_INGEST_H
#define VULND_INGEST_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "extract/extract.h"

G_BEGIN_DECLS

#define VULND_INGEST_ERROR (vulnd_ingest_error_quark ())
GQuark vulnd_ingest_error_quark (void);

typedef enum {
	VULND_INGEST_ERROR_NOT_MAIL,  /* the bytes are not an e-mail message */
	VULND_INGEST_ERROR_MALFORMED, /* a message, but broken beyond use */
	VULND_INGEST_ERROR_KEYRING,   /* the trusted keyring could not be loaded */
	VULND_INGEST_ERROR_IO,
} VulndIngestError;

/* ---- keyring.c ---------------------------------------------------------- */

typedef enum {
	VULND_SIG_UNSIGNED = 0,  /* no OpenPGP signature at all */
	VULND_SIG_VERIFIED,      /* good signature by a key of the given keyring
	                          * (one that expired since signing included) */
	VULND_SIG_UNKNOWN_KEY,   /* signed, but not by a key of the keyring */
	VULND_SIG_BAD,           /* the signature does not match the content,
	                          * or the key is revoked */
} VulndSigStatus;

const char *vulnd_sig_status_to_string (VulndSigStatus status);

typedef struct _VulndKeyring VulndKeyring;

/* Import the ASCII-armoured public keys of PATH (a directory of *.asc files
 * or one key file) into a private GnuPG home created for this keyring; the
 * user's own GnuPG home is never touched.  PATH NULL: an empty keyring. */
VulndKeyring *vulnd_keyring_open (const char *path, GError **error);
void vulnd_keyring_free (VulndKeyring *keyring);
/* Number of primary keys imported. */
guint vulnd_keyring_size (const VulndKeyring *keyring);
/* TRUE when FPR (hex, any case) is a primary key or subkey of the keyring. */
gboolean vulnd_keyring_has_fingerprint (const VulndKeyring *keyring, const char *fpr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndKeyring, vulnd_keyring_free)

/* ---- mime.c ------------------------------------------------------------- */

typedef struct {
	char *message_id;   /* without angle brackets; NULL when absent */
	char *subject;      /* decoded (RFC 2047) */
	char *from;
	char *date;         /* Date header as sent */
	char *received;     /* Date as ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ), or NULL */
	char *list_id;      /* List-Id, or the To address for archive copies */
	char *in_reply_to;
	char *references;
	char *text;         /* the advisory text, valid UTF-8, never NULL */
	gboolean forwarded; /* carries a message/rfc822 part */
	char *sha256;       /* of the raw bytes, lower-case hex */
	VulndSigStatus sig_status;
	char *sig_form;     /* "pgp-mime", "inline", "none" */
	char *sig_fingerprint; /* primary-key fingerprint, upper-case hex */
	char *sig_signer;   /* user id of the signing key */
	GPtrArray *warnings; /* char*: what parsing had to work around */
} VulndMail;

/* Parse one message.  KEYRING may be NULL: signed mail is then
 * VULND_SIG_UNKNOWN_KEY.  Fails with VULND_INGEST_ERROR_NOT_MAIL when the
 * bytes carry no message header at all. */
VulndMail *vulnd_mail_parse (const char *data, gsize len, VulndKeyring *keyring,
                             GError **error);
void vulnd_mail_free (VulndMail *mail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndMail, vulnd_mail_free)

/* flowed.c: undo format=flowed (RFC 3676), DelSp=yes when DELSP. */
char *vulnd_text_unflow (const char *text, gboolean delsp);

/* charset.c: TEXT of LEN bytes in CHARSET (may be NULL or a lie) as valid
 * UTF-8: converted when the charset is known and the bytes fit it, else
 * validated, with invalid sequences replaced by U+FFFD. */
char *vulnd_text_to_utf8 (const char *text, gssize len, const char *charset);

/* ---- ingest.c ----------------------------------------------------------- */

/* SHA-256 of DATA as lower-case hex.  Through GnuTLS (nettle), whose
 * SHA-NI/assembly code is several times faster than GChecksum: every
 * message of a list is hashed, advisory or not. */
char *vulnd_sha256_hex (const void *data, gsize len);

/* The flat view of MAIL handed to extract/. */
void vulnd_mail_extract_input (const VulndMail *mail, VulndExtractInput *in);

/* Records of one parsed message, each with its "source" member filled in
 * from MAIL (message id, subject, from, list, received, sha256, signature)
 * and the parse warnings appended to its "warnings". */
GPtrArray *vulnd_mail_records (const VulndMail *mail);

/* Parse + extract in one call; *MAIL_OUT (may be NULL) receives the mail.
 * For mail that is no announcement (no record) that is the lean parse:
 * message id, headers, sha256 and text as ever, but no From, no parse
 * warnings from GMime and no signature checked (VULND_SIG_UNSIGNED); such
 * mail never reaches gpg. */
GPtrArray *vulnd_ingest_bytes (const char *data, gsize len, VulndKeyring *keyring,
                               VulndMail **mail_out, GError **error);

G_END_DECLS

#endif
