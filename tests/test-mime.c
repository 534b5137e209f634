/* test-mime: vulnd_mail_parse on one message of each shape real mail takes
 * (all invented here, in the style of each era), and on malformed input,
 * which must give a result or a clear error, quickly, never a crash. */
#include "config.h"

#include <string.h>

#include "ingest-private.h"
#include "vulnd-ingest.h"

#define HDR "From: =?ISO-8859-1?Q?Jos=E9_Ex=E1mple?= <jose@example.org>\n" \
	"To: openstack-announce@lists.example.org\n" \
	"Date: Tue, 02 Mar 2099 17:04:05 +0100\n" \
	"Message-ID: <fixture-1@example.org>\n" \
	"Subject: [OSSA-2099-001] Frobnicator: widget leak (CVE-2099-0001)\n" \
	"MIME-Version: 1.0\n"

/* The lean parse (vulnd_mail_screen) that decides, for most mail, that it
 * is no announcement must read every shape as the full parse does: the
 * same text and headers, only no From and no signature checked. */
static void
assert_screen_agrees (const char *raw, const VulndMail *full)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndMail) lean = vulnd_mail_screen (raw, strlen (raw), &error);

	g_assert_no_error (error);
	g_assert_nonnull (lean);
	g_assert_cmpstr (lean->text, ==, full->text);
	g_assert_cmpstr (lean->subject, ==, full->subject);
	g_assert_cmpstr (lean->message_id, ==, full->message_id);
	g_assert_cmpstr (lean->date, ==, full->date);
	g_assert_cmpstr (lean->received, ==, full->received);
	g_assert_cmpstr (lean->list_id, ==, full->list_id);
	g_assert_cmpstr (lean->in_reply_to, ==, full->in_reply_to);
	g_assert_cmpstr (lean->references, ==, full->references);
	g_assert_cmpstr (lean->sha256, ==, full->sha256);
	g_assert_cmpint (lean->forwarded, ==, full->forwarded);
	g_assert_null (lean->from);
	g_assert_cmpint (lean->sig_status, ==, VULND_SIG_UNSIGNED);
	g_assert_cmpstr (lean->sig_form, ==, "none");
}

static VulndMail *
parse_ok (const char *raw)
{
	g_autoptr (GError) error = NULL;
	VulndMail *mail = vulnd_mail_parse (raw, strlen (raw), NULL, &error);

	g_assert_no_error (error);
	g_assert_nonnull (mail);
	g_assert_true (g_utf8_validate (mail->text, -1, NULL));
	assert_screen_agrees (raw, mail);
	return mail;
}

static void
test_plain (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"List-Id: Announcements <openstack-announce.lists.example.org>\n"
		"In-Reply-To: <a@b>\n"
		"Content-Type: text/plain; charset=us-ascii\n\n"
		"Title: widget leak\r\nReporter: Ann Invented\n");

	g_assert_cmpstr (mail->message_id, ==, "fixture-1@example.org");
	g_assert_cmpstr (mail->subject, ==, "[OSSA-2099-001] Frobnicator: widget leak (CVE-2099-0001)");
	g_assert_cmpstr (mail->from, ==, "José Exámple <jose@example.org>");
	g_assert_cmpstr (mail->received, ==, "2099-03-02T16:04:05Z");
	g_assert_cmpstr (mail->list_id, ==, "openstack-announce.lists.example.org");
	g_assert_cmpstr (mail->in_reply_to, ==, "<a@b>");
	g_assert_cmpstr (mail->text, ==, "Title: widget leak\nReporter: Ann Invented\n");
	g_assert_cmpint (mail->sig_status, ==, VULND_SIG_UNSIGNED);
	g_assert_cmpstr (mail->sig_form, ==, "none");
	g_assert_false (mail->forwarded);
	g_assert_cmpuint (strlen (mail->sha256), ==, 64);
}

static void
test_list_from_to (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR "Content-Type: text/plain\n\nx\n");

	g_assert_cmpstr (mail->list_id, ==, "openstack-announce@lists.example.org");
}

static void
test_inline_clearsigned (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: text/plain; charset=utf-8\n\n"
		"-----BEGIN PGP SIGNED MESSAGE-----\n"
		"Hash: SHA512\n\n"
		"Title: widget leak\n"
		"- --- dashes here\n"
		"- -- \n"
		"Ann Invented\n"
		"-----BEGIN PGP SIGNATURE-----\n\n"
		"iQIzBAEBCgAdFiEEinvalidinvalidinvalid\n=abcd\n"
		"-----END PGP SIGNATURE-----\n");

	g_assert_cmpstr (mail->text, ==, "Title: widget leak\n--- dashes here\n");
	g_assert_cmpstr (mail->sig_form, ==, "inline");
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_UNSIGNED);
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_VERIFIED);
}

static void
test_pgp_mime_nested (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/signed; micalg=pgp-sha512;\n"
		" protocol=\"application/pgp-signature\"; boundary=\"outer\"\n\n"
		"--outer\n"
		"Content-Type: multipart/mixed; boundary=\"inner\"; protected-headers=\"v1\"\n"
		"Subject: [OSSA-2099-001] Frobnicator: widget leak (CVE-2099-0001)\n\n"
		"--inner\n"
		"Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
		"--alt\n"
		"Content-Type: text/html; charset=utf-8\n\n"
		"<p>html copy</p>\n"
		"--alt\n"
		"Content-Type: text/plain; charset=utf-8\n"
		"Content-Transfer-Encoding: quoted-printable\n\n"
		"Caf=C3=A9 widgets leak when the frobnicator is =\n"
		"reloaded.\n"
		"--alt--\n"
		"--inner\n"
		"Content-Type: application/pgp-keys; name=\"OpenPGP_0x1.asc\"\n"
		"Content-Disposition: attachment; filename=\"OpenPGP_0x1.asc\"\n\n"
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxsFNBGinvalid\n-----END PGP PUBLIC KEY BLOCK-----\n"
		"--inner--\n"
		"--outer\n"
		"Content-Type: application/pgp-signature; name=\"signature.asc\"\n\n"
		"-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCgAdinvalid\n=abcd\n-----END PGP SIGNATURE-----\n"
		"--outer--\n");

	g_assert_cmpstr (mail->text, ==, "Café widgets leak when the frobnicator is reloaded.\n");
	g_assert_cmpstr (mail->sig_form, ==, "pgp-mime");
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_UNSIGNED);
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_VERIFIED);
	g_assert_null (mail->sig_fingerprint);
}

static void
test_base64_flowed_delsp (void)
{
	/* "Widgets leak when the frob \r\nnicator reloads.\r\n" */
	g_autofree char *b64 = g_base64_encode ((const guchar *) "Widgets leak when the frob \r\nnicator reloads.\r\n", 48);
	g_autofree char *raw = g_strconcat (HDR,
		"Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n"
		"Content-Transfer-Encoding: base64\n\n", b64, "\n", NULL);
	g_autoptr (VulndMail) mail = parse_ok (raw);

	g_assert_cmpstr (mail->text, ==, "Widgets leak when the frobnicator reloads.\n");
}

static void
test_latin1_body (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: text/plain; charset=iso-8859-1\n"
		"Content-Transfer-Encoding: 8bit\n\n"
		"Reporter: Jos\xe9 Ex\xe1mple\n");

	g_assert_cmpstr (mail->text, ==, "Reporter: José Exámple\n");
}

static void
test_charset_lies (void)
{
	g_autoptr (VulndMail) ascii = parse_ok (HDR
		"Content-Type: text/plain; charset=us-ascii\n\nna\xefve \xff\xfe bytes\n");
	g_autoptr (VulndMail) unknown = parse_ok (HDR
		"Content-Type: text/plain; charset=x-no-such-charset\n\nCaf\xc3\xa9 \xc3\n");

	g_assert_true (g_str_has_prefix (ascii->text, "na"));
	g_assert_true (g_str_has_prefix (unknown->text, "Café "));
}

static void
test_mailman_footer_and_signature (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: text/plain; charset=us-ascii\n\n"
		"The advisory body.\n\n"
		"-- \nAnn Invented\nOpenStack Vulnerability Management Team\n\n"
		"_______________________________________________\n"
		"OpenStack-announce mailing list\n"
		"OpenStack-announce@lists.example.org\n"
		"http://lists.example.org/cgi-bin/mailman/listinfo/openstack-announce\n");

	g_assert_cmpstr (mail->text, ==, "The advisory body.\n");
}

static void
test_footer_part_ignored (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n"
		"--b\nContent-Type: text/plain\n\nBody text.\n"
		"--b\nContent-Type: text/plain\n\n"
		"_______________________________________________\nSomething mailing list\n"
		"--b--\n");

	g_assert_cmpstr (mail->text, ==, "Body text.\n");
}

static void
test_archive_copy (void)
{
	g_autoptr (VulndMail) mail = parse_ok (
		"X-Archive-Source: openwall-scrape\n"
		"Message-ID: <x@example.org>\n"
		"From: Ann Invented <ann@...mple.org>\n"
		"To: oss-security@...ts.example.org\n"
		"Subject: [OSSA-2099-002] Gizmo: thing (CVE-2099-0002)\n"
		"Content-Type: text/plain; charset=utf-8\n\n"
		"Body line.\n\n--\nAnn Invented\nOpenStack Vulnerability Management Team\n\n"
		"Download attachment \"OpenPGP_0x0123.asc\" of type \"application/pgp-keys\" (3241 bytes)\n\n"
		"Download attachment \"OpenPGP_signature.asc\" of type \"application/pgp-signature\" (841 bytes)\n");

	g_assert_cmpstr (mail->text, ==, "Body line.\n");
	g_assert_cmpstr (mail->list_id, ==, "oss-security@...ts.example.org");
	g_assert_cmpint (mail->sig_status, ==, VULND_SIG_UNSIGNED);
}

static void
test_forwarded (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/mixed; boundary=\"b\"\n\n"
		"--b\nContent-Type: message/rfc822\n\n"
		"Subject: inner\nContent-Type: text/plain\n\nInner advisory text.\n"
		"--b--\n");

	g_assert_true (mail->forwarded);
	g_assert_null (strstr (mail->text, "Inner advisory"));
	g_assert_true (mail->warnings->len > 0);
}

static void
test_alternative_prefers_plain (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/alternative; boundary=\"b\"\n\n"
		"--b\nContent-Type: text/html\n\n<b>html</b>\n"
		"--b\nContent-Type: text/plain\n\nplain\n"
		"--b--\n");

	g_assert_cmpstr (mail->text, ==, "plain\n");
}

static void
test_detached_sibling (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/mixed; boundary=\"m\"\n\n"
		"--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
		"--a\nContent-Type: text/plain; charset=UTF-8\n\nThe text.\n"
		"--a\nContent-Type: text/html; charset=UTF-8\n\n<p>The text.</p>\n"
		"--a--\n"
		"--m\nContent-Type: text/plain; charset=\"US-ASCII\"; name=\"signature.asc\"\n"
		"Content-Disposition: attachment; filename=\"signature.asc\"\n\n"
		"-----BEGIN PGP SIGNATURE-----\n\niQIzBAABCgAdinvalid\n=abcd\n-----END PGP SIGNATURE-----\n"
		"--m--\n");

	g_assert_cmpstr (mail->text, ==, "The text.\n");
	g_assert_cmpstr (mail->sig_form, ==, "detached");
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_UNSIGNED);
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_VERIFIED);
}

static void
test_mbox_from_line (void)
{
	g_autoptr (VulndMail) mail = parse_ok ("From ann@example.org Tue Mar  2 17:04:05 2099\n"
	                                       HDR "Content-Type: text/plain\n\nbody\n");

	g_assert_cmpstr (mail->message_id, ==, "fixture-1@example.org");
}

/* vulnd_ingest_bytes screens: a signed message that is no announcement
 * never reaches gpg, one that is gets its full parse and its signature
 * checked. */
#define SIGNED_HDR(subject) \
	"From: Ann Invented <ann@example.org>\n" \
	"Date: Tue, 02 Mar 2099 17:04:05 +0100\n" \
	"Message-ID: <screen@example.org>\n" \
	"Subject: " subject "\n" \
	"MIME-Version: 1.0\n" \
	"Content-Type: multipart/signed; micalg=pgp-sha512;\n" \
	" protocol=\"application/pgp-signature\"; boundary=\"s\"\n\n" \
	"--s\nContent-Type: text/plain; charset=utf-8\n\n"
#define SIGNED_TAIL \
	"--s\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n\n" \
	"-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCgAdinvalid\n=abcd\n-----END PGP SIGNATURE-----\n" \
	"--s--\n"

static void
test_screen_signed (void)
{
	static const char chatter[] = SIGNED_HDR ("Re: widget leak in the frobnicator")
		"Thanks, the widgets no longer leak here.\n" SIGNED_TAIL;
	static const char advisory[] = SIGNED_HDR ("[OSSA-2099-001] Frobnicator: widget leak (CVE-2099-0001)")
		"===========================================================\n"
		"OSSA-2099-001: Frobnicator widget leak\n"
		"===========================================================\n\n"
		":Date: March 02, 2099\n:CVE: CVE-2099-0001\n\n"
		"Affects\n~~~~~~~\n- Frobnicator: <4.0.1\n\n"
		"Description\n~~~~~~~~~~~\nA reload leaks another tenant's widgets.\n" SIGNED_TAIL;
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndMail) mail = NULL;
	g_autoptr (GPtrArray) records = vulnd_ingest_bytes (chatter, strlen (chatter), NULL, &mail, &error);

	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 0);
	g_assert_cmpint (mail->sig_status, ==, VULND_SIG_UNSIGNED);
	g_assert_cmpstr (mail->message_id, ==, "screen@example.org");
	g_clear_pointer (&mail, vulnd_mail_free);
	g_clear_pointer (&records, g_ptr_array_unref);

	records = vulnd_ingest_bytes (advisory, strlen (advisory), NULL, &mail, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (records->len, ==, 1);
	g_assert_cmpstr (mail->sig_form, ==, "pgp-mime");
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_UNSIGNED);
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_VERIFIED);
	g_assert_cmpstr (mail->from, ==, "Ann Invented <ann@example.org>");
}

/* ---- malformed input ---------------------------------------------------- */

/* The bound is far above the expected few milliseconds; under valgrind
 * everything runs some 30 times slower, and an ASan build a few times
 * slower, which a loaded machine can push past one second. */
#ifdef __SANITIZE_ADDRESS__
#define SANITIZER_SLOWDOWN 10
#else
#define SANITIZER_SLOWDOWN 1
#endif
static gint64
time_limit (void)
{
	const char *preload = g_getenv ("LD_PRELOAD");

	return (preload && strstr (preload, "vgpreload")) ? 30 * G_USEC_PER_SEC
	                                                   : SANITIZER_SLOWDOWN * G_USEC_PER_SEC;
}

static void
assert_parses_quickly (const char *data, gsize len, gboolean expect_mail)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (VulndMail) mail = NULL;
	gint64 start = g_get_monotonic_time ();

	mail = vulnd_mail_parse (data, len, NULL, &error);
	g_assert_cmpint (g_get_monotonic_time () - start, <, time_limit ());
	if (!mail) {
		g_assert_nonnull (error);
		g_assert_null (strchr (error->message, '\n'));
		g_assert_false (expect_mail);
		return;
	}
	g_assert_no_error (error);
	g_assert_true (expect_mail);
	g_assert_nonnull (mail->text);
	g_assert_true (g_utf8_validate (mail->text, -1, NULL));
	g_assert_true (!mail->subject || g_utf8_validate (mail->subject, -1, NULL));
}

static void
test_not_mail (void)
{
	static const char jpeg[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01";
	g_autoptr (GRand) rand = g_rand_new_with_seed (42);
	char noise[4096];
	g_autoptr (GError) error = NULL;

	assert_parses_quickly ("", 0, FALSE);
	assert_parses_quickly (jpeg, sizeof jpeg - 1, FALSE);
	assert_parses_quickly ("\n\nhello\n", 8, FALSE);
	for (gsize i = 0; i < sizeof noise; i++)
		noise[i] = (char) (g_rand_int (rand) & 0xff);
	noise[0] = '\x01';
	assert_parses_quickly (noise, sizeof noise, FALSE);
	g_assert_null (vulnd_mail_parse ("", 0, NULL, &error));
	g_assert_error (error, VULND_INGEST_ERROR, VULND_INGEST_ERROR_NOT_MAIL);
}

static void
test_random_after_header (void)
{
	g_autoptr (GRand) rand = g_rand_new_with_seed (7);
	g_autoptr (GString) s = g_string_new ("Subject: x\n");

	for (int i = 0; i < 64 * 1024; i++)
		g_string_append_c (s, (char) (g_rand_int (rand) & 0xff));
	assert_parses_quickly (s->str, s->len, TRUE);
}

static void
test_truncated_and_broken (void)
{
	static const char *inputs[] = {
		HDR "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\ntrunc",
		HDR "Content-Type: multipart/mixed\n\n--b\nContent-Type: text/plain\n\nno boundary\n--b--\n",
		HDR "Content-Type: multipart/signed; boundary=\"s\"\n\n--s\nContent-Type: text/plain\n\nonly one part\n--s--\n",
		HDR "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not*base64@@@\n====\nQUJD\n",
		HDR "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nbad =ZZ =\n=4\n=\n",
		HDR "Content-Type: text/plain; charset=utf-8\n\n\xc3\x28 \xa0\xa1 \xf0\x28\x8c\xbc invalid\n",
		HDR "Content-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ncut off\n",
		HDR "Content-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\n",
		"Subject: =?UTF-8?B?////?= =?x-bad?Q?=FF?=\nDate: not a date\nFrom: <<<\n\nbody\n",
	};

	for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
		assert_parses_quickly (inputs[i], strlen (inputs[i]), TRUE);
}

static void
test_nul_bytes (void)
{
	static const char raw[] = "Subject: a\0b\nContent-Type: text/plain\n\nbefore\0after\n";
	g_autoptr (VulndMail) mail = vulnd_mail_parse (raw, sizeof raw - 1, NULL, NULL);

	assert_parses_quickly (raw, sizeof raw - 1, TRUE);
	g_assert_nonnull (mail);
	g_assert_nonnull (strstr (mail->text, "after"));
}

static void
test_huge_header_line (void)
{
	g_autoptr (GString) s = g_string_new ("Subject: ");

	for (int i = 0; i < 1024 * 1024; i++)
		g_string_append_c (s, 'a' + i % 26);
	g_string_append (s, "\nContent-Type: text/plain\n\nbody\n");
	assert_parses_quickly (s->str, s->len, TRUE);
}

static void
test_many_headers (void)
{
	g_autoptr (GString) s = g_string_new (NULL);
	g_autoptr (VulndMail) mail = NULL;

	for (int i = 0; i < 10000; i++)
		g_string_append_printf (s, "X-Header-%d: value %d\nReceived: from h%d\n", i, i, i);
	g_string_append (s, "Content-Type: text/plain\n\nbody\n");
	assert_parses_quickly (s->str, s->len, TRUE);
	mail = vulnd_mail_parse (s->str, s->len, NULL, NULL);
	g_assert_cmpstr (mail->text, ==, "body\n");
}

static void
test_deep_nesting (void)
{
	g_autoptr (GString) s = g_string_new ("Subject: deep\n");
	g_autoptr (VulndMail) mail = NULL;
	const int depth = 1000;

	for (int i = 0; i < depth; i++)
		g_string_append_printf (s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
	g_string_append (s, "Content-Type: text/plain\n\ninnermost\n");
	for (int i = depth - 1; i >= 0; i--)
		g_string_append_printf (s, "--b%d--\n", i);
	assert_parses_quickly (s->str, s->len, TRUE);
	mail = vulnd_mail_parse (s->str, s->len, NULL, NULL);
	g_assert_null (strstr (mail->text, "innermost"));
	g_assert_cmpuint (mail->warnings->len, >, 0);
}

/* Found by fuzz-parse: a message whose body is empty has a part with no
 * buffer at all, and unarmouring it did pointer arithmetic on NULL (UBSan:
 * "applying zero offset to null pointer").  Regression input:
 * tests/fuzz/regress/parse/empty-body-crlf. */
static void
test_empty_body (void)
{
	static const char raw[] = "Subject: [OSSA-2099-999] x\r\n\r\n";
	g_autoptr (VulndMail) mail = parse_ok (raw);

	g_assert_cmpstr (mail->subject, ==, "[OSSA-2099-999] x");
	g_assert_cmpuint (strlen (mail->text), <=, 1);
	g_assert_cmpint (mail->sig_status, ==, VULND_SIG_UNSIGNED);
}

/* Found by fuzz-parse: an empty signature.asc beside the text part made
 * find_line_start() do pointer arithmetic on the NULL buffer of the empty
 * part (UBSan).  Regression input:
 * tests/fuzz/regress/parse/detached-empty-signature. */
static void
test_detached_empty_signature (void)
{
	g_autoptr (VulndMail) mail = parse_ok (HDR
		"Content-Type: multipart/mixed; boundary=\"m\"\n\n"
		"--m\nContent-Type: text/plain; charset=UTF-8\n\nThe text.\n"
		"--m\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n"
		"Content-Disposition: attachment; filename=\"signature.asc\"\n\n"
		"--m--\n");

	g_assert_cmpstr (mail->text, ==, "The text.\n");
	g_assert_cmpint (mail->sig_status, !=, VULND_SIG_VERIFIED);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/mime/plain", test_plain);
	g_test_add_func ("/mime/list-from-to", test_list_from_to);
	g_test_add_func ("/mime/inline-clearsigned", test_inline_clearsigned);
	g_test_add_func ("/mime/pgp-mime-nested", test_pgp_mime_nested);
	g_test_add_func ("/mime/base64-flowed-delsp", test_base64_flowed_delsp);
	g_test_add_func ("/mime/latin1-body", test_latin1_body);
	g_test_add_func ("/mime/charset-lies", test_charset_lies);
	g_test_add_func ("/mime/mailman-footer-and-signature", test_mailman_footer_and_signature);
	g_test_add_func ("/mime/footer-part-ignored", test_footer_part_ignored);
	g_test_add_func ("/mime/archive-copy", test_archive_copy);
	g_test_add_func ("/mime/forwarded", test_forwarded);
	g_test_add_func ("/mime/alternative-prefers-plain", test_alternative_prefers_plain);
	g_test_add_func ("/mime/detached-sibling", test_detached_sibling);
	g_test_add_func ("/mime/mbox-from-line", test_mbox_from_line);
	g_test_add_func ("/mime/screen-signed", test_screen_signed);
	g_test_add_func ("/malformed/not-mail", test_not_mail);
	g_test_add_func ("/malformed/random-after-header", test_random_after_header);
	g_test_add_func ("/malformed/truncated-and-broken", test_truncated_and_broken);
	g_test_add_func ("/malformed/nul-bytes", test_nul_bytes);
	g_test_add_func ("/malformed/huge-header-line", test_huge_header_line);
	g_test_add_func ("/malformed/many-headers", test_many_headers);
	g_test_add_func ("/malformed/deep-nesting", test_deep_nesting);
	g_test_add_func ("/malformed/empty-body", test_empty_body);
	g_test_add_func ("/malformed/detached-empty-signature", test_detached_empty_signature);
	return g_test_run ();
}
