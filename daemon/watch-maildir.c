/* watch-maildir.c - inotify + catch-up scan of a maildir, one file per
 * loop iteration. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include "daemon/watch-maildir.h"

#define WATCH_MASK (IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR)

struct _VulndMaildir {
	sd_event *event;
	char *dir;
	VulndMaildirFileFn fn;
	gpointer user_data;
	sd_event_source *watch_new;
	sd_event_source *watch_cur;
	sd_event_source *pump;
	GQueue queue;          /* char* relative paths "new/NAME" */
	GHashTable *queued;    /* the same strings, to queue each file once */
};

static void
enqueue (VulndMaildir *md, const char *sub, const char *name)
{
	char *rel;

	if (name[0] == '.')
		return; /* maildir++ and editors' temporary files */
	rel = g_strdup_printf ("%s/%s", sub, name);
	if (g_hash_table_contains (md->queued, rel)) {
		g_free (rel);
		return;
	}
	g_hash_table_add (md->queued, rel);
	g_queue_push_tail (&md->queue, rel);
	sd_event_source_set_enabled (md->pump, SD_EVENT_ON);
}

typedef struct {
	char *name;
	gint64 mtime_ns;
} Entry;

static gint
entry_cmp (gconstpointer a, gconstpointer b)
{
	const Entry *x = a, *y = b;

	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp (x->name, y->name);
}

static void
entry_clear (gpointer p)
{
	g_free (((Entry *) p)->name);
}

static void
scan_subdir (VulndMaildir *md, const char *sub)
{
	g_autofree char *path = g_build_filename (md->dir, sub, NULL);
	g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
	g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
	const char *name;

	g_array_set_clear_func (entries, entry_clear);
	if (d == NULL)
		return;
	while ((name = g_dir_read_name (d))) {
		g_autofree char *file = g_build_filename (path, name, NULL);
		struct stat st;
		Entry e;

		if (name[0] == '.' || stat (file, &st) != 0 || !S_ISREG (st.st_mode))
			continue;
		e.name = g_strdup (name);
		e.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
		g_array_append_val (entries, e);
	}
	g_array_sort (entries, entry_cmp);
	for (guint i = 0; i < entries->len; i++)
		enqueue (md, sub, g_array_index (entries, Entry, i).name);
}

static void
scan_all (VulndMaildir *md)
{
	/* cur/ first: mail there was delivered before what still sits in new/ */
	scan_subdir (md, "cur");
	scan_subdir (md, "new");
}

static int
on_inotify (sd_event_source *s, const struct inotify_event *ev, void *userdata)
{
	VulndMaildir *md = userdata;

	if (ev->mask & IN_Q_OVERFLOW) {
		scan_all (md);
		return 0;
	}
	if (ev->len == 0 || (ev->mask & IN_ISDIR))
		return 0;
	enqueue (md, s == md->watch_new ? "new" : "cur", ev->name);
	return 0;
}

static char *
uniq_of (const char *name)
{
	const char *colon = strchr (name, ':');

	return colon ? g_strndup (name, (gsize) (colon - name)) : g_strdup (name);
}

static int
on_pump (sd_event_source *s, void *userdata)
{
	VulndMaildir *md = userdata;
	char *rel = g_queue_pop_head (&md->queue);
	g_autofree char *path = NULL;
	g_autofree char *uniq = NULL;

	if (rel == NULL) {
		sd_event_source_set_enabled (s, SD_EVENT_OFF);
		return 0;
	}
	path = g_build_filename (md->dir, rel, NULL);
	uniq = uniq_of (strchr (rel, '/') + 1);
	g_hash_table_remove (md->queued, rel); /* frees rel */
	if (g_queue_is_empty (&md->queue))
		sd_event_source_set_enabled (s, SD_EVENT_OFF);
	/* moved on (new/ -> cur/) before its turn: the move queued it again */
	if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
		md->fn (path, uniq, md->user_data);
	return 0;
}

static gboolean
add_watch (VulndMaildir *md, const char *sub, sd_event_source **out, GError **error)
{
	g_autofree char *path = g_build_filename (md->dir, sub, NULL);
	int r = sd_event_add_inotify (md->event, out, path, WATCH_MASK, on_inotify, md);

	if (r < 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "cannot watch %s: %s",
		             path, g_strerror (-r));
		return FALSE;
	}
	return TRUE;
}

VulndMaildir *
vulnd_maildir_watch (sd_event *event, const char *dir, VulndMaildirFileFn fn,
                     gpointer user_data, GError **error)
{
	g_autoptr (VulndMaildir) md = g_new0 (VulndMaildir, 1);
	int r;

	md->event = sd_event_ref (event);
	md->dir = g_strdup (dir);
	md->fn = fn;
	md->user_data = user_data;
	md->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_queue_init (&md->queue);
	r = sd_event_add_defer (event, &md->pump, on_pump, md);
	if (r < 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "%s", g_strerror (-r));
		return NULL;
	}
	sd_event_source_set_enabled (md->pump, SD_EVENT_OFF);
	/* a lower priority than signals and the watches: a SIGTERM or a new
	 * arrival is seen between two messages of a long catch-up */
	sd_event_source_set_priority (md->pump, SD_EVENT_PRIORITY_IDLE);
	/* watch first, then scan: nothing slips between the two */
	if (!add_watch (md, "new", &md->watch_new, error) || !add_watch (md, "cur", &md->watch_cur, error))
		return NULL;
	scan_all (md);
	return g_steal_pointer (&md);
}

guint
vulnd_maildir_pending (VulndMaildir *md)
{
	return md ? g_queue_get_length (&md->queue) : 0;
}

const char *
vulnd_maildir_path (VulndMaildir *md)
{
	return md->dir;
}

void
vulnd_maildir_free (VulndMaildir *md)
{
	if (md == NULL)
		return;
	sd_event_source_disable_unref (md->watch_new);
	sd_event_source_disable_unref (md->watch_cur);
	sd_event_source_disable_unref (md->pump);
	g_queue_clear (&md->queue);          /* the strings belong to the table */
	g_clear_pointer (&md->queued, g_hash_table_unref);
	sd_event_unref (md->event);
	g_free (md->dir);
	g_free (md);
}
