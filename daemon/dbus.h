/* dbus.h - org.openstack.vulnd on D-Bus (sd-bus), see vulnd(8).
 *
 * Object /org/openstack/vulnd, interface org.openstack.vulnd1:
 *   signal AdvisoryAdded   (t seq, s id, s kind, s title, as cves, b verified)
 *   signal AdvisoryUpdated (t seq, s id, s kind, s title, as cves, b verified)
 *   method Status () -> (s json)
 * systemd/org.openstack.vulnd.xml is the introspection data.
 */
#ifndef VULND_DBUS_H
#define VULND_DBUS_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

G_BEGIN_DECLS

#define VULND_BUS_NAME "org.openstack.vulnd"
#define VULND_BUS_PATH "/org/openstack/vulnd"
#define VULND_BUS_INTERFACE "org.openstack.vulnd1"

typedef struct _VulndBus VulndBus;

/* Builds the reply of Status: a JSON object, owned by the caller. */
typedef JsonObject *(*VulndStatusFn) (gpointer user_data);

/* Open the bus SPEC ("system", "session" or an address), attach it to EVENT
 * and own VULND_BUS_NAME.  SPEC "none": returns NULL without error. */
VulndBus *vulnd_bus_open (sd_event *event, const char *spec, VulndStatusFn status,
                          gpointer user_data, GError **error);
void vulnd_bus_free (VulndBus *bus);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndBus, vulnd_bus_free)

/* Emit AdvisoryAdded (UPDATED false) or AdvisoryUpdated from a changes
 * entry {seq, id, kind, title, cves, verified}. */
gboolean vulnd_bus_emit (VulndBus *bus, JsonObject *change, gboolean updated, GError **error);

G_END_DECLS

#endif
