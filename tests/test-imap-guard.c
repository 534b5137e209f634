/* test-imap-guard.c - the watch on IMAP literal sizes (ingest/imap-guard.c):
 * oversized literals are refused wherever they are announced, literal data
 * (mail text) is passed over whatever it contains, and response text cannot
 * make the guard pass over real responses.  Each case is fed whole and one
 * byte at a time, as reads may split a response anywhere. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "ingest/imap-guard.h"

#define LIMIT 1000

static gboolean greeting_first;   /* TEXT opens with the greeting */

/* TRUE when the whole of TEXT passes; *ANNOUNCED gets the refused size. */
static gboolean
feed (const char *text, gsize chunk, guint64 *announced)
{
	VulndImapGuard guard;
	gsize len = strlen (text);

	vulnd_imap_guard_init (&guard, greeting_first);
	for (gsize i = 0; i < len; i += chunk)
		if (!vulnd_imap_guard_feed (&guard, text + i, MIN (chunk, len - i), LIMIT)) {
			g_assert_nonnull (guard.refusal);
			*announced = guard.announced;
			return FALSE;
		}
	g_assert_null (guard.refusal);
	*announced = 0;
	return TRUE;
}

static void
assert_passes (const char *text)
{
	guint64 announced;

	g_assert_true (feed (text, strlen (text), &announced));
	g_assert_true (feed (text, 1, &announced));
	g_assert_true (feed (text, 7, &announced));
}

static void
assert_refused (const char *text, guint64 size)
{
	guint64 announced;

	g_assert_false (feed (text, strlen (text), &announced));
	g_assert_cmpuint (announced, ==, size);
	g_assert_false (feed (text, 1, &announced));
	g_assert_cmpuint (announced, ==, size);
}

static void
test_fetch_small (void)
{
	assert_passes ("* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\nA3 OK done\r\n");
	/* exactly the limit */
	g_autofree char *body = g_strnfill (LIMIT, 'x');
	g_autofree char *text = g_strdup_printf ("* 1 FETCH (UID 7 BODY[] {%u}\r\n%s)\r\n", LIMIT, body);
	assert_passes (text);
}

static void
test_fetch_huge (void)
{
	assert_refused ("* 1 FETCH (UID 7 BODY[] {1001}\r\n", 1001);
	assert_refused ("* 1 FETCH (UID 7 BODY[] {4294967295}\r\n", 4294967295u);
	/* refused at the brace, before the line ends */
	assert_refused ("* 1 FETCH (UID 7 BODY[] {4294967295}", 4294967295u);
	/* digits past any integer: no overflow, still refused */
	guint64 announced;
	g_assert_false (feed ("* 1 FETCH (BODY[] {99999999999999999999999999}\r\n", 1, &announced));
	g_assert_cmpuint (announced, >, LIMIT);
	/* libetpan's Lotus workaround reads "{N}" and spaces as a literal too */
	assert_refused ("* 1 FETCH (BODY[] {5000} x)\r\n", 5000);
}

/* What is inside a literal is mail, not protocol. */
static void
test_literal_data_skipped (void)
{
	assert_passes ("* 1 FETCH (UID 7 BODY[] {24}\r\nline {99999999}\r\n{77777})\r\n"
	               "A4 OK done\r\n");
	/* a second message after it is still watched */
	assert_refused ("* 1 FETCH (UID 7 BODY[] {16}\r\nline {9999999}\r\n)\r\n"
	                "* 2 FETCH (UID 8 BODY[] {2000}\r\n", 2000);
}

/* "{N}" at the end of response text is no literal: the guard must not pass
 * over the next N bytes, which are responses. */
static void
test_text_lines (void)
{
	assert_refused ("* OK hello {40}\r\n* 1 FETCH (UID 7 BODY[] {5000}\r\n", 5000);
	assert_refused ("A1 ok [ALERT] {40}\r\n* 1 FETCH (UID 7 BODY[] {5000}\r\n", 5000);
	assert_refused ("+ idling {40}\r\n* 1 FETCH (UID 7 BODY[] {5000}\r\n", 5000);
	assert_refused ("* BYE {40}\r\n* 1 FETCH (UID 7 BODY[] {5000}\r\n", 5000);
	/* still held to the limit there */
	assert_refused ("A1 NO [BADCHARSET] {70000}\r\n", 70000);
	/* a FETCH is not text: its literal is passed over */
	assert_passes ("* 3 FETCH (BODY[] {6}\r\n* OK x)\r\n");
}

/* libetpan 1.9.4 segfaults when the first flag does not parse (the
 * 0x01 here, a CTL) and no ")" follows */
static void
test_permanentflags (void)
{
	assert_passes ("* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.\r\n");
	assert_passes ("* OK [PERMANENTFLAGS ()] No flags.\r\n");
	assert_passes ("* OK [permanentflags ($Forwarded)] ok\r\n");
	assert_passes ("* OK [PERMANENTFLAGS (\\*)] ok\r\n");
	assert_refused ("* OK [PERMANENTFLAGS (\\\001nswered)] x\r\n", 0);
	assert_refused ("* OK [PERMANENTFLAGS ( \\Seen)] x\r\n", 0);
	assert_refused ("* OK [PERMANENTFLAGS (\"x\")] x\r\n", 0);
	assert_refused ("* OK [PERMANENTFLAGS ({3}\r\nabc)] x\r\n", 0);
	assert_refused ("* OK [[PERMANENTFLAGS (]\r\n", 0);
	/* inside literal data it is mail text */
	assert_passes ("* 1 FETCH (BODY[] {22}\r\n[PERMANENTFLAGS ( x)\r\n)\r\n");
}

/* libetpan 1.9.4 parses the greeting without a parser context: a list in
 * its response code is a segfault */
static void
test_greeting (void)
{
	greeting_first = TRUE;
	assert_passes ("* OK [CAPABILITY IMAP4rev1 IDLE STARTTLS] Dovecot (Debian) ready.\r\n");
	assert_passes ("* OK Gimap ready (x)\r\n* 1 FETCH (FLAGS (\\Seen))\r\n");
	assert_passes ("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n"
	               "* OK [PERMANENTFLAGS (\\Seen \\*)] Flags permitted.\r\n");
	assert_refused ("* OK [PERMANENTFLAGS (a)] y\r\n", 0);
	assert_refused ("* BYE [BADCHARSET (\"a\")] y\r\n", 0);
	assert_refused ("* OK [X] [PERMANENTFLAGS (a] y\r\n", 0);
	greeting_first = FALSE;
	/* not after STARTTLS, where no greeting comes */
	assert_passes ("* OK [BADCHARSET (UTF-8)] y\r\n");
	/* a "+" continuation is parsed the same way */
	assert_passes ("+ idling\r\n+ [ALERT] (soon) x\r\n");
	assert_refused ("6 OK done\r\n+ [PERMANENTFLAGS (S\r\n", 0);
}

/* libetpan keeps a NULL capability list for a CAPABILITY with nothing
 * after it, and mailimap_capability() walks it */
static void
test_capability (void)
{
	assert_passes ("* CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN\r\n2 OK Capability completed.\r\n");
	assert_passes ("1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n");
	assert_passes ("2 OK [ALERT] CAPABILITY\r\n* 1 FETCH (BODY[] {14}\r\n* CAPABILITY\r\n)\r\n");
	assert_refused ("* CAPABILITY\r\n", 0);
	assert_refused ("* capability \r\n", 0);
	assert_refused ("* CAPABILITYX IMAP4rev1\r\n", 0);
	assert_refused ("1 OK [CAPABILITY ]x\r\n", 0);
	assert_refused ("1 OK [CAPABILITY]\r\n", 0);
	assert_refused ("* OK [CAPABILITYX IMAP4rev1] x\r\n", 0);
	assert_refused ("* OK [[CAPABILITY (x)] y\r\n", 0);
}

/* libetpan 1.9.4 strdup()s the text of [ALERT] and [PARSE], NULL when
 * there is none */
static void
test_alert (void)
{
	assert_passes ("2 OK [ALERT] Mailbox nearly full\r\n* OK [PARSE] bad header in UID 4\r\n");
	assert_passes ("2 OK [ALERTS] x\r\n2 OK [READ-ONLY]\r\n");
	assert_refused ("2 OK [ALERT]\r\n", 0);
	assert_refused ("2 NO [alert] \r\n", 0);
	assert_refused ("* OK [PARSE]\n", 0);
	assert_refused ("* OK [[PARSE] \r\n", 0);
	/* in literal data it is mail text */
	assert_passes ("* 1 FETCH (BODY[] {9}\r\n[ALERT]\r\n)\r\n");
}

static void
test_odd_braces (void)
{
	assert_passes ("* FLAGS (\\Seen {x} {} {12a})\r\n");
	assert_passes ("{\r\n}\r\n{{{{5}\r\nabcde\r\n");
	assert_passes ("\r\n\r\n\n\n");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/imap-guard/fetch-small", test_fetch_small);
	g_test_add_func ("/imap-guard/fetch-huge", test_fetch_huge);
	g_test_add_func ("/imap-guard/literal-data-skipped", test_literal_data_skipped);
	g_test_add_func ("/imap-guard/text-lines", test_text_lines);
	g_test_add_func ("/imap-guard/permanentflags", test_permanentflags);
	g_test_add_func ("/imap-guard/greeting", test_greeting);
	g_test_add_func ("/imap-guard/capability", test_capability);
	g_test_add_func ("/imap-guard/alert", test_alert);
	g_test_add_func ("/imap-guard/odd-braces", test_odd_braces);
	return g_test_run ();
}
