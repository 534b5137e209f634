/* classify.c - being written: stub. */
#include "config.h"
#include "extract.h"

VulndMessageKind
vulnd_classify (const VulndExtractInput *in, char **id, int *erratum)
{
	(void) in;
	*id = NULL;
	*erratum = 0;
	return VULND_KIND_NONE;
}
