/* vulnctl-watch.c - "vulnctl watch": follow vulnd's D-Bus signals. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <systemd/sd-bus.h>

#include "vulnctl.h"

#define WATCH_PATH "/org/openstack/vulnd"
#define WATCH_INTERFACE "org.openstack.vulnd1"

typedef struct {
	gboolean json;
	gint64 remaining;    /* --count: exit after that many, 0 = never */
	int status;
} Watch;

static int
open_bus (const char *spec, sd_bus **out)
{
	sd_bus *bus = NULL;
	int r;

	if (strcmp (spec, "system") == 0)
		return sd_bus_open_system (out);
	if (strcmp (spec, "session") == 0)
		return sd_bus_open_user (out);
	if ((r = sd_bus_new (&bus)) < 0)
		return r;
	if ((r = sd_bus_set_address (bus, spec)) < 0 || (r = sd_bus_set_bus_client (bus, 1)) < 0 ||
	    (r = sd_bus_start (bus)) < 0) {
		sd_bus_unref (bus);
		return r;
	}
	*out = bus;
	return 0;
}

static JsonObject *
read_signal (sd_bus_message *m, int *r)
{
	JsonObject *o = json_object_new ();
	JsonArray *cves = json_array_new ();
	uint64_t seq = 0;
	const char *id = NULL, *kind = NULL, *title = NULL, *cve;
	int verified = 0;

	*r = sd_bus_message_read (m, "tsss", &seq, &id, &kind, &title);
	if (*r >= 0)
		*r = sd_bus_message_enter_container (m, 'a', "s");
	while (*r >= 0 && (*r = sd_bus_message_read (m, "s", &cve)) > 0)
		json_array_add_string_element (cves, cve);
	if (*r >= 0)
		*r = sd_bus_message_exit_container (m);
	if (*r >= 0)
		*r = sd_bus_message_read (m, "b", &verified);
	json_object_set_string_member (o, "event",
	                               strcmp (sd_bus_message_get_member (m), "AdvisoryUpdated") == 0
	                               ? "updated" : "added");
	json_object_set_int_member (o, "seq", (gint64) seq);
	json_object_set_string_member (o, "id", id ? id : "");
	json_object_set_string_member (o, "kind", kind ? kind : "");
	json_object_set_string_member (o, "title", title ? title : "");
	json_object_set_array_member (o, "cves", cves);
	json_object_set_boolean_member (o, "verified", verified);
	return o;
}

static void
print_human (JsonObject *o)
{
	JsonArray *cves = json_object_get_array_member (o, "cves");
	g_autoptr (GString) line = g_string_new (NULL);

	g_string_printf (line, "%s %s [%s] %s", json_object_get_string_member (o, "event"),
	                 json_object_get_string_member (o, "id"),
	                 json_object_get_boolean_member (o, "verified") ? "verified" : "UNVERIFIED",
	                 json_object_get_string_member (o, "title"));
	for (guint i = 0; i < json_array_get_length (cves); i++)
		g_string_append_printf (line, "%s%s", i ? ", " : " (", json_array_get_string_element (cves, i));
	if (json_array_get_length (cves))
		g_string_append_c (line, ')');
	printf ("%s (seq %" G_GINT64_FORMAT ")\n", line->str, json_object_get_int_member (o, "seq"));
}

static int
on_signal (sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	Watch *w = userdata;
	int r;
	g_autoptr (JsonObject) o = read_signal (m, &r);

	if (r < 0) {
		fprintf (stderr, "vulnctl watch: malformed %s signal: %s\n",
		         sd_bus_message_get_member (m), g_strerror (-r));
		return 0;
	}
	if (w->json) {
		g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
		g_autofree char *text = NULL;
		json_node_set_object (node, o);
		text = json_to_string (node, FALSE);
		printf ("%s\n", text);
	} else {
		print_human (o);
	}
	fflush (stdout);
	if (w->remaining > 0 && --w->remaining == 0)
		w->status = 1; /* done */
	return 0;
}

static int
watch_loop (sd_bus *bus, Watch *w)
{
	while (w->status == 0) {
		int r = sd_bus_process (bus, NULL);
		if (r < 0) {
			fprintf (stderr, "vulnctl watch: bus: %s\n", g_strerror (-r));
			return VULNCTL_ERROR;
		}
		if (r > 0)
			continue;
		r = sd_bus_wait (bus, UINT64_MAX);
		if (r < 0 && r != -EINTR) {
			fprintf (stderr, "vulnctl watch: bus: %s\n", g_strerror (-r));
			return VULNCTL_ERROR;
		}
	}
	return VULNCTL_OK;
}

int
vulnctl_watch (VulnctlGlobal *global, int argc, char **argv)
{
	g_autofree char *bus_spec = NULL;
	gboolean json = FALSE;
	gint64 count = 0;
	GOptionEntry entries[] = {
		{ "bus", 0, 0, G_OPTION_ARG_STRING, &bus_spec,
		  "system (default), session or a D-Bus address (else $VULND_BUS)", "ADDRESS" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "one JSON object per line", NULL },
		{ "count", 0, 0, G_OPTION_ARG_INT64, &count, "exit after N alerts", "N" },
		{ NULL }
	};
	Watch w = { 0 };
	sd_bus *bus = NULL;
	const char *spec;
	int r, rc;

	if (!vulnctl_parse_options ("watch", "", entries, &argc, &argv))
		return VULNCTL_USAGE;
	if (argc > 1 || count < 0) {
		fprintf (stderr, "vulnctl watch: unexpected arguments\n");
		return VULNCTL_USAGE;
	}
	spec = bus_spec ? bus_spec : g_getenv ("VULND_BUS");
	if (spec == NULL || *spec == '\0')
		spec = "system";
	w.json = json || global->json;
	w.remaining = count;
	r = open_bus (spec, &bus);
	if (r >= 0)
		r = sd_bus_match_signal (bus, NULL, NULL, WATCH_PATH, WATCH_INTERFACE, NULL, on_signal, &w);
	if (r < 0) {
		fprintf (stderr, "vulnctl watch: cannot listen on the %s bus: %s\n", spec, g_strerror (-r));
		sd_bus_flush_close_unref (bus);
		return VULNCTL_ERROR;
	}
	/* the match is in place: from here on no alert is missed */
	fprintf (stderr, "vulnctl watch: listening on %s\n", spec);
	rc = watch_loop (bus, &w);
	sd_bus_flush_close_unref (bus);
	return rc;
}
