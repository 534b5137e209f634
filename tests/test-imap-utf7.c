/* test-imap-utf7.c - mailbox names in modified UTF-7 (ingest/imap-utf7.c):
 * RFC 3501's own example and other known pairs both ways, characters
 * outside the BMP as surrogate pairs, invalid UTF-8 refused by the encoder,
 * every form the encoder never produces refused by the decoder, and random
 * names surviving the round trip. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "ingest/imap-utf7.h"

static const struct { const char *utf8, *utf7; } pairs[] = {
	{ "~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },  /* RFC 3501 */
	{ "&", "&-" },
	{ "S\u00e9curit\u00e9", "S&AOk-curit&AOk-" },
	{ "INBOX", "INBOX" },
	{ "Lists/OpenStack Security-Announce ~!\"#$%'()*+,-./09:;<=>?@AZ[\\]^_`az{|}",
	  "Lists/OpenStack Security-Announce ~!\"#$%'()*+,-./09:;<=>?@AZ[\\]^_`az{|}" },
	{ "", "" },
	{ "a&b", "a&-b" },
	{ "\u00e9&\u00e9", "&AOk-&-&AOk-" },
	{ "\U0001F512", "&2D3dEg-" },                     /* D83D DD12 */
	{ "x\U0001F512\u00e9y", "x&2D3dEgDp-y" },          /* one run for both */
	{ "Entw\u00fcrfe-", "Entw&APw-rfe-" },             /* a "-" after a run */
	{ "a\tb", "a&AAk-b" },                            /* controls in base64 */
	{ "\u20ac\u20ac\u20ac", "&IKwgrCCs-" },            /* 48 bits, no padding */
};

static void
test_pairs (void)
{
	for (guint i = 0; i < G_N_ELEMENTS (pairs); i++) {
		g_autoptr (GError) error = NULL;
		g_autofree char *utf7 = vulnd_imap_utf7_encode (pairs[i].utf8, &error);
		g_autofree char *utf8 = NULL;

		g_assert_no_error (error);
		g_assert_cmpstr (utf7, ==, pairs[i].utf7);
		utf8 = vulnd_imap_utf7_decode (pairs[i].utf7, &error);
		g_assert_no_error (error);
		g_assert_cmpstr (utf8, ==, pairs[i].utf8);
	}
}

static void
test_invalid_utf8 (void)
{
	static const char *const bad[] = {
		"S\xe9" "curit\xe9",            /* Latin-1 */
		"ab\xc3",                    /* truncated */
		"\xc0\xaf",                  /* overlong "/" */
		"\xed\xa0\x80",              /* a surrogate in UTF-8 */
		"\xf4\x90\x80\x80",          /* past U+10FFFF */
		"\xff",
	};

	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr (GError) error = NULL;
		g_autofree char *utf7 = vulnd_imap_utf7_encode (bad[i], &error);

		g_assert_null (utf7);
		g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
		g_assert_true (g_utf8_validate (error->message, -1, NULL));
	}
}

static void
test_malformed_utf7 (void)
{
	static const char *const bad[] = {
		"&Jjo!",          /* outside the alphabet, no "-" */
		"&U,BTFw",        /* no closing "-" */
		"&",
		"&AGE-",          /* "a" must stand for itself */
		"&ACY-",          /* "&" must be "&-" */
		"&ACA-",          /* " " too */
		"&AAA-",          /* U+0000 */
		"&AOk-&AOk-",     /* a null shift: one run would do */
		"&AOl-",          /* padding bits not zero */
		"&AOkA-",         /* a surplus base64 character */
		"&A-",
		"&AOk=-",         /* standard base64 padding */
		"&2D3d/-",        /* "/" of standard base64 */
		"&2D0-",          /* lone high surrogate */
		"&3RI-",          /* lone low surrogate */
		"&3RLYPQ-",       /* surrogates in the wrong order */
		"S\xc3\xa9",      /* 8-bit: UTF-8 on the wire */
		"a\tb",           /* a control character unencoded */
		"a\x7f",
	};

	for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr (GError) error = NULL;
		g_autofree char *utf8 = vulnd_imap_utf7_decode (bad[i], &error);

		if (utf8 != NULL)
			g_error ("case %u: \"%s\" decoded to \"%s\"", i, bad[i], utf8);
		g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
		g_assert_true (g_str_has_prefix (error->message, "malformed modified UTF-7 at byte "));
	}
}

/* A random name: mostly ASCII and "&", some Latin, CJK and non-BMP
 * characters, so that runs of every length and position occur. */
static char *
random_name (void)
{
	static const gunichar pool[] = { 'a', 'Z', ' ', '-', '&', '/', '.', 0x7f, 0x01,
	                                 0xe9, 0xfc, 0x20ac, 0x53f0, 0xffff, 0xfffd,
	                                 0x10000, 0x1f512, 0x10ffff };
	GString *s = g_string_new (NULL);
	gint32 len = g_test_rand_int_range (1, 24);

	for (gint32 i = 0; i < len; i++)
		g_string_append_unichar (s, pool[g_test_rand_int_range (0, (gint32) G_N_ELEMENTS (pool))]);
	return g_string_free (s, FALSE);
}

static void
test_round_trip (void)
{
	for (guint i = 0; i < 5000; i++) {
		g_autofree char *name = random_name ();
		g_autoptr (GError) error = NULL;
		g_autofree char *utf7 = vulnd_imap_utf7_encode (name, &error);
		g_autofree char *back = NULL;

		g_assert_no_error (error);
		for (const char *p = utf7; *p; p++)
			g_assert_true (*p >= 0x20 && *p <= 0x7e);
		back = vulnd_imap_utf7_decode (utf7, &error);
		g_assert_no_error (error);
		g_assert_cmpstr (back, ==, name);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/imap-utf7/pairs", test_pairs);
	g_test_add_func ("/imap-utf7/invalid-utf8", test_invalid_utf8);
	g_test_add_func ("/imap-utf7/malformed-utf7", test_malformed_utf7);
	g_test_add_func ("/imap-utf7/round-trip", test_round_trip);
	return g_test_run ();
}
