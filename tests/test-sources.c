/* test-sources.c - the backfill sources (ingest/sources.h): maildirs, mbox
 * files plain and gzip, directories of them, single messages; the order
 * and cursors they hand over, and a callback's stop.  Messages invented. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sources.h"
#include "tests/test-util.h"

typedef struct {
	GPtrArray *seen;  /* "CURSOR|first line of the message" */
	guint stop_after; /* 0: never stop */
} Collect;

static gboolean
collect (const char *path, const char *cursor, const char *data, gsize len, gpointer user_data)
{
	Collect *c = user_data;
	const char *nl = memchr (data, '\n', len);
	g_autofree char *first = g_strndup (data, nl ? (gsize) (nl - data) : len);
	g_autofree char *base = g_path_get_basename (path);

	g_ptr_array_add (c->seen, g_strdup_printf ("%s:%s|%s", base, cursor, first));
	return !(c->stop_after && c->seen->len >= c->stop_after);
}

static char *
seen_text (Collect *c)
{
	g_ptr_array_add (c->seen, NULL);
	return g_strjoinv ("\n", (char **) c->seen->pdata);
}

/* Every message of PATH as "file:cursor|first line", one per line. */
static char *
walk (const char *path, guint stop_after)
{
	Collect c = { g_ptr_array_new_with_free_func (g_free), stop_after };
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) seen = c.seen;

	g_assert_true (vulnd_source_foreach (path, collect, &c, &error));
	g_assert_no_error (error);
	return seen_text (&c);
}

static void
put (const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname (path);
	g_autoptr (GError) error = NULL;

	g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
	g_file_set_contents (path, text, -1, &error);
	g_assert_no_error (error);
}

static void
put_gzip (const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
	g_autoptr (GError) error = NULL;
	guint8 out[4096];
	gsize read = 0, written = 0;

	g_assert_cmpint (g_converter_convert (G_CONVERTER (z), text, strlen (text), out,
	                                      sizeof out, G_CONVERTER_INPUT_AT_END, &read,
	                                      &written, &error),
	                 ==, G_CONVERTER_FINISHED);
	g_assert_no_error (error);
	g_file_set_contents (path, (const char *) out, written, &error);
	g_assert_no_error (error);
}

static char *
tmp_dir (void)
{
	g_autoptr (GError) error = NULL;
	char *dir = g_dir_make_tmp ("test-sources-XXXXXX", &error);

	g_assert_no_error (error);
	return dir;
}

/* Two messages, the second with a quoted ">From " body line. */
static const char two_messages[] =
	"From alice@example.org Mon Jan  1 00:00:00 2099\n"
	"Subject: one\n\nfirst\n\n"
	"From bob@example.org Tue Jan  2 00:00:00 2099\n"
	"Subject: two\n\n>From the archive\n";

/* The cursor of two_messages' second message: its "From " line's offset. */
static int
second_offset (void)
{
	return (int) (strstr (two_messages, "From bob") - two_messages);
}

static void
test_maildir (void)
{
	g_autofree char *dir = tmp_dir ();
	g_autofree char *got = NULL;

	put (dir, "new/300.b", "Subject: new b\n\nx\n");
	put (dir, "new/200.a", "Subject: new a\n\nx\n");
	put (dir, "cur/500.c:2,S", "Subject: cur c\n\nx\n");
	put (dir, "cur/.hidden", "Subject: hidden\n\nx\n");
	put (dir, "tmp/.keep", ""); /* a maildir's tmp/ is not read */
	got = walk (dir, 0);
	/* cur/ before new/, each in name order; dot files are not mail */
	g_assert_cmpstr (got, ==,
	                 "500.c:2,S:cur/500.c:2,S|Subject: cur c\n"
	                 "200.a:new/200.a|Subject: new a\n"
	                 "300.b:new/300.b|Subject: new b");
	test_remove_tree (dir);
}

static void
test_mbox (void)
{
	g_autofree char *dir = tmp_dir ();
	g_autofree char *path = g_build_filename (dir, "2099-January.txt", NULL);
	g_autofree char *got = NULL;
	g_autofree char *want = NULL;
	Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };
	g_autoptr (GPtrArray) seen = c.seen;
	g_autoptr (GError) error = NULL;

	put (dir, "2099-January.txt", two_messages);
	got = walk (path, 0);
	/* the cursor is the byte offset of each "From " line */
	want = g_strdup_printf ("2099-January.txt:@0|Subject: one\n"
	                        "2099-January.txt:@%d|Subject: two", second_offset ());
	g_assert_cmpstr (got, ==, want);
	g_assert_true (vulnd_mbox_foreach (path, collect, &c, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (seen->len, ==, 2);
	test_remove_tree (dir);
}

static gboolean
last_body (const char *path, const char *cursor, const char *data, gsize len, gpointer user_data)
{
	char **body = user_data;
	(void) path;
	(void) cursor;

	g_free (*body);
	*body = g_strndup (data, len);
	return TRUE;
}

static void
test_mbox_unquoting_and_gzip (void)
{
	g_autofree char *dir = tmp_dir ();
	g_autofree char *plain = g_build_filename (dir, "a.txt", NULL);
	g_autofree char *gz = g_build_filename (dir, "a.txt.gz", NULL);
	g_autofree char *body = NULL, *gz_body = NULL;
	g_autofree char *gz_got = NULL, *want = NULL;
	g_autoptr (GError) error = NULL;

	put (dir, "a.txt", two_messages);
	put_gzip (dir, "a.txt.gz", two_messages);
	g_assert_true (vulnd_source_foreach (plain, last_body, &body, &error));
	g_assert_no_error (error);
	g_assert_nonnull (strstr (body, "\nFrom the archive\n"));
	g_assert_null (strstr (body, ">From"));
	/* gzip: the same messages, offsets in the decompressed stream */
	g_assert_true (vulnd_source_foreach (gz, last_body, &gz_body, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (gz_body, ==, body);
	gz_got = walk (gz, 0);
	want = g_strdup_printf ("a.txt.gz:@0|Subject: one\na.txt.gz:@%d|Subject: two",
	                        second_offset ());
	g_assert_cmpstr (gz_got, ==, want);
	test_remove_tree (dir);
}

/* A directory is walked in name order, into subdirectories, whatever each
 * entry is. */
static void
test_directory (void)
{
	g_autofree char *dir = tmp_dir ();
	g_autofree char *got = NULL, *want = NULL;

	put (dir, "b-archive/2099-February.txt", two_messages);
	put (dir, "a-single.eml", "Subject: single\n\nx\n");
	put (dir, "c-maildir/new/1.x", "Subject: in maildir\n\nx\n");
	got = walk (dir, 0);
	want = g_strdup_printf ("a-single.eml:|Subject: single\n"
	                        "2099-February.txt:@0|Subject: one\n"
	                        "2099-February.txt:@%d|Subject: two\n"
	                        "1.x:new/1.x|Subject: in maildir", second_offset ());
	g_assert_cmpstr (got, ==, want);
	test_remove_tree (dir);
}

/* A callback's stop ends the whole walk, not only the file it was in. */
static void
test_stop (void)
{
	g_autofree char *dir = tmp_dir ();
	g_autofree char *got = NULL, *got2 = NULL, *want = NULL;

	put (dir, "1.txt", two_messages);
	put (dir, "2.txt", two_messages);
	put (dir, "3/new/1.x", "Subject: in maildir\n\nx\n");
	got = walk (dir, 1);
	g_assert_cmpstr (got, ==, "1.txt:@0|Subject: one");
	got2 = walk (dir, 3);
	want = g_strdup_printf ("1.txt:@0|Subject: one\n1.txt:@%d|Subject: two\n"
	                        "2.txt:@0|Subject: one", second_offset ());
	g_assert_cmpstr (got2, ==, want);
	test_remove_tree (dir);
}

static void
test_missing (void)
{
	Collect c = { g_ptr_array_new_with_free_func (g_free), 0 };
	g_autoptr (GPtrArray) seen = c.seen;
	g_autoptr (GError) error = NULL;

	g_assert_false (vulnd_source_foreach ("/nonexistent/vulnd-test", collect, &c, &error));
	g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_cmpuint (seen->len, ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/sources/maildir", test_maildir);
	g_test_add_func ("/sources/mbox", test_mbox);
	g_test_add_func ("/sources/mbox-unquoting-and-gzip", test_mbox_unquoting_and_gzip);
	g_test_add_func ("/sources/directory", test_directory);
	g_test_add_func ("/sources/stop", test_stop);
	g_test_add_func ("/sources/missing", test_missing);
	return g_test_run ();
}
