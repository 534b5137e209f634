/* ranges.c - being written */
#include "config.h"
#include "extract.h"

JsonArray *
vulnd_version_ranges (const char *text, GPtrArray *warnings)
{
	(void) text;
	if (warnings)
		g_ptr_array_add (warnings, g_strdup ("version ranges not parsed yet"));
	return json_array_new ();
}
