/* keyring.c - the trusted OpenPGP keys, in a private GnuPG home.
 *
 * Keys are imported with gpg into a fresh home directory that belongs to
 * this keyring alone, so verification answers "signed by one of THESE
 * keys", never "GnuPG happened to know the key", and the user's ~/.gnupg is
 * never read or written.  GMime's GMimeGpgContext gives no way to choose a
 * GnuPG home: gpgme spawns gpg with our environment and no --homedir, so gpg
 * takes its home from GNUPGHOME.  vulnd_keyring_lock() therefore points
 * GNUPGHOME at the keyring's home, under a mutex, around each verification.
 * Import and listing run gpg once per keyring, never per message.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ingest-private.h"

struct _VulndKeyring {
	char *home;
	GHashTable *primary_of; /* any fingerprint (upper) -> primary (upper) */
	GHashTable *user_ids;   /* primary -> first user id */
	guint n_primary;
};

const char *
vulnd_sig_status_to_string (VulndSigStatus status)
{
	switch (status) {
	case VULND_SIG_VERIFIED: return "verified";
	case VULND_SIG_UNKNOWN_KEY: return "unknown-key";
	case VULND_SIG_BAD: return "bad";
	case VULND_SIG_UNSIGNED: break;
	}
	return "unsigned";
}

/* gpg keeps its sockets in the home; a unix socket path is limited to
 * ~108 bytes, so a long $TMPDIR would break gpg: fall back to /tmp. */
static char *
make_private_home (GError **error)
{
	const char *base = g_get_tmp_dir ();
	g_autofree char *tmpl = NULL;

	if (strlen (base) > 40)
		base = "/tmp";
	tmpl = g_build_filename (base, "vulnd-gpg-XXXXXX", NULL);
	if (!g_mkdtemp_full (tmpl, 0700)) {
		int saved = errno;
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_KEYRING,
		             "cannot create a GnuPG home in %s: %s", base, g_strerror (saved));
		return NULL;
	}
	return g_steal_pointer (&tmpl);
}

static void
remove_tree (const char *path)
{
	GDir *dir = g_dir_open (path, 0, NULL);
	const char *name;

	if (dir) {
		while ((name = g_dir_read_name (dir))) {
			g_autofree char *child = g_build_filename (path, name, NULL);
			if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
				remove_tree (child);
			else
				g_unlink (child);
		}
		g_dir_close (dir);
	}
	g_rmdir (path);
}

/* Verification never needs an agent, but a gpg may have started one
 * anyway: stop it before its home disappears. */
static void
stop_agent (const char *home)
{
	g_autofree char *socket = g_build_filename (home, "S.gpg-agent", NULL);
	const char *argv[] = { "gpgconf", "--homedir", home, "--kill", "all", NULL };

	if (!g_file_test (socket, G_FILE_TEST_EXISTS))
		return;
	g_spawn_sync (NULL, (char **) argv, NULL,
	              G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
	              NULL, NULL, NULL, NULL, NULL, NULL);
}

static void
remove_home (const char *home)
{
	stop_agent (home);
	remove_tree (home);
}

/* Homes not yet removed: a program that exit()s without freeing its
 * keyring must not leave key material behind in /tmp. */
static GMutex live_lock;
static GPtrArray *live_homes;

static void
remove_live_homes (void)
{
	g_mutex_lock (&live_lock);
	for (guint i = 0; live_homes && i < live_homes->len; i++)
		remove_home (live_homes->pdata[i]);
	g_clear_pointer (&live_homes, g_ptr_array_unref);
	g_mutex_unlock (&live_lock);
}

static void
track_home (const char *home)
{
	g_mutex_lock (&live_lock);
	if (!live_homes) {
		live_homes = g_ptr_array_new_with_free_func (g_free);
		atexit (remove_live_homes);
	}
	g_ptr_array_add (live_homes, g_strdup (home));
	g_mutex_unlock (&live_lock);
}

static void
untrack_home (const char *home)
{
	g_mutex_lock (&live_lock);
	for (guint i = 0; live_homes && i < live_homes->len; i++)
		if (g_str_equal (live_homes->pdata[i], home)) {
			g_ptr_array_remove_index_fast (live_homes, i);
			break;
		}
	g_mutex_unlock (&live_lock);
}

/* The key files of PATH: itself, or the *.asc files of a directory. */
static GPtrArray *
key_files (const char *path, GError **error)
{
	g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GDir) dir = NULL;
	const char *name;

	if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
		if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
			g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_KEYRING,
			             "keyring %s: no such file or directory", path);
			return NULL;
		}
		g_ptr_array_add (files, g_strdup (path));
		return g_steal_pointer (&files);
	}
	dir = g_dir_open (path, 0, error);
	if (!dir)
		return NULL;
	while ((name = g_dir_read_name (dir)))
		if (g_str_has_suffix (name, ".asc"))
			g_ptr_array_add (files, g_build_filename (path, name, NULL));
	if (files->len == 0) {
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_KEYRING,
		             "keyring %s: no *.asc key file", path);
		return NULL;
	}
	return g_steal_pointer (&files);
}

static gboolean
run_gpg (const char *home, const char *const *args, char **out, GError **error)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autofree char *err_text = NULL;
	int status = 0;

	g_ptr_array_add (argv, (char *) VULND_GPG);
	g_ptr_array_add (argv, (char *) "--homedir");
	g_ptr_array_add (argv, (char *) home);
	g_ptr_array_add (argv, (char *) "--batch");
	g_ptr_array_add (argv, (char *) "--no-tty");
	g_ptr_array_add (argv, (char *) "--no-autostart");
	g_ptr_array_add (argv, (char *) "--no-permission-warning");
	for (; *args; args++)
		g_ptr_array_add (argv, (char *) *args);
	g_ptr_array_add (argv, NULL);
	if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
	                   NULL, NULL, out, &err_text, &status, error))
		return FALSE;
	if (!g_spawn_check_wait_status (status, NULL)) {
		g_strstrip (err_text);
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_KEYRING,
		             "gpg failed: %s", *err_text ? err_text : "no message");
		return FALSE;
	}
	return TRUE;
}

/* gpg --with-colons escapes ':' and other bytes as \xHH. */
static char *
colon_unescape (const char *s)
{
	GString *out = g_string_new (NULL);

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && g_ascii_isxdigit (s[2]) && g_ascii_isxdigit (s[3])) {
			g_string_append_c (out, (char) (g_ascii_xdigit_value (s[2]) * 16 + g_ascii_xdigit_value (s[3])));
			s += 4;
		} else {
			g_string_append_c (out, *s++);
		}
	}
	return g_string_free (out, FALSE);
}

/* Reads "pub/sub, fpr, uid" records of gpg --with-colons --list-keys. */
static void
keyring_load_listing (VulndKeyring *keyring, const char *listing)
{
	g_auto (GStrv) lines = g_strsplit (listing, "\n", -1);
	g_autofree char *primary = NULL;
	const char *pending = NULL; /* "pub" or "sub": the next fpr belongs to it */

	for (guint i = 0; lines[i]; i++) {
		g_auto (GStrv) f = g_strsplit (lines[i], ":", 12);
		guint n = g_strv_length (f);

		if (n < 10)
			continue;
		if (g_str_equal (f[0], "pub") || g_str_equal (f[0], "sub")) {
			pending = g_str_equal (f[0], "pub") ? "pub" : "sub";
		} else if (g_str_equal (f[0], "fpr") && pending) {
			char *fpr = g_ascii_strup (f[9], -1);
			if (g_str_equal (pending, "pub")) {
				g_free (primary);
				primary = g_strdup (fpr);
				keyring->n_primary++;
			}
			if (primary)
				g_hash_table_replace (keyring->primary_of, fpr, g_strdup (primary));
			else
				g_free (fpr);
			pending = NULL;
		} else if (g_str_equal (f[0], "uid") && primary &&
		           !g_hash_table_contains (keyring->user_ids, primary)) {
			g_hash_table_insert (keyring->user_ids, g_strdup (primary), colon_unescape (f[9]));
		}
	}
}

static VulndKeyring *
keyring_new (GError **error)
{
	VulndKeyring *keyring;
	char *home = make_private_home (error);

	if (!home)
		return NULL;
	track_home (home);
	keyring = g_new0 (VulndKeyring, 1);
	keyring->home = home;
	keyring->primary_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	keyring->user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	return keyring;
}

static gboolean
keyring_import (VulndKeyring *keyring, const char *path, GError **error)
{
	g_autoptr (GPtrArray) files = key_files (path, error);
	g_autoptr (GPtrArray) args = NULL;
	const char *list_args[] = { "--with-colons", "--fixed-list-mode", "--list-keys", NULL };
	g_autofree char *listing = NULL;

	if (!files)
		return FALSE;
	args = g_ptr_array_new ();
	g_ptr_array_add (args, (char *) "--quiet");
	g_ptr_array_add (args, (char *) "--import");
	for (guint i = 0; i < files->len; i++)
		g_ptr_array_add (args, files->pdata[i]);
	g_ptr_array_add (args, NULL);
	if (!run_gpg (keyring->home, (const char *const *) args->pdata, NULL, error))
		return FALSE;
	if (!run_gpg (keyring->home, list_args, &listing, error))
		return FALSE;
	keyring_load_listing (keyring, listing);
	if (keyring->n_primary == 0) {
		g_set_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_KEYRING,
		             "keyring %s: no OpenPGP public key found", path);
		return FALSE;
	}
	return TRUE;
}

VulndKeyring *
vulnd_keyring_open (const char *path, GError **error)
{
	g_autoptr (VulndKeyring) keyring = keyring_new (error);

	if (!keyring)
		return NULL;
	if (path && !keyring_import (keyring, path, error))
		return NULL;
	return g_steal_pointer (&keyring);
}

void
vulnd_keyring_free (VulndKeyring *keyring)
{
	if (!keyring)
		return;
	remove_home (keyring->home);
	untrack_home (keyring->home);
	g_free (keyring->home);
	g_hash_table_unref (keyring->primary_of);
	g_hash_table_unref (keyring->user_ids);
	g_free (keyring);
}

guint
vulnd_keyring_size (const VulndKeyring *keyring)
{
	return keyring ? keyring->n_primary : 0;
}

const char *
vulnd_keyring_primary_for (const VulndKeyring *keyring, const char *fpr)
{
	g_autofree char *up = NULL;
	GHashTableIter iter;
	gpointer key, value;
	gsize len;

	if (!keyring || !fpr || !*fpr)
		return NULL;
	up = g_ascii_strup (fpr, -1);
	value = g_hash_table_lookup (keyring->primary_of, up);
	if (value)
		return value;
	/* Old signatures name only a 64-bit key id. */
	len = strlen (up);
	if (len != 16)
		return NULL;
	g_hash_table_iter_init (&iter, keyring->primary_of);
	while (g_hash_table_iter_next (&iter, &key, &value))
		if (g_str_has_suffix (key, up))
			return value;
	return NULL;
}

gboolean
vulnd_keyring_has_fingerprint (const VulndKeyring *keyring, const char *fpr)
{
	g_autofree char *up = NULL;

	if (!keyring || !fpr)
		return FALSE;
	up = g_ascii_strup (fpr, -1);
	return g_hash_table_contains (keyring->primary_of, up);
}

const char *
vulnd_keyring_user_id (const VulndKeyring *keyring, const char *primary)
{
	if (!keyring || !primary)
		return NULL;
	return g_hash_table_lookup (keyring->user_ids, primary);
}

static char *empty_home;

const char *
vulnd_keyring_home (const VulndKeyring *keyring)
{
	static gsize once = 0;

	if (keyring)
		return keyring->home;
	if (g_once_init_enter (&once)) {
		empty_home = make_private_home (NULL);
		if (empty_home)
			track_home (empty_home);
		g_once_init_leave (&once, 1);
	}
	return empty_home;
}

static GMutex gnupg_lock;

gboolean
vulnd_keyring_lock (const VulndKeyring *keyring)
{
	const char *home;

	g_mutex_lock (&gnupg_lock);
	home = vulnd_keyring_home (keyring);
	if (!home) {
		g_mutex_unlock (&gnupg_lock);
		return FALSE;
	}
	if (g_strcmp0 (g_getenv ("GNUPGHOME"), home) != 0)
		g_setenv ("GNUPGHOME", home, TRUE);
	return TRUE;
}

void
vulnd_keyring_unlock (void)
{
	g_mutex_unlock (&gnupg_lock);
}
