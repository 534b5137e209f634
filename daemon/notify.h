/* notify.h - delivery of the changes log: D-Bus signals, hooks, journal.
 *
 * After every commit the notifier reads the store's changes log past its
 * persisted cursor (state "notify/cursor") and delivers each entry: one
 * journal entry (or an ALERT line on stderr/stdout), one D-Bus signal, and
 * the on_new= / on_update= hook, run asynchronously on the sd-event loop.
 * The cursor advances after each entry, so a crash between commit and
 * delivery is made good on restart; entries carry their seq so receivers
 * can drop a repeat.
 */
#ifndef VULND_NOTIFY_H
#define VULND_NOTIFY_H

#include <stdio.h>
#include <glib.h>
#include <systemd/sd-event.h>

#include "daemon/config.h"
#include "daemon/dbus.h"
#include "db/store.h"

G_BEGIN_DECLS

/* The MESSAGE_ID of every advisory journal entry (journalctl MESSAGE_ID=). */
#define VULND_ALERT_MESSAGE_ID "c2f1e0a4b7d94f6e8a3b5d7c9e1f2a40"

/* Daemon log lines: to the journal when stderr is the journal stream
 * (JOURNAL_STREAM), else "vulnd: ..." on stderr.  PRIORITY is syslog's. */
void vulnd_log (int priority, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
gboolean vulnd_log_to_journal (void);

typedef struct _VulndNotifier VulndNotifier;

/* ALERTS: where ALERT lines go when not to the journal (NULL: stderr). */
VulndNotifier *vulnd_notifier_new (sd_event *event, VulndStore *store, const VulndConfig *config,
                                   VulndBus *bus, FILE *alerts, GError **error);
void vulnd_notifier_free (VulndNotifier *notifier);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndNotifier, vulnd_notifier_free)

/* A reload that keeps the database: the notifier lives on, with its cursor
 * and its hooks in flight, which finish (or are retried) with the program
 * they started with.  Detach before the store and bus are closed; attach
 * the reopened ones and the new configuration's hooks, for the changes to
 * come.  Detached, it touches neither. */
void vulnd_notifier_detach (VulndNotifier *notifier);
void vulnd_notifier_attach (VulndNotifier *notifier, VulndStore *store, const VulndConfig *config,
                            VulndBus *bus);

/* Deliver every changes entry past the cursor. */
gboolean vulnd_notifier_deliver (VulndNotifier *notifier, GError **error);

/* For Status: cursor, delivered count, hooks running, hook failures. */
void vulnd_notifier_status (VulndNotifier *notifier, JsonObject *into);

/* Hooks still running (a clean shutdown may wait for them briefly). */
guint vulnd_notifier_hooks_running (VulndNotifier *notifier);

G_END_DECLS

#endif
