/* test-util.h - helpers the GTest programs share (header only). */
#ifndef VULND_TEST_UTIL_H
#define VULND_TEST_UTIL_H

#include <glib.h>
#include <glib/gstdio.h>

/* Remove DIR and everything under it (a test's own temporary tree). */
static inline void
test_remove_tree (const char *dir)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name (d))) {
		g_autofree char *p = g_build_filename (dir, name, NULL);

		if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
			test_remove_tree (p);
		else
			g_unlink (p);
	}
	g_rmdir (dir);
}

#endif
