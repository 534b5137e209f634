/* mbox.c - mbox files and mailing-list monthly archives (plain or gzip). */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "sources.h"

static gboolean
is_gzip (const char *path)
{
	g_autoptr (GFile) file = g_file_new_for_path (path);
	g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
	guchar head[2];
	gsize got = 0;

	if (g_str_has_suffix (path, ".gz"))
		return TRUE;
	return in && g_input_stream_read_all (G_INPUT_STREAM (in), head, 2, &got, NULL, NULL)
	       && got == 2 && head[0] == 0x1f && head[1] == 0x8b;
}

static GInputStream *
open_stream (const char *path, GError **error)
{
	g_autoptr (GFile) file = g_file_new_for_path (path);
	g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
	g_autoptr (GZlibDecompressor) zd = NULL;

	if (!in)
		return NULL;
	if (!is_gzip (path))
		return G_INPUT_STREAM (g_steal_pointer (&in));
	zd = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
	return g_converter_input_stream_new (G_INPUT_STREAM (in), G_CONVERTER (zd));
}

/* mboxrd: ">From ", ">>From "... lose one '>' (mboxo's ">From " too). */
static gboolean
is_quoted_from (const char *line)
{
	const char *p = line;

	while (*p == '>')
		p++;
	return p > line && strncmp (p, "From ", 5) == 0;
}

typedef struct {
	const char *path;
	VulndMessageFn fn;
	gpointer user_data;
	GString *msg;
	goffset start;      /* offset of the current message's "From " line */
	gboolean in_message;
	gboolean stop;
} MboxState;

static void
emit (MboxState *st)
{
	g_autofree char *cursor = NULL;

	if (!st->in_message)
		return;
	/* The blank line before a separator belongs to the separator. */
	if (st->msg->len >= 2 && st->msg->str[st->msg->len - 1] == '\n'
	    && st->msg->str[st->msg->len - 2] == '\n')
		g_string_truncate (st->msg, st->msg->len - 1);
	cursor = g_strdup_printf ("@%" G_GINT64_FORMAT, (gint64) st->start);
	if (st->msg->len > 0 && !st->fn (st->path, cursor, st->msg->str, st->msg->len,
	                                 st->user_data))
		st->stop = TRUE;
	g_string_truncate (st->msg, 0);
}

static void
take_line (MboxState *st, const char *line, gsize len, goffset offset, gboolean *prev_blank)
{
	gboolean separator = strncmp (line, "From ", 5) == 0 && (*prev_blank || offset == 0);

	if (separator) {
		emit (st);
		st->in_message = TRUE;
		st->start = offset;
	} else if (st->in_message) {
		if (is_quoted_from (line))
			g_string_append_len (st->msg, line + 1, len - 1);
		else
			g_string_append_len (st->msg, line, len);
		g_string_append_c (st->msg, '\n');
	}
	*prev_blank = len == 0 || (len == 1 && line[0] == '\r');
}

gboolean
vulnd_mbox_foreach (const char *path, VulndMessageFn fn, gpointer user_data,
                    GError **error)
{
	g_autoptr (GInputStream) raw = open_stream (path, error);
	g_autoptr (GDataInputStream) in = NULL;
	MboxState st = { path, fn, user_data, g_string_sized_new (16384), 0, FALSE, FALSE };
	gboolean prev_blank = TRUE, ok = TRUE;
	goffset offset = 0;

	if (!raw) {
		g_string_free (st.msg, TRUE);
		return FALSE;
	}
	in = g_data_input_stream_new (raw);
	g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 65536);
	g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);
	while (!st.stop) {
		g_autoptr (GError) local = NULL;
		gsize len = 0;
		g_autofree char *line = g_data_input_stream_read_line (in, &len, NULL, &local);

		if (!line) {
			if (local) {
				g_set_error (error, G_IO_ERROR, local->code, "%s: %s", path, local->message);
				ok = FALSE;
			}
			break;
		}
		take_line (&st, line, len, offset, &prev_blank);
		offset += len + 1;
	}
	if (ok && !st.stop)
		emit (&st);
	g_string_free (st.msg, TRUE);
	return ok;
}
