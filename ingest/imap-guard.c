/* imap-guard.c - refuse what libetpan 1.9.4 cannot take (oversized
 * literals, a malformed PERMANENTFLAGS) before its parser sees it.  See
 * imap-guard.h. */
#include "config.h"

#include <string.h>

#include "imap-guard.h"

enum {
	BRACE_NONE,
	BRACE_DIGITS,   /* "{" and digits */
	BRACE_CLOSED,   /* "{N}" */
	BRACE_CR,       /* "{N}\r" */
};

/* Past this the exact value no longer matters: it is over any limit. */
#define NUMBER_CAP (G_GUINT64_CONSTANT (1) << 40)

static const char permanentflags[] = "[PERMANENTFLAGS (";
#define FLAGS_OPEN (sizeof permanentflags - 1)   /* all of it seen */
#define FLAGS_BACKSLASH (FLAGS_OPEN + 1)         /* and then "\" */

void
vulnd_imap_guard_init (VulndImapGuard *guard, gboolean greeting)
{
	memset (guard, 0, sizeof *guard);
	guard->greeting = greeting ? 1 : 0;
}

static void
new_line (VulndImapGuard *guard)
{
	guard->word = 0;
	guard->head_len = 0;
	guard->text = FALSE;
	guard->star = FALSE;
}

static gboolean
head_is (const VulndImapGuard *guard, const char *word)
{
	return guard->head_len == strlen (word) && memcmp (guard->head, word, guard->head_len) == 0;
}

/* "+ ..." is a continuation request; "* OK ...", "TAG NO ..." and the like
 * carry text up to the end of the line. */
static void
end_head_word (VulndImapGuard *guard)
{
	if (guard->word == 0 && head_is (guard, "+")) {
		guard->text = TRUE;
		guard->word = 2;
		/* parsed without a context too, like the greeting */
		guard->greeting = 1;
	} else if (guard->word == 1) {
		/* libetpan takes any word starting so for the CAPABILITY token */
		if (guard->star && guard->head_len >= 10 && memcmp (guard->head, "CAPABILITY", 10) == 0)
			guard->cap_expect = head_is (guard, "CAPABILITY") ? 1 : 3;
		guard->text = head_is (guard, "OK") || head_is (guard, "NO") || head_is (guard, "BAD") ||
		              head_is (guard, "BYE") || head_is (guard, "PREAUTH");
		guard->word = 2;
	} else {
		guard->star = head_is (guard, "*");
		guard->word++;
	}
	guard->head_len = 0;
}

static void
take_head (VulndImapGuard *guard, char c)
{
	if (guard->word >= 2)
		return;
	if (c == ' ' || c == '\r' || c == '\n') {
		if (guard->head_len > 0 || c != ' ')
			end_head_word (guard);
		if (c != ' ')
			guard->word = 2;
		return;
	}
	/* a longer word keeps its start, and matches no word looked for */
	if (guard->head_len < sizeof guard->head)
		guard->head[guard->head_len++] = g_ascii_toupper (c);
}

/* libetpan's ATOM-CHAR: a CHAR (1-127) but no atom-special. */
static gboolean
is_atom_char (char c)
{
	guint8 u = (guint8) c;

	return u > 0x1f && u < 0x80 && !strchr ("(){ %*\"\\]", c);
}

static gboolean
refuse (VulndImapGuard *guard, const char *why)
{
	guard->refusal = why;
	return FALSE;
}

/* Once "[PERMANENTFLAGS (" is seen, libetpan 1.9.4 crashes unless a flag
 * (an atom, "\" atom or "\*") or ")" follows. */
static gboolean
take_flags (VulndImapGuard *guard, char c)
{
	if (guard->flags == FLAGS_OPEN) {
		guard->flags = 0;
		if (c == '\\') {
			guard->flags = FLAGS_BACKSLASH;
			return TRUE;
		}
		if (c != ')' && !is_atom_char (c))
			return refuse (guard, "a PERMANENTFLAGS list libetpan 1.9.4 would crash on");
	} else if (guard->flags == FLAGS_BACKSLASH) {
		guard->flags = 0;
		if (c != '*' && !is_atom_char (c))
			return refuse (guard, "a PERMANENTFLAGS list libetpan 1.9.4 would crash on");
	} else if (g_ascii_toupper (c) == permanentflags[guard->flags]) {
		guard->flags++;
	} else {
		guard->flags = c == '[';
	}
	return TRUE;
}

/* libetpan parses the greeting and "+" continuations without a parser
 * context, and its list code dereferences that: no list in their response
 * code. */
static gboolean
take_greeting (VulndImapGuard *guard, char c)
{
	if (c == '\n')
		guard->greeting = 0;
	else if (guard->greeting == 1 && c == '[')
		guard->greeting = 2;
	else if (guard->greeting == 2 && c == ']')
		guard->greeting = 1;
	else if (guard->greeting == 2 && c == '(')
		return refuse (guard, "a greeting or continuation libetpan 1.9.4 would crash on (a list in its response code)");
	return TRUE;
}

/* After "* CAPABILITY" or "[CAPABILITY": " " and an atom, or libetpan
 * 1.9.4 keeps a capability list of NULL and later walks it. */
static gboolean
take_capability (VulndImapGuard *guard, char c)
{
	static const char code[] = "[CAPABILITY";

	if (guard->cap_expect == 1) {
		guard->cap_expect = c == ' ' ? 2 : 0;
		if (c != ' ')
			return refuse (guard, "a CAPABILITY list libetpan 1.9.4 would crash on (no capability)");
		return TRUE;
	}
	if (guard->cap_expect == 2) {
		guard->cap_expect = 0;
		if (!is_atom_char (c))
			return refuse (guard, "a CAPABILITY list libetpan 1.9.4 would crash on (no capability)");
		return TRUE;
	}
	if (g_ascii_toupper (c) == code[guard->capcode]) {
		if (++guard->capcode == sizeof code - 1) {
			guard->capcode = 0;
			guard->cap_expect = 1;
		}
	} else {
		guard->capcode = c == '[';
	}
	return TRUE;
}

static gboolean
match_word (guint8 *seen, const char *word, char c)
{
	if (g_ascii_toupper (c) == word[*seen]) {
		if (word[++*seen] == '\0') {
			*seen = 0;
			return TRUE;
		}
	} else {
		*seen = c == '[';
	}
	return FALSE;
}

/* "[ALERT]" and "[PARSE]" must be followed by text: libetpan 1.9.4 copies
 * it with strdup(), NULL when there is none. */
static gboolean
take_alert (VulndImapGuard *guard, char c)
{
	gboolean eol = c == '\r' || c == '\n';

	if (guard->text_expect == 1 || guard->text_expect == 2) {
		if (eol)
			return refuse (guard, "an [ALERT] or [PARSE] without text, which libetpan 1.9.4 would crash on");
		guard->text_expect = guard->text_expect == 1 && c == ' ' ? 2 : 0;
	}
	if (match_word (&guard->alert, "[ALERT]", c) | match_word (&guard->parse, "[PARSE]", c))
		guard->text_expect = 1;
	return TRUE;
}

/* One byte outside literal data. */
static gboolean
take_byte (VulndImapGuard *guard, char c, guint64 max)
{
	if (!take_alert (guard, c))
		return FALSE;
	gboolean expecting = guard->cap_expect != 0;

	take_head (guard, c);
	/* the head just ended "* CAPABILITY" on this byte: the byte is its " " */
	if (!expecting && guard->cap_expect) {
		if (guard->cap_expect == 3 || c != ' ')
			return refuse (guard, "a CAPABILITY list libetpan 1.9.4 would crash on (no capability)");
		guard->cap_expect = 2;
	} else if (!take_capability (guard, c)) {
		return FALSE;
	}
	if (guard->greeting && !take_greeting (guard, c))
		return FALSE;
	if (!take_flags (guard, c))
		return FALSE;
	switch (guard->brace) {
	case BRACE_DIGITS:
		if (g_ascii_isdigit (c)) {
			guard->number = MIN (guard->number * 10 + (guint64) (c - '0'), NUMBER_CAP);
			return TRUE;
		}
		if (c == '}') {
			guard->brace = BRACE_CLOSED;
			/* over the limit wherever it stands: libetpan may take it */
			if (guard->number <= max)
				return TRUE;
			guard->announced = guard->number;
			return refuse (guard, "a literal over the size limit");
		}
		break;
	case BRACE_CLOSED:
		if (c == '\r') {
			guard->brace = BRACE_CR;
			return TRUE;
		}
		/* fall through */
	case BRACE_CR:
		if (c == '\n') {
			guard->brace = BRACE_NONE;
			if (guard->text)
				new_line (guard);
			else
				guard->skip = guard->number;   /* the line goes on after it */
			return TRUE;
		}
		break;
	}
	guard->brace = BRACE_NONE;
	if (c == '{') {
		guard->brace = BRACE_DIGITS;
		guard->number = 0;
	} else if (c == '\n') {
		new_line (guard);
	}
	return TRUE;
}

gboolean
vulnd_imap_guard_feed (VulndImapGuard *guard, const char *data, gsize len, guint64 max)
{
	gsize i = 0;

	while (i < len) {
		if (guard->skip > 0) {
			gsize n = (gsize) MIN (guard->skip, (guint64) (len - i));

			guard->skip -= n;
			i += n;
			continue;
		}
		if (!take_byte (guard, data[i++], max))
			return FALSE;
	}
	return TRUE;
}
