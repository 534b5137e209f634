/* fuzz-config.c - libFuzzer target for the vulnd.conf loader.
 *
 * The input is a configuration file.  Every input either loads into a
 * complete configuration or fails with one "PATH:LINE: what" error that
 * names a line of the input; nothing may crash or leak. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"

#define FUZZ_PATH "fuzz.conf"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A GLib warning or critical is a finding.  abort(), not GLib's fatal
 * breakpoint: libFuzzer keeps the input on SIGABRT but not on SIGTRAP. */
static void
fatal_log (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
		g_printerr ("%s: %s\n", domain ? domain : "", message);
		abort ();
	}
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
	/* credentials must come from the input alone */
	g_unsetenv ("CREDENTIALS_DIRECTORY");
	g_log_set_default_handler (fatal_log, NULL);
	return 0;
}

static guint
count_lines (const uint8_t *data, size_t size)
{
	guint n = 1;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

/* "fuzz.conf:LINE: what", LINE within the input (0: not line-bound) */
static void
check_error (const GError *error, guint lines)
{
	const char *p;
	char *end;
	guint64 line;

	if (!error || error->domain != VULND_CONFIG_ERROR || !error->message)
		abort ();
	if (!g_str_has_prefix (error->message, FUZZ_PATH ":"))
		abort ();
	p = error->message + strlen (FUZZ_PATH ":");
	line = g_ascii_strtoull (p, &end, 10);
	if (end == p || *end != ':' || line > lines)
		abort ();
	if (!g_utf8_validate (error->message, -1, NULL))
		abort ();
}

static void
check_config (const VulndConfig *c)
{
	if (!c->database || !g_path_is_absolute (c->database) || !c->dbus)
		abort ();
	if (!c->maildir && c->imap->len == 0)
		abort ();
	if (c->maildir && !g_path_is_absolute (c->maildir))
		abort ();
	if (c->hook_timeout < 1 || c->hook_timeout > 3600)
		abort ();
	for (guint i = 0; i < c->imap->len; i++) {
		const VulndImapAccount *a = c->imap->pdata[i];
		if (!a->name || !a->host || !*a->host || a->port == 0 || !a->mailbox)
			abort ();
		if (a->ca_file && !g_path_is_absolute (a->ca_file))
			abort ();
	}
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GError *error = NULL;
	VulndConfig *c = vulnd_config_load_from_data (FUZZ_PATH, (const char *) data, size, &error);

	if (c) {
		if (error)
			abort ();
		check_config (c);
		vulnd_config_free (c);
	} else {
		check_error (error, count_lines (data, size));
		g_error_free (error);
	}
	return 0;
}
