/* watch-maildir.h - a maildir source on the sd-event loop.
 *
 * inotify on new/ and cur/ (IN_MOVED_TO, IN_CLOSE_WRITE) plus a catch-up
 * scan of both at start (and after an inotify queue overflow), so mail that
 * arrived while vulnd was down is seen.  Files are handed over one per loop
 * iteration, in arrival order (catch-up: by mtime, then name), so signals
 * and the watchdog are served between messages.  The maildir is only read.
 */
#ifndef VULND_WATCH_MAILDIR_H
#define VULND_WATCH_MAILDIR_H

#include <glib.h>
#include <systemd/sd-event.h>

G_BEGIN_DECLS

typedef struct _VulndMaildir VulndMaildir;

/* PATH: the file; UNIQ: its maildir unique name (the part before ":"),
 * stable across new/ -> cur/ moves and flag changes. */
typedef void (*VulndMaildirFileFn) (const char *path, const char *uniq, gpointer user_data);

VulndMaildir *vulnd_maildir_watch (sd_event *event, const char *dir, VulndMaildirFileFn fn,
                                   gpointer user_data, GError **error);
void vulnd_maildir_free (VulndMaildir *md);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndMaildir, vulnd_maildir_free)

/* Files waiting to be handed over. */
guint vulnd_maildir_pending (VulndMaildir *md);
const char *vulnd_maildir_path (VulndMaildir *md);

G_END_DECLS

#endif
