/* test-config.c - vulnd.conf loading: defaults, IMAP accounts, passwords
 * from password_file= and $CREDENTIALS_DIRECTORY, error locations. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "daemon/config.h"

static char *
write_conf (const char *dir, const char *text)
{
	char *path = g_build_filename (dir, "vulnd.conf", NULL);

	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	return path;
}

static void
test_defaults (void)
{
	g_autofree char *dir = g_dir_make_tmp ("vulnd-config-XXXXXX", NULL);
	g_autofree char *path = write_conf (dir, "[maildir]\npath = /srv/mail\n");
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndConfig) c = vulnd_config_load (path, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (c->maildir, ==, "/srv/mail");
	g_assert_cmpstr (c->dbus, ==, "system");
	g_assert_cmpuint (c->hook_timeout, ==, 30);
	g_assert_false (c->require_signature);
	g_assert_null (c->on_new);
	g_assert_cmpuint (c->imap->len, ==, 0);
	g_assert_true (g_str_has_suffix (c->database, "/lib/vulnd"));
	g_unlink (path);
	g_rmdir (dir);
}

static void
test_imap_accounts (void)
{
	g_autofree char *dir = g_dir_make_tmp ("vulnd-config-XXXXXX", NULL);
	g_autofree char *pw = g_build_filename (dir, "pw", NULL);
	g_autofree char *cred = g_build_filename (dir, "imap-password-b", NULL);
	g_autofree char *text = g_strdup_printf (
		"[vulnd]\nrequire_signature = true\n"
		"[imap]\nhost = imap.example.org\nuser = u\npassword_file = %s\n"
		"[imap b]\nhost = 127.0.0.1\ntls = none\nmailbox = Lists\n"
		"[notify]\ndbus = unix:path=/tmp/x/bus\nhook_timeout = 5\non_new = /bin/true\n", pw);
	g_autofree char *path = write_conf (dir, text);
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndConfig) c = NULL;
	VulndImapAccount *a, *b;

	g_assert_true (g_file_set_contents (pw, "s3cret\n", -1, NULL));
	g_assert_true (g_file_set_contents (cred, "from-credentials", -1, NULL));
	g_setenv ("CREDENTIALS_DIRECTORY", dir, TRUE);
	c = vulnd_config_load (path, &error);
	g_unsetenv ("CREDENTIALS_DIRECTORY");
	g_assert_no_error (error);
	g_assert_true (c->require_signature);
	g_assert_cmpuint (c->imap->len, ==, 2);
	a = c->imap->pdata[0];
	b = c->imap->pdata[1];
	g_assert_cmpstr (a->name, ==, "");
	g_assert_cmpuint (a->port, ==, 993);
	g_assert_cmpint (a->tls, ==, VULND_TLS_IMAPS);
	g_assert_cmpstr (a->password, ==, "s3cret");
	g_assert_cmpstr (a->mailbox, ==, "INBOX");
	g_assert_cmpstr (b->name, ==, "b");
	g_assert_cmpuint (b->port, ==, 143);
	g_assert_cmpint (b->tls, ==, VULND_TLS_NONE);
	g_assert_cmpstr (b->password, ==, "from-credentials");
	g_assert_cmpstr (b->mailbox, ==, "Lists");
	g_assert_cmpstr (c->dbus, ==, "unix:path=/tmp/x/bus");
	g_assert_cmpuint (c->hook_timeout, ==, 5);
	g_assert_cmpstr (c->on_new, ==, "/bin/true");
	g_unlink (pw);
	g_unlink (cred);
	g_unlink (path);
	g_rmdir (dir);
}

static void
test_error_lines (void)
{
	static const struct { const char *text; const char *expect; } cases[] = {
		{ "[maildir]\npath = /m\n\n[imap]\nport = 99999\nhost = h\n", ":5: port=" },
		{ "[maildir]\npath = /m\n[imap]\nuser = u\n", ":3: [imap] needs host=" },
		{ "[maildir]\npath = /m\n[imap x]\nhost = h\n[imap x]\nhost = i\n", "" },
		{ "# c\n[maildir]\n  path   =   \n", ":3: path= is empty" },
		{ "[maildir]\npath = /m\n[imap bad name!]\nhost = h\n", ":3: bad account name" },
		{ "[maildir]\npath = /m\n[imap]\nhost = h\npassword_file = /nonexistent/pw\n", ":5: cannot read the password" },
		/* found by fuzz-config: GLib 2.74 overwrote its own GError here */
		{ "[maildir]\npath = /x\\q\\\n", ":2: path= has an invalid escape sequence" },
		/* a Latin-1 file: the line, not the whole file, is named */
		{ "[maildir]\npath = /m\n[imap]\nhost = h\nmailbox = S\xe9" "curit\xe9\n", ":5: not UTF-8 text" },
		{ "[maildir]\npath = /m\n[imap]\nhost = h\nmailbox = a\\tb\n", ":5: mailbox= has a control character" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *dir = g_dir_make_tmp ("vulnd-config-XXXXXX", NULL);
		g_autofree char *path = write_conf (dir, cases[i].text);
		g_autoptr (GError) error = NULL;
		g_autoptr (VulndConfig) c = vulnd_config_load (path, &error);

		if (*cases[i].expect == '\0') {
			/* GKeyFile merges a repeated group: one account, not an error */
			g_assert_no_error (error);
			g_assert_cmpuint (c->imap->len, ==, 1);
		} else {
			g_assert_null (c);
			g_assert_nonnull (error);
			g_assert_true (g_str_has_prefix (error->message, path));
			if (!strstr (error->message, cases[i].expect))
				g_error ("case %u: \"%s\" lacks \"%s\"", i, error->message, cases[i].expect);
		}
		g_unlink (path);
		g_rmdir (dir);
	}
}

/* Mailbox names are UTF-8 in the file; the IMAP source encodes them. */
static void
test_mailbox_utf8 (void)
{
	g_autofree char *dir = g_dir_make_tmp ("vulnd-config-XXXXXX", NULL);
	g_autofree char *path = write_conf (dir, "[imap]\nhost = h\nmailbox = Lists/S\u00e9curit\u00e9 & \u53f0\u5317\n");
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndConfig) c = vulnd_config_load (path, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (((VulndImapAccount *) c->imap->pdata[0])->mailbox, ==,
	                 "Lists/S\u00e9curit\u00e9 & \u53f0\u5317");
	g_unlink (path);
	g_rmdir (dir);
}

static void
test_builtin_default (void)
{
	g_autoptr (VulndConfig) c = vulnd_config_new_default ("/run/demo");

	g_assert_cmpstr (c->maildir, ==, "/run/demo/maildir");
	g_assert_cmpstr (c->database, ==, "/run/demo/db");
	g_assert_cmpstr (c->dbus, ==, "none");
	g_assert_cmpuint (c->imap->len, ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/config/defaults", test_defaults);
	g_test_add_func ("/config/imap-accounts", test_imap_accounts);
	g_test_add_func ("/config/error-lines", test_error_lines);
	g_test_add_func ("/config/mailbox-utf8", test_mailbox_utf8);
	g_test_add_func ("/config/builtin-default", test_builtin_default);
	return g_test_run ();
}
