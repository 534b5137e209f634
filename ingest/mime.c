/* mime.c - being written: stubs so the tree links. */
#include "config.h"
#include "vulnd-ingest.h"

G_DEFINE_QUARK (vulnd-ingest-error-quark, vulnd_ingest_error)

struct _VulndKeyring { int unused; };

VulndKeyring *vulnd_keyring_open (const char *path, GError **error)
{ (void) path; (void) error; return g_new0 (VulndKeyring, 1); }
void vulnd_keyring_free (VulndKeyring *k) { g_free (k); }

GPtrArray *
vulnd_ingest_bytes (const char *data, gsize len, VulndKeyring *keyring,
                    VulndMail **mail_out, GError **error)
{
	VulndExtractInput in = { 0 };
	g_autofree char *text = g_strndup (data, len);
	(void) keyring; (void) error;
	if (mail_out)
		*mail_out = NULL;
	in.text = text;
	return vulnd_extract (&in);
}
