/* config.h - /etc/vulnd/vulnd.conf (GKeyFile), see vulnd.conf(5). */
#ifndef VULND_CONFIG_H
#define VULND_CONFIG_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum { VULND_TLS_IMAPS, VULND_TLS_STARTTLS, VULND_TLS_NONE } VulndTls;

typedef struct {
	char *name;          /* "" for [imap], NAME for [imap NAME] */
	char *host;
	guint16 port;        /* default 993 (imaps) / 143 */
	VulndTls tls;
	char *ca_file;       /* NULL: the system trust store */
	char *user;
	char *password;      /* read from password_file= or $CREDENTIALS_DIRECTORY */
	char *mailbox;       /* default INBOX */
} VulndImapAccount;

typedef struct {
	char *path;          /* the config file, for messages */
	char *database;      /* [vulnd] database= */
	char *keyring;       /* [vulnd] keyring= */
	gboolean require_signature;
	char *maildir;       /* [maildir] path=, NULL when none */
	GPtrArray *imap;     /* VulndImapAccount* */
	char *dbus;          /* "system", "session", "none" or an address */
	char *on_new;        /* hook programs, NULL when none */
	char *on_update;
	guint hook_timeout;  /* seconds */
} VulndConfig;

#define VULND_CONFIG_ERROR (vulnd_config_error_quark ())
GQuark vulnd_config_error_quark (void);

/* Load and check PATH; errors read "PATH:LINE: what is wrong". */
VulndConfig *vulnd_config_load (const char *path, GError **error);
/* The same on TEXT (LEN bytes, need not end in NUL) as if read from PATH,
 * which only names the file in messages (the fuzzer's entry). */
VulndConfig *vulnd_config_load_from_data (const char *path, const char *text, gsize len,
                                          GError **error);
/* The embedded default: everything under DIR (maildir DIR/maildir, database
 * DIR/db, no IMAP, no D-Bus). */
VulndConfig *vulnd_config_new_default (const char *dir);
void vulnd_config_free (VulndConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndConfig, vulnd_config_free)

G_END_DECLS

#endif
