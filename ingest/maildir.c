/* maildir.c - maildir and directory sources, and the dispatcher that tells
 * a maildir, an mbox, a gzip archive and a single message apart. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sources.h"

static int
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char **) a, *(const char **) b);
}

/* Names of the entries of DIR, sorted: maildir names start with the
 * delivery time, so this is (about) arrival order. */
static GPtrArray *
sorted_entries (const char *dir, GError **error)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, error);
	GPtrArray *names;
	const char *name;

	if (!d)
		return NULL;
	names = g_ptr_array_new_with_free_func (g_free);
	while ((name = g_dir_read_name (d)))
		if (name[0] != '.')
			g_ptr_array_add (names, g_strdup (name));
	g_ptr_array_sort (names, compare_names);
	return names;
}

static gboolean
is_maildir (const char *dir)
{
	g_autofree char *cur = g_build_filename (dir, "cur", NULL);
	g_autofree char *new = g_build_filename (dir, "new", NULL);

	return g_file_test (cur, G_FILE_TEST_IS_DIR) || g_file_test (new, G_FILE_TEST_IS_DIR);
}

static gboolean
read_message_file (const char *path, const char *cursor, VulndMessageFn fn,
                   gpointer user_data, gboolean *stop, GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents (path, &data, &len, error))
		return FALSE;
	*stop = !fn (path, cursor, data, len, user_data);
	return TRUE;
}

gboolean
vulnd_maildir_foreach (const char *dir, VulndMessageFn fn, gpointer user_data,
                       GError **error)
{
	static const char *const subdirs[] = { "cur", "new" };
	gboolean stop = FALSE;

	for (gsize s = 0; s < G_N_ELEMENTS (subdirs) && !stop; s++) {
		g_autofree char *sub = g_build_filename (dir, subdirs[s], NULL);
		g_autoptr (GPtrArray) names = NULL;

		if (!g_file_test (sub, G_FILE_TEST_IS_DIR))
			continue;
		names = sorted_entries (sub, error);
		if (!names)
			return FALSE;
		for (guint i = 0; i < names->len && !stop; i++) {
			g_autofree char *path = g_build_filename (sub, names->pdata[i], NULL);
			g_autofree char *cursor = g_strdup_printf ("%s/%s", subdirs[s],
			                                           (char *) names->pdata[i]);
			g_autoptr (GError) local = NULL;

			/* A message moved away by the MUA meanwhile is no error. */
			if (!read_message_file (path, cursor, fn, user_data, &stop, &local)
			    && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
				g_propagate_error (error, g_steal_pointer (&local));
				return FALSE;
			}
		}
	}
	return TRUE;
}

gboolean
vulnd_mbox_looks_like (const char *head, gsize len)
{
	return (len >= 5 && memcmp (head, "From ", 5) == 0)
	       || (len >= 2 && (guchar) head[0] == 0x1f && (guchar) head[1] == 0x8b);
}

static gboolean
file_is_mbox (const char *path)
{
	g_autoptr (GFile) file = g_file_new_for_path (path);
	g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
	char head[8];
	gsize got = 0;

	if (!in || !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &got,
	                                     NULL, NULL))
		return FALSE;
	return vulnd_mbox_looks_like (head, got);
}

/* The caller's callback, noting whether it asked to stop: the sources
 * return TRUE either way, and a directory must not go on to its next
 * entry after a stop. */
typedef struct {
	VulndMessageFn fn;
	gpointer user_data;
	gboolean stopped;
} Stoppable;

static gboolean
stoppable_fn (const char *path, const char *cursor, const char *data, gsize len,
              gpointer user_data)
{
	Stoppable *st = user_data;

	if (!st->fn (path, cursor, data, len, st->user_data))
		st->stopped = TRUE;
	return !st->stopped;
}

static gboolean
directory_foreach (const char *dir, VulndMessageFn fn, gpointer user_data, GError **error)
{
	g_autoptr (GPtrArray) names = sorted_entries (dir, error);
	Stoppable st = { fn, user_data, FALSE };

	if (!names)
		return FALSE;
	for (guint i = 0; i < names->len && !st.stopped; i++) {
		g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);

		if (!vulnd_source_foreach (path, stoppable_fn, &st, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
vulnd_source_foreach (const char *path, VulndMessageFn fn, gpointer user_data,
                      GError **error)
{
	gboolean stop = FALSE;

	if (g_file_test (path, G_FILE_TEST_IS_DIR))
		return is_maildir (path) ? vulnd_maildir_foreach (path, fn, user_data, error)
		                         : directory_foreach (path, fn, user_data, error);
	if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such file", path);
		return FALSE;
	}
	if (file_is_mbox (path))
		return vulnd_mbox_foreach (path, fn, user_data, error);
	return read_message_file (path, "", fn, user_data, &stop, error);
}
