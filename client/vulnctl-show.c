/* vulnctl-show.c - "vulnctl show ID [--revision N] [--history]". */
#include <stdio.h>

#include "vulnctl.h"
#include "vulnd-db.h"
#include "extract/extract.h"

static int
show_history (VulnctlGlobal *global, VulndStore *store, const char *id)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (GPtrArray) history = vulnd_store_history (store, id, &error);
	static const char *const header[] = { "REVISION", "DATE", "SIGNATURE", "STATUS", "MESSAGE", NULL };
	g_autoptr (GPtrArray) t = vulnctl_table_new (header);

	if (!history) {
		fprintf (stderr, "vulnctl show: %s\n", error->message);
		return g_error_matches (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND)
		       ? VULNCTL_FOUND_NOTHING : VULNCTL_ERROR;
	}
	if (global->json) {
		vulnctl_print_objects (history);
		return VULNCTL_OK;
	}
	for (guint i = 0; i < history->len; i++) {
		JsonObject *r = history->pdata[i];
		JsonNode *srcn = json_object_get_member (r, "source");
		JsonObject *src = srcn && JSON_NODE_HOLDS_OBJECT (srcn) ? json_node_get_object (srcn) : NULL;
		g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, vulnd_record_revision (r));
		const char *rejected = json_object_get_string_member_with_default (r, "rejected", NULL);

		vulnctl_table_add (t, rev, vulnd_record_date (r), vulnd_record_signature_status (r),
		                   rejected ? "rejected" : "accepted",
		                   src ? json_object_get_string_member_with_default (src, "message-id", "") : "");
	}
	vulnctl_table_print (t);
	return VULNCTL_OK;
}

int
vulnctl_show (VulnctlGlobal *global, int argc, char **argv)
{
	gint revision = 0;
	gboolean history = FALSE;
	GOptionEntry entries[] = {
		{ "revision", 'r', 0, G_OPTION_ARG_INT, &revision, "that revision (1 = first)", "N" },
		{ "history", 0, 0, G_OPTION_ARG_NONE, &history, "every revision, rejected ones too", NULL },
		{ NULL }
	};
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (JsonObject) record = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *id = NULL;

	if (!vulnctl_parse_options ("show", "ID", entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 2 || revision < 0) {
		fprintf (stderr, "vulnctl show: expected one advisory id (OSSA-YYYY-NNN, OSSN-NNNN)\n");
		return VULNCTL_USAGE;
	}
	id = vulnd_canonical_id (argv[1]);
	if (!id) {
		fprintf (stderr, "vulnctl show: '%s' is not an advisory id\n", argv[1]);
		return VULNCTL_USAGE;
	}
	store = vulnctl_open_store (global, "show", FALSE);
	if (!store)
		return VULNCTL_ERROR;
	if (history)
		return show_history (global, store, id);
	record = vulnd_store_get (store, id, (guint) revision, &error);
	if (!record) {
		fprintf (stderr, "vulnctl show: %s\n", error->message);
		return g_error_matches (error, VULND_STORE_ERROR, VULND_STORE_ERROR_NOT_FOUND)
		       ? VULNCTL_FOUND_NOTHING : VULNCTL_ERROR;
	}
	if (global->json) {
		vulnctl_print_object (record);
	} else {
		g_autofree char *text = vulnd_record_to_text (record);
		const char *rejected = json_object_get_string_member_with_default (record, "rejected", NULL);
		printf ("%s", text);
		if (rejected)
			printf ("  %-10s %s\n", "rejected", rejected);
	}
	return VULNCTL_OK;
}
