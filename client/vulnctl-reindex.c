/* vulnctl-reindex.c - "vulnctl reindex [--keyring PATH]": re-extract every
 * stored raw message with this version's parser and extractor, so a better
 * extractor upgrades old records without fetching mail again. */
#include <stdio.h>
#include <string.h>

#include "vulnctl.h"
#include "vulnd-ingest.h"

/* As vulnd import: readers see the changes at least 4 times a second. */
#define REINDEX_BATCH_MESSAGES 1000
#define REINDEX_BATCH_MSEC 250

typedef struct {
	char *sha;
	GBytes *raw;
	char *message_id;
	char *received;
	GPtrArray *records;
	char *quarantine;
} Reparsed;

static void
reparsed_free (Reparsed *r)
{
	g_free (r->sha);
	g_bytes_unref (r->raw);
	g_free (r->message_id);
	g_free (r->received);
	if (r->records)
		g_ptr_array_unref (r->records);
	g_free (r->quarantine);
	g_free (r);
}

typedef struct {
	VulndKeyring *keyring;
	GPtrArray *items;
} ReindexCtx;

static gboolean
reparse_one (const char *sha, const char *raw, gsize len, gpointer data)
{
	ReindexCtx *ctx = data;
	Reparsed *r = g_new0 (Reparsed, 1);
	g_autoptr (GError) error = NULL;
	VulndMail *mail = NULL;

	r->sha = g_strdup (sha);
	r->raw = g_bytes_new (raw, len);
	r->records = vulnd_ingest_bytes (raw, len, ctx->keyring, &mail, &error);
	if (!r->records)
		r->quarantine = g_strdup (error ? error->message : "unreadable");
	if (mail) {
		r->message_id = g_strdup (mail->message_id);
		r->received = g_strdup (mail->received);
		vulnd_mail_free (mail);
	}
	g_ptr_array_add (ctx->items, r);
	return TRUE;
}

/* Originals before their errata: replay in the order the mail was sent. */
static gint
by_received (gconstpointer a, gconstpointer b)
{
	const Reparsed *ra = *(Reparsed **) a, *rb = *(Reparsed **) b;
	int c = g_strcmp0 (ra->received, rb->received);

	return c ? c : strcmp (ra->sha, rb->sha);
}

static char *
config_keyring (VulnctlGlobal *global)
{
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	const char *conf = global->config ? global->config : VULND_SYSCONFDIR "/vulnd/vulnd.conf";

	if (!g_key_file_load_from_file (kf, conf, G_KEY_FILE_NONE, NULL))
		return NULL;
	return g_key_file_get_string (kf, "vulnd", "keyring", NULL);
}

int
vulnctl_reindex (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *keyring_path = NULL;
	GOptionEntry entries[] = {
		{ "keyring", 'k', 0, G_OPTION_ARG_FILENAME, &keyring_path,
		  "trusted OpenPGP keys (default: keyring= of vulnd.conf)", "PATH" },
		{ NULL }
	};
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (VulndStoreBatch) batch = NULL;
	g_autoptr (VulndKeyring) keyring = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) reparsed_free);
	guint64 counts[VULND_OUTCOME_DUPLICATE + 1] = { 0 };
	ReindexCtx ctx;

	if (!vulnctl_parse_options ("reindex", NULL, entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1) {
		fprintf (stderr, "vulnctl reindex: no arguments expected\n");
		return VULNCTL_USAGE;
	}
	if (!keyring_path)
		keyring_path = config_keyring (global);
	keyring = vulnd_keyring_open (keyring_path, &error);
	if (!keyring) {
		fprintf (stderr, "vulnctl reindex: %s\n", error->message);
		return VULNCTL_ERROR;
	}
	store = vulnctl_open_store (global, "reindex", TRUE);
	if (!store)
		return VULNCTL_ERROR;
	ctx.keyring = keyring;
	ctx.items = items;
	if (!vulnd_store_foreach_raw (store, reparse_one, &ctx, &error))
		goto fail;
	g_ptr_array_sort (items, by_received);
	/* one transaction per message rewrote the shared pages (indexes,
	 * counters) each time; reindex is idempotent, so a failure that
	 * drops the pending batch loses nothing a new run would not redo */
	batch = vulnd_store_batch_new (store, REINDEX_BATCH_MESSAGES, REINDEX_BATCH_MSEC);
	for (guint i = 0; i < items->len; i++) {
		Reparsed *r = items->pdata[i];
		gsize len;
		const char *raw = g_bytes_get_data (r->raw, &len);
		VulndStoreMessage msg = {
			.message_id = r->message_id, .sha256 = r->sha, .raw = raw, .raw_len = len,
			.source = "reindex", .cursor = "", .records = r->records,
			.quarantine = r->quarantine, .reprocess = TRUE,
		};
		VulndStoreResult result = { 0 };

		if (!vulnd_store_batch_add (batch, &msg, &result, &error))
			goto fail;
		counts[result.outcome]++;
		vulnd_store_result_clear (&result);
	}
	if (!vulnd_store_batch_flush (batch, &error))
		goto fail;
	printf ("%u messages reindexed, %" G_GUINT64_FORMAT " added, %" G_GUINT64_FORMAT
	        " updated, %" G_GUINT64_FORMAT " unchanged, %" G_GUINT64_FORMAT " rejected, %"
	        G_GUINT64_FORMAT " ignored, %" G_GUINT64_FORMAT " quarantined\n",
	        items->len, counts[VULND_OUTCOME_ADDED], counts[VULND_OUTCOME_UPDATED],
	        counts[VULND_OUTCOME_UNCHANGED], counts[VULND_OUTCOME_REJECTED],
	        counts[VULND_OUTCOME_IGNORED], counts[VULND_OUTCOME_QUARANTINED]);
	return VULNCTL_OK;
fail:
	fprintf (stderr, "vulnctl reindex: %s\n", error->message);
	return VULNCTL_ERROR;
}
