/* vulnctl-status.c - "vulnctl status": the database at a glance. */
#include <stdio.h>

#include "vulnctl.h"

int
vulnctl_status (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (GPtrArray) quarantine = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) o = json_object_new ();
	VulndStoreStatus st;

	if (!vulnctl_parse_options ("status", NULL, NULL, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc != 1) {
		fprintf (stderr, "vulnctl status: no arguments expected\n");
		return VULNCTL_USAGE;
	}
	store = vulnctl_open_store (global, "status", FALSE);
	if (!store)
		return VULNCTL_ERROR;
	if (!vulnd_store_status (store, &st, &error)) {
		fprintf (stderr, "vulnctl status: %s\n", error->message);
		return VULNCTL_ERROR;
	}
	json_object_set_string_member (o, "path", st.path);
	json_object_set_int_member (o, "schema", st.schema);
	json_object_set_int_member (o, "advisories", st.advisories);
	json_object_set_int_member (o, "ossa", st.ossa);
	json_object_set_int_member (o, "ossn", st.ossn);
	json_object_set_int_member (o, "revisions", st.revisions);
	json_object_set_int_member (o, "messages", st.messages);
	json_object_set_int_member (o, "ignored", st.ignored);
	json_object_set_int_member (o, "quarantined", st.quarantined);
	json_object_set_int_member (o, "last-seq", st.last_seq);
	json_object_set_string_member (o, "last-change", st.last_change_time);
	json_object_set_string_member (o, "last-message", st.last_message_time);
	json_object_set_int_member (o, "map-size", st.map_size);
	json_object_set_int_member (o, "used-bytes", st.used_bytes);
	if (global->json) {
		vulnctl_print_object (o);
	} else {
		printf ("database      %s (schema %u)\n", st.path, st.schema);
		printf ("advisories    %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " OSSA, %"
		        G_GUINT64_FORMAT " OSSN), %" G_GUINT64_FORMAT " revisions\n",
		        st.advisories, st.ossa, st.ossn, st.revisions);
		printf ("messages      %" G_GUINT64_FORMAT " seen, %" G_GUINT64_FORMAT
		        " ignored, %" G_GUINT64_FORMAT " quarantined\n",
		        st.messages, st.ignored, st.quarantined);
		printf ("last change   %s (seq %" G_GUINT64_FORMAT ")\n",
		        st.last_change_time ? st.last_change_time : "never", st.last_seq);
		printf ("last message  %s\n", st.last_message_time ? st.last_message_time : "never");
		printf ("size          %.1f MiB used of a %.1f MiB map\n",
		        st.used_bytes / 1048576.0, st.map_size / 1048576.0);
	}
	quarantine = vulnd_store_quarantine (store, NULL);
	if (quarantine && quarantine->len && !global->json)
		for (guint i = 0; i < quarantine->len; i++)
			printf ("quarantined   %s: %s\n",
			        json_object_get_string_member (quarantine->pdata[i], "key"),
			        json_object_get_string_member (quarantine->pdata[i], "reason"));
	vulnd_store_status_clear (&st);
	return VULNCTL_OK;
}
