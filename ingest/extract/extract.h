/* extract.h - turn the text of one announcement into advisory records.
 *
 * Everything here is pure: text in, records out.  No I/O, no global mutable
 * state (compiled regular expressions are cached read-only), and ground truth
 * is never consulted.  A record is a JsonObject laid out as in
 * shared/docs/record.md, without its "source" member, which the caller adds.
 * What a heuristic could not find is left out of the record and explained in
 * its "warnings" array.
 */
#ifndef VULND_EXTRACT_H
#define VULND_EXTRACT_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VULND_RECORD_SCHEMA 1

/* The flat view of a message that extraction needs. */
typedef struct {
	const char *subject;     /* decoded Subject, may be NULL */
	const char *from;        /* decoded From, may be NULL */
	const char *date;        /* Date header as sent (RFC 5322), may be NULL */
	const char *in_reply_to; /* In-Reply-To, may be NULL */
	const char *references;  /* References, may be NULL */
	const char *text;        /* advisory text: UTF-8, unflowed, no armour,
	                          * no list footer, no e-mail signature */
	gboolean forwarded;      /* the message carries a message/rfc822 part */
	gboolean verified;       /* signed by a trusted key (VULND_SIG_VERIFIED) */
} VulndExtractInput;

typedef enum {
	VULND_KIND_NONE = 0,
	VULND_KIND_OSSA,         /* first announcement of an OSSA */
	VULND_KIND_OSSA_ERRATUM, /* errata / update of an earlier OSSA */
	VULND_KIND_OSSN,
} VulndMessageKind;

/* classify.c: what the message is, with the canonical id it announces
 * (OSSA-YYYY-NNN / OSSN-NNNN) in *id and, for errata, the erratum number in
 * *erratum (1 for the first erratum).  Replies, forwards, digests, release
 * announcements and other vendors' advisories are VULND_KIND_NONE. */
VulndMessageKind vulnd_classify (const VulndExtractInput *in, char **id, int *erratum);

/* extract.c: FALSE when vulnd_extract (IN) is empty whatever IN's
 * signature turns out to be (IN->verified is taken as TRUE, which only
 * ever lets more mail through).  For a cheap first look at mail whose
 * signature has not been checked yet. */
gboolean vulnd_extract_may_yield (const VulndExtractInput *in);

/* Extraction reads at most this many bytes of a message's text; a record
 * from a longer one says so in its warnings.  The longest announcement ever
 * sent has under 30 KiB of text.  The bound is on the work: without a JIT
 * (MemoryDenyWriteExecute= in vulnd.service turns it off), GLib 2.74 has
 * PCRE2 check the UTF-8 of the whole rest of the text at every match of a
 * scan, so a scan is quadratic in the text: a 400 KiB advisory-shaped
 * message took over 10 s. */
#define VULND_EXTRACT_TEXT_MAX (64 * 1024)

/* text.c: RECORD's "warnings" array (borrowed), added empty when missing. */
JsonArray *vulnd_record_warnings (JsonObject *record);

/* extract.c: every record the message announces (JsonObject*, owned by the
 * array).  Never NULL; empty for anything that is not an announcement, and
 * when a string of IN is not valid UTF-8. */
GPtrArray *vulnd_extract (const VulndExtractInput *in);

/* ossa.c / ossn.c: fill a record whose "kind", "id" and "revision" are set. */
void vulnd_extract_ossa (const VulndExtractInput *in, JsonObject *record);
void vulnd_extract_ossn (const VulndExtractInput *in, JsonObject *record);

/* ranges.c: the published version text of one product to OSV-style events.
 * Returns a JsonArray of {"introduced": v, "fixed"|"last_affected": v}
 * objects; empty, with a message appended to warnings (a GPtrArray of
 * char*, may be NULL), when the text is not understood. */
JsonArray *vulnd_version_ranges (const char *text, GPtrArray *warnings);

/* codenames.c: the series of a release code name ("grizzly" -> "2013.1",
 * "antelope" -> "2023.1"), case-insensitive; NULL when unknown. */
const char *vulnd_series_for_codename (const char *name);
/* and back: "2013.1" -> "grizzly", NULL when unknown. */
const char *vulnd_codename_for_series (const char *series);

/* text.c: helpers shared by the extractors. */
/* Join hard-wrapped lines into paragraphs separated by one blank line. */
char *vulnd_text_unwrap (const char *text);
/* An ISO 8601 date (YYYY-MM-DD) from "June 12, 2014", "2014-06-12",
 * "12 Jun 2014", an RFC 5322 date...; NULL when none is recognised. */
char *vulnd_text_parse_date (const char *text);
/* Canonical advisory id from any published spelling ("OSSA 2012-001",
 * "ossa-2016-8", "OSSN-0074", "OSSN 74"); NULL when not an id. */
char *vulnd_canonical_id (const char *text);
/* TEXT (NULL reads as "") cut at each '\n', as g_strsplit (text, "\n",
 * max_lines) does, in one pass: g_strsplit calls strstr for each line, which
 * under AddressSanitizer measures the whole rest of the text each time. */
char **vulnd_text_split_lines (const char *text, int max_lines);

G_END_DECLS

#endif
