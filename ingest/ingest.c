/* ingest.c - parse + extract: records of one message, with their source. */
#include "config.h"

#include <gnutls/crypto.h>

#include "vulnd-ingest.h"
#include "ingest-private.h"
#include "mail-damage.h"

void
vulnd_mail_extract_input (const VulndMail *mail, VulndExtractInput *in)
{
	*in = (VulndExtractInput) {
		.subject = mail->subject,
		.from = mail->from,
		.date = mail->date,
		.in_reply_to = mail->in_reply_to,
		.references = mail->references,
		.text = mail->text,
		.forwarded = mail->forwarded,
		.verified = mail->sig_status == VULND_SIG_VERIFIED,
	};
}

static void
set_if (JsonObject *obj, const char *name, const char *value)
{
	if (value)
		json_object_set_string_member (obj, name, value);
}

static JsonObject *
signature_object (const VulndMail *mail)
{
	JsonObject *sig = json_object_new ();

	json_object_set_string_member (sig, "status", vulnd_sig_status_to_string (mail->sig_status));
	set_if (sig, "fingerprint", mail->sig_fingerprint);
	set_if (sig, "signer", mail->sig_signer);
	set_if (sig, "form", mail->sig_form);
	return sig;
}

static JsonObject *
source_object (const VulndMail *mail)
{
	JsonObject *source = json_object_new ();

	set_if (source, "message-id", mail->message_id);
	set_if (source, "subject", mail->subject);
	set_if (source, "from", mail->from);
	set_if (source, "list", mail->list_id);
	set_if (source, "received", mail->received);
	set_if (source, "sha256", mail->sha256);
	json_object_set_object_member (source, "signature", signature_object (mail));
	return source;
}

static void
append_warnings (JsonObject *record, const GPtrArray *warnings)
{
	JsonArray *array;

	if (!warnings || warnings->len == 0)
		return;
	array = vulnd_record_warnings (record);
	for (guint i = 0; i < warnings->len; i++)
		json_array_add_string_element (array, g_ptr_array_index (warnings, i));
}

GPtrArray *
vulnd_mail_records (const VulndMail *mail)
{
	VulndExtractInput in;
	GPtrArray *records;

	vulnd_mail_extract_input (mail, &in);
	records = vulnd_extract (&in);
	for (guint i = 0; i < records->len; i++) {
		JsonObject *record = g_ptr_array_index (records, i);
		json_object_set_object_member (record, "source", source_object (mail));
		append_warnings (record, mail->warnings);
	}
	return records;
}

/* Most mail of a list is no announcement, and the lean parse of
 * vulnd_mail_screen tells so for four fifths of the cost of the full one
 * and without gpg; what may be one is parsed again in full. */
static gboolean
mail_may_announce (const VulndMail *mail)
{
	VulndExtractInput in;

	vulnd_mail_extract_input (mail, &in);
	return vulnd_extract_may_yield (&in);
}

GPtrArray *
vulnd_ingest_bytes (const char *data, gsize len, VulndKeyring *keyring,
                    VulndMail **mail_out, GError **error)
{
	g_autoptr (VulndMail) mail = NULL;
	GPtrArray *records;

	if (mail_out)
		*mail_out = NULL;
	mail = vulnd_mail_screen (data, len, error);
	if (!mail)
		return NULL;
	if (!mail_may_announce (mail)) {
		if (mail_out)
			*mail_out = g_steal_pointer (&mail);
		return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	}
	g_clear_pointer (&mail, vulnd_mail_free);
	mail = vulnd_mail_parse (data, len, keyring, error);
	if (!mail)
		return NULL;
	records = vulnd_mail_records (mail);
	/* A cut-off advisory is not stored as if whole (the caller quarantines
	 * it); cut-off chatter is simply not an advisory. */
	if (records->len > 0 && vulnd_mail_truncated (mail)) {
		g_ptr_array_unref (records);
		records = NULL;
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_MALFORMED,
		             "truncated message: a MIME part ends without its closing boundary, "
		             "so the advisory may be incomplete");
	}
	if (mail_out)
		*mail_out = g_steal_pointer (&mail);
	return records;
}

char *
vulnd_sha256_hex (const void *data, gsize len)
{
	guint8 digest[32];
	char *hex = g_malloc (2 * sizeof digest + 1);
	static const char digits[] = "0123456789abcdef";

	if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, digest) < 0)
		return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
	for (gsize i = 0; i < sizeof digest; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[2 * sizeof digest] = '\0';
	return hex;
}
