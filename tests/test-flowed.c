/* test-flowed: format=flowed (RFC 3676) undone by vulnd_text_unflow. */
#include "config.h"

#include "vulnd-ingest.h"

typedef struct {
	const char *name;
	const char *in;
	gboolean delsp;
	const char *out;
} Case;

static const Case cases[] = {
	{ "soft-break-joins", "The quick \nbrown fox\n", FALSE, "The quick brown fox\n" },
	{ "several-soft-lines", "a \nb \nc\nd\n", FALSE, "a b c\nd\n" },
	{ "fixed-lines-kept", "line one\nline two\n\nline four\n", FALSE, "line one\nline two\n\nline four\n" },
	{ "delsp-removes-soft-space", "super\u00adcali \nfragilistic\n", TRUE, "super\u00adcalifragilistic\n" },
	{ "delsp-word-split", "Hel \nlo\n", TRUE, "Hello\n" },
	{ "no-delsp-keeps-space", "Hel \nlo\n", FALSE, "Hel lo\n" },
	{ "signature-separator-never-flowed", "Regards\n-- \nJane Example\n", FALSE, "Regards\n-- \nJane Example\n" },
	{ "signature-separator-delsp", "Bye\n-- \nJ\n", TRUE, "Bye\n-- \nJ\n" },
	{ "space-stuffing-removed", " From the top\n >not a quote\n", FALSE, "From the top\n>not a quote\n" },
	{ "quoted-soft-lines-join", "> one \n> two\nthree\n", FALSE, "> one two\nthree\n" },
	{ "quote-depth-change-ends-paragraph", "> one \n>> two\n", FALSE, "> one \n>> two\n" },
	{ "nested-quotes", ">> deep \n>> er\n", FALSE, ">> deep er\n" },
	{ "empty-quoted-line", ">\n", FALSE, ">\n" },
	{ "soft-line-at-end", "dangling ", FALSE, "dangling \n" },
	{ "crlf-lines", "a \r\nb\r\n", FALSE, "a b\n" },
	{ "empty", "", FALSE, "" },
};

static void
test_case (gconstpointer data)
{
	const Case *c = data;
	g_autofree char *out = vulnd_text_unflow (c->in, c->delsp);

	g_assert_cmpstr (out, ==, c->out);
}

static void
test_null (void)
{
	g_autofree char *out = vulnd_text_unflow (NULL, FALSE);

	g_assert_cmpstr (out, ==, "");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = g_strdup_printf ("/flowed/%s", cases[i].name);
		g_test_add_data_func (path, &cases[i], test_case);
	}
	g_test_add_func ("/flowed/null", test_null);
	return g_test_run ();
}
