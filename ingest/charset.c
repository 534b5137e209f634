/* charset.c - any part's bytes to valid UTF-8.
 *
 * The declared charset is a hint: mail lies (us-ascii with 8-bit bytes,
 * utf-8 that is Latin-1) and may name a charset iconv does not know.  We
 * convert when the charset is known and every byte fits it, otherwise keep
 * the bytes and repair them so that nothing downstream sees invalid UTF-8.
 */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>

#include "ingest-private.h"

/* NUL bytes would silently cut a C string short: drop them.  The runs
 * between them are copied whole: every part's text comes through here. */
static char *
copy_without_nul (const char *text, gsize len)
{
	char *out = g_malloc (len + 1);
	gsize n = 0;
	const char *nul;

	while (len > 0 && (nul = memchr (text, '\0', len))) {
		gsize run = nul - text;

		memcpy (out + n, text, run);
		n += run;
		text = nul + 1;
		len -= run + 1;
	}
	if (len > 0)
		memcpy (out + n, text, len);
	out[n + len] = '\0';
	return out;
}

static gboolean
is_utf8_family (const char *charset)
{
	return g_ascii_strcasecmp (charset, "utf-8") == 0 ||
	       g_ascii_strcasecmp (charset, "utf8") == 0 ||
	       g_ascii_strcasecmp (charset, "us-ascii") == 0 ||
	       g_ascii_strcasecmp (charset, "ascii") == 0;
}

static char *
validated_utf8 (const char *text, gsize len)
{
	g_autofree char *clean = copy_without_nul (text, len);

	if (g_utf8_validate (clean, -1, NULL))
		return g_steal_pointer (&clean);
	return g_utf8_make_valid (clean, -1);
}

/* NULL when the charset is unknown or the bytes do not fit it. */
static char *
converted_utf8 (const char *text, gsize len, const char *charset)
{
	const char *iconv_name;
	g_autofree char *out = NULL;
	gsize out_len = 0;

	vulnd_mime_init ();
	iconv_name = g_mime_charset_iconv_name (charset);
	if (!iconv_name)
		return NULL;
	out = g_convert (text, len, "UTF-8", iconv_name, NULL, &out_len, NULL);
	if (!out)
		return NULL;
	if (memchr (out, '\0', out_len) || !g_utf8_validate (out, out_len, NULL))
		return validated_utf8 (out, out_len);
	return g_steal_pointer (&out);
}

char *
vulnd_text_to_utf8 (const char *text, gssize len, const char *charset)
{
	char *out;

	if (!text)
		return g_strdup ("");
	if (len < 0)
		len = strlen (text);
	if (charset && *charset && !is_utf8_family (charset)) {
		out = converted_utf8 (text, len, charset);
		if (out)
			return out;
	}
	return validated_utf8 (text, len);
}
