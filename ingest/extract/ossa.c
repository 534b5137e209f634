/* ossa.c - being written */
#include "config.h"
#include "extract.h"

void
vulnd_extract_ossa (const VulndExtractInput *in, JsonObject *record)
{
	(void) in; (void) record;
}
