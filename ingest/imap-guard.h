/* imap-guard.h - a watch on the bytes an IMAP server sends, ahead of
 * libetpan's parser, for the hazards of the libetpan Debian 12 ships
 * (1.9.4) that a server can reach.  Both were found by fuzz-imap and fixed
 * upstream only in 2026:
 *
 * - it allocates a literal's announced size ("{N}") before it reads a byte
 *   of it: a server that announces {4294967295} makes it ask for 4 GB
 *   (upstream 7bb634c).  The guard refuses any literal announced over a
 *   limit.
 * - a "[PERMANENTFLAGS (" whose first flag does not parse and is not ")"
 *   makes its error path walk a NULL list: a segfault (upstream 266d59f).
 *   The guard refuses it first.
 * - the greeting is parsed without a parser context, which the code for
 *   "(" dereferences: a response code with a list in the greeting
 *   ("* OK [PERMANENTFLAGS (a)]", "[BADCHARSET (x)]") is a segfault, before
 *   any certificate is checked (still so upstream in 2026); a "+"
 *   continuation is parsed the same way.  The guard refuses a "(" inside
 *   their "[...]".
 *
 * - a CAPABILITY response or response code with no capability after it
 *   ("* CAPABILITY", "[CAPABILITY ]") leaves a capability list of NULL,
 *   which mailimap_capability() then walks: a segfault (still so upstream
 *   in 2026).  The guard wants an atom after "CAPABILITY ".

 * - "[ALERT]" or "[PARSE]" with no text after it: libetpan strdup()s the
 *   missing text, a segfault (still so upstream in 2026).  The guard wants
 *   text after them.
 *
 * The guard follows the response stream and passes over literal data
 * without looking into it (mail text is not the protocol, whatever it
 * contains).
 * A "{N}" ending a line of response text (OK/NO/BAD/BYE/PREAUTH, "+") is
 * not a literal for the guard, so that a server's message text cannot make
 * it pass over real responses; it is still held to the limit, because
 * libetpan may read one there. */
#pragma once

#include <glib.h>

/* The largest message vulnd fetches over IMAP, and so the largest literal
 * it lets libetpan read (the limit later libetpan releases chose). */
#define VULND_IMAP_MESSAGE_MAX (64u * 1024u * 1024u)

typedef struct {
	guint64 skip;       /* literal bytes still to come */
	guint64 number;     /* the digits of a "{N}" read so far */
	guint8 brace;       /* where in "{N}\r\n" we are */
	guint8 word;        /* words of the line head taken (2: decided) */
	guint8 head_len;
	gboolean text;      /* this line is response text */
	char head[16];      /* the current head word, upper case (its start) */
	guint8 flags;       /* how much of "[PERMANENTFLAGS (" was seen, and after */
	guint8 greeting;    /* in the greeting: 1, inside its "[...]": 2, after: 0 */
	guint8 capcode;     /* how much of "[CAPABILITY" was seen */
	guint8 cap_expect;  /* after a CAPABILITY token: 1 wants " ", 2 an atom,
	                     * 3: "* CAPABILITYxyz", refused */
	gboolean star;      /* the line opens with "*" */
	guint8 alert, parse;    /* how much of "[ALERT]", "[PARSE]" was seen */
	guint8 text_expect;     /* after either: 1 right after, 2 after its " " */
	guint64 announced;  /* refused: the literal's announced size, or 0 */
	const char *refusal;   /* refused: why, for an error message */
} VulndImapGuard;

/* Start of a stream; GREETING: the server's greeting comes first (not so
 * after STARTTLS). */
void vulnd_imap_guard_init (VulndImapGuard *guard, gboolean greeting);

/* Follow LEN more bytes from the server.  FALSE when they hold a hazard:
 * GUARD->refusal says which (and GUARD->announced the size of an oversized
 * literal); the connection must be given up before libetpan reads on. */
gboolean vulnd_imap_guard_feed (VulndImapGuard *guard, const char *data, gsize len,
                                guint64 max);
