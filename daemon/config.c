/* config.c - load and check /etc/vulnd/vulnd.conf, see vulnd.conf(5).
 *
 * GKeyFile parses the file; the checks here are semantic.  GKeyFile does
 * not say on which line a key sits, so every error is located by scanning
 * the file text for its group and key (locate_line): the administrator gets
 * "file:line: what is wrong" for every mistake, not only syntax ones.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "daemon/config.h"

G_DEFINE_QUARK (vulnd-config-error-quark, vulnd_config_error)

#define DEFAULT_HOOK_TIMEOUT 30
#define MAX_HOOK_TIMEOUT 3600

typedef struct {
	const char *path;
	char **lines;       /* the file text, for error locations */
	GKeyFile *kf;
} Loader;

static const char *const vulnd_keys[] = { "database", "keyring", "require_signature", NULL };
static const char *const maildir_keys[] = { "path", NULL };
static const char *const imap_keys[] = { "host", "port", "tls", "ca_file", "user",
	                                     "password_file", "mailbox", NULL };
static const char *const notify_keys[] = { "dbus", "on_new", "on_update", "hook_timeout", NULL };

static gboolean
is_group_line (const char *line, const char *group)
{
	g_autofree char *t = g_strstrip (g_strdup (line));
	gsize n = strlen (t);

	if (n < 2 || t[0] != '[' || t[n - 1] != ']')
		return FALSE;
	if (group == NULL)
		return TRUE;
	t[n - 1] = '\0';
	return strcmp (t + 1, group) == 0;
}

static gboolean
is_key_line (const char *line, const char *key)
{
	const char *p = line;
	gsize n = strlen (key);

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp (p, key, n) != 0)
		return FALSE;
	p += n;
	/* "key=", "key =" and localised "key[xx]=" forms */
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '=' || *p == '[';
}

/* 1-based line of KEY in GROUP (the group header when KEY is NULL); 0 when
 * not found.  The last occurrence wins, as in GKeyFile. */
static guint
locate_line (const Loader *ld, const char *group, const char *key)
{
	gboolean inside = FALSE;
	guint found = 0;

	for (guint i = 0; ld->lines[i]; i++) {
		const char *line = ld->lines[i];
		if (is_group_line (line, NULL)) {
			inside = is_group_line (line, group);
			if (inside && key == NULL)
				found = i + 1;
			continue;
		}
		if (inside && key && is_key_line (line, key))
			found = i + 1;
	}
	return found;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail_at (const Loader *ld, const char *group, const char *key, GError **error,
         const char *fmt, ...)
{
	va_list ap;
	g_autofree char *what = NULL;
	guint line = locate_line (ld, group, key);

	if (line == 0 && key)
		line = locate_line (ld, group, NULL);
	va_start (ap, fmt);
	what = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:%u: %s", ld->path, line, what);
	return FALSE;
}

/* GKeyFile reports syntax errors without a line: find the first line that
 * is neither blank, a comment, a group header nor a key=value pair. */
static gboolean
check_syntax (const Loader *ld, GError **error)
{
	for (guint i = 0; ld->lines[i]; i++) {
		g_autofree char *t = g_strstrip (g_strdup (ld->lines[i]));
		if (*t == '\0' || *t == '#')
			continue;
		if (*t == '[') {
			if (!is_group_line (t, NULL) || strchr (t + 1, '[') || strchr (t, ']') != t + strlen (t) - 1) {
				g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:%u: malformed group header \"%s\"",
				             ld->path, i + 1, t);
				return FALSE;
			}
			continue;
		}
		if (!strchr (t, '=') || *t == '=') {
			g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:%u: expected \"key = value\", got \"%s\"",
			             ld->path, i + 1, t);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
key_allowed (const char *const *allowed, const char *key)
{
	return g_strv_contains (allowed, key);
}

static const char *const *
keys_for_group (const char *group)
{
	if (strcmp (group, "vulnd") == 0)
		return vulnd_keys;
	if (strcmp (group, "maildir") == 0)
		return maildir_keys;
	if (strcmp (group, "notify") == 0)
		return notify_keys;
	if (strcmp (group, "imap") == 0 || g_str_has_prefix (group, "imap "))
		return imap_keys;
	return NULL;
}

static gboolean
check_groups_and_keys (const Loader *ld, GError **error)
{
	g_auto (GStrv) groups = g_key_file_get_groups (ld->kf, NULL);

	for (guint g = 0; groups[g]; g++) {
		const char *const *allowed = keys_for_group (groups[g]);
		g_auto (GStrv) keys = NULL;

		if (allowed == NULL)
			return fail_at (ld, groups[g], NULL, error, "unknown section [%s]", groups[g]);
		if (g_str_has_prefix (groups[g], "imap ") && !g_regex_match_simple (
		        "^imap [A-Za-z0-9_.-]+$", groups[g], 0, 0))
			return fail_at (ld, groups[g], NULL, error,
			                "bad account name in [%s] (letters, digits, _ . - only)", groups[g]);
		keys = g_key_file_get_keys (ld->kf, groups[g], NULL, NULL);
		for (guint k = 0; keys && keys[k]; k++) {
			if (!key_allowed (allowed, keys[k]))
				return fail_at (ld, groups[g], keys[k], error, "unknown key \"%s\" in [%s]",
				                keys[k], groups[g]);
		}
	}
	return TRUE;
}

/* The escapes GKeyFile knows (\s \n \t \r \\), none dangling at the end.
 * Checked before g_key_file_get_string(): besides a clear message, GLib 2.74
 * overwrites its own GError on a value with two bad escapes. */
static gboolean
escapes_valid (const char *raw)
{
	for (const char *p = raw; *p; p++) {
		if (*p != '\\')
			continue;
		if (!p[1] || !strchr ("sntr\\", p[1]))
			return FALSE;
		p++;
	}
	return TRUE;
}

/* A string value, NULL when absent; an empty value is an error. */
static gboolean
get_string (const Loader *ld, const char *group, const char *key, char **out, GError **error)
{
	g_autofree char *v = NULL;
	g_autofree char *raw = NULL;

	*out = NULL;
	if (!g_key_file_has_key (ld->kf, group, key, NULL))
		return TRUE;
	raw = g_key_file_get_value (ld->kf, group, key, NULL);
	if (raw && !escapes_valid (raw))
		return fail_at (ld, group, key, error,
		                "%s= has an invalid escape sequence (only \\s \\n \\t \\r \\\\)", key);
	v = g_key_file_get_string (ld->kf, group, key, NULL);
	if (v == NULL || *g_strstrip (v) == '\0')
		return fail_at (ld, group, key, error, "%s= is empty", key);
	*out = g_steal_pointer (&v);
	return TRUE;
}

static gboolean
get_path (const Loader *ld, const char *group, const char *key, char **out, GError **error)
{
	if (!get_string (ld, group, key, out, error))
		return FALSE;
	if (*out && !g_path_is_absolute (*out)) {
		g_clear_pointer (out, g_free);
		return fail_at (ld, group, key, error, "%s= must be an absolute path", key);
	}
	return TRUE;
}

static gboolean
get_bool (const Loader *ld, const char *group, const char *key, gboolean *out, GError **error)
{
	g_autofree char *v = NULL;

	if (!get_string (ld, group, key, &v, error))
		return FALSE;
	if (v == NULL)
		return TRUE;
	if (g_ascii_strcasecmp (v, "true") == 0 || g_ascii_strcasecmp (v, "yes") == 0 || strcmp (v, "1") == 0)
		*out = TRUE;
	else if (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0 || strcmp (v, "0") == 0)
		*out = FALSE;
	else
		return fail_at (ld, group, key, error, "%s= must be true or false, not \"%s\"", key, v);
	return TRUE;
}

static gboolean
get_uint (const Loader *ld, const char *group, const char *key, guint64 min, guint64 max,
          guint64 *out, GError **error)
{
	g_autofree char *v = NULL;
	guint64 n;

	if (!get_string (ld, group, key, &v, error))
		return FALSE;
	if (v == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned (v, 10, min, max, &n, NULL))
		return fail_at (ld, group, key, error, "%s= must be a number from %" G_GUINT64_FORMAT
		                " to %" G_GUINT64_FORMAT ", not \"%s\"", key, min, max, v);
	*out = n;
	return TRUE;
}

static gboolean
load_vulnd_group (const Loader *ld, VulndConfig *c, GError **error)
{
	g_autofree char *db = NULL;

	if (!get_path (ld, "vulnd", "database", &db, error))
		return FALSE;
	if (db) {
		g_free (c->database);
		c->database = g_steal_pointer (&db);
	}
	return get_path (ld, "vulnd", "keyring", &c->keyring, error) &&
	       get_bool (ld, "vulnd", "require_signature", &c->require_signature, error);
}

static gboolean
load_maildir_group (const Loader *ld, VulndConfig *c, GError **error)
{
	if (!g_key_file_has_group (ld->kf, "maildir"))
		return TRUE;
	if (!get_path (ld, "maildir", "path", &c->maildir, error))
		return FALSE;
	if (c->maildir == NULL)
		return fail_at (ld, "maildir", NULL, error, "[maildir] needs path=");
	return TRUE;
}

static gboolean
parse_tls (const Loader *ld, const char *group, VulndImapAccount *a, GError **error)
{
	g_autofree char *tls = NULL;

	if (!get_string (ld, group, "tls", &tls, error))
		return FALSE;
	if (tls == NULL || strcmp (tls, "imaps") == 0)
		a->tls = VULND_TLS_IMAPS;
	else if (strcmp (tls, "starttls") == 0)
		a->tls = VULND_TLS_STARTTLS;
	else if (strcmp (tls, "none") == 0)
		a->tls = VULND_TLS_NONE;
	else
		return fail_at (ld, group, "tls", error, "tls= must be imaps, starttls or none, not \"%s\"", tls);
	return TRUE;
}

/* The password never comes from the config file itself nor the command
 * line: password_file=, else the systemd credential imap-password-NAME or
 * imap-password. */
static gboolean
read_password (const Loader *ld, const char *group, VulndImapAccount *a, GError **error)
{
	g_autofree char *file = NULL;
	g_autofree char *text = NULL;
	g_autoptr (GError) local = NULL;
	const char *creds = g_getenv ("CREDENTIALS_DIRECTORY");

	if (!get_path (ld, group, "password_file", &file, error))
		return FALSE;
	if (file == NULL && creds && *creds) {
		g_autofree char *named = g_strdup_printf ("%s/imap-password-%s", creds, a->name);
		g_autofree char *plain = g_build_filename (creds, "imap-password", NULL);
		if (*a->name && g_file_test (named, G_FILE_TEST_EXISTS))
			file = g_steal_pointer (&named);
		else if (g_file_test (plain, G_FILE_TEST_EXISTS))
			file = g_steal_pointer (&plain);
	}
	if (file == NULL)
		return TRUE; /* the server may not need one; the IMAP source says so */
	if (!g_file_get_contents (file, &text, NULL, &local))
		return fail_at (ld, group, "password_file", error, "cannot read the password: %s",
		                local->message);
	g_strchomp (text);
	a->password = g_steal_pointer (&text);
	return TRUE;
}

static void
imap_account_free (gpointer p)
{
	VulndImapAccount *a = p;

	if (a == NULL)
		return;
	g_free (a->name);
	g_free (a->host);
	g_free (a->ca_file);
	g_free (a->user);
	if (a->password)
		memset (a->password, 0, strlen (a->password));
	g_free (a->password);
	g_free (a->mailbox);
	g_free (a);
}

/* The file is UTF-8 (checked first) and sent in modified UTF-7, which can
 * carry anything; but an escaped tab or newline in a mailbox name is a
 * typing error no server takes. */
static gboolean
mailbox_valid (const char *name)
{
	for (const char *p = name; *p; p = g_utf8_next_char (p)) {
		if (g_unichar_iscntrl (g_utf8_get_char (p)))
			return FALSE;
	}
	return TRUE;
}

static gboolean
load_imap_group (const Loader *ld, const char *group, VulndConfig *c, GError **error)
{
	VulndImapAccount *a = g_new0 (VulndImapAccount, 1);
	guint64 port = 0;

	a->name = g_strdup (strcmp (group, "imap") == 0 ? "" : group + strlen ("imap "));
	g_ptr_array_add (c->imap, a);
	for (guint i = 0; i < c->imap->len - 1; i++) {
		VulndImapAccount *o = c->imap->pdata[i];
		if (strcmp (o->name, a->name) == 0)
			return fail_at (ld, group, NULL, error, "account [%s] defined twice", group);
	}
	if (!get_string (ld, group, "host", &a->host, error) ||
	    !parse_tls (ld, group, a, error) ||
	    !get_uint (ld, group, "port", 1, 65535, &port, error) ||
	    !get_path (ld, group, "ca_file", &a->ca_file, error) ||
	    !get_string (ld, group, "user", &a->user, error) ||
	    !get_string (ld, group, "mailbox", &a->mailbox, error) ||
	    !read_password (ld, group, a, error))
		return FALSE;
	if (a->host == NULL)
		return fail_at (ld, group, NULL, error, "[%s] needs host=", group);
	if (a->mailbox && !mailbox_valid (a->mailbox))
		return fail_at (ld, group, "mailbox", error, "mailbox= has a control character");
	a->port = port ? (guint16) port : (a->tls == VULND_TLS_IMAPS ? 993 : 143);
	if (a->mailbox == NULL)
		a->mailbox = g_strdup ("INBOX");
	return TRUE;
}

static gboolean
check_dbus (const Loader *ld, const char *dbus, GError **error)
{
	if (strcmp (dbus, "system") == 0 || strcmp (dbus, "session") == 0 || strcmp (dbus, "none") == 0)
		return TRUE;
	/* a D-Bus address: transport:key=value,... */
	if (g_regex_match_simple ("^[a-z]+:([A-Za-z0-9_-]+=[^,;]*(,|$))+", dbus, 0, 0))
		return TRUE;
	return fail_at (ld, "notify", "dbus", error,
	                "dbus= must be system, session, none or a bus address, not \"%s\"", dbus);
}

static gboolean
load_notify_group (const Loader *ld, VulndConfig *c, GError **error)
{
	g_autofree char *dbus = NULL;
	guint64 timeout = c->hook_timeout;

	if (!get_string (ld, "notify", "dbus", &dbus, error) ||
	    !get_path (ld, "notify", "on_new", &c->on_new, error) ||
	    !get_path (ld, "notify", "on_update", &c->on_update, error) ||
	    !get_uint (ld, "notify", "hook_timeout", 1, MAX_HOOK_TIMEOUT, &timeout, error))
		return FALSE;
	c->hook_timeout = (guint) timeout;
	if (dbus) {
		if (!check_dbus (ld, dbus, error))
			return FALSE;
		g_free (c->dbus);
		c->dbus = g_steal_pointer (&dbus);
	}
	return TRUE;
}

static gboolean
load_sections (const Loader *ld, VulndConfig *c, GError **error)
{
	g_auto (GStrv) groups = g_key_file_get_groups (ld->kf, NULL);

	if (!load_vulnd_group (ld, c, error) || !load_maildir_group (ld, c, error) ||
	    !load_notify_group (ld, c, error))
		return FALSE;
	for (guint g = 0; groups[g]; g++) {
		if (keys_for_group (groups[g]) == imap_keys && !load_imap_group (ld, groups[g], c, error))
			return FALSE;
	}
	if (c->maildir == NULL && c->imap->len == 0) {
		g_set_error (error, VULND_CONFIG_ERROR, 0,
		             "%s:1: no source: add a [maildir] or an [imap] section", ld->path);
		return FALSE;
	}
	return TRUE;
}

static VulndConfig *
config_new_empty (void)
{
	VulndConfig *c = g_new0 (VulndConfig, 1);

	c->database = g_strdup (VULND_LOCALSTATEDIR "/lib/vulnd");
	c->imap = g_ptr_array_new_with_free_func (imap_account_free);
	c->dbus = g_strdup ("system");
	c->hook_timeout = DEFAULT_HOOK_TIMEOUT;
	return c;
}

/* The 1-based line of AT in TEXT. */
static guint
line_of (const char *text, const char *at)
{
	guint line = 1;

	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Load and check TEXT (LEN bytes) as if read from PATH, the name errors
 * use.  Split out of vulnd_config_load() so that the fuzzer can feed the
 * loader without a file. */
VulndConfig *
vulnd_config_load_from_data (const char *path, const char *text, gsize len, GError **error)
{
	g_autoptr (VulndConfig) c = config_new_empty ();
	g_autoptr (GKeyFile) kf = g_key_file_new ();
	g_autoptr (GError) local = NULL;
	g_autofree char *copy = NULL;
	g_auto (GStrv) lines = NULL;
	Loader ld = { path, NULL, kf };
	const char *bad;

	if (!g_utf8_validate (text, (gssize) len, &bad)) {
		g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:%u: not UTF-8 text", path,
		             line_of (text, bad));
		return NULL;
	}
	copy = g_strndup (text, len);
	lines = g_strsplit (copy, "\n", -1);
	ld.lines = lines;
	if (!check_syntax (&ld, error))
		return NULL;
	if (!g_key_file_load_from_data (kf, copy, len, G_KEY_FILE_NONE, &local)) {
		g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:0: %s", path, local->message);
		return NULL;
	}
	c->path = g_strdup (path);
	if (!check_groups_and_keys (&ld, error) || !load_sections (&ld, c, error))
		return NULL;
	return g_steal_pointer (&c);
}

VulndConfig *
vulnd_config_load (const char *path, GError **error)
{
	g_autoptr (GError) local = NULL;
	g_autofree char *text = NULL;
	gsize len = 0;

	if (!g_file_get_contents (path, &text, &len, &local)) {
		g_set_error (error, VULND_CONFIG_ERROR, 0, "%s:0: %s", path, local->message);
		return NULL;
	}
	return vulnd_config_load_from_data (path, text, len, error);
}

VulndConfig *
vulnd_config_new_default (const char *dir)
{
	VulndConfig *c = config_new_empty ();

	c->path = g_strdup ("(built-in default)");
	g_free (c->database);
	c->database = g_build_filename (dir, "db", NULL);
	c->maildir = g_build_filename (dir, "maildir", NULL);
	g_free (c->dbus);
	c->dbus = g_strdup ("none");
	return c;
}

void
vulnd_config_free (VulndConfig *config)
{
	if (config == NULL)
		return;
	g_free (config->path);
	g_free (config->database);
	g_free (config->keyring);
	g_free (config->maildir);
	g_clear_pointer (&config->imap, g_ptr_array_unref);
	g_free (config->dbus);
	g_free (config->on_new);
	g_free (config->on_update);
	g_free (config);
}
