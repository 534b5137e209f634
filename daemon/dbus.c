/* dbus.c - the org.openstack.vulnd bus name, its signals and Status. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include "daemon/dbus.h"

struct _VulndBus {
	sd_bus *bus;
	sd_bus_slot *vtable_slot;
	VulndStatusFn status;
	gpointer status_data;
};

static int
method_status (sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	VulndBus *self = userdata;
	g_autoptr (JsonObject) obj = self->status (self->status_data);
	g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
	g_autofree char *text = NULL;

	json_node_set_object (node, obj);
	text = json_to_string (node, FALSE);
	return sd_bus_reply_method_return (m, "s", text);
}

static const sd_bus_vtable vulnd_vtable[] = {
	SD_BUS_VTABLE_START (0),
	SD_BUS_METHOD_WITH_NAMES ("Status", "", , "s", SD_BUS_PARAM (json), method_status,
	                          SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_NAMES ("AdvisoryAdded", "tsssasb",
	                          SD_BUS_PARAM (seq) SD_BUS_PARAM (id) SD_BUS_PARAM (kind)
	                          SD_BUS_PARAM (title) SD_BUS_PARAM (cves) SD_BUS_PARAM (verified), 0),
	SD_BUS_SIGNAL_WITH_NAMES ("AdvisoryUpdated", "tsssasb",
	                          SD_BUS_PARAM (seq) SD_BUS_PARAM (id) SD_BUS_PARAM (kind)
	                          SD_BUS_PARAM (title) SD_BUS_PARAM (cves) SD_BUS_PARAM (verified), 0),
	SD_BUS_VTABLE_END
};

static int
bus_from_spec (const char *spec, sd_bus **out)
{
	sd_bus *bus = NULL;
	int r;

	if (strcmp (spec, "system") == 0)
		return sd_bus_open_system_with_description (out, "vulnd");
	if (strcmp (spec, "session") == 0)
		return sd_bus_open_user_with_description (out, "vulnd");
	r = sd_bus_new (&bus);
	if (r < 0)
		return r;
	if ((r = sd_bus_set_address (bus, spec)) < 0 ||
	    (r = sd_bus_set_bus_client (bus, 1)) < 0 ||
	    (r = sd_bus_start (bus)) < 0) {
		sd_bus_unref (bus);
		return r;
	}
	*out = bus;
	return 0;
}

VulndBus *
vulnd_bus_open (sd_event *event, const char *spec, VulndStatusFn status,
                gpointer user_data, GError **error)
{
	g_autoptr (VulndBus) self = NULL;
	const char *what = "connect to";
	int r;

	if (spec == NULL || strcmp (spec, "none") == 0)
		return NULL;
	self = g_new0 (VulndBus, 1);
	self->status = status;
	self->status_data = user_data;
	r = bus_from_spec (spec, &self->bus);
	if (r >= 0) {
		what = "export " VULND_BUS_PATH " on";
		r = sd_bus_add_object_vtable (self->bus, &self->vtable_slot, VULND_BUS_PATH,
		                              VULND_BUS_INTERFACE, vulnd_vtable, self);
	}
	if (r >= 0) {
		what = "own " VULND_BUS_NAME " on";
		r = sd_bus_request_name (self->bus, VULND_BUS_NAME, 0);
	}
	if (r >= 0) {
		what = "attach to the event loop";
		r = sd_bus_attach_event (self->bus, event, SD_EVENT_PRIORITY_NORMAL);
	}
	if (r < 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "cannot %s the %s bus: %s",
		             what, spec, g_strerror (-r));
		return NULL;
	}
	return g_steal_pointer (&self);
}

void
vulnd_bus_free (VulndBus *self)
{
	if (self == NULL)
		return;
	sd_bus_slot_unref (self->vtable_slot);
	if (self->bus) {
		sd_bus_flush (self->bus);
		sd_bus_detach_event (self->bus);
		sd_bus_flush_close_unref (self->bus);
	}
	g_free (self);
}

static int
append_cves (sd_bus_message *m, JsonObject *change)
{
	JsonArray *cves = json_object_has_member (change, "cves")
	                  ? json_object_get_array_member (change, "cves") : NULL;
	int r = sd_bus_message_open_container (m, 'a', "s");

	for (guint i = 0; r >= 0 && cves && i < json_array_get_length (cves); i++)
		r = sd_bus_message_append (m, "s", json_array_get_string_element (cves, i));
	if (r >= 0)
		r = sd_bus_message_close_container (m);
	return r;
}

gboolean
vulnd_bus_emit (VulndBus *self, JsonObject *change, gboolean updated, GError **error)
{
	sd_bus_message *m = NULL;
	int r;

	if (self == NULL)
		return TRUE;
	r = sd_bus_message_new_signal (self->bus, &m, VULND_BUS_PATH, VULND_BUS_INTERFACE,
	                               updated ? "AdvisoryUpdated" : "AdvisoryAdded");
	if (r >= 0)
		r = sd_bus_message_append (m, "tsss",
		                           (uint64_t) json_object_get_int_member_with_default (change, "seq", 0),
		                           json_object_get_string_member_with_default (change, "id", ""),
		                           json_object_get_string_member_with_default (change, "kind", ""),
		                           json_object_get_string_member_with_default (change, "title", ""));
	if (r >= 0)
		r = append_cves (m, change);
	if (r >= 0)
		r = sd_bus_message_append (m, "b",
		                           (int) json_object_get_boolean_member_with_default (change, "verified", FALSE));
	if (r >= 0)
		r = sd_bus_send (self->bus, m, NULL);
	sd_bus_message_unref (m);
	if (r < 0) {
		g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "D-Bus signal not sent: %s",
		             g_strerror (-r));
		return FALSE;
	}
	return TRUE;
}
