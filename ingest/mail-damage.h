/* mail-damage.h - what mime.c found broken in a parsed message, for the
 * decision in ingest.c to refuse its records.  (Kept out of vulnd-ingest.h,
 * which other areas own; the parse warnings carry the evidence.) */
#ifndef VULND_MAIL_DAMAGE_H
#define VULND_MAIL_DAMAGE_H

#include "vulnd-ingest.h"

G_BEGIN_DECLS

/* The text of GMime's GMIME_WARN_TRUNCATED_MESSAGE, as mime.c words it at
 * the start of a parse warning. */
#define VULND_MAIL_WARNING_TRUNCATED "MIME: truncated message"

/* TRUE when GMime hit the end of MAIL inside a multipart: a part (maybe the
 * advisory text itself) was cut off, so records extracted from it may be
 * incomplete or wrong (a version spec cut in the middle reads as another
 * one).  Parser warnings come first in MAIL's warnings, one per kind, so the
 * warning cap never hides this one. */
gboolean vulnd_mail_truncated (const VulndMail *mail);

G_END_DECLS

#endif
