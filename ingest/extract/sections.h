/* sections.h - split advisory text into its header block and sections.
 *
 * Every era of the OSSA/OSSN format is a header block followed by named
 * sections, whatever the markup: RST titles underlined with ~~~ / --- (2015+),
 * "### Summary ###" (OSSN), or "Description:" lines (2011-2014, and some
 * 2026 mails).  ossa.c and ossn.c both read text through these helpers.
 */
#ifndef VULND_EXTRACT_SECTIONS_H
#define VULND_EXTRACT_SECTIONS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char *name;  /* lower case, e.g. "description", "patches", "fix" */
	char *arg;   /* for "X fix:" lines the branch text "X", else NULL */
	char *body;  /* the lines of the section, '\n'-joined, trailing blanks dropped */
} VulndSection;

typedef struct {
	char *preamble;       /* everything before the first section */
	GPtrArray *sections;  /* VulndSection*, in text order */
} VulndSections;

VulndSections *vulnd_sections_split (const char *text);
void vulnd_sections_free (VulndSections *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndSections, vulnd_sections_free)

/* First section called NAME (lower case), NULL when absent. */
const VulndSection *vulnd_sections_find (const VulndSections *s, const char *name);

/* The items of a section body: "- " / "* " bullets, each with its indented
 * continuation lines joined by one space.  Without bullets: one item per
 * paragraph, or when BY_LINE one per line, lines indented deeper than the
 * item's first line continuing it (aligned tables).  Returns char* items. */
GPtrArray *vulnd_section_items (const char *body, gboolean by_line);

/* Header fields of a preamble, "Name: value" and RST ":Name: value", with
 * indented continuation lines joined by one space.  Keys are lower case. */
GHashTable *vulnd_header_fields (const char *preamble);

/* Every http(s) URL in TEXT, in order, duplicates removed. */
GPtrArray *vulnd_text_urls (const char *text);

/* Every CVE id in TEXT, upper case, in order, duplicates removed. */
GPtrArray *vulnd_text_cves (const char *text);

/* Collapse runs of white space to one space and trim. */
char *vulnd_text_squash (const char *text);

G_END_DECLS

#endif
