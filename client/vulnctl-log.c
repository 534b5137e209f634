/* vulnctl-log.c - "vulnctl log [--since SEQ] [--limit N]": the changes log. */
#include <stdio.h>

#include "vulnctl.h"

int
vulnctl_log (VulnctlGlobal *global, int argc, char **argv)
{
	gint64 since = 0;
	gint limit = 0;
	GOptionEntry entries[] = {
		{ "since", 's', 0, G_OPTION_ARG_INT64, &since, "entries after this sequence number", "SEQ" },
		{ "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "at most N entries", "N" },
		{ NULL }
	};
	static const char *const header[] = { "SEQ", "TIME", "EVENT", "ID", "REV", "VERIFIED", "TITLE", NULL };
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (GPtrArray) changes = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) t = NULL;

	if (!vulnctl_parse_options ("log", NULL, entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1 || since < 0 || limit < 0) {
		fprintf (stderr, "vulnctl log: usage: log [--since SEQ] [--limit N]\n");
		return VULNCTL_USAGE;
	}
	store = vulnctl_open_store (global, "log", FALSE);
	if (!store)
		return VULNCTL_ERROR;
	changes = vulnd_store_changes (store, (guint64) since, (guint) limit, &error);
	if (!changes) {
		fprintf (stderr, "vulnctl log: %s\n", error->message);
		return VULNCTL_ERROR;
	}
	if (global->json) {
		vulnctl_print_objects (changes);
		return changes->len ? VULNCTL_OK : VULNCTL_FOUND_NOTHING;
	}
	t = vulnctl_table_new (header);
	for (guint i = 0; i < changes->len; i++) {
		JsonObject *e = changes->pdata[i];
		g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (e, "seq", 0));
		g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (e, "revision", 0));
#define S(n) json_object_get_string_member_with_default (e, n, "")
		vulnctl_table_add (t, seq, S ("time"), S ("event"), S ("id"), rev,
		                   json_object_get_boolean_member_with_default (e, "verified", FALSE) ? "yes" : "no",
		                   S ("title"));
#undef S
	}
	if (changes->len)
		vulnctl_table_print (t);
	return changes->len ? VULNCTL_OK : VULNCTL_FOUND_NOTHING;
}
