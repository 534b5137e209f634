/* vulnctl-status.c - "vulnctl status": the database at a glance, and the
 * running daemon's own view (sources, connections, errors) over D-Bus.
 * GDBus, not sd-bus: GIO is loaded anyway (json-glib needs it), so asking the
 * daemon costs the query path no extra library. */
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "vulnctl.h"
#include "vulnd-db.h"

/* Short: an absent daemon must not make "status" slow. */
#define DAEMON_CALL_TIMEOUT_MS 1000

static GDBusConnection *
open_bus (const char *spec, GError **error)
{
	if (strcmp (spec, "system") == 0)
		return g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, error);
	if (strcmp (spec, "session") == 0)
		return g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
	return g_dbus_connection_new_for_address_sync (
		spec, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		      G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, error);
}

/* The daemon's Status (a JSON object), or NULL with ERROR set. */
static JsonObject *
daemon_status (const char *spec, GError **error)
{
	g_autoptr (GDBusConnection) bus = open_bus (spec, error);
	g_autoptr (GVariant) reply = NULL;
	const char *json = NULL;

	if (!bus)
		return NULL;
	reply = g_dbus_connection_call_sync (bus, "org.openstack.vulnd", "/org/openstack/vulnd",
	                                     "org.openstack.vulnd1", "Status", NULL,
	                                     G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                                     DAEMON_CALL_TIMEOUT_MS, NULL, error);
	if (!reply)
		return NULL;
	g_variant_get (reply, "(&s)", &json);
	return vulnd_record_from_json (json, -1, error);
}

static void
print_daemon (JsonObject *d, const char *spec, const GError *error)
{
	JsonArray *sources;

	if (!d) {
		printf ("daemon        not reachable on the %s bus (%s)\n", spec, error->message);
		return;
	}
	printf ("daemon        vulnd %s, pid %" G_GINT64_FORMAT ", since %s\n",
	        vulnd_json_get_string (d, "version") ? vulnd_json_get_string (d, "version") : "?",
	        json_object_get_int_member_with_default (d, "pid", 0),
	        vulnd_json_get_string (d, "started") ? vulnd_json_get_string (d, "started") : "?");
	printf ("              %" G_GINT64_FORMAT " messages processed, %" G_GINT64_FORMAT " failed\n",
	        json_object_get_int_member_with_default (d, "messages_processed", 0),
	        json_object_get_int_member_with_default (d, "messages_failed", 0));
	sources = vulnd_json_get_array (d, "sources");
	for (guint i = 0; sources && i < json_array_get_length (sources); i++) {
		JsonObject *src = json_array_get_object_element (sources, i);
		const char *err = vulnd_json_get_string (src, "last_error");
		printf ("source        %s %s: %s%s%s\n",
		        vulnd_json_get_string (src, "type") ? vulnd_json_get_string (src, "type") : "?",
		        vulnd_json_get_string (src, "name") ? vulnd_json_get_string (src, "name") : "?",
		        vulnd_json_get_string (src, "state") ? vulnd_json_get_string (src, "state") : "?",
		        err ? "; last error: " : "", err ? err : "");
	}
	if (vulnd_json_get_string (d, "last_message"))
		printf ("              last message %s\n", vulnd_json_get_string (d, "last_message"));
	if (vulnd_json_get_string (d, "last_error"))
		printf ("              last error %s\n", vulnd_json_get_string (d, "last_error"));
}

int
vulnctl_status (VulnctlGlobal *global, int argc, char **argv)
{
	g_autoptr (VulndStore) store = NULL;
	g_autoptr (GPtrArray) quarantine = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (JsonObject) o = json_object_new ();
	g_autoptr (JsonObject) daemon = NULL;
	g_autoptr (GError) bus_error = NULL;
	g_autofree char *bus_spec = NULL;
	gboolean no_daemon = FALSE;
	GOptionEntry entries[] = {
		{ "bus", 0, 0, G_OPTION_ARG_STRING, &bus_spec,
		  "where to ask the daemon: system (default), session or a D-Bus address "
		  "(else $VULND_BUS)", "ADDRESS" },
		{ "no-daemon", 0, 0, G_OPTION_ARG_NONE, &no_daemon, "do not ask the daemon", NULL },
		{ NULL }
	};
	const char *spec;
	VulndStoreStatus st;

	if (!vulnctl_parse_options ("status", NULL, entries, &argc, &argv))
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
	spec = bus_spec ? bus_spec : g_getenv ("VULND_BUS") ? g_getenv ("VULND_BUS") : "system";
	if (!no_daemon) {
		daemon = daemon_status (spec, &bus_error);
		if (daemon)
			json_object_set_object_member (o, "daemon", json_object_ref (daemon));
		else
			json_object_set_string_member (o, "daemon-error", bus_error->message);
	}
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
		if (!no_daemon)
			print_daemon (daemon, spec, bus_error);
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
