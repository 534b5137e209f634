/* imap-utf7.c - IMAP mailbox names to and from modified UTF-7 (RFC 3501
 * section 5.1.3).  See imap-utf7.h. */
#include "config.h"

#include <string.h>

#include "imap-utf7.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* Printable US-ASCII: stands for itself ("&" as "&-"); all else goes in
 * base64. */
static gboolean
is_direct (gunichar2 u)
{
	return u >= 0x20 && u <= 0x7e;
}

/* "&" + UNITS as big-endian UTF-16 in modified base64 + "-".  GLib's
 * base64 has the same bit order; only "/" and the "=" padding differ. */
static void
append_run (GString *out, const gunichar2 *units, gsize n)
{
	g_autofree guchar *be = g_new (guchar, n * 2);
	g_autofree char *b64 = NULL;

	for (gsize i = 0; i < n; i++) {
		be[2 * i] = (guchar) (units[i] >> 8);
		be[2 * i + 1] = (guchar) (units[i] & 0xff);
	}
	b64 = g_base64_encode (be, n * 2);
	g_strdelimit (b64, "/", ',');
	g_string_append_c (out, '&');
	g_string_append_len (out, b64, (gssize) strcspn (b64, "="));
	g_string_append_c (out, '-');
}

char *
vulnd_imap_utf7_encode (const char *utf8, GError **error)
{
	const char *bad;
	g_autofree gunichar2 *units = NULL;
	g_autoptr (GString) out = NULL;
	glong n;

	/* g_utf8_to_utf16() alone lets a few malformed forms through on older
	 * GLib; g_utf8_validate() is the strict reading. */
	if (!g_utf8_validate (utf8, -1, &bad)) {
		g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
		             "not valid UTF-8 at byte %" G_GSIZE_FORMAT, (gsize) (bad - utf8));
		return NULL;
	}
	units = g_utf8_to_utf16 (utf8, -1, NULL, &n, error);
	if (units == NULL)
		return NULL;
	out = g_string_sized_new ((gsize) n + 1);
	for (glong i = 0; i < n;) {
		glong j = i;

		if (is_direct (units[i])) {
			if (units[i] == '&')
				g_string_append (out, "&-");
			else
				g_string_append_c (out, (char) units[i]);
			i++;
			continue;
		}
		while (j < n && !is_direct (units[j]))
			j++;
		append_run (out, units + i, (gsize) (j - i));
		i = j;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
malformed (GError **error, const char *utf7, const char *at, const char *why)
{
	g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
	             "malformed modified UTF-7 at byte %" G_GSIZE_FORMAT ": %s",
	             (gsize) (at - utf7), why);
	return FALSE;
}

/* One 16-bit unit out of a base64 run: never U+0000 (it would end the C
 * string), never a character that has to stand for itself. */
static gboolean
take_unit (GArray *units, gunichar2 u, const char *utf7, const char *at, GError **error)
{
	if (u == 0)
		return malformed (error, utf7, at, "U+0000 in base64");
	if (is_direct (u))
		return malformed (error, utf7, at, "printable US-ASCII in base64");
	g_array_append_val (units, u);
	return TRUE;
}

/* The base64 run at *P (just after its "&") up to and past its "-". */
static gboolean
take_run (const char *utf7, const char **p, GString *out, GError **error)
{
	g_autoptr (GArray) units = g_array_new (FALSE, FALSE, sizeof (gunichar2));
	g_autofree char *text = NULL;
	const char *start = *p - 1;
	const char *q;
	guint32 bits = 0;
	guint nbits = 0;

	for (q = *p; *q != '-'; q++) {
		const char *v = *q ? strchr (alphabet, *q) : NULL;

		if (v == NULL)
			return malformed (error, utf7, q, *q ? "a character outside modified base64"
			                                     : "the base64 run lacks its closing \"-\"");
		bits = (bits << 6) | (guint32) (v - alphabet);
		nbits += 6;
		if (nbits >= 16) {
			nbits -= 16;
			if (!take_unit (units, (gunichar2) (bits >> nbits), utf7, q, error))
				return FALSE;
		}
		bits &= (1u << nbits) - 1;
	}
	/* the encoder pads the last unit with fewer than 6 zero bits */
	if (nbits >= 6 || bits != 0)
		return malformed (error, utf7, q, "surplus or non-zero padding bits");
	text = g_utf16_to_utf8 ((gunichar2 *) (void *) units->data, units->len, NULL, NULL, NULL);
	if (text == NULL)
		return malformed (error, utf7, start, "an unpaired UTF-16 surrogate");
	g_string_append (out, text);
	*p = q + 1;
	return TRUE;
}

char *
vulnd_imap_utf7_decode (const char *utf7, GError **error)
{
	g_autoptr (GString) out = g_string_new (NULL);
	gboolean after_run = FALSE;
	const char *p = utf7;

	while (*p) {
		guchar c = (guchar) *p;

		if (!is_direct (c)) {
			malformed (error, utf7, p, "a byte outside printable US-ASCII");
			return NULL;
		}
		if (c != '&' || p[1] == '-') {
			g_string_append_c (out, (char) c);
			p += c == '&' ? 2 : 1;
			after_run = FALSE;
			continue;
		}
		/* "-&" inside a name is a null shift: one run would have done */
		if (after_run) {
			malformed (error, utf7, p, "two base64 runs back to back");
			return NULL;
		}
		p++;
		if (!take_run (utf7, &p, out, error))
			return NULL;
		after_run = TRUE;
	}
	return g_string_free (g_steal_pointer (&out), FALSE);
}
