/* replay.c - runs a libFuzzer target's checks as a GTest program, without
 * libFuzzer: every seed and regression input of the target, and for the
 * parse target the real-mail corpus when present, goes through
 * LLVMFuzzerTestOneInput once.  A finding aborts the program, so make
 * check fails on any input that ever crashed a fuzzer.
 *
 * Built once per target with FUZZ_TARGET set to its name ("parse", ...). */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#ifdef FUZZ_HAS_INIT
#define fuzz_init(argc, argv) LLVMFuzzerInitialize (argc, argv)
#else
#define fuzz_init(argc, argv) ((void) 0)
#endif

static void
replay_file (gconstpointer data)
{
	const char *path = data;
	g_autofree char *bytes = NULL;
	gsize len = 0;

	g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
	g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) bytes, len), ==, 0);
}

/* One test case per regular file of DIR; the number added. */
static guint
add_dir (const char *group, const char *dir)
{
	g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
	g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;

	if (!d)
		return 0;
	while ((name = g_dir_read_name (d)))
		g_ptr_array_add (names, g_strdup (name));
	g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		/* the paths live as long as the program */
		char *path = g_build_filename (dir, names->pdata[i], NULL);
		g_autofree char *test = g_strdup_printf ("/fuzz-%s/%s/%s", FUZZ_TARGET, group,
		                                         (char *) names->pdata[i]);
		if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
			g_free (path);
			continue;
		}
		g_test_add_data_func_full (test, path, replay_file, g_free);
	}
	return names->len;
}

static void
corpus_missing (void)
{
	g_test_skip ("no real-mail corpus: set VULND_CORPUS");
}

int
main (int argc, char **argv)
{
	g_autofree char *seeds = g_build_filename (TOP_SRCDIR, "tests/fuzz/seeds", FUZZ_TARGET, NULL);
	g_autofree char *regress = g_build_filename (TOP_SRCDIR, "tests/fuzz/regress", FUZZ_TARGET, NULL);

	g_test_init (&argc, &argv, NULL);
	fuzz_init (&argc, &argv);
	g_assert_cmpuint (add_dir ("seed", seeds), >, 0);
	add_dir ("regress", regress);
	if (strcmp (FUZZ_TARGET, "parse") == 0) {
		const char *env = g_getenv ("VULND_CORPUS");
		g_autofree char *corpus = env ? g_strdup (env)
		                              : g_build_filename (TOP_SRCDIR, "..", "shared", "corpus", NULL);
		g_autofree char *mail = g_build_filename (corpus, "mail", NULL);
		g_autofree char *fixtures = g_build_filename (TOP_SRCDIR, "tests/fixtures/mail", NULL);
		add_dir ("fixtures", fixtures);
		if (add_dir ("corpus", mail) == 0)
			g_test_add_func ("/fuzz-parse/corpus", corpus_missing);
	}
	return g_test_run ();
}
