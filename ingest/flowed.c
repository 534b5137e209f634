/* flowed.c - undo format=flowed (RFC 3676).
 *
 * GMime leaves flowed text as sent.  A line ending in a space is "soft":
 * it continues on the next line of the same quote depth.  Quote markers and
 * space-stuffing are removed before deciding; the signature separator
 * "-- " is never flowed.  With DelSp=yes the soft space itself was added by
 * the sender and is deleted.
 */
#include "config.h"

#include <string.h>

#include "vulnd-ingest.h"

typedef struct {
	guint depth;       /* number of leading '>' */
	const char *body;  /* after quotes and space-stuffing */
	gsize len;
	gboolean soft;     /* continues on the next line */
} FlowedLine;

static void
flowed_line_parse (const char *line, gsize len, gboolean delsp, FlowedLine *out)
{
	gsize i = 0;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	while (i < len && line[i] == '>')
		i++;
	out->depth = i;
	if (i < len && line[i] == ' ')
		i++; /* space-stuffing (or the space after the quote marks) */
	out->body = line + i;
	out->len = len - i;
	out->soft = out->len > 0 && out->body[out->len - 1] == ' ' &&
	            !(out->len == 3 && memcmp (out->body, "-- ", 3) == 0);
	if (out->soft && delsp)
		out->len--;
}

static void
append_quote_prefix (GString *out, guint depth, gboolean has_body)
{
	if (depth == 0)
		return;
	for (guint i = 0; i < depth; i++)
		g_string_append_c (out, '>');
	if (has_body)
		g_string_append_c (out, ' ');
}

char *
vulnd_text_unflow (const char *text, gboolean delsp)
{
	GString *out;
	const char *p;
	gboolean in_paragraph = FALSE;
	guint paragraph_depth = 0;

	if (!text)
		return g_strdup ("");
	out = g_string_sized_new (strlen (text) + 1);
	p = text;
	while (*p) {
		const char *nl = strchr (p, '\n');
		gsize len = nl ? (gsize) (nl - p) : strlen (p);
		FlowedLine line;

		flowed_line_parse (p, len, delsp, &line);
		/* A quote depth change ends a paragraph (RFC 3676, 4.5). */
		if (in_paragraph && line.depth != paragraph_depth) {
			g_string_append_c (out, '\n');
			in_paragraph = FALSE;
		}
		if (!in_paragraph)
			append_quote_prefix (out, line.depth, line.len > 0);
		g_string_append_len (out, line.body, line.len);
		in_paragraph = line.soft;
		paragraph_depth = line.depth;
		if (!line.soft && (nl || line.len > 0))
			g_string_append_c (out, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	if (in_paragraph)
		g_string_append_c (out, '\n');
	return g_string_free (out, FALSE);
}
