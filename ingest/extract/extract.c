/* extract.c - classify a message, then hand it to the OSSA or OSSN extractor. */
#include "config.h"

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

GPtrArray *
vulnd_extract (const VulndExtractInput *in)
{
	GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
	g_autofree char *id = NULL;
	int erratum = 0;
	VulndMessageKind kind = vulnd_classify (in, &id, &erratum);

	if (kind == VULND_KIND_NONE || !id)
		return records;
	JsonObject *record = record_new (kind, id, kind == VULND_KIND_OSSN ? 0 : erratum);
	if (kind == VULND_KIND_OSSN)
		vulnd_extract_ossn (in, record);
	else
		vulnd_extract_ossa (in, record);
	g_ptr_array_add (records, record);
	return records;
}
