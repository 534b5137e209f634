/* extract.c - classify a message, then hand it to the OSSA or OSSN extractor. */
#include "config.h"

#include <string.h>

#include "extract.h"

static JsonObject *
record_new (VulndMessageKind kind, const char *id, int erratum)
{
	JsonObject *record = json_object_new ();

	json_object_set_int_member (record, "schema", VULND_RECORD_SCHEMA);
	json_object_set_string_member (record, "kind", kind == VULND_KIND_OSSN ? "ossn" : "ossa");
	json_object_set_string_member (record, "id", id);
	/* revision 1 is the first announcement; erratum N makes revision N + 1 */
	json_object_set_int_member (record, "revision", erratum + 1);
	return record;
}

static gboolean
valid_or_null (const char *s)
{
	return !s || g_utf8_validate (s, -1, NULL);
}

/* The regular expressions may be JIT-compiled, which reads its subject
 * as UTF-8 unchecked. */
static gboolean
input_valid (const VulndExtractInput *in)
{
	return valid_or_null (in->subject) && valid_or_null (in->from) && valid_or_null (in->date)
	       && valid_or_null (in->in_reply_to) && valid_or_null (in->references)
	       && valid_or_null (in->text);
}

/* TEXT cut to at most VULND_EXTRACT_TEXT_MAX bytes, at the end of a line
 * when one ends in the last quarter, else before a UTF-8 character; NULL
 * when it is short enough. */
static char *
capped_text (const char *text)
{
	gsize len = text ? strlen (text) : 0;
	const char *cut, *nl;

	if (len <= VULND_EXTRACT_TEXT_MAX)
		return NULL;
	cut = g_utf8_find_prev_char (text, text + VULND_EXTRACT_TEXT_MAX + 1);
	nl = g_strrstr_len (text, cut - text, "\n");
	if (nl && nl - text >= VULND_EXTRACT_TEXT_MAX / 4 * 3)
		cut = nl + 1;
	return g_strndup (text, cut - text);
}

/* What IN announces, classified on HEAD: IN with its text capped (*CAPPED
 * holds the capped copy, or NULL). */
static VulndMessageKind
classify_head (const VulndExtractInput *in, VulndExtractInput *head, char **capped, char **id,
               int *erratum)
{
	VulndMessageKind kind;

	*capped = NULL;
	if (!input_valid (in))
		return VULND_KIND_NONE;
	*head = *in;
	*capped = capped_text (in->text);
	if (*capped)
		head->text = *capped;
	kind = vulnd_classify (head, id, erratum);
	return *id ? kind : VULND_KIND_NONE;
}

gboolean
vulnd_extract_may_yield (const VulndExtractInput *in)
{
	VulndExtractInput trusting = *in, head;
	g_autofree char *capped = NULL, *id = NULL;
	int erratum = 0;

	trusting.verified = TRUE;
	return classify_head (&trusting, &head, &capped, &id, &erratum) != VULND_KIND_NONE;
}

GPtrArray *
vulnd_extract (const VulndExtractInput *in)
{
	GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	g_autofree char *id = NULL;
	g_autofree char *capped = NULL;
	VulndExtractInput head;
	int erratum = 0;
	VulndMessageKind kind = classify_head (in, &head, &capped, &id, &erratum);

	if (kind == VULND_KIND_NONE)
		return records;
	JsonObject *record = record_new (kind, id, kind == VULND_KIND_OSSN ? 0 : erratum);
	if (kind == VULND_KIND_OSSN)
		vulnd_extract_ossn (&head, record);
	else
		vulnd_extract_ossa (&head, record);
	if (capped) {
		g_autofree char *w = g_strdup_printf ("text of %zu bytes: only its first %zu "
		                                      "were read (the limit is %d)",
		                                      strlen (in->text), strlen (capped),
		                                      VULND_EXTRACT_TEXT_MAX);
		json_array_add_string_element (vulnd_record_warnings (record), w);
	}
	g_ptr_array_add (records, record);
	return records;
}
