/* imap-utf7.h - IMAP mailbox names in "modified UTF-7" (RFC 3501 section
 * 5.1.3), the only form in which a name may go on the wire: printable
 * US-ASCII but "&" stands for itself, "&" is "&-", and any other run of
 * characters is "&" + its UTF-16 (surrogate pairs outside the BMP) in
 * base64 with "," for "/" and no padding + "-".  The configuration holds
 * names in UTF-8, as mail clients show them. */
#pragma once

#include <glib.h>

/* UTF8 in modified UTF-7, newly allocated; NULL with a G_CONVERT_ERROR
 * (ILLEGAL_SEQUENCE) when UTF8 is not valid UTF-8. */
char *vulnd_imap_utf7_encode (const char *utf8, GError **error);

/* The UTF-8 name a modified UTF-7 one stands for, newly allocated; NULL
 * with a G_CONVERT_ERROR (ILLEGAL_SEQUENCE) for anything the encoder would
 * not have produced: an 8-bit or control byte, a "&" run without its "-",
 * a character outside the alphabet, non-zero or surplus padding bits, a
 * lone surrogate, U+0000, a printable US-ASCII character in base64, or
 * two runs back to back. */
char *vulnd_imap_utf7_decode (const char *utf7, GError **error);
