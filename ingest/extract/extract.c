/* extract.c - placeholder until the extractors land. */
#include "config.h"
#include "extract.h"

GPtrArray *
vulnd_extract (const VulndExtractInput *in)
{
	(void) in;
	return g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}
