/* ingest-private.h - glue between mime.c, keyring.c and charset.c that is
 * not part of the public ingest API (vulnd-ingest.h). */
#ifndef VULND_INGEST_PRIVATE_H
#define VULND_INGEST_PRIVATE_H

#include "vulnd-ingest.h"

G_BEGIN_DECLS

/* Initialise GMime once per process (thread-safe). */
void vulnd_mime_init (void);

/* The private GnuPG home of KEYRING; for NULL, a process-wide empty home
 * (so that verification never falls back to the user's ~/.gnupg). NULL
 * when no home could be created. */
const char *vulnd_keyring_home (const VulndKeyring *keyring);

/* The primary fingerprint (upper-case hex) for FPR: a primary or subkey
 * fingerprint, or a 16-hex-digit key id; NULL when not in KEYRING. */
const char *vulnd_keyring_primary_for (const VulndKeyring *keyring, const char *fpr);

/* The first user id of the primary key PRIMARY, or NULL. */
const char *vulnd_keyring_user_id (const VulndKeyring *keyring, const char *primary);

/* Serialises GnuPG use and points gpgme at the keyring's home for the
 * duration; every verification goes through lock/unlock. */
gboolean vulnd_keyring_lock (const VulndKeyring *keyring);
void vulnd_keyring_unlock (void);

/* mime.c: the lean parse that tells, for most mail, that it is no
 * announcement: vulnd_mail_parse without GMime's parser warnings, without
 * From and without checking any signature (sig_status stays
 * VULND_SIG_UNSIGNED); the text, subject and other headers are the full
 * parse's.  Fails as vulnd_mail_parse does. */
VulndMail *vulnd_mail_screen (const char *data, gsize len, GError **error);

G_END_DECLS

#endif
