/* bench-parse.c - parse+extract rate next to a GMime-only parse of the same
 * messages.  Prints figures; never passes or fails on time.
 *
 * usage: bench-parse MAILDIR [ROUNDS]
 * Messages are read into memory first so both loops measure CPU work only. */
#include "config.h"

#include <gmime/gmime.h>
#include <stdio.h>

#include "vulnd-ingest.h"

typedef struct {
	char *data;
	gsize len;
} Blob;

static void
load_dir (const char *dir, GArray *blobs)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name (d))) {
		g_autofree char *path = g_build_filename (dir, name, NULL);
		Blob b;

		if (g_file_get_contents (path, &b.data, &b.len, NULL))
			g_array_append_val (blobs, b);
	}
}

static void
gmime_only (const Blob *b)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (b->data, b->len);
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);

	/* GMime 3.2 has no g_autoptr support for its types */
	if (msg)
		g_object_unref (msg);
	g_object_unref (parser);
	g_object_unref (stream);
}

static guint
vulnd_full (const Blob *b, VulndKeyring *keyring)
{
	g_autoptr (GPtrArray) records = vulnd_ingest_bytes (b->data, b->len, keyring, NULL, NULL);

	return records ? records->len : 0;
}

static double
run (GArray *blobs, int rounds, VulndKeyring *keyring, guint *records)
{
	gint64 t0 = g_get_monotonic_time ();

	for (int r = 0; r < rounds; r++)
		for (guint i = 0; i < blobs->len; i++) {
			const Blob *b = &g_array_index (blobs, Blob, i);
			if (keyring)
				*records += vulnd_full (b, keyring);
			else
				gmime_only (b);
		}
	return (double) blobs->len * rounds / ((g_get_monotonic_time () - t0) / 1e6);
}

int
main (int argc, char **argv)
{
	g_autoptr (GArray) blobs = g_array_new (FALSE, FALSE, sizeof (Blob));
	g_autoptr (VulndKeyring) keyring = NULL;
	int rounds = argc > 2 ? atoi (argv[2]) : 3;
	guint records = 0;
	double floor_rate, full_rate;

	if (argc < 2) {
		fprintf (stderr, "usage: %s MAILDIR [ROUNDS]\n", argv[0]);
		return 2;
	}
	for (const char *sub = "cur"; sub; sub = g_str_equal (sub, "cur") ? "new" : NULL) {
		g_autofree char *d = g_build_filename (argv[1], sub, NULL);
		load_dir (d, blobs);
	}
	if (blobs->len == 0) {
		fprintf (stderr, "bench-parse: no messages under %s/{cur,new}\n", argv[1]);
		return 2;
	}
	g_mime_init ();
	keyring = vulnd_keyring_open (NULL, NULL);
	/* warm up caches and one-time initialisation on both sides */
	run (blobs, 1, NULL, &records);
	run (blobs, 1, keyring, &records);
	records = 0;
	floor_rate = run (blobs, rounds, NULL, &records);
	full_rate = run (blobs, rounds, keyring, &records);
	printf ("messages:            %u x %d rounds\n", blobs->len, rounds);
	printf ("gmime-only parse:    %.0f messages/s\n", floor_rate);
	printf ("vulnd parse+extract: %.0f messages/s (%.0f%% of gmime-only; goal >= 60%%)\n",
	        full_rate, 100.0 * full_rate / floor_rate);
	printf ("records per round:   %u\n", records / rounds);
	for (guint i = 0; i < blobs->len; i++)
		g_free (g_array_index (blobs, Blob, i).data);
	return 0;
}
