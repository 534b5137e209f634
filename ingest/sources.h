/* sources.h - file sources for backfill: maildirs, mbox files (plain or
 * gzip: mailing-list monthly archives) and single message files.  Each hands
 * over the raw bytes of one message at a time plus a cursor saying where it
 * came from.  No LMDB here. */
#ifndef VULND_SOURCES_H
#define VULND_SOURCES_H

#include <glib.h>

G_BEGIN_DECLS

/* Called once per message.  CURSOR: "cur/NAME" for a maildir file, "@OFFSET"
 * for a message of an mbox (byte offset of its "From " line, in the
 * decompressed stream), "" for a single file.  Return FALSE to stop. */
typedef gboolean (*VulndMessageFn) (const char *path, const char *cursor,
                                    const char *data, gsize len, gpointer user_data);

/* Every message of a maildir's new/ and cur/, oldest file name first. */
gboolean vulnd_maildir_foreach (const char *dir, VulndMessageFn fn, gpointer user_data,
                                GError **error);

/* Every message of an mbox (mboxrd or mboxo "From " separators, ">From "
 * unquoted); PATH may be gzip-compressed (".gz" or gzip magic). */
gboolean vulnd_mbox_foreach (const char *path, VulndMessageFn fn, gpointer user_data,
                             GError **error);

/* Any of the above, told apart by content: a maildir (cur/ or new/), another
 * directory (each file in it, sorted, recursively), an mbox, a gzip file, or
 * one message. */
gboolean vulnd_source_foreach (const char *path, VulndMessageFn fn, gpointer user_data,
                               GError **error);

/* TRUE when the first bytes of a file say mbox ("From ") or gzip. */
gboolean vulnd_mbox_looks_like (const char *head, gsize len);

G_END_DECLS

#endif
